// The session's output history: the last `capacity` bytes, each addressed by its absolute offset
// (0 = the first byte the program ever wrote). Storage grows on demand up to the capacity so an
// idle session with little output costs little memory.

const INITIAL_STORAGE = 16 * 1024;

export class RingBuffer {
  private storage: Uint8Array;
  /** Absolute offset of the oldest byte kept. */
  private startOffset = 0;
  /** Absolute offset just after the newest byte. */
  private endOffset = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    this.storage = new Uint8Array(Math.min(capacity, INITIAL_STORAGE));
  }

  get start(): number {
    return this.startOffset;
  }

  get end(): number {
    return this.endOffset;
  }

  get length(): number {
    return this.endOffset - this.startOffset;
  }

  /** Appends bytes, dropping the oldest ones past the capacity. */
  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (bytes.length >= this.capacity) {
      this.ensureStorage(this.capacity);
      this.storage.set(bytes.subarray(bytes.length - this.capacity));
      this.endOffset += bytes.length;
      this.startOffset = this.endOffset - this.capacity;
      // Keep the invariant "offset o lives at o % storage.length".
      this.rotateToOffsets();
      return;
    }
    this.ensureStorage(Math.min(this.capacity, this.length + bytes.length));
    const size = this.storage.length;
    const at = this.endOffset % size;
    const first = Math.min(bytes.length, size - at);
    this.storage.set(bytes.subarray(0, first), at);
    if (first < bytes.length) this.storage.set(bytes.subarray(first), 0);
    this.endOffset += bytes.length;
    if (this.endOffset - this.startOffset > this.capacity) this.startOffset = this.endOffset - this.capacity;
  }

  /** A copy of the bytes in [from, to), clamped to what is kept. */
  slice(from: number, to: number = this.endOffset): Uint8Array {
    const lo = Math.max(from, this.startOffset);
    const hi = Math.min(to, this.endOffset);
    if (hi <= lo) return new Uint8Array(0);
    const out = new Uint8Array(hi - lo);
    const size = this.storage.length;
    const a = lo % size;
    const first = Math.min(out.length, size - a);
    out.set(this.storage.subarray(a, a + first));
    if (first < out.length) out.set(this.storage.subarray(0, out.length - first), first);
    return out;
  }

  /**
   * The bytes in [from, to) like slice, but without copying when they lie contiguously in storage.
   * The view is only valid until the next append: use it at once.
   */
  view(from: number, to: number = this.endOffset): Uint8Array {
    const lo = Math.max(from, this.startOffset);
    const hi = Math.min(to, this.endOffset);
    if (hi <= lo) return new Uint8Array(0);
    const a = lo % this.storage.length;
    if (a + (hi - lo) <= this.storage.length) return this.storage.subarray(a, a + (hi - lo));
    return this.slice(lo, hi);
  }

  /** Grows storage (never beyond capacity) so that `needed` bytes fit, keeping offsets valid. */
  private ensureStorage(needed: number): void {
    if (this.storage.length >= needed) return;
    let size = this.storage.length;
    while (size < needed) size *= 2;
    size = Math.min(size, this.capacity);
    const kept = this.slice(this.startOffset, this.endOffset);
    this.storage = new Uint8Array(size);
    this.placeAt(kept, this.startOffset);
  }

  /** Re-lays the current contents so that offset o lives at o % storage.length. */
  private rotateToOffsets(): void {
    const size = this.storage.length;
    const linear = this.storage.slice(0, this.length);
    this.storage = new Uint8Array(size);
    this.placeAt(linear, this.startOffset);
  }

  private placeAt(bytes: Uint8Array, offset: number): void {
    const size = this.storage.length;
    const a = offset % size;
    const first = Math.min(bytes.length, size - a);
    this.storage.set(bytes.subarray(0, first), a);
    if (first < bytes.length) this.storage.set(bytes.subarray(first), 0);
  }
}
