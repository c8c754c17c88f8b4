// The page's session list: every session of the sessions directory with its status and whether it
// waits for input, looked at again every SERVE_LIST_INTERVAL_MS while at least one page shows it,
// and sent to the pages when it changed. Nothing runs while no page is open.
import { SERVE_LIST_INTERVAL_MS } from "../constants.ts";
import { describeSession } from "../client/describe.ts";
import { listSessionIds, probeSession } from "../client/session.ts";

export interface PageSession {
  session_id: string;
  name: string | null;
  command: string[];
  status: string;
  waiting_for_input: boolean | null;
  cols: number;
  rows: number;
  created_at: string;
  uptime_seconds: number;
  exit_code: number | null;
  signal: string | null;
}

export interface ListSubscriber {
  send(json: string): void;
}

export class SessionList {
  private readonly subscribers = new Set<ListSubscriber>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  /** The last list sent, without the uptimes (a new second is not a change). */
  private lastKey = "";
  private lastJson: string | null = null;

  constructor(private readonly sessionsDir: string) {}

  subscribe(s: ListSubscriber): void {
    this.subscribers.add(s);
    if (this.lastJson !== null) s.send(this.lastJson);
    if (!this.running) void this.refresh();
  }

  unsubscribe(s: ListSubscriber): void {
    this.subscribers.delete(s);
    if (this.subscribers.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  stop(): void {
    this.subscribers.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async refresh(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = true;
    try {
      const sessions = await lookAtSessions(this.sessionsDir);
      const key = JSON.stringify(sessions.map(({ uptime_seconds: _u, ...rest }) => rest));
      const json = JSON.stringify({ type: "sessions", sessions });
      const changed = key !== this.lastKey;
      this.lastKey = key;
      this.lastJson = json;
      // Every page has had the previous list (on subscribing, or from an earlier refresh).
      if (changed) for (const s of this.subscribers) s.send(json);
    } catch (err) {
      const json = JSON.stringify({ type: "error", message: (err as Error).message });
      for (const s of this.subscribers) s.send(json);
    } finally {
      this.running = false;
      if (this.subscribers.size > 0) this.timer = setTimeout(() => void this.refresh(), SERVE_LIST_INTERVAL_MS);
    }
  }
}

async function lookAtSessions(sessionsDir: string): Promise<PageSession[]> {
  const found = await Promise.all(
    listSessionIds(sessionsDir).map(async (meta): Promise<PageSession | null> => {
      try {
        const target = await probeSession(sessionsDir, meta);
        try {
          const d = await describeSession(target, { inputWait: true });
          return {
            session_id: d.session_id,
            name: d.name,
            command: d.command,
            status: d.status,
            waiting_for_input: d.waiting_for_input ?? null,
            cols: d.cols,
            rows: d.rows,
            created_at: d.created_at,
            uptime_seconds: d.uptime_seconds,
            exit_code: d.exit_code,
            signal: d.signal,
          };
        } finally {
          if (target.kind === "live") target.conn.close();
        }
      } catch {
        // Ended while we looked: it is simply no longer listed.
        return null;
      }
    }),
  );
  return found.filter((s): s is PageSession => s !== null);
}
