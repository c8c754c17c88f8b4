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
  const { sendInput } = await import("../client/input.ts");
  const { openLiveSession } = await import("../client/session.ts");
  const bytes = await inputFromArgs(text, args.flags.raw === true, args.flags.enter === true);
  const session = await openLiveSession(ctx.sessionsDir, idOrName);
  try {
    const sent = await sendInput(session.conn, bytes, args.flags.paste === true);
    await printJson({ status: "sent", bytes: sent.bytes, session_id: session.id, offset: sent.offset });
  } finally {
    session.conn.close();
  }
  return 0;
}
