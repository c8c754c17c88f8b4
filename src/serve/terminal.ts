// One session's terminal on a page: the holder's attach stream, read-only (the page never sizes the
// session, and the holder never takes input or a detach key from it), passed on to the page's
// WebSocket. The page acknowledges what its emulator has parsed; a page that has more than
// SERVE_TERMINAL_WINDOW_BYTES unparsed (a flood) gets nothing more until it caught up, and then a
// fresh redraw, at most every SERVE_FLOOD_REFRESH_MS: the holder, this server and the page each
// hold a bounded amount, and the page's other terminals keep their share of its time. Typing (--allow-input) goes through `write`'s path.
import { SERVE_FLOOD_REFRESH_MS, SERVE_TERMINAL_WINDOW_BYTES } from "../constants.ts";
import { DeltaError, ErrorCode } from "../errors.ts";
import { base64ToBytes } from "../protocol/codec.ts";
import type { HolderConnection } from "../client/connection.ts";
import { readScreen } from "../client/screen.ts";
import { notLive, openSession } from "../client/session.ts";
import { writeInput } from "../client/write.ts";

/** What the server tells the page about one terminal (JSON text frames; output goes as binary). */
export type TerminalEvent =
  | { type: "redraw"; cols: number; rows: number; screen: string }
  | { type: "final"; cols: number; rows: number; lines: string[]; exit_code: number | null; signal: string | null }
  | { type: "exited"; exit_code: number | null; signal: string | null }
  | { type: "error"; code: string; message: string };

export interface TerminalSink {
  event(e: TerminalEvent): void;
  output(bytes: Uint8Array): void;
  close(): void;
}

export class TerminalStream {
  private conn: HolderConnection | null = null;
  /** Bumped on every (re)attach: the loop of an older connection stops quietly. */
  private generation = 0;
  private unacked = 0;
  private behind = false;
  private attachedAt = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private pendingInput: Uint8Array[] = [];
  private writing = false;

  constructor(
    private readonly sessionsDir: string,
    private readonly sessionId: string,
    private readonly allowInput: boolean,
    private readonly sink: TerminalSink,
  ) {}

  start(): void {
    void this.attach();
  }

  /** The page parsed this many more bytes (screen characters count for a redraw). */
  acknowledge(bytes: number): void {
    this.unacked = Math.max(0, this.unacked - bytes);
    if (!this.behind || this.unacked > 0 || this.closed || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      this.behind = false;
      if (!this.closed) void this.attach();
    }, Math.max(0, this.attachedAt + SERVE_FLOOD_REFRESH_MS - Date.now()));
  }

  /** Keystrokes from the page: only with --allow-input, in order, one `write` at a time. */
  type(bytes: Uint8Array): void {
    if (!this.allowInput || this.closed || bytes.length === 0) return;
    this.pendingInput.push(bytes);
    if (!this.writing) void this.flushInput();
  }

  stop(): void {
    this.closed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.generation++;
    this.conn?.close();
    this.conn = null;
  }

  private async flushInput(): Promise<void> {
    this.writing = true;
    try {
      while (this.pendingInput.length > 0 && !this.closed) {
        const batch = Buffer.concat(this.pendingInput.splice(0));
        try {
          await writeInput(this.sessionsDir, this.sessionId, batch);
        } catch (err) {
          this.fail(err);
          return;
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async attach(): Promise<void> {
    const generation = ++this.generation;
    this.attachedAt = Date.now();
    this.conn?.close();
    this.conn = null;
    try {
      const target = await openSession(this.sessionsDir, this.sessionId);
      if (target.kind !== "live") {
        if (target.kind !== "exited") throw notLive(target);
        const screen = await readScreen(target, 0);
        const { exit_code, signal } = target.final;
        this.sink.event({ type: "final", cols: screen.cols, rows: screen.rows, lines: screen.lines, exit_code, signal });
        return this.finish();
      }
      if (generation !== this.generation) return target.conn.close();
      this.conn = target.conn;
      // The size is the page's business only: a read-only attachment never sizes the session.
      await target.conn.request({ type: "attach", cols: 80, rows: 24, read_only: true }, "attached");
      await this.pump(target.conn, generation);
    } catch (err) {
      if (generation === this.generation) this.fail(err);
    }
  }

  private async pump(conn: HolderConnection, generation: number): Promise<void> {
    for (;;) {
      let m;
      try {
        m = await conn.next();
      } catch (err) {
        if (generation !== this.generation) return;
        throw err;
      }
      if (generation !== this.generation) return;
      switch (m.type) {
        case "redraw":
          this.unacked += m.screen.length;
          this.sink.event({ type: "redraw", cols: m.cols, rows: m.rows, screen: m.screen });
          break;
        case "output": {
          const bytes = base64ToBytes(m.data);
          this.unacked += bytes.length;
          this.sink.output(bytes);
          if (this.unacked > SERVE_TERMINAL_WINDOW_BYTES) {
            // Stop the holder's stream (it keeps no backlog for a connection that is gone) until
            // the page has parsed what it has.
            this.behind = true;
            this.generation++;
            conn.close();
            this.conn = null;
            return;
          }
          break;
        }
        case "detached":
          this.sink.event({ type: "exited", exit_code: m.exit_code, signal: m.signal });
          return this.finish();
        default:
          break;
      }
    }
  }

  private fail(err: unknown): void {
    const e = err instanceof DeltaError ? err : new DeltaError(ErrorCode.INTERNAL, String(err));
    this.sink.event({ type: "error", code: e.code, message: e.message });
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.stop();
    this.sink.close();
  }
}
