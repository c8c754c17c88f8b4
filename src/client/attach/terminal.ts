// The person's terminal while attached: raw mode on and off, its size, and writes that finish
// before the next message is read, so a slow terminal slows our reads of the socket and the
// holder notices the backlog (it then skips ahead with a redraw) instead of anyone buffering
// without limit.
import { writeSync } from "node:fs";
import { isatty, type ReadStream } from "node:tty";
import { DeltaError, ErrorCode } from "../../errors.ts";
import type { Size } from "../../protocol/messages.ts";

const encoder = new TextEncoder();

export class LocalTerminal {
  private raw = false;
  private broken = false;

  private constructor(private readonly input: ReadStream) {}

  /** The terminal on stdin and stdout; refuses when either is not one. */
  static open(): LocalTerminal {
    if (!isatty(0) || !isatty(1)) {
      throw new DeltaError(ErrorCode.NOT_A_TERMINAL, "attach needs a terminal on stdin and stdout (agents use write, write-key and read)");
    }
    return new LocalTerminal(process.stdin as ReadStream);
  }

  size(): Size {
    const cols = process.stdout.columns;
    const rows = process.stdout.rows;
    return { cols: cols > 0 ? cols : 80, rows: rows > 0 ? rows : 24 };
  }

  enterRawMode(): void {
    this.input.setRawMode(true);
    this.raw = true;
  }

  /** Raw mode off and no more reading, so the shell gets its terminal back as it left it. */
  leaveRawMode(): void {
    if (this.raw) {
      try {
        this.input.setRawMode(false);
      } catch {
        // The terminal is gone (hangup).
      }
      this.raw = false;
    }
    this.input.pause();
  }

  onInput(fn: (bytes: Uint8Array) => void): () => void {
    const listener = (data: Buffer | string) => fn(typeof data === "string" ? encoder.encode(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    this.input.on("data", listener);
    this.input.resume();
    return () => this.input.off("data", listener);
  }

  /** Writes everything, waiting for the terminal; after a hangup, writes are dropped. */
  write(data: string | Uint8Array): void {
    if (this.broken) return;
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    let at = 0;
    while (at < bytes.length) {
      try {
        at += writeSync(1, bytes, at, bytes.length - at);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EAGAIN") {
          Bun.sleepSync(1); // stdout shared with a non-blocking descriptor: wait for the terminal
          continue;
        }
        this.broken = true;
        return;
      }
    }
  }
}
