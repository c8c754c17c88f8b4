// Ending a session in whatever state it is: the live holder does it itself (signal, grace,
// SIGKILL, remove); an unresponsive one is first brought back to answer (resumed if stopped, its
// socket re-created if removed) or, failing that, ended by signal; for exited and crashed sessions
// we remove what is left.
import { existsSync } from "node:fs";
import { DEFAULT_END_GRACE_MS } from "../constants.ts";
import { DeltaError, ErrorCode } from "../errors.ts";
import { metadataPath, validateIdOrName } from "../paths.ts";
import { readFinalState } from "../store/final-state.ts";
import { removeSessionFiles } from "../store/remove.ts";
import { killHolder, recreateSocket, resumeHolder } from "./holder-process.ts";
import { listSessionIds, openSession, probeSession, resolveSessionId, sessionSocket, type SessionTarget } from "./session.ts";

export interface EndResult {
  status: "terminated";
  session_id: string;
  exit_code: number | null;
  signal: string | null;
}

export async function endSession(sessionsDir: string, target: SessionTarget, signal = "SIGHUP", graceMs = DEFAULT_END_GRACE_MS): Promise<EndResult> {
  if (target.kind === "unresponsive") {
    // End it properly rather than orphan it: a resumed holder, or one with its socket back, answers.
    resumeHolder(target.meta);
    const socket = sessionSocket(target.id);
    if (!existsSync(socket)) await recreateSocket(target.meta, socket);
    target = await probeSession(sessionsDir, target.meta);
  }
  if (target.kind === "live") {
    const live = target;
    try {
      const reply = await live.conn.request({ type: "end", signal, grace_ms: graceMs }, "terminated");
      return { status: "terminated", session_id: live.id, exit_code: reply.exit_code, signal: reply.signal };
    } catch (err) {
      // The holder went before answering: its program exited (it left its final state), or another
      // `end` is removing it. Either way the session ends; what is left is dealt with below.
      if (!(err instanceof DeltaError) || err.code !== ErrorCode.HOLDER_UNREACHABLE) throw err;
      live.conn.close();
      if (!existsSync(metadataPath(sessionsDir, live.id))) return { status: "terminated", session_id: live.id, exit_code: null, signal: null };
      target = await probeSession(sessionsDir, live.meta);
      if (target.kind === "live") {
        target.conn.close();
        throw err;
      }
    } finally {
      live.conn.close();
    }
  }
  let final = target.kind === "exited" ? target.final : null;
  if (target.kind === "unresponsive") {
    await killHolder(target.meta, graceMs);
    final = readFinalState(sessionsDir, target.id);
  }
  removeSessionFiles(sessionsDir, target.id, target.meta.name, target.kind === "exited" ? undefined : sessionSocket(target.id));
  // A crashed holder took the program's status with it: exit_code and signal are null.
  return { status: "terminated", session_id: target.id, exit_code: final?.exit_code ?? null, signal: final?.signal ?? null };
}

/** end by session id or name. */
export async function endByName(sessionsDir: string, idOrName: string, signal: string, graceMs: number): Promise<EndResult> {
  return endSession(sessionsDir, await openSession(sessionsDir, idOrName), signal, graceMs);
}

/** end --all: every session in the directory, at once. */
export async function endAllSessions(sessionsDir: string, signal: string, graceMs: number): Promise<EndResult[]> {
  return Promise.all(listSessionIds(sessionsDir).map(async (meta) => endSession(sessionsDir, await probeSession(sessionsDir, meta), signal, graceMs)));
}

/** end A B…: each named session, at once (all resolved first, so a wrong name ends nothing). */
export async function endSessions(sessionsDir: string, idsOrNames: string[], signal: string, graceMs: number): Promise<EndResult[]> {
  return Promise.all(resolveSessions(sessionsDir, idsOrNames).map((id) => endByName(sessionsDir, id, signal, graceMs)));
}

/** The distinct session ids of several ids or names, or the error of the first that is wrong (a
 *  malformed one before any lookup, wherever it stands). */
export function resolveSessions(sessionsDir: string, idsOrNames: string[]): string[] {
  for (const s of idsOrNames) validateIdOrName(s);
  return [...new Set(idsOrNames.map((s) => resolveSessionId(sessionsDir, s)))];
}
