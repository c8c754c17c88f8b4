// Ending a session in whatever state it is: the live holder does it itself (signal, grace,
// SIGKILL, remove); for exited and crashed sessions we remove what is left.
import { DEFAULT_END_GRACE_MS } from "../constants.ts";
import { removeSessionFiles } from "../store/remove.ts";
import { recreateSocket } from "./holder-process.ts";
import { probeSession, sessionSocket, type SessionTarget } from "./session.ts";

export interface EndResult {
  status: "terminated";
  session_id: string;
  exit_code: number | null;
  signal: string | null;
}

export async function endSession(sessionsDir: string, target: SessionTarget, signal = "SIGHUP", graceMs = DEFAULT_END_GRACE_MS): Promise<EndResult> {
  if (target.kind === "crashed" && (await recreateSocket(target.meta, sessionSocket(target.id)))) {
    // Its holder runs but had lost its socket: end it properly rather than orphan it.
    target = await probeSession(sessionsDir, target.meta);
  }
  if (target.kind === "live") {
    const reply = await target.conn.request({ type: "end", signal, grace_ms: graceMs }, "terminated");
    target.conn.close();
    return { status: "terminated", session_id: target.id, exit_code: reply.exit_code, signal: reply.signal };
  }
  removeSessionFiles(sessionsDir, target.id, target.meta.name, target.kind === "crashed" ? sessionSocket(target.id) : undefined);
  const final = target.kind === "exited" ? target.final : null;
  return { status: "terminated", session_id: target.id, exit_code: final?.exit_code ?? null, signal: final?.signal ?? null };
}
