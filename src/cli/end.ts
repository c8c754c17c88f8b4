import { endAllSessions, endByName, endSessions } from "../client/end.ts";
import { DEFAULT_END_GRACE_MS, MAX_TIMEOUT_MS } from "../constants.ts";
import { defineCommand } from "./args.ts";
import { parseSignal } from "../signals.ts";
import { makeContext } from "./context.ts";
import { printJson } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

const spec = defineSpec({
  name: "end",
  summary: "stop the program and remove the session",
  usage: "end ID… [--signal SIG] [--grace MS] | end --all",
  positionals: [
    { name: "ID", kind: "session", missing: "end needs a session ID (or --all)" },
    { name: "MORE", kind: "rest" },
  ],
  insteadOfPositionals: { option: "all", refuse: "end --all takes no session ID" },
  options: {
    signal: { kind: "string", value: "SIG", description: "signal for the program's process group (default HUP, as closing a terminal)" },
    grace: { kind: "integer", value: "MS", max: MAX_TIMEOUT_MS, description: `SIGKILL whatever is left after MS (default ${DEFAULT_END_GRACE_MS})` },
    all: { kind: "boolean", description: "end every session in the sessions directory" },
  },
  details: `Prints {status:"terminated", session_id, exit_code, signal}; with several IDs or --all
{status:"terminated", sessions:[…one each…]}. Several IDs are all checked before any is ended.`,
});

export const command = defineCommand(spec, run);

async function run({ flags, positionals }: Args<typeof spec>): Promise<number> {
  const ctx = makeContext({ flags });
  const signal = flags.signal === undefined ? "SIGHUP" : parseSignal(flags.signal);
  const grace = flags.grace ?? DEFAULT_END_GRACE_MS;
  // No positionals: --all.
  if (positionals === null) await printJson({ status: "terminated", sessions: await endAllSessions(ctx.sessionsDir, signal, grace) });
  else if (positionals.MORE.length === 0) await printJson(await endByName(ctx.sessionsDir, positionals.ID, signal, grace));
  else await printJson({ status: "terminated", sessions: await endSessions(ctx.sessionsDir, [positionals.ID, ...positionals.MORE], signal, grace) });
  return 0;
}
