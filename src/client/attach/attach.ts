// `attach`, client side: the person's terminal in raw mode shows the session (a redraw from the
// holder's emulator, then live output) and types into it, until the detach key, the program's
// exit, or a signal. The terminal is put back however it ends.
import { ATTACH_DETACH_TIMEOUT_MS } from "../../constants.ts";
import { DeltaError, ErrorCode } from "../../errors.ts";
import { base64ToBytes, bytesToBase64 } from "../../protocol/codec.ts";
import type { HolderConnection } from "../connection.ts";
import { runOnLiveSession } from "../session.ts";
import { findDetachKey, type DetachKey } from "./detach-key.ts";
import { OutputTracker, PUSH_TITLE, REDRAW_PREFIX, restoreSequence } from "./sequences.ts";
import type { LocalTerminal } from "./terminal.ts";
import type { AttachClientMessage } from "../../protocol/messages.ts";

export interface AttachOptions {
  readOnly: boolean;
  detachKey: DetachKey;
}

export interface AttachOutcome {
  /** detach: the detach key; exited: the program ended; signal: we were told to stop. */
  reason: "detach" | "exited" | "signal";
  exit_code: number | null;
  signal: string | null;
}

interface Ending extends AttachOutcome {
  /** What the holder said about the terminal's state at the end; null when it could not. */
  state: { alternateScreen: boolean; cursor: { row: number; col: number } } | null;
}

const STOP_SIGNALS = ["SIGHUP", "SIGTERM", "SIGINT"] as const;

/** attach by session id or name. The session's name is taken before attaching: once the program
 *  ends, `end` may remove the session's files. */
export async function attachSession(sessionsDir: string, idOrName: string, term: LocalTerminal, opts: AttachOptions): Promise<AttachOutcome & { session_id: string; name: string | null }> {
  return runOnLiveSession(sessionsDir, idOrName, async (target) => {
    const named = { session_id: target.id, name: target.meta.name };
    return { ...named, ...(await attachTerminal(target.conn, term, opts)) };
  });
}

export async function attachTerminal(conn: HolderConnection, term: LocalTerminal, opts: AttachOptions): Promise<AttachOutcome> {
  const size = term.size();
  await conn.request({ type: "attach", cols: size.cols, rows: size.rows, read_only: opts.readOnly }, "attached");
  const tracker = new OutputTracker();
  let state: Ending["state"] = null;
  term.enterRawMode();
  term.write(PUSH_TITLE);
  try {
    const ending = await pump(conn, term, opts, tracker);
    state = ending.state;
    return { reason: ending.reason, exit_code: ending.exit_code, signal: ending.signal };
  } finally {
    term.write(
      restoreSequence({
        alternateScreen: state?.alternateScreen ?? tracker.alternateScreen,
        cursor: state?.cursor ?? null,
        kittyKeyboardPushes: tracker.kittyKeyboardPushes,
      }),
    );
    term.leaveRawMode();
    conn.close();
  }
}

function pump(conn: HolderConnection, term: LocalTerminal, opts: AttachOptions, tracker: OutputTracker): Promise<Ending> {
  return new Promise<Ending>((resolve, reject) => {
    let done = false;
    let detaching: ReturnType<typeof setTimeout> | null = null;
    let size = term.size();
    const cleanups: Array<() => void> = [];

    const finish = (result: Ending | DeltaError) => {
      if (done) return;
      done = true;
      if (detaching) clearTimeout(detaching);
      for (const fn of cleanups) fn();
      if (result instanceof DeltaError) reject(result);
      else resolve(result);
    };
    const send = (message: AttachClientMessage) => {
      try {
        conn.send(message);
      } catch {
        // Closed: the message loop reports it.
      }
    };
    const detach = () => {
      if (detaching || done) return;
      send({ type: "detach" });
      detaching = setTimeout(() => finish({ reason: "detach", state: null, exit_code: null, signal: null }), ATTACH_DETACH_TIMEOUT_MS);
    };

    cleanups.push(
      term.onInput((bytes) => {
        const hit = findDetachKey(bytes, opts.detachKey);
        const typed = hit ? bytes.subarray(0, hit.index) : bytes;
        if (!opts.readOnly && typed.length > 0) send({ type: "input", data: bytesToBase64(typed) });
        if (hit) detach();
      }),
    );
    const onWinch = () => {
      const now = term.size();
      if (now.cols === size.cols && now.rows === size.rows) return;
      size = now;
      // A read-only terminal never sizes the session, so its size is nobody's business.
      if (!opts.readOnly) send({ type: "resize", cols: now.cols, rows: now.rows });
    };
    process.on("SIGWINCH", onWinch);
    cleanups.push(() => process.off("SIGWINCH", onWinch));
    const onSignal = (sig: NodeJS.Signals) => finish({ reason: "signal", state: null, exit_code: null, signal: sig });
    for (const sig of STOP_SIGNALS) {
      process.on(sig, onSignal);
      cleanups.push(() => process.off(sig, onSignal));
    }

    void (async () => {
      for (;;) {
        let m;
        try {
          m = await conn.next();
        } catch (err) {
          if (detaching) return finish({ reason: "detach", state: null, exit_code: null, signal: null });
          const e = err instanceof DeltaError ? err : new DeltaError(ErrorCode.HOLDER_UNREACHABLE, String(err));
          return finish(e.code === ErrorCode.HOLDER_UNREACHABLE ? new DeltaError(e.code, `lost the connection to the session: ${e.message}`) : e);
        }
        if (done) return;
        switch (m.type) {
          case "redraw":
            tracker.alternateScreen = m.screen.includes("\x1b[?1049h");
            term.write(REDRAW_PREFIX + m.screen);
            break;
          case "output": {
            const bytes = base64ToBytes(m.data);
            tracker.feed(bytes);
            term.write(bytes);
            break;
          }
          case "detached":
            return finish({
              reason: m.reason,
              state: { alternateScreen: m.alternate_screen, cursor: m.cursor },
              exit_code: m.exit_code,
              signal: m.signal,
            });
          default:
            break;
        }
      }
    })();
  });
}
