// Output the screen has not parsed yet. Parsing (@xterm/headless, in the holder's one thread)
// costs more than reading the PTY: done inline, a burst of output (`cat` of a big file) would run
// at the emulator's pace instead of the program's. So bulk output is kept and parsed once the
// program pauses, in slices between other work; small chunks (keystroke echo, prompts, terminal
// queries waiting for their answer) are parsed at once when nothing is held back. Whoever reads
// the screen first catches up (catchUp), so what it sees is exact; past a limit the backlog is
// parsed as it grows, and the program is then held back as a real terminal would hold it back.
// Plain text that has scrolled out of reach before it would be parsed is skipped (skip-plain.ts):
// a flood of text (`yes`, `cat` of a log) costs the emulator only its last screenfuls, so the
// holder keeps up with it and a reader of the screen waits for little.
import { SCREEN_BACKLOG_MAX_BYTES, SCREEN_INLINE_PARSE_BYTES, SCREEN_PARSE_IDLE_MS, SCREEN_PARSE_SLICE_BYTES, SCREEN_SKIP_MIN_BYTES } from "../constants.ts";
import { plainRunLength, skippablePrefix } from "./skip-plain.ts";

/** How long the program must be quiet before the backlog's buffer is let go. */
const BUFFER_RELEASE_MS = 1000;

export interface BacklogLimits {
  inlineBytes: number;
  maxBytes: number;
  idleMs: number;
  sliceBytes: number;
  /** Held bytes from which skipping plain text is tried as output comes. */
  skipMinBytes: number;
}

const DEFAULT_LIMITS: BacklogLimits = {
  inlineBytes: SCREEN_INLINE_PARSE_BYTES,
  maxBytes: SCREEN_BACKLOG_MAX_BYTES,
  idleMs: SCREEN_PARSE_IDLE_MS,
  sliceBytes: SCREEN_PARSE_SLICE_BYTES,
  skipMinBytes: SCREEN_SKIP_MIN_BYTES,
};

/** Asked before skipping: how many whole lines must follow skipped text for the emulator in its
 *  current state (skip-plain.ts), or null when nothing may be skipped now. */
export type SkipRule = () => number | null;

export class ParseBacklog {
  /** Held-back bytes are buf[head, tail): one buffer reused for a whole burst, not a copy per
   *  chunk (a flood of hundreds of MB would otherwise leave as much garbage behind). */
  private buf: Uint8Array | null = null;
  private head = 0;
  private tail = 0;
  private lastPushAt = 0;
  private cancelStep: (() => void) | null = null;
  /** buf[head, head + plainLength) is known plain text (skip-plain.ts)… */
  private plainLength = 0;
  /** …and plainEnded says a byte that is not plain follows it. */
  private plainEnded = false;
  /** Bytes skipped so far, never parsed. */
  skippedBytes = 0;

  constructor(
    private readonly parse: (bytes: Uint8Array) => void,
    private readonly limits: BacklogLimits = DEFAULT_LIMITS,
    private readonly skipRule: SkipRule | null = null,
  ) {}

  /** Bytes pushed but not parsed yet. */
  get heldBytes(): number {
    return this.tail - this.head;
  }

  /** Program output, in order. */
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.heldBytes === 0 && bytes.length <= this.limits.inlineBytes) return this.parse(bytes);
    this.lastPushAt = performance.now();
    let at = 0;
    while (at < bytes.length) {
      // Past the limit the oldest output is skipped if it may be, else parsed, as much as comes in.
      if (this.heldBytes >= this.limits.maxBytes) this.skipPlain();
      if (this.heldBytes >= this.limits.maxBytes) this.parseSlice();
      const take = Math.min(bytes.length - at, this.limits.maxBytes - this.heldBytes);
      // Kept past this call (the caller may reuse its buffer): copied into ours.
      this.room(take).set(bytes.subarray(at, at + take), this.tail);
      this.tail += take;
      at += take;
    }
    if (this.heldBytes >= this.limits.skipMinBytes) this.skipPlain();
    this.scheduleStep(this.limits.idleMs);
  }

  /** Parses everything held back, now. */
  catchUp(): void {
    this.skipPlain();
    while (this.heldBytes > 0) this.parseSlice();
    this.stopStepping();
  }

  /** Forgets what is held back (the screen is going away). */
  clear(): void {
    this.buf = null;
    this.head = this.tail = 0;
    this.forgetPlain();
    this.stopStepping();
  }

  /** Drops the plain text at the head that the screen would never show (skip-plain.ts). */
  private skipPlain(): void {
    if (!this.skipRule || !this.buf || this.heldBytes === 0) return;
    if (!this.plainEnded) {
      // Only what came since the last look is scanned.
      const run = plainRunLength(this.buf.subarray(this.head + this.plainLength, this.tail));
      this.plainLength += run.length;
      this.plainEnded = run.complete;
    }
    if (this.plainLength === 0) return;
    const lines = this.skipRule();
    if (lines === null) return;
    const skip = skippablePrefix(this.buf.subarray(this.head, this.head + this.plainLength), lines);
    if (skip === 0) return;
    this.head += skip;
    this.plainLength -= skip;
    this.skippedBytes += skip;
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  private forgetPlain(): void {
    this.plainLength = 0;
    this.plainEnded = false;
  }

  /** The buffer, with room for `n` more bytes at `tail`. */
  private room(n: number): Uint8Array {
    const held = this.heldBytes;
    if (this.buf && this.tail + n <= this.buf.length) return this.buf;
    if (this.buf && held + n <= this.buf.length) {
      this.buf.copyWithin(0, this.head, this.tail);
    } else {
      const size = Math.min(this.limits.maxBytes, Math.max(2 * (held + n), this.limits.sliceBytes));
      const bigger = new Uint8Array(size);
      if (this.buf) bigger.set(this.buf.subarray(this.head, this.tail));
      this.buf = bigger;
    }
    this.head = 0;
    this.tail = held;
    return this.buf!;
  }

  /** Parses the oldest slice (the emulator decodes each write into a buffer 4× its size). */
  private parseSlice(): void {
    const end = Math.min(this.tail, this.head + this.limits.sliceBytes);
    const slice = this.buf!.subarray(this.head, end);
    const consumed = end - this.head;
    if (consumed >= this.plainLength) this.forgetPlain();
    else this.plainLength -= consumed;
    this.head = end;
    if (this.head === this.tail) this.head = this.tail = 0;
    this.parse(slice);
  }

  /** Parses one slice if the program has paused for idleMs, then goes on after other work. */
  private step(): void {
    this.cancelStep = null;
    const quietFor = performance.now() - this.lastPushAt;
    if (quietFor < this.limits.idleMs) return this.scheduleStep(this.limits.idleMs - quietFor);
    this.skipPlain();
    if (this.heldBytes > 0) this.parseSlice();
    if (this.heldBytes > 0) this.scheduleStep(0);
    else this.scheduleRelease();
  }

  /** The buffer is kept for the next burst while output keeps coming, and goes once the program
   *  has been quiet for a while: an idle holder keeps no backlog memory. */
  private scheduleRelease(): void {
    const timer = setTimeout(() => {
      if (this.heldBytes === 0 && performance.now() - this.lastPushAt >= BUFFER_RELEASE_MS) this.buf = null;
    }, BUFFER_RELEASE_MS);
    timer.unref();
  }

  private scheduleStep(delayMs: number): void {
    if (this.cancelStep || this.heldBytes === 0) return;
    if (delayMs <= 0) {
      const immediate = setImmediate(() => this.step());
      this.cancelStep = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(() => this.step(), delayMs);
      this.cancelStep = () => clearTimeout(timer);
    }
  }

  private stopStepping(): void {
    this.cancelStep?.();
    this.cancelStep = null;
  }
}
