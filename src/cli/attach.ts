import { attachSession } from "../client/attach/attach.ts";
import { DEFAULT_DETACH_KEY, parseDetachKey } from "../client/attach/detach-key.ts";
import { LocalTerminal } from "../client/attach/terminal.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { writeStdout } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

const spec = defineSpec({
  name: "attach",
  summary: "connect this terminal to a session (detach with Ctrl-\\)",
  usage: "attach ID [--read-only] [--detach-key KEY]",
  positionals: [{ name: "ID", kind: "session" }],
  options: {
    "read-only": { kind: "boolean", alias: ["r"], description: "watch without typing (the session keeps its size)" },
    "detach-key": { kind: "string", value: "KEY", description: "detach with this key instead of ctrl+\\ (e.g. ctrl+], ^A, or none)" },
  },
  details: `For people. Shows the session's current screen, then its live output, and sends what you type.
The session takes the size of the most recently active attached terminal and goes back to the size
agents gave it once the last person has detached. Detaching (Ctrl-\\ by default) leaves the program
running and puts the terminal back as it was. Several people and agents may be connected at once.
Prints a one-line note when it ends: detached, or the program's exit status.`,
});

export const command = defineCommand(spec, run);

async function run({ flags, positionals }: Args<typeof spec>): Promise<number> {
  const ctx = makeContext({ flags });
  const detachKey = parseDetachKey(flags["detach-key"] ?? DEFAULT_DETACH_KEY);
  const term = LocalTerminal.open();
  const outcome = await attachSession(ctx.sessionsDir, positionals.ID, term, { readOnly: flags["read-only"], detachKey });
  const who = outcome.name ? `${outcome.session_id} (${outcome.name})` : outcome.session_id;
  let note: string;
  if (outcome.reason === "exited") {
    note = outcome.signal ? `[${who} was killed by ${outcome.signal}]` : `[${who} exited with code ${outcome.exit_code}]`;
  } else {
    note = `[detached from ${who}${outcome.reason === "signal" ? ` on ${outcome.signal}` : ""}]`;
  }
  await writeStdout(note + "\n");
  return 0;
}
