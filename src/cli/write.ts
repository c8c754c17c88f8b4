import type { CommandSpec, ParsedArgs } from "./args.ts";
import { usageError } from "../errors.ts";
import { makeContext } from "./context.ts";
import { printJson } from "./output.ts";
import { inputFromArgs } from "./input-text.ts";

export const spec: CommandSpec = {
  name: "write",
  summary: "send text to a session",
  usage: "write ID [options] [TEXT…]",
  positionals: ["ID", "TEXT…"],
  options: {
    raw: { kind: "boolean", description: "send the bytes untouched (no escape decoding)" },
    enter: { kind: "boolean", description: "append a carriage return (Enter)" },
    paste: { kind: "boolean", description: "send as a bracketed paste when the program enabled it" },
  },
  details: `TEXT arguments are joined by spaces; with none, stdin is sent (byte-exact with --raw).
Escapes decoded by default: \\n \\r \\t \\b \\f \\v \\e \\0 \\\\ \\xHH \\uHHHH \\u{H…}; others are kept as typed.
Prints {status:"sent", bytes, session_id, offset}: offset is the output offset when the input was delivered
(read --since OFFSET shows only what came after it).`,
};

export async function run(args: ParsedArgs): Promise<number> {
  const ctx = makeContext(args);
  const [idOrName, ...text] = args.positionals;
  if (idOrName === undefined) throw usageError("write needs a session ID");
  const { openLiveSession } = await import("../client/session.ts");
  // Enter is appended by writeToSession (the MCP server's write takes the same option).
  const bytes = await inputFromArgs(text, args.flags.raw === true, false);
  const session = await openLiveSession(ctx.sessionsDir, idOrName);
  try {
    const { writeToSession } = await import("../client/write.ts");
    await printJson(await writeToSession(session, bytes, { enter: args.flags.enter === true, paste: args.flags.paste === true }));
  } finally {
    session.conn.close();
  }
  return 0;
}
