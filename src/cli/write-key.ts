import { pressKeys } from "../client/keys.ts";
import { listKeys } from "../keys/keys.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { printJson, writeStdout } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

const spec = defineSpec({
  name: "write-key",
  aliases: ["keys"],
  summary: "send named keys to a session",
  usage: "write-key ID KEY… | write-key --list",
  positionals: [
    { name: "ID", kind: "session", missing: "write-key needs a session ID and at least one KEY" },
    { name: "KEY", kind: "rest", missing: "write-key needs at least one KEY (write-key --list shows them)" },
  ],
  insteadOfPositionals: { option: "list" },
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
});

export const command = defineCommand(spec, run);

async function run({ flags, positionals }: Args<typeof spec>): Promise<number> {
  if (positionals === null) {
    const table = listKeys();
    // JSON unless a person reads it at a terminal, like every other command's result.
    if (flags.json || !(await import("node:tty")).isatty(1)) await printJson(table);
    else {
      const width = Math.max(...table.map((k) => k.name.length));
      await writeStdout(table.map((k) => `${k.name.padEnd(width)}  ${k.bytes}${k.aliases.length ? `  (${k.aliases.join(", ")})` : ""}`).join("\n") + "\n");
    }
    return 0;
  }
  const ctx = makeContext({ flags });
  await printJson(await pressKeys(ctx.sessionsDir, positionals.ID, positionals.KEY));
  return 0;
}
