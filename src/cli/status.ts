import type { CommandSpec, ParsedArgs } from "./args.ts";
import { usageError } from "../errors.ts";
import { makeContext } from "./context.ts";
import { printJson } from "./output.ts";

export const spec: CommandSpec = {
  name: "status",
  summary: "show one session's state",
  usage: "status ID",
  positionals: ["ID"],
  options: {},
  details: `Prints {session_id, name, status, alive, pid, holder_pid, command, cwd, cols, rows, created_at,
last_accessed_at, uptime_seconds, exit_code, signal, output_bytes, unread_bytes}.`,
};

export async function run(args: ParsedArgs): Promise<number> {
  const ctx = makeContext(args);
  const [idOrName, ...extra] = args.positionals;
  if (idOrName === undefined) throw usageError("status needs a session ID");
  if (extra.length > 0) throw usageError(`status takes one session ID, got extra arguments: ${extra.join(" ")}`);
  const { openSession } = await import("../client/session.ts");
  const { describeSession } = await import("../client/describe.ts");
  const target = await openSession(ctx.sessionsDir, idOrName);
  try {
    await printJson(await describeSession(target));
  } finally {
    if (target.kind === "live") target.conn.close();
  }
  return 0;
}
