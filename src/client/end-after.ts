// `end` in the same call (SPEC §16): once start --wait, send or exec has its reply, the session is
// ended and the reply says so. A program that exited during the call leaves a holder that is
// closing: runOnSession then ends the exited session (removes what it left).
import { DEFAULT_END_GRACE_MS } from "../constants.ts";
import { endSession } from "./end.ts";
import { runOnSession } from "./session.ts";

export interface Ended {
  ended: true;
  exit_code: number | null;
  signal: string | null;
}

/** Ends the session and returns how its program ended. */
export async function endAfterReply(sessionsDir: string, id: string): Promise<Ended> {
  const r = await runOnSession(sessionsDir, id, (target) => endSession(sessionsDir, target, "SIGHUP", DEFAULT_END_GRACE_MS));
  return { ended: true, exit_code: r.exit_code, signal: r.signal };
}

/** A start --wait or send reply once its session was ended: the program no longer runs. */
export function endedReply<T extends object>(doc: T, ended: Ended): T & Ended & { status: "exited" } {
  return { ...doc, status: "exited", ...("waiting_for_input" in doc ? { waiting_for_input: null } : {}), ...ended };
}
