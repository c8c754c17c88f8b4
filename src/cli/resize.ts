import { resizeTerminal } from "../client/resize.ts";
import { MAX_COLS, MAX_ROWS } from "../constants.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { printJson } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

const spec = defineSpec({
  name: "resize",
  summary: "resize the session's terminal (the program gets SIGWINCH)",
  usage: "resize ID COLS ROWS",
  // Missing any: "resize needs ID COLS ROWS".
  positionals: [
    { name: "ID", kind: "session" },
    { name: "COLS", kind: "integer", min: 1, max: MAX_COLS },
    { name: "ROWS", kind: "integer", min: 1, max: MAX_ROWS },
  ],
  options: {},
  details: `Prints {status:"resized", session_id, cols, rows}.`,
});

export const command = defineCommand(spec, run);

async function run({ flags, positionals }: Args<typeof spec>): Promise<number> {
  const ctx = makeContext({ flags });
  await printJson(await resizeTerminal(ctx.sessionsDir, positionals.ID, positionals.COLS, positionals.ROWS));
  return 0;
}
