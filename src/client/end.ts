// Ending a session in whatever state it is: the live holder does it itself (signal, grace,
// SIGKILL, remove); for exited and crashed sessions we remove what is left.
import { DEFAULT_END_GRACE_MS } from "../constants.ts";
import { removeSessionFiles } from "../store/remove.ts";
import { sessionSocket, type SessionTarget } from "./session.ts";

export interface EndResult {
  status: "terminated";
  session_id: string;
  exit_code: number | null;
  signal: string | null;
}

export async function endSession(sessionsDir: string, target: SessionTarget, signal = "SIGHUP", graceMs = DEFAULT_END_GRACE_MS): Promise<EndResult> {
  if (target.kind === "live") {
    const reply = await target.conn.request({ type: "end", signal, grace_ms: graceMs }, "terminated");
    target.conn.close();
    return { status: "terminated", session_id: target.id, exit_code: reply.exit_code, signal: reply.signal };
  }
  removeSessionFiles(sessionsDir, target.id, target.meta.name, target.kind === "crashed" ? sessionSocket(target.id) : undefined);
  const final = target.kind === "exited" ? target.final : null;
  return { status: "terminated", session_id: target.id, exit_code: final?.exit_code ?? null, signal: final?.signal ?? null };
}
