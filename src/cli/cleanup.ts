import { cleanupSessions } from "../client/cleanup.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { printJson } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

const spec = defineSpec({
  name: "cleanup",
  summary: "remove exited and crashed sessions and stale sockets",
  usage: "cleanup",
  positionals: [],
  options: {},
  details: `Prints {cleaned:[ids], remaining:[ids]}. A socket is stale only when nothing answers on it.`,
});

export const command = defineCommand(spec, run);

async function run({ flags }: Args<typeof spec>): Promise<number> {
  const ctx = makeContext({ flags });
  await printJson(await cleanupSessions(ctx.sessionsDir));
  return 0;
}
