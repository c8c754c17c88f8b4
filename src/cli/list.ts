import { listSessions } from "../client/list.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { isTerminal } from "./tty.ts";
import { printJson, writeStdout } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

const spec = defineSpec({
  name: "list",
  summary: "list sessions",
  usage: "list [--json]",
  positionals: [],
  options: {
    json: { kind: "boolean", description: "JSON even when stdout is a terminal" },
  },
  details: `Prints a JSON array of {session_id, name, command, status, pid, holder_pid, cwd, created_at,
last_accessed_at, exit_code, signal}; at a terminal (without --json) a table instead. Read-only: it changes nothing.`,
});

export const command = defineCommand(spec, run);

async function run({ flags }: Args<typeof spec>): Promise<number> {
  const ctx = makeContext({ flags });
  const docs = await listSessions(ctx.sessionsDir);
  if (!flags.json && (await isTerminal(1))) {
    const { renderSessionList } = await import("./human.ts");
    await writeStdout(renderSessionList(docs, Date.now(), process.stdout.columns || undefined));
  } else await printJson(docs);
  return 0;
}
