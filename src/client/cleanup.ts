// cleanup: remove exited and crashed sessions of this sessions directory (with their sockets),
// session directories a start left without metadata (it was killed before its holder got going),
// and sockets in the runtime directory that nothing listens on (whatever sessions directory they
// belonged to, once they are old enough not to be a holder that is still starting).
import { existsSync, readdirSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { HOLDER_READY_TIMEOUT_MS } from "../constants.ts";
import { checkRuntimeDir, isSessionId, metadataPath, pathEntryExists, resolveRuntimeDir, sessionDir } from "../paths.ts";
import { removeSessionFiles } from "../store/remove.ts";
import { endSession } from "./end.ts";
import { listSessionIds, probeSession, sessionSocket } from "./session.ts";
import { isListening } from "./transport.ts";

/** A session directory without metadata this old belongs to no start still in progress. */
const INCOMPLETE_SESSION_AGE_MS = 2 * HOLDER_READY_TIMEOUT_MS;
/** A socket of no known session is left alone this long: a holder starting right now has bound
 *  it but may not be listening yet. */
const ORPHAN_SOCKET_MIN_AGE_MS = 5_000;

export async function cleanupSessions(sessionsDir: string): Promise<{ cleaned: string[]; remaining: string[] }> {
  const cleaned: string[] = [];
  const remaining: string[] = [];
  for (const meta of listSessionIds(sessionsDir)) {
    const target = await probeSession(sessionsDir, meta);
    if (target.kind === "live") {
      // A holder whose program exited but which could not store the final state (read-only or
      // full file system) keeps serving it from memory; its session is exited all the same.
      const info = await target.conn.request({ type: "info" }, "info").catch(() => null);
      if (info?.status === "exited") {
        await endSession(sessionsDir, target).then(
          () => cleaned.push(target.id),
          () => remaining.push(target.id),
        );
        continue;
      }
      target.conn.close();
      remaining.push(target.id);
      continue;
    }
    if (target.kind === "unresponsive" || (target.kind === "crashed" && (await isListening(sessionSocket(target.id))))) {
      // A holder that runs but does not answer (stopped, or without its socket file: SIGUSR1 brings
      // it back), or something that accepts on the socket but did not greet in time (where the
      // process cannot be looked up): a busy or unreachable holder is not dead.
      remaining.push(target.id);
      continue;
    }
    removeSessionFiles(sessionsDir, target.id, meta.name, target.kind === "crashed" ? sessionSocket(target.id) : undefined);
    cleaned.push(target.id);
  }
  cleaned.push(...(await removeIncompleteSessions(sessionsDir)));
  await removeStaleSockets();
  return { cleaned, remaining };
}

async function removeIncompleteSessions(sessionsDir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = readdirSync(sessionsDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const id of entries) {
    if (!isSessionId(id) || existsSync(metadataPath(sessionsDir, id))) continue;
    let age: number;
    try {
      age = Date.now() - statSync(sessionDir(sessionsDir, id)).mtimeMs;
    } catch {
      continue;
    }
    if (age < INCOMPLETE_SESSION_AGE_MS || (await isListening(sessionSocket(id)))) continue;
    // Its name link (if any) now points nowhere; the next start with that name takes it over.
    removeSessionFiles(sessionsDir, id, null);
    removed.push(id);
  }
  return removed;
}

async function removeStaleSockets(): Promise<void> {
  const dir = resolveRuntimeDir();
  if (!pathEntryExists(dir)) return;
  checkRuntimeDir(dir);
  for (const entry of readdirSync(dir)) {
    if (!/^sess_[0-9a-f]{12}\.sock$/.test(entry)) continue;
    const path = join(dir, entry);
    let age: number;
    try {
      age = Date.now() - statSync(path).mtimeMs;
    } catch {
      continue;
    }
    if (age >= ORPHAN_SOCKET_MIN_AGE_MS && !(await isListening(path))) {
      try {
        unlinkSync(path);
      } catch {
        // Removed meanwhile.
      }
    }
  }
}
