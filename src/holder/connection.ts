// One client connection on the holder side: framing in, queued writes out (a client that reads
// slowly never makes the holder block or buffer without limit), and close notification.
import type { Socket } from "bun";
import { MAX_LINE_BYTES, OUTPUT_HIGH_WATER_BYTES } from "../constants.ts";
import { encodeLineBytes, LineDecoder, type LineEvent } from "../protocol/codec.ts";
import type { Reply } from "../protocol/messages.ts";
import { WriteQueue } from "../protocol/write-queue.ts";

/** A client that lets this much of our output pile up unread is disconnected. */
export const MAX_PENDING_OUTPUT_BYTES = 64 * 1024 * 1024;

export class Connection {
  readonly decoder = new LineDecoder(MAX_LINE_BYTES);
  private readonly queue: WriteQueue;
  private closed = false;
  private closing = false;
  private readonly closeListeners = new Set<() => void>();
  private readonly drainListeners = new Set<() => void>();
  private readonly roomListeners = new Set<() => void>();
  /** While set, incoming lines go here instead of the request queue (e.g. an attached terminal). */
  lineTap: ((event: LineEvent) => void) | null = null;

  constructor(private readonly socket: Socket<unknown>) {
    this.queue = new WriteQueue(
      (bytes) => socket.write(bytes),
      () => (this.lastProgressAt = performance.now()),
    );
  }

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
    this.queue.push(bytes);
    if (this.queue.queuedBytes > MAX_PENDING_OUTPUT_BYTES) this.destroy();
  }

  /** When the client last took replies off our queue (performance.now()). */
  lastProgressAt = performance.now();

  /** Socket became writable again: flush what is queued. */
  flush(): void {
    if (!this.queue.flush()) return;
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
    if (this.closed || this.queue.queuedBytes < OUTPUT_HIGH_WATER_BYTES) return Promise.resolve();
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
    if (this.queue.queuedBytes >= OUTPUT_HIGH_WATER_BYTES) return;
    for (const fn of [...this.roomListeners]) fn();
  }

  /** Closes after everything queued has been sent. */
  end(): void {
    if (this.closed || this.closing) return;
    this.closing = true;
    if (this.queue.isEmpty) this.socket.end();
  }

  /** Closes at once (misbehaving client). */
  destroy(): void {
    if (this.closed) return;
    this.queue.clear();
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
    return this.queue.queuedBytes;
  }
}
