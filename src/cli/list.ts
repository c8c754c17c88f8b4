import type { CommandSpec, ParsedArgs } from "./args.ts";
import { makeContext } from "./context.ts";
import { isTerminal } from "./tty.ts";
import { printJson, writeStdout } from "./output.ts";

export const spec: CommandSpec = {
  name: "list",
  summary: "list sessions",
  usage: "list [--json]",
  positionals: [],
  options: {
    json: { kind: "boolean", description: "JSON even when stdout is a terminal" },
  },
  details: `Prints a JSON array of {session_id, name, command, status, pid, holder_pid, cwd, created_at,
last_accessed_at, exit_code, signal}; at a terminal (without --json) a table instead. Read-only: it changes nothing.`,
};

export async function run(args: ParsedArgs): Promise<number> {
  const ctx = makeContext(args);
  if (args.positionals.length > 0) throw (await import("../errors.ts")).usageError("list takes no arguments");
  const { listSessions } = await import("../client/list.ts");
  const docs = await listSessions(ctx.sessionsDir);
  if (args.flags.json !== true && (await isTerminal(1))) {
    const { renderSessionList } = await import("./human.ts");
    await writeStdout(renderSessionList(docs, Date.now(), process.stdout.columns || undefined));
  } else await printJson(docs);
  return 0;
}
