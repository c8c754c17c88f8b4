// One session's status document (status, list), for whichever state it is in.
import type { InfoResult } from "../protocol/messages.ts";
import { runOnSession, type SessionTarget } from "./session.ts";

export interface SessionStatusDoc {
  session_id: string;
  name: string | null;
  status: "running" | "exited" | "crashed" | "unresponsive";
  alive: boolean;
  pid: number;
  holder_pid: number;
  command: string[];
  cwd: string;
  cols: number;
  rows: number;
  created_at: string;
  last_accessed_at: string;
  uptime_seconds: number;
  exit_code: number | null;
  signal: string | null;
  output_bytes: number | null;
  unread_bytes: number | null;
  /** With `inputWait` (status): SPEC §10. null when the program is not running. */
  waiting_for_input?: boolean | null;
  foreground?: { pid: number; command: string } | null;
  input_wait?: "kernel" | "quiet";
}

/** How the platform decides input-wait where the holder cannot be asked (exited, crashed). */
const LOCAL_INPUT_WAIT: "kernel" | "quiet" = process.platform === "linux" ? "kernel" : "quiet";

export async function describeSession(target: SessionTarget, opts: { inputWait?: boolean } = {}): Promise<SessionStatusDoc> {
  const doc = await describe(target, opts.inputWait === true);
  if (!opts.inputWait || doc.input_wait !== undefined) return doc;
  return { ...doc, waiting_for_input: null, foreground: null, input_wait: LOCAL_INPUT_WAIT };
}

async function describe(target: SessionTarget, inputWait: boolean): Promise<SessionStatusDoc> {
  const m = target.meta;
  const base = {
    session_id: m.session_id,
    name: m.name,
    pid: m.pid,
    holder_pid: m.holder_pid,
    command: m.command,
    cwd: m.cwd,
    created_at: m.created_at,
  };
  const created = Date.parse(m.created_at);
  if (target.kind === "live") {
    const info: InfoResult = await target.conn.request({ type: "info", ...(inputWait ? { input_wait: true } : {}) }, "info");
    return {
      ...base,
      status: info.status,
      alive: info.status === "running",
      cols: info.cols,
      rows: info.rows,
      last_accessed_at: info.last_accessed_at,
      uptime_seconds: seconds(Date.now() - created),
      exit_code: info.exit_code,
      signal: info.signal,
      output_bytes: info.output_bytes,
      unread_bytes: info.unread_bytes,
      ...(inputWait && info.input_wait !== undefined
        ? { waiting_for_input: info.waiting_for_input ?? null, foreground: info.foreground ?? null, input_wait: info.input_wait }
        : {}),
    };
  }
  if (target.kind === "exited") {
    const f = target.final;
    return {
      ...base,
      status: "exited",
      alive: false,
      cols: f.cols,
      rows: f.rows,
      last_accessed_at: f.last_accessed_at,
      uptime_seconds: seconds(Date.parse(f.exited_at) - created),
      exit_code: f.exit_code,
      signal: f.signal,
      output_bytes: f.output_end,
      unread_bytes: f.output_end - f.cursor,
    };
  }
  // Unresponsive: the holder process exists (stopped, or without its socket), so the session is
  // alive as far as anyone can tell; its state cannot be asked. Crashed: the holder is gone.
  return {
    ...base,
    status: target.kind,
    alive: target.kind === "unresponsive",
    cols: m.cols,
    rows: m.rows,
    last_accessed_at: m.created_at,
    uptime_seconds: 0,
    exit_code: null,
    signal: null,
    output_bytes: null,
    unread_bytes: null,
  };
}

function seconds(ms: number): number {
  return Math.max(0, Math.round(ms / 100) / 10);
}

/** status by session id or name, owning the connection. */
export async function describeByName(sessionsDir: string, idOrName: string, opts: { inputWait?: boolean } = {}): Promise<SessionStatusDoc> {
  return runOnSession(sessionsDir, idOrName, (target) => describeSession(target, opts));
}
