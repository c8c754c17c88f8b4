import type { CommandSpec, ParsedArgs } from "./args.ts";
import { usageError } from "../errors.ts";
import { makeContext } from "./context.ts";
import { writeStdout } from "./output.ts";

export const spec: CommandSpec = {
  name: "attach",
  summary: "connect this terminal to a session (detach with Ctrl-\\)",
  usage: "attach ID [--read-only] [--detach-key KEY]",
  positionals: ["ID"],
  options: {
    "read-only": { kind: "boolean", alias: ["r"], description: "watch without typing (the session keeps its size)" },
    "detach-key": { kind: "string", value: "KEY", description: "detach with this key instead of ctrl+\\ (e.g. ctrl+], ^A, or none)" },
  },
  details: `For people. Shows the session's current screen, then its live output, and sends what you type.
The session takes the size of the most recently active attached terminal and goes back to the size
agents gave it once the last person has detached. Detaching (Ctrl-\\ by default) leaves the program
running and puts the terminal back as it was. Several people and agents may be connected at once.
Prints a one-line note when it ends: detached, or the program's exit status.`,
};

export async function run(args: ParsedArgs): Promise<number> {
  const ctx = makeContext(args);
  const [idOrName, ...extra] = args.positionals;
  if (idOrName === undefined) throw usageError("attach needs a session ID");
  if (extra.length > 0) throw usageError(`attach takes one session ID, got extra arguments: ${extra.join(" ")}`);
  const { parseDetachKey, DEFAULT_DETACH_KEY } = await import("../client/attach/detach-key.ts");
  const detachKey = parseDetachKey((args.flags["detach-key"] as string | undefined) ?? DEFAULT_DETACH_KEY);
  const { LocalTerminal } = await import("../client/attach/terminal.ts");
  const term = LocalTerminal.open();
  const { openLiveSession } = await import("../client/session.ts");
  const session = await openLiveSession(ctx.sessionsDir, idOrName);
  // Named now: once the program ends, `end` may remove the session's files before we print.
  const who = session.meta.name ? `${session.id} (${session.meta.name})` : session.id;
  const { attachTerminal } = await import("../client/attach/attach.ts");
  const outcome = await attachTerminal(session.conn, term, { readOnly: args.flags["read-only"] === true, detachKey });
  let note: string;
  if (outcome.reason === "exited") {
    note = outcome.signal ? `[${who} was killed by ${outcome.signal}]` : `[${who} exited with code ${outcome.exit_code}]`;
  } else {
    note = `[detached from ${who}${outcome.reason === "signal" ? ` on ${outcome.signal}` : ""}]`;
  }
  await writeStdout(note + "\n");
  return 0;
}
