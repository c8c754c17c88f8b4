// Garbage collection when a session falls quiet. Bun's own repeating GC timer is off in the holder
// (HOLDER_RUNTIME_ENV): it wakes an idle process every second for a while after any activity and
// every 30 s after that. Instead, after a burst of activity (output, input, requests) the holder
// collects once, when nothing has happened for QUIET_GC_DELAY_MS; while idle it has no timer.
// Activity that never stops (a program flooding output) would never get that collection, and the
// copies each chunk of output leaves behind would pile up: while busy, it collects every
// BUSY_GC_EVERY_MS as well.
import { BUSY_GC_EVERY_MS, QUIET_GC_DELAY_MS } from "../constants.ts";

export class QuietCollector {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastActivity = 0;
  private lastCollection = performance.now();

  constructor(
    private readonly delayMs: number = QUIET_GC_DELAY_MS,
    private readonly collect: () => void = () => Bun.gc(true),
    private readonly busyEveryMs: number = BUSY_GC_EVERY_MS,
  ) {}

  /** Something happened; cheap enough to call for every chunk of output. */
  note(): void {
    this.lastActivity = performance.now();
    if (!this.timer) this.arm(this.delayMs);
  }

  /** True while a collection is pending (i.e. not idle). */
  get pending(): boolean {
    return this.timer !== null;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.fire(), ms);
    // Never what keeps the holder alive.
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    const now = performance.now();
    const quietFor = now - this.lastActivity;
    // Activity since the timer was set: wait until it has been quiet long enough, collecting
    // meanwhile if it has been busy for long.
    if (quietFor < this.delayMs) {
      if (now - this.lastCollection >= this.busyEveryMs) this.collectNow();
      return this.arm(Math.min(this.delayMs - quietFor, this.busyEveryMs));
    }
    this.collectNow();
  }

  private collectNow(): void {
    this.lastCollection = performance.now();
    this.collect();
  }
}
