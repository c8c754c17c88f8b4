import { writeInput } from "../client/write.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { inputFromArgs, TYPING_OPTIONS, TYPING_POSITIONALS } from "./input-text.ts";
import { printJson } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

const spec = defineSpec({
  name: "write",
  summary: "send text to a session",
  usage: "write ID [options] [TEXT…]",
  positionals: TYPING_POSITIONALS,
  options: {
    ...TYPING_OPTIONS,
  },
  details: `TEXT arguments are joined by spaces; with none, stdin is sent (byte-exact with --raw).
Escapes decoded by default: \\n \\r \\t \\e \\0 \\\\ \\xHH \\uHHHH \\u{H…}; others (\\b \\f \\v too) are kept as typed.
Prints {status:"sent", bytes, session_id, offset}: offset is the output offset when the input was delivered
(read --since OFFSET shows only what came after it).`,
});

export const command = defineCommand(spec, run);

async function run({ flags, positionals }: Args<typeof spec>): Promise<number> {
  const ctx = makeContext({ flags });
  // Enter is appended by writeInput (the MCP server's write takes the same option).
  const bytes = await inputFromArgs(positionals.TEXT, flags.raw, false);
  await printJson(await writeInput(ctx.sessionsDir, positionals.ID, bytes, { enter: flags.enter, paste: flags.paste }));
  return 0;
}
