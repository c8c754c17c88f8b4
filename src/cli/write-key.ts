import type { CommandSpec, ParsedArgs } from "./args.ts";
import { usageError } from "../errors.ts";
import { makeContext } from "./context.ts";
import { printJson, writeStdout } from "./output.ts";

export const spec: CommandSpec = {
  name: "write-key",
  aliases: ["keys"],
  summary: "send named keys to a session",
  usage: "write-key ID KEY… | write-key --list",
  positionals: ["ID", "KEY…"],
  options: {
    list: { kind: "boolean", description: "print every key name and the bytes it sends" },
    json: { kind: "boolean", description: "with --list: JSON even when stdout is a terminal" },
  },
  details: `Keys (case-insensitive): enter tab escape space backspace delete insert home end page_up page_down
arrow_up arrow_down arrow_left arrow_right f1…f12 ctrl+a…ctrl+z, aliases (up down left right esc return bs
del pgup pgdn), modifiers (ctrl+ alt+ shift+, combined: ctrl+shift+left), tmux notation (C-c M-x S-Up
Enter BSpace BTab DC IC NPage PPage Escape), and single characters. All keys are validated before any is sent.
Arrow, home and end keys follow the program's cursor-key mode. enter sends CR.
Prints {status:"sent", key, keys, session_id, offset}.`,
};

export async function run(args: ParsedArgs): Promise<number> {
  const { listKeys, validateKeys } = await import("../keys/keys.ts");
  if (args.flags.list) {
    const table = listKeys();
    // JSON unless a person reads it at a terminal, like every other command's result.
    if (args.flags.json || !(await import("node:tty")).isatty(1)) await printJson(table);
    else {
      const width = Math.max(...table.map((k) => k.name.length));
      await writeStdout(table.map((k) => `${k.name.padEnd(width)}  ${k.bytes}${k.aliases.length ? `  (${k.aliases.join(", ")})` : ""}`).join("\n") + "\n");
    }
    return 0;
  }
  const ctx = makeContext(args);
  const [idOrName, ...keys] = args.positionals;
  if (idOrName === undefined) throw usageError("write-key needs a session ID and at least one KEY");
  if (keys.length === 0) throw usageError("write-key needs at least one KEY (write-key --list shows them)");
  validateKeys(keys);
  const { openLiveSession } = await import("../client/session.ts");
  const session = await openLiveSession(ctx.sessionsDir, idOrName);
  try {
    const { sendKeys } = await import("../client/keys.ts");
    await printJson(await sendKeys(session, keys));
  } finally {
    session.conn.close();
  }
  return 0;
}
