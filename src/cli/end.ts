import type { CommandSpec, ParsedArgs } from "./args.ts";
import { DEFAULT_END_GRACE_MS, MAX_TIMEOUT_MS } from "../constants.ts";
import { usageError } from "../errors.ts";
import { parseSignal } from "../signals.ts";
import { makeContext } from "./context.ts";
import { printJson } from "./output.ts";

export const spec: CommandSpec = {
  name: "end",
  summary: "stop the program and remove the session",
  usage: "end ID [--signal SIG] [--grace MS] | end --all",
  positionals: ["ID"],
  options: {
    signal: { kind: "string", value: "SIG", description: "signal for the program's process group (default HUP, as closing a terminal)" },
    grace: { kind: "integer", value: "MS", max: MAX_TIMEOUT_MS, description: `SIGKILL whatever is left after MS (default ${DEFAULT_END_GRACE_MS})` },
    all: { kind: "boolean", description: "end every session in the sessions directory" },
  },
  details: `Prints {status:"terminated", session_id, exit_code, signal}; with --all {status:"terminated", sessions:[…]}.`,
};

export async function run(args: ParsedArgs): Promise<number> {
  const ctx = makeContext(args);
  const signal = args.flags.signal === undefined ? "SIGHUP" : parseSignal(args.flags.signal as string);
  const grace = (args.flags.grace as number | undefined) ?? DEFAULT_END_GRACE_MS;
  const { endSession } = await import("../client/end.ts");
  const { listSessionIds, openSession, probeSession } = await import("../client/session.ts");
  if (args.flags.all) {
    if (args.positionals.length > 0) throw usageError("end --all takes no session ID");
    const sessions = await Promise.all(
      listSessionIds(ctx.sessionsDir).map(async (meta) => endSession(ctx.sessionsDir, await probeSession(ctx.sessionsDir, meta), signal, grace)),
    );
    await printJson({ status: "terminated", sessions });
    return 0;
  }
  const [idOrName, ...extra] = args.positionals;
  if (idOrName === undefined) throw usageError("end needs a session ID (or --all)");
  if (extra.length > 0) throw usageError(`end takes one session ID, got extra arguments: ${extra.join(" ")}`);
  const target = await openSession(ctx.sessionsDir, idOrName);
  await printJson(await endSession(ctx.sessionsDir, target, signal, grace));
  return 0;
}
