// resize: the PTY takes the new size and the program gets SIGWINCH.
import { runOnLiveSession, type LiveTarget } from "./session.ts";

export interface ResizeDoc {
  status: "resized";
  session_id: string;
  cols: number;
  rows: number;
}

export async function resizeSession(target: LiveTarget, cols: number, rows: number): Promise<ResizeDoc> {
  await target.conn.request({ type: "resize", cols, rows }, "resized");
  return { status: "resized", session_id: target.id, cols, rows };
}

/** resize by session id or name, owning the connection. */
export async function resizeTerminal(sessionsDir: string, idOrName: string, cols: number, rows: number): Promise<ResizeDoc> {
  return runOnLiveSession(sessionsDir, idOrName, (target) => resizeSession(target, cols, rows));
}
