import type { CommandSpec, ParsedArgs } from "./args.ts";
import { usageError } from "../errors.ts";
import { makeContext } from "./context.ts";
import { printJson } from "./output.ts";

export const spec: CommandSpec = {
  name: "cleanup",
  summary: "remove exited and crashed sessions and stale sockets",
  usage: "cleanup",
  positionals: [],
  options: {},
  details: `Prints {cleaned:[ids], remaining:[ids]}. A socket is stale only when nothing answers on it.`,
};

export async function run(args: ParsedArgs): Promise<number> {
  const ctx = makeContext(args);
  if (args.positionals.length > 0) throw usageError("cleanup takes no arguments");
  const { cleanupSessions } = await import("../client/cleanup.ts");
  await printJson(await cleanupSessions(ctx.sessionsDir));
  return 0;
}
