// list: one entry per session of the sessions directory, whatever its state. Read-only. One
// session's holder going away during the call (its program exited, `end` removed it) never fails
// the whole list: that session is reported from what it left, or left out once it is gone.
import { existsSync } from "node:fs";
import { DeltaError, ErrorCode } from "../errors.ts";
import { metadataPath } from "../paths.ts";
import type { Metadata } from "../store/metadata.ts";
import { describeSession, type SessionStatusDoc } from "./describe.ts";
import { listSessionIds, probeSession } from "./session.ts";

export interface ListEntry {
  session_id: string;
  name: string | null;
  command: string[];
  status: "running" | "exited" | "crashed" | "unresponsive";
  pid: number;
  holder_pid: number;
  cwd: string;
  created_at: string;
  last_accessed_at: string;
  exit_code: number | null;
  signal: string | null;
}

/** How many times one session is looked at again when its holder went away mid-call. */
const LIST_ATTEMPTS = 3;

export async function listSessions(sessionsDir: string): Promise<ListEntry[]> {
  const entries = await Promise.all(listSessionIds(sessionsDir).map((meta) => describeForList(sessionsDir, meta)));
  return entries.filter((e): e is ListEntry => e !== null);
}

/** One session's entry, or null when the session was removed while we looked. */
async function describeForList(sessionsDir: string, meta: Metadata): Promise<ListEntry | null> {
  for (let attempt = 1; ; attempt++) {
    const target = await probeSession(sessionsDir, meta);
    try {
      // A holder that went quiet may be gone because `end` removed its session: not a crash.
      if (target.kind !== "live" && !existsSync(metadataPath(sessionsDir, meta.session_id))) return null;
      return toEntry(await describeSession(target));
    } catch (err) {
      // The holder closed the connection before answering (its program exited and it stored the
      // final state, or `end` is removing it): look again at what it left.
      const unreachable = err instanceof DeltaError && err.code === ErrorCode.HOLDER_UNREACHABLE;
      if (!unreachable || attempt >= LIST_ATTEMPTS) {
        if (!unreachable) throw err;
        if (!existsSync(metadataPath(sessionsDir, meta.session_id))) return null;
        // Its holder accepts connections but keeps closing them unanswered: it runs, not answering.
        return toEntry(await describeSession({ kind: "unresponsive", id: meta.session_id, meta }));
      }
    } finally {
      if (target.kind === "live") target.conn.close();
    }
  }
}

function toEntry(d: SessionStatusDoc): ListEntry {
  return {
    session_id: d.session_id,
    name: d.name,
    command: d.command,
    status: d.status,
    pid: d.pid,
    holder_pid: d.holder_pid,
    cwd: d.cwd,
    created_at: d.created_at,
    last_accessed_at: d.last_accessed_at,
    exit_code: d.exit_code,
    signal: d.signal,
  };
}
