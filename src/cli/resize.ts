import type { CommandSpec, ParsedArgs } from "./args.ts";
import { MAX_COLS, MAX_ROWS } from "../constants.ts";
import { usageError } from "../errors.ts";
import { parseInteger } from "./args.ts";
import { makeContext } from "./context.ts";
import { printJson } from "./output.ts";

export const spec: CommandSpec = {
  name: "resize",
  summary: "resize the session's terminal (the program gets SIGWINCH)",
  usage: "resize ID COLS ROWS",
  positionals: ["ID", "COLS", "ROWS"],
  options: {},
  details: `Prints {status:"resized", session_id, cols, rows}.`,
};

export async function run(args: ParsedArgs): Promise<number> {
  const ctx = makeContext(args);
  const [idOrName, colsText, rowsText, ...extra] = args.positionals;
  if (idOrName === undefined || colsText === undefined || rowsText === undefined) throw usageError("resize needs ID COLS ROWS");
  if (extra.length > 0) throw usageError(`resize takes ID COLS ROWS, got extra arguments: ${extra.join(" ")}`);
  const cols = parseInteger(colsText, "COLS", 1, MAX_COLS);
  const rows = parseInteger(rowsText, "ROWS", 1, MAX_ROWS);
  const { openLiveSession } = await import("../client/session.ts");
  const session = await openLiveSession(ctx.sessionsDir, idOrName);
  try {
    const { resizeSession } = await import("../client/resize.ts");
    await printJson(await resizeSession(session, cols, rows));
  } finally {
    session.conn.close();
  }
  return 0;
}
