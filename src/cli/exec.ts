import { execCollectInSession, execInSession } from "../client/exec.ts";
import { readStdin } from "../client/input.ts";
import { MAX_TIMEOUT_MS } from "../constants.ts";
import { AnsiStripper } from "../text/ansi.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { printJson, writeStderr, writeStdout } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

/** Exit code when delta-sessions itself failed (never the command's): SPEC §3. */
const EXEC_FAILED = 125;

const spec = defineSpec({
  name: "exec",
  summary: "run a command in a shell session; print its output and exit with its status",
  usage: "exec ID [options] [COMMAND…]",
  positionals: [
    { name: "ID", kind: "session" },
    // Options are read only before COMMAND: `exec ID echo -h` runs `echo -h`.
    { name: "COMMAND", kind: "rest", verbatim: true },
  ],
  options: {
    timeout: { kind: "integer", value: "MS", max: MAX_TIMEOUT_MS, description: "give up waiting after MS (exit 124); the command keeps running" },
    "kill-on-timeout": { kind: "boolean", goesWith: "timeout", description: "with --timeout: interrupt the command (Ctrl-C) when the time is up" },
    json: { kind: "boolean", description: "print {output, exit_code, signal, duration_ms, timed_out} and exit 0" },
    end: { kind: "boolean", description: "end the session once the command has finished (--json adds ended:true)" },
  },
  failureExitCode: EXEC_FAILED,
  details: `For sessions running bash, sh/dash, zsh or fish. COMMAND (the arguments joined by spaces, or stdin when there
are none) runs in the session's shell, so cd, export, functions, options and jobs persist. exec returns when
it has finished, prints its output (stdout and stderr merged, no echo, no prompt, escape sequences removed,
CRLF -> LF) and exits with its exit status. Options are read only before COMMAND (exec ID echo -h runs echo -h);
put -- before COMMAND when its first word starts with '-'.
Exit codes: the command's status; 124 on --timeout; 125 when delta-sessions itself failed (BUSY: another
exec runs or the shell is not at its prompt; an unfinished line is cleared with Ctrl-C first;
EXEC_NOT_STARTED: the prompt came back without the command having run; EXEC_UNSUPPORTED: not a shell,
or --no-shell-integration).
--end ends the session afterwards (after a timeout too); the exit status stays the command's.
See docs/exec.md.`,
});

export const command = defineCommand(spec, run);

async function run({ flags, positionals }: Args<typeof spec>): Promise<number> {
  const ctx = makeContext({ flags });
  const words = positionals.COMMAND;
  const command = words.length > 0 ? new TextEncoder().encode(words.join(" ")) : await readStdin();
  const params = { command, timeoutMs: flags.timeout ?? null, killOnTimeout: flags["kill-on-timeout"] };
  if (flags.json) {
    const doc = await execCollectInSession(ctx.sessionsDir, positionals.ID, params);
    await printJson(flags.end ? { ...doc, ...(await endAfterwards(ctx.sessionsDir, positionals.ID)) } : doc);
    return 0;
  }
  const stripper = new AnsiStripper();
  const decoder = new TextDecoder();
  const emit = async (text: string) => {
    if (text !== "") await writeStdout(text);
  };
  const end = await execInSession(ctx.sessionsDir, positionals.ID, params, (bytes) => emit(stripper.push(decoder.decode(bytes, { stream: true }))));
  await emit(stripper.push(decoder.decode()) + stripper.end());
  if (flags.end) await endAfterwards(ctx.sessionsDir, positionals.ID);
  if (end.dropped_bytes) {
    await writeStderr(`delta-sessions: warning: ${end.dropped_bytes} bytes of the command's output were dropped from the buffer before this client read them\n`);
  }
  if (end.timed_out) {
    const what = flags["kill-on-timeout"] ? (end.exit_code === null ? "it was sent Ctrl-C but has not finished" : `it was interrupted (status ${end.exit_code})`) : "it is still running";
    await writeStderr(`delta-sessions: exec timed out after ${flags.timeout} ms; ${what}\n`);
    return 124;
  }
  return end.exit_code ?? EXEC_FAILED;
}

/** --end: the session goes once the command is done; exec's exit_code stays the command's own. */
async function endAfterwards(sessionsDir: string, idOrName: string): Promise<{ ended: true }> {
  const { endAfterReply } = await import("../client/end-after.ts");
  await endAfterReply(sessionsDir, idOrName);
  return { ended: true };
}
