// Output the screen has not parsed yet. Parsing (@xterm/headless, in the holder's one thread)
// costs more than reading the PTY: done inline, a burst of output (`cat` of a big file) would run
// at the emulator's pace instead of the program's. So bulk output is kept and parsed once the
// program pauses, in slices between other work; small chunks (keystroke echo, prompts, terminal
// queries waiting for their answer) are parsed at once when nothing is held back. Whoever reads
// the screen first catches up (catchUp), so what it sees is exact; past a limit the backlog is
// parsed as it grows, and the program is then held back as a real terminal would hold it back.
import { SCREEN_BACKLOG_MAX_BYTES, SCREEN_INLINE_PARSE_BYTES, SCREEN_PARSE_IDLE_MS, SCREEN_PARSE_SLICE_BYTES } from "../constants.ts";

export interface BacklogLimits {
  inlineBytes: number;
  maxBytes: number;
  idleMs: number;
  sliceBytes: number;
}

const DEFAULT_LIMITS: BacklogLimits = {
  inlineBytes: SCREEN_INLINE_PARSE_BYTES,
  maxBytes: SCREEN_BACKLOG_MAX_BYTES,
  idleMs: SCREEN_PARSE_IDLE_MS,
  sliceBytes: SCREEN_PARSE_SLICE_BYTES,
};

export class ParseBacklog {
  private chunks: Uint8Array[] = [];
  private held = 0;
  private lastPushAt = 0;
  private cancelStep: (() => void) | null = null;

  constructor(
    private readonly parse: (bytes: Uint8Array) => void,
    private readonly limits: BacklogLimits = DEFAULT_LIMITS,
  ) {}

  /** Bytes pushed but not parsed yet. */
  get heldBytes(): number {
    return this.held;
  }

  /** Program output, in order. */
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.held === 0 && bytes.length <= this.limits.inlineBytes) return this.parse(bytes);
    // Kept past this call: the caller may reuse its buffer.
    this.chunks.push(bytes.slice());
    this.held += bytes.length;
    this.lastPushAt = performance.now();
    while (this.held > this.limits.maxBytes) this.parseOldest();
    this.scheduleStep(this.limits.idleMs);
  }

  /** Parses everything held back, now. */
  catchUp(): void {
    while (this.chunks.length > 0) this.parseOldest();
    this.stopStepping();
  }

  /** Forgets what is held back (the screen is going away). */
  clear(): void {
    this.chunks = [];
    this.held = 0;
    this.stopStepping();
  }

  private parseOldest(): void {
    const chunk = this.chunks.shift()!;
    this.held -= chunk.length;
    this.parse(chunk);
  }

  /** Parses one slice if the program has paused for idleMs, then goes on after other work. */
  private step(): void {
    this.cancelStep = null;
    const quietFor = performance.now() - this.lastPushAt;
    if (quietFor < this.limits.idleMs) return this.scheduleStep(this.limits.idleMs - quietFor);
    let parsed = 0;
    while (this.chunks.length > 0 && parsed < this.limits.sliceBytes) {
      parsed += this.chunks[0]!.length;
      this.parseOldest();
    }
    if (this.chunks.length > 0) this.scheduleStep(0);
  }

  private scheduleStep(delayMs: number): void {
    if (this.cancelStep || this.chunks.length === 0) return;
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
