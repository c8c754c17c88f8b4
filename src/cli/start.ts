import { DEFAULT_BUFFER_SIZE, DEFAULT_COLS, DEFAULT_ROWS, DEFAULT_SEND_TIMEOUT_MS, MAX_BUFFER_SIZE, MAX_COLS, MAX_ROWS, MAX_TIMEOUT_MS, MIN_BUFFER_SIZE } from "../constants.ts";
import { invalidArgument } from "../errors.ts";
import { validateName } from "../paths.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { printJson, writeStderr } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

const spec = defineSpec({
  name: "start",
  summary: "start a program in a new session",
  usage: "start [options] [--] [CMD [ARGS…]]",
  // Options are read only before CMD.
  positionals: [{ name: "CMD", kind: "rest", verbatim: true }],
  options: {
    name: { kind: "string", value: "NAME", description: "an alias usable wherever an id is (unique)" },
    cwd: { kind: "string", value: "DIR", description: "working directory of the program (default: here)" },
    env: { kind: "list", value: "K=V", description: "set an environment variable for the program" },
    cols: { kind: "integer", value: "N", min: 1, max: MAX_COLS, description: `terminal width (default ${DEFAULT_COLS})` },
    rows: { kind: "integer", value: "N", min: 1, max: MAX_ROWS, description: `terminal height (default ${DEFAULT_ROWS})` },
    "buffer-size": { kind: "integer", value: "BYTES", min: MIN_BUFFER_SIZE, max: MAX_BUFFER_SIZE, description: "output kept for read (default 1 MiB)" },
    record: { kind: "string", value: "FILE", description: "record the session as asciicast v2" },
    "no-shell-integration": { kind: "boolean", description: "do not install exec's shell integration" },
    wait: { kind: "boolean", description: "return once the program first waits for input (or exits); adds output and reason" },
    timeout: { kind: "integer", value: "MS", max: MAX_TIMEOUT_MS, goesWith: "wait", description: `with --wait: give up after MS (default ${DEFAULT_SEND_TIMEOUT_MS}; exit 124, the program keeps running)` },
    screen: { kind: "boolean", goesWith: "wait", description: "with --wait: add the rendered screen (screen:{lines,cursor}) for full-screen programs" },
    end: { kind: "boolean", goesWith: "wait", description: "with --wait: end the session once the program waits or exits (adds ended:true)" },
  },
  details: `Options are read only before CMD; everything from CMD on goes to the program verbatim.
Default CMD: $SHELL, else /bin/sh. The program's TERM is xterm-256color unless --env TERM=… is given.
Prints {session_id, name, status, pid, holder_pid, command, cwd, cols, rows, created_at}.
--wait adds {output, reason, exit_code, signal}: what the program printed until it first waited for input
(plain text; the default reader moves past it) and why the wait ended: input | exit | timeout.
--screen adds screen:{lines, cursor}; --end ends the session then and adds ended:true (exit_code, signal
are then how the program ended).`,
});

export const command = defineCommand(spec, run);

async function run({ flags: f, positionals }: Args<typeof spec>): Promise<number> {
  const ctx = makeContext({ flags: f });
  const name = f.name === undefined ? null : validateName(f.name);
  const env = parseEnv(f.env);
  const command = positionals.CMD.length > 0 ? positionals.CMD : [process.env.SHELL || "/bin/sh"];
  if (command[0] === "") throw invalidArgument("the command must not be empty");
  const opts = {
    sessionsDir: ctx.sessionsDir,
    command,
    name,
    cwd: f.cwd ?? process.cwd(),
    env,
    cols: f.cols ?? DEFAULT_COLS,
    rows: f.rows ?? DEFAULT_ROWS,
    bufferSize: f["buffer-size"] ?? DEFAULT_BUFFER_SIZE,
    record: f.record ?? null,
    shellIntegration: !f["no-shell-integration"],
  };
  if (f.wait) {
    const { startAndWait } = await import("../client/start-wait.ts");
    const timeout = f.timeout ?? DEFAULT_SEND_TIMEOUT_MS;
    let result: { session_id: string; reason: string } = await startAndWait(opts, timeout, f.screen);
    if (f.end) {
      const { endAfterReply, endedReply } = await import("../client/end-after.ts");
      result = endedReply(result, await endAfterReply(ctx.sessionsDir, result.session_id));
    }
    await printJson(result);
    if (result.reason !== "timeout") return 0;
    const still = f.end ? "the session was ended" : "it keeps running";
    await writeStderr(`delta-sessions: the program did not wait for input within ${timeout} ms; ${still}\n`);
    return 124;
  }
  const { startSession } = await import("../client/start.ts");
  await printJson(await startSession(opts));
  return 0;
}

function parseEnv(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw invalidArgument(`--env expects K=V, got ${JSON.stringify(p)}`);
    const key = p.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw invalidArgument(`--env: invalid variable name ${JSON.stringify(key)}`);
    env[key] = p.slice(eq + 1);
  }
  return env;
}
