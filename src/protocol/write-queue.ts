// Writing lines to a non-blocking socket, on either side: what the kernel does not take at once is
// queued, in order, and handed over when the socket says it has room again (its `drain`).

export class WriteQueue {
  private chunks: Uint8Array[] = [];
  private queued = 0;

  /**
   * `write` is the socket's: it returns how many bytes it took (0 or less: none). `onProgress` is
   * called whenever some bytes were taken.
   */
  constructor(
    private readonly write: (bytes: Uint8Array) => number,
    private readonly onProgress: () => void = () => {},
  ) {}

  /** Bytes waiting for the socket. */
  get queuedBytes(): number {
    return this.queued;
  }

  get isEmpty(): boolean {
    return this.chunks.length === 0;
  }

  /** Writes now, or queues behind what is already waiting. */
  push(bytes: Uint8Array): void {
    if (this.chunks.length > 0) return this.enqueue(bytes);
    const written = this.write(bytes);
    if (written > 0) this.onProgress();
    if (written < bytes.length) this.enqueue(bytes.subarray(Math.max(written, 0)));
  }

  /** On `drain`: writes what is queued; true once nothing is left. */
  flush(): boolean {
    while (this.chunks.length > 0) {
      const head = this.chunks[0]!;
      const written = this.write(head);
      if (written <= 0) return false;
      this.onProgress();
      this.queued -= written;
      if (written < head.length) {
        this.chunks[0] = head.subarray(written);
        return false;
      }
      this.chunks.shift();
    }
    return true;
  }

  clear(): void {
    this.chunks = [];
    this.queued = 0;
  }

  private enqueue(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.queued += bytes.length;
  }
}
