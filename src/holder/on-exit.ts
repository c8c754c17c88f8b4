// On-exit stage: once the program has exited, store its final state (exit status, unread output,
// screen) so `read` and `status` keep working after the holder is gone, then shut down.
import { existsSync } from "node:fs";
import { SCREEN_SCROLLBACK_LINES } from "../constants.ts";
import { sessionDir } from "../paths.ts";
import { bytesToBase64 } from "../protocol/codec.ts";
import { writeFinalState } from "../store/final-state.ts";
import type { HolderConfig } from "./config.ts";
import type { Log } from "./log.ts";
import type { HolderSession } from "./session.ts";

/** After the exit (unless `end` handles it): final state, then shutdown. */
export async function finishAfterExit(config: HolderConfig, session: HolderSession, log: Log, shutdown: () => void): Promise<void> {
  try {
    await storeFinalState(config, session);
    shutdown();
  } catch (err) {
    // A read-only or full file system must not lose the output: keep serving the exited session
    // from memory until `end` (or SIGTERM). With the session directory gone there is no one to
    // serve, so stop.
    log(`could not store final state: ${(err as Error).message}`);
    if (existsSync(sessionDir(config.sessions_dir, config.session_id))) log("serving the exited session from memory until 'end'");
    else shutdown();
  }
}

export async function storeFinalState(config: HolderConfig, session: HolderSession): Promise<void> {
  const cap = await session.screen.capture(SCREEN_SCROLLBACK_LINES);
  const historyCount = Math.max(0, cap.lines.length - cap.rows);
  writeFinalState(config.sessions_dir, config.session_id, {
    exit_code: session.exit?.exit_code ?? null,
    signal: session.exit?.signal ?? null,
    exited_at: new Date().toISOString(),
    last_accessed_at: session.lastAccessedAt.toISOString(),
    output_start: session.ring.start,
    output: bytesToBase64(session.ring.slice(session.ring.start)),
    output_end: session.ring.end,
    cursor: Math.max(session.cursor, session.ring.start),
    cols: session.cols,
    rows: session.rows,
    screen: {
      history: cap.lines.slice(0, historyCount),
      lines: cap.lines.slice(historyCount),
      cursor: cap.cursor,
      alternate_screen: cap.alternate_screen,
    },
  });
}
