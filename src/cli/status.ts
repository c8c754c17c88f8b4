import type { CommandSpec, ParsedArgs } from "./args.ts";
import { usageError } from "../errors.ts";
import { makeContext } from "./context.ts";
import { isTerminal } from "./tty.ts";
import { printJson, writeStdout } from "./output.ts";

export const spec: CommandSpec = {
  name: "status",
  summary: "show one session's state",
  usage: "status ID [--json]",
  positionals: ["ID"],
  options: {
    json: { kind: "boolean", description: "JSON even when stdout is a terminal" },
  },
  details: `Prints {session_id, name, status, alive, pid, holder_pid, command, cwd, cols, rows, created_at,
last_accessed_at, uptime_seconds, exit_code, signal, output_bytes, unread_bytes, waiting_for_input,
foreground:{pid,command}, input_wait}; at a terminal (without --json) the same fields as aligned lines.
waiting_for_input: the program waits for input (null when it is not running); foreground: the terminal's
foreground process group's leader; input_wait: how that is decided ("kernel" on Linux, "quiet" elsewhere).`,
};

export async function run(args: ParsedArgs): Promise<number> {
  const ctx = makeContext(args);
  const [idOrName, ...extra] = args.positionals;
  if (idOrName === undefined) throw usageError("status needs a session ID");
  if (extra.length > 0) throw usageError(`status takes one session ID, got extra arguments: ${extra.join(" ")}`);
  const { runOnSession } = await import("../client/session.ts");
  const { describeSession } = await import("../client/describe.ts");
  const doc = await runOnSession(ctx.sessionsDir, idOrName, (target) => describeSession(target, { inputWait: true }));
  if (args.flags.json !== true && (await isTerminal(1))) {
    const fg = doc.foreground ? `${doc.foreground.pid} ${doc.foreground.command}` : null;
    await writeStdout((await import("./human.ts")).renderStatus({ ...doc, foreground: fg }));
  }
  else await printJson(doc);
  return 0;
}
