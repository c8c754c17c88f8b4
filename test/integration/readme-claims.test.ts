// Every guarantee the README states in words has a test that names it (SPEC §3a: the README is
// real). The README's console examples are run by docs.test.ts; this file holds the claims made in
// prose that no other test checked, and the table below says where every other claim is checked.
// test/unit/readme-claims.test.ts keeps the table honest: each quoted claim must still be in
// README.md, and each test name must still be in the file it names.
//
// CLAIMS (README words → test file → test name; the name may be a fixed part of a generated one)
// | claim | file | test |
// | pseudo-terminals that outlive the command that started them | test/integration/persistence.test.ts | child and holder alive 10 s later, and usable from a new process |
// | the same binary, detached into its own session | test/integration/persistence.test.ts | the holder is not the CLI's child and leads its own session |
// | There is no global daemon. | test/integration/readme-claims.test.ts | There is no global daemon: each session has its own holder, and only those run |
// | not from how a prompt looks | test/integration/interaction.test.ts | a question asked after 1.5 s of silence is not answered early |
// | python was sleeping, not waiting for input | test/integration/input-wait.test.ts | python3: waiting, then sleeping in a command, then waiting again after Ctrl-C |
// | never on the echo | test/integration/interaction.test.ts | --until with the pattern inside the typed command waits for the real output |
// | (default 30 s; `"timeout"`, exit 124, the reply so far) | test/integration/interaction.test.ts | --timeout: exit 124, reason timeout, the reply so far; the program keeps running |
// | exits (`"exit"`) | test/integration/interaction.test.ts | the program exiting during send: reason exit and its exit code |
// | `start --wait` returns once the program first waits for input, with what it printed | test/integration/readme-claims.test.ts | start --wait returns at the first prompt with what was printed, and moves the default reader past it |
// | Both move the default reader past what they returned. | test/integration/interaction.test.ts | an assignment, then a print; a def, then a call |
// | `cd`, `export` and functions persist between calls | test/integration/exec.test.ts | state persists: cd, export, variables, functions, options, $? |
// | `write` returns the output offset at the moment the input was delivered | test/integration/output.test.ts | read --since <write offset> --until never matches the echoed input |
// | never on a stale match from earlier | test/integration/readme-claims.test.ts | read --since OFFSET --until: never on a stale match from before OFFSET |
// | `read --until-input` ends a read when the program waits for input | test/integration/interaction.test.ts | read --until-input ends at the prompt, not at a pause in the output |
// | `wait ID --input` waits for that alone | test/integration/interaction.test.ts | waiting for input, both ways |
// | `status` shows `waiting_for_input`, `foreground` (the foreground process) and | test/integration/interaction.test.ts | waiting for input, both ways |
// | serves the same operations as Model Context Protocol tools over stdio | test/integration/mcp.test.ts | lists the tools of SPEC §11 with exactly their arguments, each described |
// | (no process per call) | test/integration/mcp.test.ts | hundreds of calls through one server: no process per call, holder connections reused |
// | the sessions it starts are ordinary sessions that `list` and `attach` see and | test/integration/mcp.test.ts | stdin closing ends the server; the session stays for the CLI and a second server |
// | over ssh the command is `ssh host delta-sessions mcp` | test/integration/mcp-ssh.test.ts | ssh localhost delta-sessions mcp: a session started over ssh is an ordinary local session |
// | `end` destructive) and an output schema | test/integration/mcp-conventions.test.ts | tools/list: every tool has its title, annotations and an object outputSchema; the client holds a validator for each |
// | `delta-sessions mcp --read-only` serves only those five | test/integration/mcp-conventions.test.ts | every tool that acts is refused with READ_ONLY and the session is untouched |
// | `--read-only` serves only `list`, `status`, `screen`, `read` (as a peek) and `wait` | test/integration/mcp-conventions.test.ts | read is a peek: the output stays for the session's driver; peek: false is refused |
// | accepted before or after the command name | test/integration/options.test.ts | --help and --version after the command name |
// | `--name a --name b` is a usage error (exit 2) | test/integration/options.test.ts | a single-value option given twice is a usage error |
// | only `--env` and `--ssh-option` repeat | test/integration/options.test.ts | repeatable options still repeat (start --env) |
// | Every command prints exactly one JSON document on stdout on success | test/integration/readme-claims.test.ts | every command prints exactly one JSON document on stdout on success |
// | `{"error": "...", "code": "..."}` on stdout | test/integration/bad-input.test.ts | bad input to the command line |
// | `0` success; `2` the command line itself is | test/integration/bad-input.test.ts | exit codes follow SPEC §3: 2 for the command line, 1 for runtime conditions |
// | Error codes: `USAGE`, `INVALID_ARGUMENT` | test/unit/readme-claims.test.ts | the README's list of error codes is exactly the product's |
// | `exec` exits 125 whenever | test/integration/exec.test.ts | usage errors and unknown sessions exit 125 |
// | returns once the holder is serving and the program runs | test/integration/baseline.test.ts | start / list / status / end |
// | Starts CMD (default `$SHELL`, else `/bin/sh`) | test/integration/readme-claims.test.ts | start without CMD runs $SHELL, else /bin/sh |
// | `start python3 -h` runs python with `-h` | test/integration/options.test.ts | --version after start's CMD is the program's |
// | which is refused (`INVALID_ARGUMENT`) | test/integration/bad-input.test.ts | bad input to the command line |
// | the last BYTES bytes are kept | test/integration/output.test.ts | dropped_bytes is reported when the buffer overflowed before the reader got there |
// | record the session as asciicast v2 | test/integration/recording.test.ts | a scripted session's recording parses as asciicast v2 and its output events are exactly the program's bytes |
// | do not install `exec`'s shell integration | test/integration/exec.test.ts | a shell started with --no-shell-integration: EXEC_UNSUPPORTED, nothing typed |
// | give up after MS (default 30000; exit 124, the program keeps running) | test/integration/readme-claims.test.ts | start --wait --timeout: exit 124, reason timeout, the program keeps running |
// | The program's `TERM` is `xterm-256color` | test/integration/security.test.ts | has the caller's variables and --env, TERM, and none of delta-sessions' internal ones |
// | A CMD that does not exist fails | test/integration/bad-input.test.ts | command not found |
// | Escapes are decoded | test/integration/input.test.ts | write: escapes arrive as the bytes they stand for |
// | `--raw` sends the bytes untouched (stdin | test/integration/input.test.ts | stdin is decoded by default and byte-exact with --raw (binary included) |
// | `--enter` appends a carriage return | test/integration/input.test.ts | --raw sends backslashes untouched, --enter appends CR |
// | `--paste` wraps the text in bracketed | test/integration/input.test.ts | --paste wraps the text when the program enabled bracketed paste |
// | A write is atomic: concurrent | test/integration/input.test.ts | 50 writers at once, each a distinct 4 KiB message, never interleave |
// | whatever its size | test/integration/readme-claims.test.ts | A write is atomic whatever its size: two 3 MiB writes and small ones at once never interleave |
// | all validated before any is sent | test/integration/input.test.ts | an unknown key sends nothing: INVALID_KEY, exit 2, closest names suggested |
// | `enter` sends CR. | test/integration/readme-claims.test.ts | `enter` sends CR (0x0d), whatever the terminal's mode |
// | follow the application cursor mode the | test/integration/input.test.ts | arrows, home and end follow application cursor mode (DECCKM) when the program sets it |
// | `--list` prints the table | test/integration/options.test.ts | write-key --list prints the key table as JSON through a pipe |
// | Input that is not echoed (a password) skips nothing | test/integration/interaction.test.ts | a password prompt: the reply does not contain the password |
// | `--screen` prints the rendered screen at that | test/integration/interaction.test.ts | an edit checked with send --screen |
// | the baseline's consuming read | test/integration/baseline.test.ts | reconnect from another process: the default reader continues where it stopped |
// | an independent reader (many at once) | test/integration/output.test.ts | two independent --since readers each see every byte, and the default reader is untouched |
// | only the last N lines (like `tail -n`) | test/integration/waiting-reads.test.ts | raw and plain text: offset is the byte where the returned lines start; the rest counts as read |
// | keep collecting until it has been quiet for `--idle` ms | test/integration/output.test.ts | read --timeout returns soon after a quick command's output settles, with all of it |
// | with the `m` flag | test/integration/waiting-reads.test.ts | ^ and $ match at line boundaries; --ignore-case (-i) ignores case |
// | quiet output does not end the read; without `--timeout` it waits for the match or the program's exit | test/integration/waiting-reads.test.ts | --until without --timeout waits (quiet output does not end it) until the program exits |
// | quiet output does not end it; a timeout exits 124 | test/integration/readme-claims.test.ts | read --until-input: a timeout exits 124 with a message |
// | stream output until the program exits | test/integration/output.test.ts | --follow streams until the program exits |
// | the rendered screen (rows × cols, like `tmux capture-pane -p`) | test/integration/screen-vs-tmux.test.ts | read --screen equals tmux capture-pane -p |
// | the `--json` document with `output_base64` | test/integration/waiting-reads.test.ts | --json turns invalid UTF-8 into U+FFFD; --base64 gives output_base64 with the exact bytes |
// | A read carries at most the buffer size, the newest | test/integration/flood.test.ts | a read that waits carries at most the buffer, the newest bytes, and counts the rest |
// | loses the oldest bytes rather than making the | test/integration/load.test.ts | holder memory stays bounded, every reader keeps getting output and is told exactly what it missed |
// | Output bytes reach stdout unaltered | test/integration/output.test.ts | invalid UTF-8 reaches read's stdout unaltered |
// | `dropped_bytes` says how many and stderr warns | test/integration/output.test.ts | dropped_bytes is reported when the buffer overflowed before the reader got there |
// | A read with `--until` that ends by its `--timeout` without a match exits | test/integration/waiting-reads.test.ts | a read with --until that times out exits 124 |
// | The terminal's echo of what you typed is output like any other | test/integration/waiting-reads.test.ts | the terminal's echo counts as output: a waiting read after a write returns the echo |
// | `--since` past the newest byte is | test/integration/waiting-reads.test.ts | --since past the end is clamped: offset says where the read really started |
// | bytes that are not valid UTF-8 become U+FFFD | test/integration/waiting-reads.test.ts | --json turns invalid UTF-8 into U+FFFD; --base64 gives output_base64 with the exact bytes |
// | a carriage return goes back to the start of | test/integration/waiting-reads.test.ts | a CR goes back to the start of the line: a progress line shows its last state, no lone CR |
// | `--follow --strip-ansi` shows a line as it is being | test/integration/readme-claims.test.ts | --follow --strip-ansi shows a prompt at once; a line redrawn after it was shown follows on a new line |
// | counted from the top of the visible screen | test/integration/waiting-reads.test.ts | --screen --scrollback N --json: cursor.row counts from the top of the visible screen |
// | For sessions whose program is an interactive bash, sh/dash, zsh or fish | test/integration/exec.test.ts | exact output and exit status |
// | `exec web echo -h` runs `echo -h` | test/integration/options.test.ts | exec ID echo -h runs `echo -h` |
// | so `read` and `read --screen` never show them | test/integration/exec.test.ts | read and read --screen show no marks after all of that |
// | not fooled by output that imitates a prompt or a mark | test/integration/exec.test.ts | output holding marker text, a fake prompt, and the script itself |
// | `--timeout MS` exits 124 with | test/integration/exec.test.ts | --timeout: exit 124 with the output so far, the command keeps running, then the session works again |
// | (`--kill-on-timeout` sends Ctrl-C instead) | test/integration/exec.test.ts | --timeout --kill-on-timeout interrupts the command; --json reports it |
// | A second exec | test/integration/exec.test.ts | a second exec while one runs gets BUSY, and nothing of it is typed |
// | gets `EXEC_UNSUPPORTED` and nothing is typed into it | test/integration/exec.test.ts | a program that is not a shell: EXEC_UNSUPPORTED (125), nothing typed |
// | cleared with Ctrl-C, as a person would | test/integration/exec-dirty.test.ts | runs or BUSY within 5 s, then usable |
// | sees the command after the prompt, as if typed there | test/integration/exec-show.test.ts | the prompt and the command, its output, the next prompt |
// | with control characters shown as `^[` | test/integration/exec-show.test.ts | the escape sequences in a command reached no terminal: the screen was never cleared |
// | bash and zsh also keep it in their history | test/integration/exec-show.test.ts | the command lands in the shell's history as typed, the wrapper does not |
// | 124 (`TIMEOUT`) when MS passes first | test/integration/output.test.ts | wait --timeout exits 124 with TIMEOUT while the program runs |
// | the program gets SIGWINCH | test/integration/output.test.ts | resize reaches the program and the screen |
// | Sends SIGHUP to the program's process group | test/integration/readme-claims.test.ts | end: SIGHUP to the whole process group, SIGKILL after the grace period to what ignores it; --signal TERM |
// | and `--all` print | test/integration/load.test.ts | all reach running, all are usable, all end cleanly |
// | On an exited session it reports | test/integration/baseline.test.ts | a command that exits at once keeps its output and exit code readable |
// | on a crashed one `exit_code: null, signal: null` | test/integration/faults.test.ts | the program gets SIGHUP and goes; every command reports the crash; end and cleanup remove it |
// | an unresponsive one is resumed and ended properly | test/integration/faults.test.ts | end still ends a stopped holder's session: it is resumed and ends its program properly |
// | a full redraw of the current screen | test/integration/attach.test.ts | the redraw on attach equals read --screen, alternate screen, colours and cursor included |
// | the program keeps running and your terminal is put back | test/integration/attach.test.ts | detach (Ctrl-\\) restores the terminal exactly and leaves the session running |
// | `--read-only` watches without typing | test/integration/attach.test.ts | --read-only shows output but sends nothing, and does not resize the session |
// | the session takes the size of the most recently active one | test/integration/attach.test.ts | two people: the session takes the size of the most recently active terminal |
// | attach prints its status and returns | test/integration/attach.test.ts | an exit while attached prints the exit status and returns |
// | the signal that ended the program | test/integration/status-values.test.ts | a program killed by a signal: list and status both say which |
// | Read-only. | test/integration/readme-claims.test.ts | list is read-only: no file changes, no reader moves, a crashed session stays |
// | it prints an aligned table instead | test/integration/list-for-people.test.ts | list at a terminal: an aligned table; piped or --json: JSON |
// | (null when it is not running) | test/integration/readme-claims.test.ts | status: waiting_for_input is null once the program is not running |
// | it prints the fields one per line | test/integration/list-for-people.test.ts | status at a terminal: field and value lines; piped or --json: JSON |
// | (`--max-wait-ms`, `--max-output-bytes`) | test/integration/mcp.test.ts | waits are clamped and end with reason timeout and the output so far |
// | Removes exited and crashed sessions and socket files nothing listens on; unresponsive sessions | test/integration/faults.test.ts | is never taken for a live session, and cleanup removes it |
// | The holder survives the starting command's exit, its terminal closing (SIGHUP) and its being | test/integration/persistence.test.ts | child and holder alive 10 s later, and usable from a new process |
// | it ignores SIGHUP and SIGPIPE | test/integration/readme-claims.test.ts | the holder ignores SIGHUP and SIGPIPE sent to it: it stays and serves, the program untouched |
// | `status` and `wait` keep working until `end` or `cleanup` | test/integration/baseline.test.ts | a command that exits at once keeps its output and exit code readable |
// | the holder process is gone without a word | test/integration/faults.test.ts | a crashed session is still crashed 10 s later, and cleanup leaves nothing behind |
// | the holder process exists but does not answer | test/integration/faults.test.ts | commands fail in bounded time instead of hanging, cleanup spares it, and it carries on after SIGCONT |
// | Liveness is asked of the holder over its | test/integration/faults.test.ts | is never taken for the holder: identity is asked over the socket |
// | On SIGTERM the holder hangs up the program's process group | test/integration/faults.test.ts | the program's whole process group ends, the final state is stored, output stays readable |
// | SIGUSR1 it re-creates its socket file | test/integration/faults.test.ts | SIGUSR1 makes the holder re-create it (0600), and the session carries on |
// | else `./.sessions` | test/integration/baseline.test.ts | default sessions directory is ./.sessions |
// | Created 0700 with a `.gitignore` of `*` | test/integration/baseline.test.ts | the sessions directory is private and kept out of git |
// | is refused (`UNSAFE_SESSIONS_DIR`) by every command | test/integration/security.test.ts | every command refuses a sessions directory that became world-writable (SPEC §3a), and reads nothing from it |
// | never the environment | test/integration/security.test.ts | secrets in the caller's environment and in --env reach the program but no file under the sessions or runtime directory |
// | Files are 0600 | test/integration/security.test.ts | created 0700 (owned by the user) under $XDG_RUNTIME_DIR, sockets 0600, whatever the umask |
// | written atomically | test/integration/faults.test.ts | full file system: start fails with a clear error, no half-written metadata, no socket, no program |
// | working directory (default: the current one) | test/integration/readme-claims.test.ts | start --cwd, --env, --cols and --rows reach the program |
// | terminal size (default 120 × 30) | test/integration/baseline.test.ts | start / list / status / end |
// | anything else (`\q`, `\x1`, and `\b \f \v`, so that a regular expression's `\b` arrives as typed | test/integration/input.test.ts | write: escapes arrive as the bytes they stand for |
// | adds a step typed only once the previous step's reply ended with `input` or `match` | test/integration/dialogue.test.ts | an installer answered in one call: each step typed only once the program waits (getpass after a silent pause) |
// | a password prompt throws away what was typed ahead of it | test/integration/dialogue.test.ts | the same answers typed ahead in one text: getpass throws the rest away and the installer waits |
// | `exit` or `timeout` stops the dialogue there | test/integration/dialogue.test.ts | a dialogue that meets the program's exit stops there: which step, what reason |
// | ends the session after the reply | test/integration/dialogue.test.ts | send --end: the reply, then no session, holder or socket |
// | all checked before any is ended | test/integration/dialogue.test.ts | end A B ends both; a wrong name among them ends none |
// | Case-insensitive: | test/integration/input.test.ts | write-key: every key group arrives encoded |
// | with `--screen`: N history lines above it | test/integration/output.test.ts | read --screen shows the rendered screen with the cursor, --scrollback adds history |
// | Names are `DIR/.names/<name>` links | test/integration/readme-claims.test.ts | files: metadata.json, holder.log, final.json once exited; names are .names links; sockets default to /tmp/delta-sessions-<uid> |
// | `/tmp/delta-sessions-<uid>` | test/integration/readme-claims.test.ts | files: metadata.json, holder.log, final.json once exited; names are .names links; sockets default to /tmp/delta-sessions-<uid> |
// | (`UNSAFE_RUNTIME_DIR`) unless it is a real directory owned by you | test/integration/security.test.ts | refused with UNSAFE_RUNTIME_DIR (exit 1) by start and by every command that would use it |
// | Sockets are `<id>.sock`, 0600 | test/integration/security.test.ts | a live session's socket is 0600 even under umask 000 |
// | The holder and the program never inherit `BUN_OPTIONS` | test/integration/idle.test.ts | the holder's runtime setting is not passed on to the program; the caller's value is |
// | the binary ignores `.env` and `bunfig.toml` files | test/integration/persistence.test.ts | a .env and bunfig.toml in the working directory are ignored |
// | idle holder uses ≈ 0 CPU (no timers while idle | test/integration/idle.test.ts | a few seconds after its last output the holder's main thread stops waking up |
// | 200 sessions run at once on 2 cores | test/integration/load.test.ts | all reach running, all are usable, all end cleanly |
// | 50 concurrent clients on one session lose and corrupt nothing | test/integration/load.test.ts | every client's every line comes back exactly once, intact; no errors |
// | with `BUN_BE_BUN=1` the binary *is* Bun | test/integration/options.test.ts | with BUN_BE_BUN=1 or BUN_OPTIONS=--version the binary answers as Bun; unset, as delta-sessions |
// | The holder and your | test/integration/persistence.test.ts | Bun variables in the caller's environment (BUN_FEATURE_FLAG_NO_ORPHANS, BUN_OPTIONS) do not kill the holder |
// | `kill -CONT <holder_pid>` resumes it | test/integration/faults.test.ts | commands fail in bounded time instead of hanging, cleanup spares it, and it carries on after SIGCONT |
// | `kill -USR1 <holder_pid>` | test/integration/faults.test.ts | SIGUSR1 makes the holder re-create it (0600), and the session carries on |
// | `list`'s `command` is an array | test/integration/baseline.test.ts | start / list / status / end |
// | here an unknown flag | test/integration/bad-input.test.ts | bad input to the command line |
// | a random token that every request needs | test/integration/serve.test.ts | no token or a wrong one: 403 and no session data, for pages, assets and sockets |
// | requests naming a foreign `Host` | test/integration/serve.test.ts | a foreign Host header is refused (DNS rebinding), the server's own address is not |
// | WebSocket upgrades from a foreign `Origin` are refused | test/integration/serve.test.ts | a WebSocket upgrade from a foreign Origin is refused, from the page's own origin it is accepted |
// | The page is read-only unless `--allow-input` | test/integration/serve.test.ts | a read-only page cannot type: neither keys nor a forged input message reach the program |
// | Everything it loads is inside the binary | test/integration/serve.test.ts | the token in the URL becomes a cookie that opens the page and its assets |
// | `--listen` beyond loopback warns on stderr | test/integration/serve.test.ts | says so on stderr and still requires the token |
// | the same operations as the CLI and the MCP server | test/integration/parity.test.ts | every operation, step by step |
// | returning the CLI's JSON documents | test/integration/parity.test.ts | every operation, step by step |
// | `session.output()` streams what the program prints | test/integration/library.test.ts | drives python: start --wait, send, write, keys, read, screen, status, resize, output(), end |
// | `session.exited` settles when it exits | test/integration/library.test.ts | drives bash with exec and a short-lived program to its exit; exited and wait report it |
// | A second process reconnects with `m.get(idOrName)` | test/integration/library.test.ts | a second process reconnects by name (get) and by id, and sees the first one's output |
// | the nearest `.sessions` in a parent directory | test/integration/sessions-dir.test.ts | the CLI in a subfolder finds the project's sessions |
// | The same rule holds for the MCP server and the library. | test/integration/sessions-dir.test.ts | the MCP server started in a subfolder finds them |
// | runs any command on that machine's delta-sessions over OpenSSH, with the same JSON documents and exit codes | test/integration/remote.test.ts | start, send, write, exec, read, screen, status and end run there, with the same documents and exit codes |
// | they start no ssh session (no login shell, no rc files) | test/integration/remote.test.ts | calls after the first open no ssh session: one remote server answers them all |
// | `HOST_UNREACHABLE`, `REMOTE_NOT_INSTALLED` and `REMOTE_VERSION_MISMATCH` say what is wrong, with the fix | test/integration/remote.test.ts | a machine without delta-sessions: REMOTE_NOT_INSTALLED with the fix; install-remote; another version is refused |
// | `attach --host` is interactive | test/integration/remote.test.ts | attach --host is interactive (ssh -t) |
// | `mcp --host` serves that machine's sessions | test/integration/remote.test.ts | mcp --host serves the remote machine's sessions |
// | copies the binary to `~/.local/bin` there | test/integration/remote.test.ts | a machine without delta-sessions: REMOTE_NOT_INSTALLED with the fix; install-remote; another version is refused |
// END CLAIMS
import { afterAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { BIN, isAlive, procStat, Sandbox, waitFor } from "../helpers/sandbox.ts";

/** Per-test limit: every wait inside has its own shorter deadline. */
const T = 60_000;

const box = new Sandbox();
afterAll(() => box.dispose());

/** Waits until the session's output (all of it, not consuming) contains `text`. */
async function waitForOutput(id: string, text: string): Promise<void> {
  const r = await box.run(["read", id, "--peek", "--all", "--until", text, "--timeout", "10000"]);
  if (r.code !== 0) throw new Error(`no "${text}" in the output of ${id}: ${r.stdout} ${r.stderr}`);
}

/** Processes running this binary whose command line or environment belongs to this sandbox. */
function ourBinaryProcesses(): number[] {
  const exe = realpathSync(BIN);
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/exe`) !== exe) continue;
      const env = readFileSync(`/proc/${entry}/environ`, "latin1");
      if (env.includes(box.sessionsDir)) found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found.sort((a, b) => a - b);
}

describe("README: architecture", () => {
  test(
    "There is no global daemon: each session has its own holder, and only those run",
    async () => {
      const a = await box.start(["sleep", "600"]);
      const b = await box.start(["bash", "--norc", "-i"]);
      expect(a.holder_pid).not.toBe(b.holder_pid);
      // Each program is its own holder's child: no shared process stands between them.
      expect(procStat(a.pid)?.ppid).toBe(a.holder_pid);
      expect(procStat(b.pid)?.ppid).toBe(b.holder_pid);
      expect(ourBinaryProcesses()).toEqual([a.holder_pid, b.holder_pid].sort((x, y) => x - y));
      // The hard case: one holder dying takes nothing else with it.
      process.kill(a.holder_pid, "SIGKILL");
      await waitFor("the first holder gone", () => !isAlive(a.holder_pid));
      await box.run(["write", b.session_id, "echo still-$((40+2))\\n"]);
      const r = await box.run(["read", b.session_id, "--until", "still-42", "--timeout", "10000", "--json"]);
      expect(r.json.matched).toBe(true);
      expect((await box.run(["status", a.session_id, "--json"])).json.status).toBe("crashed");
      expect(ourBinaryProcesses()).toEqual([b.holder_pid]);
      await box.run(["end", "--all", "--grace", "500"]);
      await waitFor("no process of ours left", () => ourBinaryProcesses().length === 0);
    },
    T,
  );
});

describe("README: the holder and its signals", () => {
  test(
    "the holder ignores SIGHUP and SIGPIPE sent to it: it stays and serves, the program untouched",
    async () => {
      const marker = join(box.dir, "program-got-hup");
      const s = await box.start(["bash", "--norc", "-c", `trap 'echo hup > ${marker}' HUP; echo ready; while :; do read -r line && echo "got:$line"; done`]);
      await waitForOutput(s.session_id, "ready");
      for (const signal of ["SIGHUP", "SIGPIPE", "SIGHUP"] as const) process.kill(s.holder_pid, signal);
      // Served afterwards, by the same holder, to the same program.
      await box.run(["write", s.session_id, "after-signals\\r"]);
      const r = await box.run(["read", s.session_id, "--until", "got:after-signals", "--timeout", "10000", "--json"]);
      expect(r.json.matched).toBe(true);
      const st = await box.run(["status", s.session_id, "--json"]);
      expect(st.json).toMatchObject({ status: "running", alive: true, holder_pid: s.holder_pid, pid: s.pid });
      expect(isAlive(s.holder_pid)).toBe(true);
      expect(existsSync(marker)).toBe(false);
    },
    T,
  );
});

describe("README: start", () => {
  test(
    "start without CMD runs $SHELL, else /bin/sh",
    async () => {
      const withShell = await box.run(["start"], { env: { SHELL: "/bin/dash" } });
      expect(withShell.json.command).toEqual(["/bin/dash"]);
      expect(realpathSync(`/proc/${withShell.json.pid}/exe`)).toBe(realpathSync("/bin/dash"));
      const without = await box.run(["start"], { env: { SHELL: undefined } });
      expect(without.json.command).toEqual(["/bin/sh"]);
      expect(realpathSync(`/proc/${without.json.pid}/exe`)).toBe(realpathSync("/bin/sh"));
    },
    T,
  );

  test(
    "start --cwd, --env, --cols and --rows reach the program",
    async () => {
      const cwd = join(box.dir, "a dir with spaces");
      mkdirSync(cwd);
      const value = "x=y\nsecond line";
      const s = await box.start(["--cwd", cwd, "--env", `ODD=${value}`, "--cols", "77", "--rows", "11", "sh", "-c", 'printf "%s|%s|%s" "$PWD" "$ODD" "$(stty size)" > out.txt; exec sleep 600']);
      expect(s).toMatchObject({ cwd, cols: 77, rows: 11 });
      const out = join(cwd, "out.txt");
      await waitFor("the program's report", () => existsSync(out) && readFileSync(out, "utf8").endsWith("11 77"));
      expect(readFileSync(out, "utf8")).toBe(`${cwd}|${value}|11 77`);
    },
    T,
  );

  test.skipIf(!Bun.which("python3"))(
    "start --wait returns at the first prompt with what was printed, and moves the default reader past it",
    async () => {
      // The hard case: output, a pause that is not a prompt, more output, then the prompt.
      const r = await box.run(["start", "--wait", "--timeout", "20000", "python3", "-c", "import time; print('loading'); time.sleep(0.8); print('loaded'); input('ok? ')"]);
      expect(r.code).toBe(0);
      expect(r.json).toMatchObject({ status: "running", reason: "input", output: "loading\nloaded\nok? ", exit_code: null, signal: null });
      expect((await box.run(["read", r.json.session_id, "--json"])).json.output).toBe("");
      expect((await box.run(["read", r.json.session_id, "--all", "--strip-ansi"])).stdout).toBe("loading\nloaded\nok? ");
    },
    T,
  );

  test(
    "start --wait --timeout: exit 124, reason timeout, the program keeps running",
    async () => {
      const r = await box.run(["start", "--wait", "--timeout", "500", "sh", "-c", "echo started; exec sleep 600"]);
      expect(r.code).toBe(124);
      expect(r.json).toMatchObject({ status: "running", reason: "timeout", output: "started\n" });
      expect(r.stderr).toContain("500 ms");
      const st = await box.run(["status", r.json.session_id, "--json"]);
      expect(st.json).toMatchObject({ status: "running", alive: true, pid: r.json.pid });
      expect(isAlive(r.json.pid)).toBe(true);
    },
    T,
  );
});

describe("README: write and write-key", () => {
  test(
    "A write is atomic whatever its size: two 3 MiB writes and small ones at once never interleave",
    async () => {
      const big = 3 * 1024 * 1024;
      const small = 1024;
      const sizes = [big, big, ...Array.from({ length: 10 }, () => small)];
      const total = sizes.reduce((a, b) => a + b, 0);
      const out = join(box.dir, "atomic.bin");
      const s = await box.start(["sh", "-c", `stty raw -echo; echo READY; head -c ${total} > '${out}'; echo DONE; exec sleep 600`]);
      await waitForOutput(s.session_id, "READY");
      // Writer i sends one byte value, 'A' + i, repeated: any interleaving splits a run.
      const bodies = sizes.map((n, i) => new Uint8Array(n).fill(65 + i));
      const results = await Promise.all(bodies.map((b) => box.run(["write", s.session_id, "--raw"], { stdin: b })));
      for (const [i, r] of results.entries()) expect({ i, code: r.code, bytes: r.json.bytes }).toEqual({ i, code: 0, bytes: sizes[i] });
      await box.run(["read", s.session_id, "--until", "DONE", "--timeout", "60000"]);
      const got = readFileSync(out);
      expect(got.length).toBe(total);
      const runs: Array<{ byte: number; length: number }> = [];
      for (let at = 0; at < got.length; ) {
        let end = at;
        while (end < got.length && got[end] === got[at]) end++;
        runs.push({ byte: got[at]!, length: end - at });
        at = end;
      }
      // One unbroken run per writer, each exactly its write's size.
      expect(runs.length).toBe(sizes.length);
      expect(runs.map((r) => r.byte).sort((a, b) => a - b)).toEqual(sizes.map((_, i) => 65 + i));
      for (const r of runs) expect(r.length).toBe(sizes[r.byte - 65]!);
    },
    120_000,
  );

  test(
    "`enter` sends CR (0x0d), whatever the terminal's mode",
    async () => {
      // In raw mode the terminal translates nothing, so the program sees exactly what was sent;
      // the hard case is a program that also turned on application cursor mode and keypad mode.
      const s = await box.start(["sh", "-c", "printf '\\033[?1h\\033='; stty raw -echo; echo READY; head -c 3 | od -An -tx1 | tr -d ' \\n'; echo ' END'; exec sleep 600"]);
      await waitForOutput(s.session_id, "READY");
      const k = await box.run(["write-key", s.session_id, "enter", "Enter", "return"]);
      expect(k.json).toMatchObject({ status: "sent", key: "enter", keys: ["enter", "Enter", "return"], session_id: s.session_id });
      const r = await box.run(["read", s.session_id, "--until", "[0-9a-f]+ END", "--timeout", "10000", "--strip-ansi"]);
      expect(r.stdout).toContain("0d0d0d END");
    },
    T,
  );
});

describe("README: read", () => {
  test(
    "read --since OFFSET --until: never on a stale match from before OFFSET",
    async () => {
      const s = await box.start(["bash", "--norc", "-i"]);
      await box.run(["write", s.session_id, "echo answer-$((6*7))\\n"]);
      await waitForOutput(s.session_id, "answer-42");
      const w = await box.run(["write", s.session_id, "sleep 0.5; echo answer-$((5*9))\\n"]);
      const r = await box.run(["read", s.session_id, "--since", String(w.json.offset), "--until", "answer-\\d+$", "--timeout", "10000", "--json"]);
      expect(r.json.matched).toBe(true);
      // The earlier answer-42 is before OFFSET, and the echoed command line holds no digits after
      // "answer-": the match is the new answer.
      expect(r.json.output).toContain("answer-45");
      expect(r.json.output).not.toContain("answer-42");
    },
    T,
  );

  test(
    "read --until-input: a timeout exits 124 with a message",
    async () => {
      // Output flows and goes quiet, but the program never waits for input.
      const s = await box.start(["sh", "-c", "echo busy; exec sleep 600"]);
      await waitForOutput(s.session_id, "busy");
      const r = await box.run(["read", s.session_id, "--until-input", "--timeout", "600", "--json"]);
      expect(r.code).toBe(124);
      expect(r.json).toMatchObject({ timed_out: true, status: "running", output: "busy\r\n" });
      expect(r.stderr).toMatch(/timed out/);
    },
    T,
  );

  test(
    "--follow --strip-ansi shows a prompt at once; a line redrawn after it was shown follows on a new line",
    async () => {
      const s = await box.start(["sh", "-c", "stty -echo; printf 'name? '; read a; printf '\\nstep 1'; read b; printf '\\rstep 2\\n'; exit 0"]);
      const follow = Bun.spawn([BIN, "read", s.session_id, "--follow", "--strip-ansi"], { env: box.env, stdout: "pipe", stderr: "pipe" });
      box.track(follow.pid);
      let seen = "";
      const reader = follow.stdout.getReader();
      const pump = (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          seen += new TextDecoder().decode(value);
        }
      })();
      // The prompt has no newline; it must appear while the program still waits.
      await waitFor("the prompt to stream", () => seen === "name? ");
      await box.run(["write", s.session_id, "bob\\r"]);
      await waitFor("step 1 to stream", () => seen.endsWith("step 1"));
      await box.run(["write", s.session_id, "go\\r"]);
      expect(await follow.exited).toBe(0);
      await pump;
      expect(seen).toBe("name? \nstep 1\nstep 2\n");
      // A plain read of the same output shows the line's last state only.
      expect((await box.run(["read", s.session_id, "--all", "--strip-ansi"])).stdout).toBe("name? \nstep 2\n");
    },
    T,
  );
});

describe("README: end, list, status", () => {
  test(
    "end: SIGHUP to the whole process group, SIGKILL after the grace period to what ignores it; --signal TERM",
    async () => {
      // The leader ignores SIGHUP; a background job in its group does not, another one ignores it too.
      const s = await box.start(["bash", "--norc", "-c", "trap '' HUP; sleep 600 & echo plain=$!; (trap '' HUP; exec sleep 601) & echo deaf=$!; echo ready; while :; do sleep 0.1; done"]);
      await waitForOutput(s.session_id, "ready");
      const text = (await box.run(["read", s.session_id, "--all", "--peek", "--strip-ansi"])).stdout;
      const plain = Number(/plain=(\d+)/.exec(text)![1]);
      const deaf = Number(/deaf=(\d+)/.exec(text)![1]);
      box.track(plain, deaf);
      expect(procStat(plain)?.pgrp).toBe(s.pid);
      expect(procStat(deaf)?.pgrp).toBe(s.pid);
      const t0 = performance.now();
      const end = await box.run(["end", s.session_id, "--grace", "700"]);
      const ms = performance.now() - t0;
      expect(end.json).toMatchObject({ status: "terminated", session_id: s.session_id, exit_code: null, signal: "SIGKILL" });
      expect(ms).toBeGreaterThanOrEqual(650);
      for (const pid of [s.pid, plain, deaf]) await waitFor(`process ${pid} gone`, () => !isAlive(pid));
      expect(existsSync(join(box.sessionsDir, s.session_id))).toBe(false);

      const t = await box.start(["bash", "--norc", "-c", "trap 'echo term; exit 5' TERM; echo ready; while :; do sleep 0.1; done"]);
      await waitForOutput(t.session_id, "ready");
      const byTerm = await box.run(["end", t.session_id, "--signal", "TERM"]);
      expect(byTerm.json).toMatchObject({ status: "terminated", exit_code: 5, signal: null });
    },
    T,
  );

  test(
    "list is read-only: no file changes, no reader moves, a crashed session stays",
    async () => {
      const ro = new Sandbox();
      try {
        const running = await ro.start(["sh", "-c", "echo unread-running; exec sleep 600"]);
        const exited = await ro.start(["sh", "-c", "echo unread-exited; exit 4"]);
        const crashed = await ro.start(["sleep", "600"]);
        const readerRun = await ro.run(["read", running.session_id, "--peek", "--until", "unread-running", "--timeout", "10000"]);
        expect(readerRun.code).toBe(0);
        await ro.run(["wait", exited.session_id, "--timeout", "10000"]);
        await waitFor("the exited session's holder gone", () => !isAlive(exited.holder_pid));
        process.kill(crashed.holder_pid, "SIGKILL");
        await waitFor("the crashed holder gone", () => !isAlive(crashed.holder_pid));
        const before = snapshot([ro.sessionsDir, ro.runtimeDir]);
        for (const args of [["list"], ["list", "--json"], ["list"]]) {
          const l = await ro.run(args);
          expect(l.code).toBe(0);
          const statuses = Object.fromEntries(l.json.map((e: any) => [e.session_id, e.status]));
          expect(statuses).toEqual({ [running.session_id]: "running", [exited.session_id]: "exited", [crashed.session_id]: "crashed" });
        }
        expect(snapshot([ro.sessionsDir, ro.runtimeDir])).toEqual(before);
        // Nothing was consumed: the default readers still hold the output.
        expect((await ro.run(["read", running.session_id, "--strip-ansi"])).stdout).toBe("unread-running\n");
        expect((await ro.run(["read", exited.session_id, "--strip-ansi"])).stdout).toBe("unread-exited\n");
      } finally {
        await ro.dispose();
      }
    },
    T,
  );

  test(
    "status: waiting_for_input is null once the program is not running",
    async () => {
      const s = await box.start(["sh", "-c", "read x; exit 0"]);
      await box.run(["wait", s.session_id, "--input", "--timeout", "10000"]);
      expect((await box.run(["status", s.session_id, "--json"])).json.waiting_for_input).toBe(true);
      await box.run(["write", s.session_id, "\\r"]);
      await box.run(["wait", s.session_id, "--timeout", "10000"]);
      const st = await box.run(["status", s.session_id, "--json"]);
      expect(st.json).toMatchObject({ status: "exited", exit_code: 0, waiting_for_input: null });
    },
    T,
  );
});

describe("README: output shapes and files", () => {
  test(
    "every command prints exactly one JSON document on stdout on success",
    async () => {
      const docs: Array<[string, string]> = [];
      const run = async (args: string[], opts: { stdin?: string } = {}): Promise<any> => {
        const r = await box.run(args, opts);
        expect({ args, code: r.code }).toEqual({ args, code: 0 });
        docs.push([args.join(" "), r.stdout]);
        return r.json;
      };
      const s = await run(["start", "--name", "shapes", "bash", "--norc", "-i"]);
      box.track(s.pid, s.holder_pid);
      await run(["start", "--wait", "--timeout", "20000", "--name", "shapes2", "sh", "-c", "read x"]);
      await run(["write", "shapes", "echo hi\\n"]);
      await run(["write", "shapes"], { stdin: "echo from stdin\n" });
      await run(["write-key", "shapes", "ctrl+u", "enter"]);
      await run(["write-key", "--list"]);
      await run(["send", "shapes2", "--json", "--enter", "yes"]);
      await run(["read", "shapes", "--json", "--timeout", "500"]);
      await run(["read", "shapes", "--screen", "--json"]);
      await run(["status", "shapes"]);
      await run(["list"]);
      await run(["resize", "shapes", "100", "40"]);
      await run(["wait", "shapes", "--input", "--timeout", "10000"]);
      await run(["wait", "shapes2", "--timeout", "10000"]);
      await run(["end", "shapes2"]);
      await run(["exec", "shapes", "--json", "echo one; echo two"]);
      await run(["end", "--all"]);
      await run(["cleanup"]);
      for (const [what, stdout] of docs) {
        // One document: one line, ending with one newline, that parses on its own.
        expect({ what, lines: stdout.split("\n").length, last: stdout.at(-1) }).toEqual({ what, lines: 2, last: "\n" });
        expect(() => JSON.parse(stdout)).not.toThrow();
      }
    },
    T,
  );

  test(
    "files: metadata.json, holder.log, final.json once exited; names are .names links; sockets default to /tmp/delta-sessions-<uid>",
    async () => {
      const env = { DELTA_SESSIONS_RUNTIME_DIR: undefined, XDG_RUNTIME_DIR: undefined };
      const runtime = `/tmp/delta-sessions-${process.getuid!()}`;
      const r = await box.run(["start", "--name", "filed", "sh", "-c", "read x; echo done"], { env });
      expect(r.code).toBe(0);
      const id = r.json.session_id;
      try {
        const link = join(box.sessionsDir, ".names", "filed");
        expect(lstatSync(link).isSymbolicLink()).toBe(true);
        expect(readlinkSync(link)).toBe(id);
        const sock = join(runtime, `${id}.sock`);
        expect(statSync(sock).isSocket()).toBe(true);
        expect(statSync(sock).mode & 0o777).toBe(0o600);
        expect(statSync(runtime).mode & 0o777).toBe(0o700);
        const dir = join(box.sessionsDir, id);
        expect(readdirSync(dir).sort()).toEqual(["holder.log", "metadata.json"]);
        expect(JSON.parse(readFileSync(join(dir, "metadata.json"), "utf8")).session_id).toBe(id);
        await box.run(["write", "filed", "\\r"], { env });
        await box.run(["wait", "filed", "--timeout", "10000"], { env });
        await waitFor("final.json", () => existsSync(join(dir, "final.json")));
        for (const f of readdirSync(dir)) expect({ f, mode: statSync(join(dir, f)).mode & 0o777 }).toEqual({ f, mode: 0o600 });
        await waitFor("the holder gone, and its socket", () => !isAlive(r.json.holder_pid) && !existsSync(sock));
      } finally {
        await box.run(["end", id, "--grace", "500"], { env });
      }
    },
    T,
  );
});

/** Every file under the directories, with its kind, mode, size, mtime and content hash. */
function snapshot(dirs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (path: string): void => {
    const st = lstatSync(path);
    let hash = "";
    if (st.isFile()) hash = createHash("sha256").update(readFileSync(path)).digest("hex");
    if (st.isSymbolicLink()) hash = readlinkSync(path);
    out[path] = `${st.mode.toString(8)} ${st.size} ${st.mtimeMs} ${hash}`;
    if (st.isDirectory()) for (const e of readdirSync(path)) visit(join(path, e));
  };
  for (const d of dirs) if (existsSync(d)) visit(d);
  return out;
}
