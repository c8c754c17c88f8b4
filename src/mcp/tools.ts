// The MCP tools of SPEC §11: names, argument schemas (zod, strict: an unknown argument is an
// error, not silently dropped) and descriptions written for the model that chooses among them.
import * as z from "zod";
import { MAX_COLS, MAX_ROWS, MAX_TIMEOUT_MS } from "../constants.ts";

const session = z.string().describe("Session id (sess_…) or the name given at start.");
const timeoutMs = z.number().int().min(0).max(MAX_TIMEOUT_MS);
const cols = z.number().int().min(1).max(MAX_COLS);
const rows = z.number().int().min(1).max(MAX_ROWS);
const endAfter = z.boolean().optional().describe("End the session after the reply (saves an end call); the result says ended: true.");

export const startArgs = z.strictObject({
  command: z.array(z.string()).min(1).optional().describe('Program and its arguments, e.g. ["python3", "-q"]. Default: the user\'s shell.'),
  name: z.string().optional().describe("A name to use instead of the id in later calls (letters, digits, . _ -; unique)."),
  cwd: z.string().optional().describe("Working directory (default: the server's)."),
  env: z.record(z.string(), z.string()).optional().describe("Extra environment variables."),
  cols: cols.optional().describe("Terminal width (default 120)."),
  rows: rows.optional().describe("Terminal height (default 30)."),
  wait: z.boolean().optional().describe("Return once the program first waits for input, with what it printed (default true)."),
  timeout_ms: timeoutMs.optional().describe("Longest wait for that (default 30000)."),
  screen: z.boolean().optional().describe("Also return the rendered screen (for full-screen programs such as vim, top)."),
  end: z.boolean().optional().describe("End the session once the program waits or exits (a program run for its output). Needs wait."),
});

const step = z.strictObject({
  text: z.string().optional().describe("Text to type, as given."),
  keys: z.array(z.string()).min(1).optional().describe('Or key names to press, e.g. ["escape"], ["ctrl+c"].'),
  enter: z.boolean().optional().describe("Press Enter after the text (default: the call's enter)."),
  until: z.string().optional().describe("Also end this step when its reply matches this regular expression."),
  timeout_ms: timeoutMs.optional().describe("Longest wait for this step's reply (default: the call's timeout_ms)."),
});

export const sendArgs = z.strictObject({
  session,
  text: z.string().optional().describe("Text to type, sent exactly as given (no escape decoding). Give text or steps."),
  steps: z
    .array(step)
    .min(1)
    .optional()
    .describe(
      "A dialogue in one call, instead of text: each step (text or keys) is typed only once the previous one ended with reason input or match; exit or timeout stops there. For installers and prompts in turn (a password prompt discards what was typed ahead).",
    ),
  enter: z.boolean().optional().describe("Press Enter after the text (default false; for steps: each text step's default). Usually you want true."),
  paste: z.boolean().optional().describe("Send as a bracketed paste when the program enabled it (multi-line code into a REPL)."),
  until: z.string().optional().describe("Also stop when the reply matches this JavaScript regular expression (for steps: each step's default)."),
  timeout_ms: timeoutMs.optional().describe("Longest wait for the reply (default 30000; for steps: per step)."),
  screen: z.boolean().optional().describe("Also return the rendered screen (for full-screen programs)."),
  end: endAfter,
});

export const writeArgs = z.strictObject({
  session,
  text: z.string().describe("Text to type, sent exactly as given (JSON strings carry any character, e.g. \\u0003 for Ctrl-C)."),
  enter: z.boolean().optional().describe("Press Enter after the text (default false)."),
  paste: z.boolean().optional().describe("Send as a bracketed paste when the program enabled it."),
});

export const keysArgs = z.strictObject({
  session,
  keys: z
    .array(z.string())
    .min(1)
    .describe('Key names, e.g. ["ctrl+c"], ["escape", ":", "w", "q", "enter"], ["up", "enter"], ["C-x", "C-s"]. Validated all-or-nothing.'),
});

export const readArgs = z.strictObject({
  session,
  since: z.number().int().min(0).optional().describe("Read from this absolute byte offset (e.g. a previous result's next_offset); does not consume."),
  peek: z.boolean().optional().describe("Do not mark the output as read."),
  all: z.boolean().optional().describe("Everything still buffered, not only what is unread."),
  lines: z.number().int().min(0).optional().describe("Only the last N lines."),
  until: z.string().optional().describe("Wait until the output matches this JavaScript regular expression."),
  until_input: z.boolean().optional().describe("Wait until the program waits for input (or exits)."),
  timeout_ms: timeoutMs.optional().describe("Wait up to this long for output to arrive and settle (or for until/until_input)."),
  strip_ansi: z.boolean().optional().describe("Plain text without escape sequences (default true)."),
});

export const screenArgs = z.strictObject({
  session,
  scrollback: z.number().int().min(0).optional().describe("Also this many lines of history above the screen."),
});

export const execArgs = z.strictObject({
  session,
  command: z.string().describe("A shell command line, e.g. \"cd src && make test\"."),
  timeout_ms: timeoutMs.optional().describe("Stop waiting after this long (the command keeps running; timed_out tells)."),
  end: endAfter,
});

export const waitArgs = z.strictObject({
  session,
  input: z.boolean().optional().describe("Return when the program waits for input, instead of when it exits."),
  timeout_ms: timeoutMs.optional().describe("Longest wait."),
});

export const listArgs = z.strictObject({});
export const statusArgs = z.strictObject({ session });
export const resizeArgs = z.strictObject({ session, cols, rows });
export const endArgs = z.strictObject({
  session: session.optional(),
  sessions: z.array(z.string()).min(1).optional().describe("Several sessions to end at once, instead of session."),
  signal: z.string().optional().describe("Signal for the program's process group: HUP (default, as closing a terminal), TERM, INT, KILL or a number."),
});

export type StartArgs = z.infer<typeof startArgs>;
export type SendArgs = z.infer<typeof sendArgs>;
export type WriteArgs = z.infer<typeof writeArgs>;
export type KeysArgs = z.infer<typeof keysArgs>;
export type ReadArgs = z.infer<typeof readArgs>;
export type ScreenArgs = z.infer<typeof screenArgs>;
export type ExecArgs = z.infer<typeof execArgs>;
export type WaitArgs = z.infer<typeof waitArgs>;
export type StatusArgs = z.infer<typeof statusArgs>;
export type ResizeArgs = z.infer<typeof resizeArgs>;
export type EndArgs = z.infer<typeof endArgs>;

export interface ToolDef {
  name: string;
  description: string;
  args: z.ZodObject;
}

const CONTINUE = "Output is capped per result: when truncated is true, call read with since = next_offset for the rest.";

export const TOOLS: ToolDef[] = [
  {
    name: "start",
    description: `Start a program in a new terminal session: a shell, a REPL (python3, node, psql, sqlite3), a debugger (gdb), a full-screen program (vim, top) or anything interactive. Sessions persist: they outlive this server, keep their state between calls, and a person can watch with 'delta-sessions attach ID'. By default it returns once the program first waits for input, with what it printed so far (screen: true adds the rendered screen, for vim or top). Then use exec (shell commands), send (REPLs and prompts) or keys/screen (full-screen programs). End it with end when done, or pass end: true to the last call (start, send, exec) instead.`,
    args: startArgs,
  },
  {
    name: "send",
    description: `Type text into a REPL, debugger or prompt (python, node, psql, gdb, a y/n question, a password prompt) and get the program's reply: what it printed after your input, up to the moment it waits for input again (reason "input"), exits ("exit"), matches until ("match"), or the timeout passes ("timeout": it is still working; read or wait later). Set enter: true to press Enter. Text is typed as keystrokes: "\r" (or enter) is the Enter key; "\n" is Ctrl-J, which line-based programs take as Enter but raw-mode ones (vim, editors) do not. Several prompts in turn (an installer: name, y/n, password, a question after progress dots) go in ONE call with steps: [{text: "Ann"}, {text: "y"}, {text: "secret"}, {text: "2"}] and enter: true; each step is typed only when the program waits again (typing ahead is lost at password prompts); the result has steps: [{output, reason}], output all replies joined, stopped_at when a step ended with exit or timeout. end: true ends the session after the reply. For shell sessions prefer exec (it returns the exit code). ${CONTINUE}`,
    args: sendArgs,
  },
  {
    name: "write",
    description: `Type text into a session without waiting for anything; returns the output offset at that moment (read with since = offset shows what came after). Use send instead when you want the reply, keys for special keys (Ctrl-C, arrows, Escape).`,
    args: writeArgs,
  },
  {
    name: "keys",
    description: `Press named keys in a session: enter, tab, escape, backspace, delete, up/down/left/right, home, end, page_up, page_down, f1-f12, ctrl+a…ctrl+z, alt+x, shift+tab, combinations like ctrl+shift+left, tmux names (C-c, M-x). Use ctrl+c to interrupt a running command, escape and the rest to drive full-screen programs. Returns at once; look with screen.`,
    args: keysArgs,
  },
  {
    name: "read",
    description: `Read a session's output as plain text. By default: what you have not read yet, at once, without waiting. With timeout_ms it waits for output to arrive and settle; with until for a pattern; with until_input until the program waits for input. since reads from an offset (e.g. next_offset of an earlier result) without consuming; lines keeps only the last N lines. ${CONTINUE}`,
    args: readArgs,
  },
  {
    name: "screen",
    description: `The session's terminal screen as it looks now (rows of text, cursor position), like a screenshot. Use it for full-screen programs (vim, less, top, htop, menus, progress bars) where the output stream is hard to follow; scrollback adds history lines above. When the screen does not fit the output cap, the oldest lines are left out (truncated: true).`,
    args: screenArgs,
  },
  {
    name: "exec",
    description: `Run a shell command in a shell session (bash, sh/dash, zsh, fish) and return its output (stdout and stderr merged, plain text) and exit_code. State persists between calls: cd, export, variables, functions, activated virtualenvs. The best tool for shell work. One exec at a time per session (another gets BUSY). When the wait ends before the command (timed_out: true) it keeps running: see it with read (timeout_ms) or stop it with keys ["ctrl+c"]. When the output exceeds the cap its end is kept (truncated: true); redirect big output to a file and read parts of it. end: true ends the session afterwards (exit_code stays the command's).`,
    args: execArgs,
  },
  {
    name: "wait",
    description: `Wait until the session's program exits (reason "exit", with exit_code and signal) or, with input: true, until it waits for input (reason "input"). Ends with reason "timeout" when the time is up; call it again to keep waiting.`,
    args: waitArgs,
  },
  {
    name: "list",
    description: `List the sessions (also those started elsewhere by the CLI or an earlier server): {sessions: [{session_id, name, command, status: running|exited|crashed, pid, …}]}.`,
    args: listArgs,
  },
  {
    name: "status",
    description: `One session's state: running or exited (exit_code, signal), command, cwd, size, output_bytes and unread_bytes, and whether the program waits for input now (waiting_for_input, foreground: the process at the terminal, input_wait: how that is decided).`,
    args: statusArgs,
  },
  {
    name: "resize",
    description: `Resize the session's terminal (the program is told, as when a window is resized).`,
    args: resizeArgs,
  },
  {
    name: "end",
    description: `Stop the session's program (SIGHUP to its process group, as closing a terminal; then SIGKILL after 2 s) and remove the session. Returns its exit_code and signal. sessions: [...] ends several at once ({status, sessions: [...]}). start, send and exec take end: true to do this in the same call.`,
    args: endArgs,
  },
];

/** JSON Schema of a tool's arguments, as tools/list gives it. */
export function inputSchemaOf(tool: ToolDef): Record<string, unknown> {
  const { $schema: _s, ...schema } = z.toJSONSchema(tool.args, { io: "input" }) as Record<string, unknown>;
  return schema;
}
