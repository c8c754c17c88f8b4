// One client connection on the holder side: framing in, queued writes out (a client that reads
// slowly never makes the holder block or buffer without limit), and close notification.
import type { Socket } from "bun";
import { MAX_LINE_BYTES, OUTPUT_HIGH_WATER_BYTES } from "../constants.ts";
import { encodeLineBytes, LineDecoder, type LineEvent } from "../protocol/codec.ts";
import type { Reply } from "../protocol/messages.ts";

/** A client that lets this much of our output pile up unread is disconnected. */
export const MAX_PENDING_OUTPUT_BYTES = 64 * 1024 * 1024;

export class Connection {
  readonly decoder = new LineDecoder(MAX_LINE_BYTES);
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private closed = false;
  private closing = false;
  private readonly closeListeners = new Set<() => void>();
  private readonly drainListeners = new Set<() => void>();
  private readonly roomListeners = new Set<() => void>();
  /** While set, incoming lines go here instead of the request queue (e.g. an attached terminal). */
  lineTap: ((event: LineEvent) => void) | null = null;

  constructor(private readonly socket: Socket<unknown>) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends one reply (the holder speaks only the messages of protocol/messages.ts). */
  send(message: Reply): void {
    this.sendLine(encodeLineBytes(message));
  }

  /** Sends one already encoded line (see encodeOutputLine). */
  sendLine(bytes: Uint8Array): void {
    if (this.closed || this.closing) return;
    if (this.pending.length > 0) {
      this.enqueue(bytes);
      return;
    }
    const written = this.socket.write(bytes);
    if (written > 0) this.lastProgressAt = performance.now();
    if (written < bytes.length) this.enqueue(bytes.subarray(Math.max(written, 0)));
  }

  /** When the client last took replies off our queue (performance.now()). */
  lastProgressAt = performance.now();

  /** Socket became writable again: flush what is queued. */
  flush(): void {
    while (this.pending.length > 0) {
      const head = this.pending[0]!;
      const written = this.socket.write(head);
      if (written <= 0) return;
      this.lastProgressAt = performance.now();
      this.pendingBytes -= written;
      if (written < head.length) {
        this.pending[0] = head.subarray(written);
        return;
      }
      this.pending.shift();
    }
    if (this.closing) this.socket.end();
    else {
      for (const fn of this.drainListeners) fn();
      this.notifyRoom();
    }
  }

  /** Called whenever everything queued has been handed to the socket after a backlog. */
  onDrain(fn: () => void): () => void {
    this.drainListeners.add(fn);
    return () => this.drainListeners.delete(fn);
  }

  /** Resolves once the queue of unsent replies is below the high-water mark (or the client is gone). */
  waitForRoom(): Promise<void> {
    if (this.closed || this.pendingBytes < OUTPUT_HIGH_WATER_BYTES) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.onRoom(() => {
        off();
        resolve();
      });
    });
  }

  /** Called whenever the client has read enough for the queue to drop below the high-water mark. */
  onRoom(fn: () => void): () => void {
    this.roomListeners.add(fn);
    return () => this.roomListeners.delete(fn);
  }

  private notifyRoom(): void {
    if (this.pendingBytes >= OUTPUT_HIGH_WATER_BYTES) return;
    for (const fn of [...this.roomListeners]) fn();
  }

  /** Closes after everything queued has been sent. */
  end(): void {
    if (this.closed || this.closing) return;
    this.closing = true;
    if (this.pending.length === 0) this.socket.end();
  }

  /** Closes at once (misbehaving client). */
  destroy(): void {
    if (this.closed) return;
    this.pending = [];
    this.pendingBytes = 0;
    this.socket.terminate();
    this.markClosed();
  }

  onClose(fn: () => void): () => void {
    if (this.closed) {
      fn();
      return () => {};
    }
    this.closeListeners.add(fn);
    return () => this.closeListeners.delete(fn);
  }

  markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fn of this.closeListeners) fn();
    this.closeListeners.clear();
    for (const fn of [...this.roomListeners]) fn();
    this.roomListeners.clear();
  }

  get pendingOutputBytes(): number {
    return this.pendingBytes;
  }

  private enqueue(bytes: Uint8Array): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes > MAX_PENDING_OUTPUT_BYTES) this.destroy();
  }
}
