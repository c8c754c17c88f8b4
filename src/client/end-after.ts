// `end` in the same call (SPEC §16): once start --wait, send or exec has its reply, the session is
// ended and the reply says so. A program that exited during the call leaves a holder that is
// closing: runOnSession then ends the exited session (removes what it left).
import { DEFAULT_END_GRACE_MS } from "../constants.ts";
import { endSession, type EndResult } from "./end.ts";
import { runOnSession } from "./session.ts";

type HowItEnded = Pick<EndResult, "exit_code" | "signal">;

/** Ends the session (id or name) and returns how its program ended. */
export async function endAfterReply(sessionsDir: string, idOrName: string): Promise<EndResult> {
  return runOnSession(sessionsDir, idOrName, (target) => endSession(sessionsDir, target, "SIGHUP", DEFAULT_END_GRACE_MS));
}

/** A start --wait or send reply once its session was ended: the program no longer runs. */
export function endedReply<T extends object>(doc: T, how: HowItEnded): T & { status: "exited"; ended: true } & HowItEnded {
  return { ...doc, status: "exited", ...("waiting_for_input" in doc ? { waiting_for_input: null } : {}), ended: true, exit_code: how.exit_code, signal: how.signal };
}
