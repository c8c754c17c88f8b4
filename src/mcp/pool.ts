// Connections to holders kept open between tool calls, so that a call costs one request on an open
// socket instead of a connect and a hello. A connection is lent to one operation at a time (calls
// running at once on one session each get their own) and goes back only when that operation ended
// cleanly, so the next one never sees a reply meant for another.
import { DeltaError, ErrorCode } from "../errors.ts";
import type { HolderConnection } from "../client/connection.ts";
import { endSession, type EndResult } from "../client/end.ts";
import { notFound, openSession, resolveSessionId, type LiveTarget, type SessionTarget } from "../client/session.ts";
import { readMetadata, type Metadata } from "../store/metadata.ts";

/** Idle connections kept per session: enough for a reader and a writer taking turns. */
const IDLE_PER_SESSION = 2;
/** Errors after which a connection's state is unknown (it may still carry part of a reply). */
const UNCLEAN_CODES: ReadonlySet<string> = new Set([ErrorCode.HOLDER_UNREACHABLE, ErrorCode.PROTOCOL_ERROR, ErrorCode.INTERNAL, ErrorCode.IO_ERROR]);

export class ConnectionPool {
  private readonly idle = new Map<string, HolderConnection[]>();
  /** Metadata of live sessions: the holder writes it once at start, so it is read once per session
   *  (a `status` call otherwise spends a third of its time reading and checking the file). */
  private readonly metas = new Map<string, Metadata>();
  /** Connections opened so far (tests and the benchmark check that calls reuse them). */
  opened = 0;

  constructor(readonly sessionsDir: string) {}

  /**
   * Runs `fn` on the session (an id or a name), on a kept connection when there is one. As the
   * CLI's runOnSession: a holder whose program exits during the call closes its connections, and
   * `fn` then runs again on the exited session.
   */
  async run<T>(idOrName: string, fn: (target: SessionTarget) => Promise<T>): Promise<T> {
    const id = resolveSessionId(this.sessionsDir, idOrName);
    const kept = this.take(id);
    const opened = kept ? null : await this.open(idOrName);
    const target = opened && opened.kind !== "live" ? opened : this.liveTarget(id, idOrName, kept ?? (opened as LiveTarget).conn);
    try {
      const result = await fn(target);
      if (target.kind === "live") this.give(id, target.conn);
      return result;
    } catch (err) {
      if (target.kind !== "live") throw err;
      const unclean = !(err instanceof DeltaError) || UNCLEAN_CODES.has(err.code);
      if (!unclean) {
        this.give(id, target.conn);
        throw err;
      }
      target.conn.close();
      if (!(err instanceof DeltaError) || err.code !== ErrorCode.HOLDER_UNREACHABLE) throw err;
      const again = await this.open(idOrName);
      if (again.kind !== "exited") {
        if (again.kind === "live") again.conn.close();
        throw err;
      }
      return fn(again);
    }
  }

  /** Ends the session (id or name). endSession closes the connection it used (the holder goes
   *  away), so none goes back to the pool. */
  async end(idOrName: string, signal: string, graceMs: number): Promise<EndResult> {
    const doc = await this.run(idOrName, (t) => endSession(this.sessionsDir, t, signal, graceMs));
    this.drop(doc.session_id);
    return doc;
  }

  /** Forgets (and closes) the kept connections of a session, e.g. after `end`. */
  drop(id: string): void {
    for (const c of this.idle.get(id) ?? []) c.close();
    this.idle.delete(id);
    this.metas.delete(id);
  }

  closeAll(): void {
    for (const id of [...this.idle.keys()]) this.drop(id);
  }

  private liveTarget(id: string, idOrName: string, conn: HolderConnection): LiveTarget {
    const { sessionsDir, metas } = this;
    return {
      kind: "live",
      id,
      conn,
      get meta(): Metadata {
        let meta = metas.get(id);
        if (!meta) {
          meta = readMetadata(sessionsDir, id) ?? undefined;
          if (!meta) throw notFound(idOrName);
          metas.set(id, meta);
        }
        return meta;
      },
    };
  }

  private async open(idOrName: string): Promise<SessionTarget> {
    const target = await openSession(this.sessionsDir, idOrName);
    if (target.kind === "live") this.opened++;
    return target;
  }

  private take(id: string): HolderConnection | null {
    const list = this.idle.get(id);
    while (list && list.length > 0) {
      const c = list.pop()!;
      if (!c.isClosed) return c;
    }
    return null;
  }

  private give(id: string, conn: HolderConnection): void {
    if (conn.isClosed) return;
    const list = this.idle.get(id) ?? [];
    if (list.length >= IDLE_PER_SESSION) {
      conn.close();
      return;
    }
    list.push(conn);
    this.idle.set(id, list);
  }
}
