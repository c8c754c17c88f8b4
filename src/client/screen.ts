// The rendered screen, from a live holder's emulator or from the final screen an exited session left.
import type { ScreenResult } from "../protocol/messages.ts";
import { notLive, runOnSession, type SessionTarget } from "./session.ts";

export type Screen = Omit<ScreenResult, "type">;

export async function readScreen(target: SessionTarget, scrollback: number): Promise<Screen> {
  if (target.kind === "live") {
    const { type: _t, ...screen } = await target.conn.request({ type: "screen", scrollback }, "screen");
    return screen;
  }
  if (target.kind === "crashed" || target.kind === "unresponsive") throw notLive(target);
  const f = target.final;
  const history = scrollback > 0 ? f.screen.history.slice(-scrollback) : [];
  return {
    lines: [...history, ...f.screen.lines],
    cursor: f.screen.cursor,
    cols: f.cols,
    rows: f.rows,
    alternate_screen: f.screen.alternate_screen,
  };
}

/** read --screen by session id or name (a live session's screen, or the one an exited session left). */
export async function readScreenOf(sessionsDir: string, idOrName: string, scrollback: number): Promise<Screen & { session_id: string }> {
  return runOnSession(sessionsDir, idOrName, async (target) => ({ session_id: target.id, ...(await readScreen(target, scrollback)) }));
}
