// Finding a session and deciding what state it is in: live (its holder answers over the socket),
// exited (the holder left its final state and is gone), unresponsive (its holder process exists
// but does not answer: stopped, or its socket file was removed) or crashed (the holder is gone
// without a word). Liveness is never judged by PID: the holder must answer with the right session
// id; the PID only tells, once it does not answer, whether the process that holds it still runs
// (checked by its command line, so that a reused PID is not taken for it).
import { existsSync, readdirSync, readlinkSync } from "node:fs";
import { DeltaError, ErrorCode } from "../errors.ts";
import { checkRuntimeDir, isSessionId, metadataPath, pathEntryExists, nameLinkPath, resolveRuntimeDir, sessionDir, socketPath, validateIdOrName } from "../paths.ts";
import { readFinalState, type FinalState } from "../store/final-state.ts";
import { readMetadata, type Metadata } from "../store/metadata.ts";
import { HolderConnection } from "./connection.ts";
import { isHolderProcessRunning, isHolderStopped } from "./holder-process.ts";

export type SessionTarget =
  | { kind: "live"; id: string; meta: Metadata; conn: HolderConnection }
  | { kind: "exited"; id: string; meta: Metadata; final: FinalState }
  | { kind: "unresponsive"; id: string; meta: Metadata }
  | { kind: "crashed"; id: string; meta: Metadata };
export type LiveTarget = Extract<SessionTarget, { kind: "live" }>;

/**
 * A session whose holder did not answer. The holder process is looked at before its final state:
 * a holder whose program exits stores the final state and then goes, so one found gone after we
 * looked left it by then, or crashed.
 */
function silentTarget(sessionsDir: string, id: string, meta: Metadata): Exclude<SessionTarget, { kind: "live" }> {
  const running = isHolderProcessRunning(meta);
  const final = readFinalState(sessionsDir, id);
  if (final) return { kind: "exited", id, meta, final };
  return running ? { kind: "unresponsive", id, meta } : { kind: "crashed", id, meta };
}

/** The session id for an id or a name (validated first; nothing touches the disk before that). */
export function resolveSessionId(sessionsDir: string, idOrName: string): string {
  validateIdOrName(idOrName);
  if (isSessionId(idOrName)) return idOrName;
  let target: string;
  try {
    target = readlinkSync(nameLinkPath(sessionsDir, idOrName));
  } catch {
    throw notFound(idOrName);
  }
  if (!isSessionId(target) || !existsSync(sessionDir(sessionsDir, target))) throw notFound(idOrName);
  return target;
}

export function notFound(idOrName: string): DeltaError {
  return new DeltaError(ErrorCode.SESSION_NOT_FOUND, `no session ${JSON.stringify(idOrName)} (delta-sessions list shows them)`);
}

/** Socket path of a session, after checking the runtime directory is ours. */
export function sessionSocket(id: string): string {
  const dir = resolveRuntimeDir();
  // lexists: a dangling symlink is refused too, before anyone can create what it points to.
  if (pathEntryExists(dir)) checkRuntimeDir(dir);
  return socketPath(dir, id);
}

export async function openSession(sessionsDir: string, idOrName: string): Promise<SessionTarget> {
  const id = resolveSessionId(sessionsDir, idOrName);
  // Most calls are for a running session, and its holder answering with its id is all they need
  // to know: the metadata is then read only if asked for (it costs every write and read a file
  // read and a parse). A session whose metadata is missing is not found, as before.
  if (!existsSync(metadataPath(sessionsDir, id))) throw notFound(idOrName);
  let conn: HolderConnection | null = null;
  try {
    // The metadata is read only if the hello is slow in coming (to see whether the holder is stopped).
    conn = await HolderConnection.open(sessionSocket(id), id, () => {
      const meta = readMetadata(sessionsDir, id);
      return meta !== null && isHolderStopped(meta);
    });
  } catch (err) {
    if (!(err instanceof DeltaError) || err.code !== ErrorCode.HOLDER_UNREACHABLE) throw err;
  }
  if (conn) return liveTarget(sessionsDir, id, idOrName, conn);
  // Not answering: exited (it left its final state) or crashed.
  const meta = readMetadata(sessionsDir, id);
  if (!meta) throw notFound(idOrName);
  const silent = silentTarget(sessionsDir, id, meta);
  // Looked at after the holder: one that `end` stopped removed the session before it went.
  if (!existsSync(metadataPath(sessionsDir, id))) throw notFound(idOrName);
  return silent;
}

/** A live target whose metadata is read when first asked for (also for a connection kept open
 *  between calls, as the MCP server does). */
export function liveTarget(sessionsDir: string, id: string, idOrName: string, conn: HolderConnection): Extract<SessionTarget, { kind: "live" }> {
  let meta: Metadata | null = null;
  return {
    kind: "live",
    id,
    conn,
    get meta(): Metadata {
      meta ??= readMetadata(sessionsDir, id);
      if (!meta) throw notFound(idOrName);
      return meta;
    },
  };
}

/** Works out the state of a session whose metadata we have. */
export async function probeSession(sessionsDir: string, meta: Metadata): Promise<SessionTarget> {
  const id = meta.session_id;
  const final = readFinalState(sessionsDir, id);
  if (final) return { kind: "exited", id, meta, final };
  try {
    const conn = await HolderConnection.open(sessionSocket(id), id, () => isHolderStopped(meta));
    return { kind: "live", id, meta, conn };
  } catch (err) {
    if (!(err instanceof DeltaError) || err.code !== ErrorCode.HOLDER_UNREACHABLE) throw err;
    // The holder may have stored its final state and exited between our two looks.
    return silentTarget(sessionsDir, id, meta);
  }
}

/**
 * Opens a session and runs `fn` on it. A holder whose program has just exited stores the final
 * state and then closes every connection, so a request that reached it in that moment loses its
 * connection: that is not an error, and `fn` runs again on the exited session (or the crashed
 * one, when the holder was killed).
 */
export async function runOnSession<T>(sessionsDir: string, idOrName: string, fn: (target: SessionTarget) => Promise<T>): Promise<T> {
  const target = await openSession(sessionsDir, idOrName);
  try {
    return await fn(target);
  } catch (err) {
    if (target.kind !== "live" || !(err instanceof DeltaError) || err.code !== ErrorCode.HOLDER_UNREACHABLE) throw err;
    // What it left: exited, or crashed when it was killed (status then says so; others fail).
    const again = await openSession(sessionsDir, idOrName);
    if (again.kind === "live") {
      again.conn.close();
      throw err;
    }
    return fn(again);
  } finally {
    if (target.kind === "live") target.conn.close();
  }
}

/** Opens a session that must be live, runs `fn` on it and closes its connection: the way an
 *  operation that needs the holder (write, keys, resize, exec, attach, send) reaches it. */
export async function runOnLiveSession<T>(sessionsDir: string, idOrName: string, fn: (target: LiveTarget) => Promise<T>): Promise<T> {
  const target = await openLiveSession(sessionsDir, idOrName);
  try {
    return await fn(target);
  } finally {
    target.conn.close();
  }
}

/** Opens a session that must be live: exited and crashed sessions get their own errors. */
export async function openLiveSession(sessionsDir: string, idOrName: string): Promise<Extract<SessionTarget, { kind: "live" }>> {
  const target = await openSession(sessionsDir, idOrName);
  if (target.kind === "live") return target;
  throw notLive(target);
}

export function notLive(target: Exclude<SessionTarget, { kind: "live" }>): DeltaError {
  if (target.kind === "exited") {
    const how = target.final.signal ? `signal ${target.final.signal}` : `exit code ${target.final.exit_code}`;
    return new DeltaError(ErrorCode.SESSION_EXITED, `session ${target.id} has exited (${how})`);
  }
  const pid = target.meta.holder_pid;
  if (target.kind === "unresponsive") {
    const socket = sessionSocket(target.id);
    const why = existsSync(socket)
      ? `its holder (pid ${pid}) runs but does not answer (stopped? 'kill -CONT ${pid}' resumes it; or overloaded)`
      : `its holder (pid ${pid}) runs but its socket ${socket} is gone; 'kill -USR1 ${pid}' makes it re-create the socket`;
    return new DeltaError(ErrorCode.HOLDER_UNREACHABLE, `session ${target.id} is unresponsive: ${why}; 'delta-sessions end' still ends it`);
  }
  return new DeltaError(ErrorCode.HOLDER_UNREACHABLE, `session ${target.id} crashed: its holder (pid ${pid}) is gone; 'delta-sessions cleanup' removes it`);
}

/** Ids of every session directory that has metadata, oldest first. */
export function listSessionIds(sessionsDir: string): Metadata[] {
  let entries: string[];
  try {
    entries = readdirSync(sessionsDir);
  } catch (err) {
    // No directory yet means no sessions; one we may not read is an error, not an empty list.
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const metas: Metadata[] = [];
  for (const e of entries) {
    if (!isSessionId(e)) continue;
    const m = readMetadata(sessionsDir, e);
    if (m) metas.push(m);
  }
  return metas.sort((a, b) => a.created_at.localeCompare(b.created_at));
}
