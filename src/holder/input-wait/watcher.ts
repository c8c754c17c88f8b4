// Deciding when the session's program waits for input (SPEC §10), only while somebody asks.
//
// Waiting = the kernel says the foreground group is blocked reading the terminal (inspect.ts), the
// program has reacted to the last input, output has been quiet for INPUT_WAIT_SETTLE_MS, and
// everything it wrote before it began to wait has been taken in. That last part cannot be seen
// directly: python sits in pselect a moment after writing `>>> `, and those bytes may still be in
// the PTY (the kernel hands them to the master side asynchronously) or waiting for our event loop
// to read them. So a positive check is only believed when a second one INPUT_WAIT_CONFIRM_MS later
// agrees with no output in between, and before the first of them the screen emulator has parsed
// everything (it answers terminal queries, which a program may be blocked waiting for: that is
// not waiting for the user). Where the kernel's view is missing (macOS), output quiet for the
// asker's idle time stands in ("quiet" method).
//
// No timer runs while nobody asks: an idle session costs nothing (SPEC §7).
import { INPUT_WAIT_CONFIRM_MS, INPUT_WAIT_POLL_MS, INPUT_WAIT_REACTION_MS, INPUT_WAIT_SETTLE_MS } from "../../constants.ts";
import type { HolderSession } from "../session.ts";
import { inspectForeground, type ForegroundView } from "./inspect.ts";

interface Asker {
  /** Quiet time that stands in for the kernel's view (quiet method). */
  quietMs: number;
  notify: () => void;
}

export class InputWaitWatcher {
  private readonly askers = new Set<Asker>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private checking = false;
  /** A positive check waiting to be confirmed: when, and where the output ended then. */
  private positive: { at: number; end: number } | null = null;
  /** Brief waits on the terminal seen without a break: since when, where the output ended then, and
   *  the longest limit seen (see ForegroundView.briefMs). */
  private brief: { since: number; end: number; ms: number } | null = null;
  /** Input delivered that the program has not visibly reacted to yet. */
  private inputAt = Number.NEGATIVE_INFINITY;
  private inputEnd = 0;
  private reacted = true;

  constructor(private readonly session: HolderSession) {}

  /** Input reached the program (cheap: no timer, no /proc). */
  noteInput(): void {
    this.inputAt = performance.now();
    this.inputEnd = this.session.ring.end;
    this.reacted = false;
    this.positive = null;
    this.brief = null;
  }

  /** Calls `notify` once the program waits for input; returns a function that stops asking. */
  whenWaiting(notify: () => void, quietMs: number): () => void {
    const asker: Asker = { quietMs, notify };
    this.askers.add(asker);
    this.schedule(0);
    return () => {
      this.askers.delete(asker);
      if (this.askers.size === 0) this.stop();
    };
  }

  /**
   * One look, for status: the kernel's view now, and whether the program waits. A positive view
   * that is not yet settled is decided by watching a few milliseconds more.
   */
  async look(quietMs: number): Promise<{ view: ForegroundView; waiting: boolean | null }> {
    const view = inspectForeground(this.session.pid);
    if (this.session.exit) return { view, waiting: null };
    if (view.method === "kernel" && view.waiting !== true) return { view, waiting: view.waiting };
    const quietFor = performance.now() - this.session.lastOutputAt;
    if (view.method === "kernel" && view.briefMs === undefined && this.reacted && quietFor >= INPUT_WAIT_SETTLE_MS + INPUT_WAIT_CONFIRM_MS + INPUT_WAIT_POLL_MS) {
      return { view, waiting: true };
    }
    const limit =
      view.method === "kernel" ? (view.briefMs ?? 0) + INPUT_WAIT_SETTLE_MS + INPUT_WAIT_CONFIRM_MS + 4 * INPUT_WAIT_POLL_MS : quietMs;
    const waiting = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => done(false), limit);
      const stop = this.whenWaiting(() => done(true), quietMs);
      function done(value: boolean) {
        clearTimeout(timer);
        stop();
        resolve(value);
      }
    });
    return { view: inspectForeground(this.session.pid), waiting: this.session.exit ? null : waiting };
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.positive = null;
    this.brief = null;
  }

  private schedule(ms: number): void {
    if (this.askers.size === 0 || this.session.exit) return this.stop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.check();
    }, ms);
  }

  private async check(): Promise<void> {
    if (this.checking || this.askers.size === 0 || this.session.exit) return;
    this.checking = true;
    let next: number;
    try {
      next = await this.evaluate();
    } finally {
      this.checking = false;
    }
    this.schedule(next);
  }

  /** One check; notifies the askers whose condition holds. Returns when to check next (ms). */
  private async evaluate(): Promise<number> {
    const session = this.session;
    const view = inspectForeground(session.pid);
    const now = performance.now();
    const quietFor = now - session.lastOutputAt;
    if (view.method === "quiet") {
      let next = INPUT_WAIT_POLL_MS * 4;
      for (const a of [...this.askers]) {
        if (quietFor >= a.quietMs && (this.reacted || session.ring.end > this.inputEnd)) this.notify(a);
        else next = Math.min(next, Math.max(1, a.quietMs - quietFor));
      }
      return next;
    }
    if (view.waiting !== true) {
      this.positive = null;
      this.brief = null;
      if (view.waiting === false) this.reacted = true;
      return INPUT_WAIT_POLL_MS;
    }
    if (view.briefMs === undefined) this.brief = null;
    else if (!this.awaitBriefWait(view.briefMs, now)) {
      this.positive = null;
      return INPUT_WAIT_POLL_MS;
    }
    if (!this.reacted) {
      if (session.ring.end > this.inputEnd || now - this.inputAt >= INPUT_WAIT_REACTION_MS) this.reacted = true;
      else return INPUT_WAIT_POLL_MS;
    }
    if (quietFor < INPUT_WAIT_SETTLE_MS) {
      this.positive = null;
      return Math.max(1, INPUT_WAIT_SETTLE_MS - quietFor);
    }
    const end = session.ring.end;
    if (this.positive === null || this.positive.end !== end) {
      // Let the emulator parse (and answer queries in) everything first.
      const inputAt = this.inputAt;
      await session.screen.flush();
      if (session.ring.end !== end || this.inputAt !== inputAt) return INPUT_WAIT_POLL_MS;
      this.positive = { at: performance.now(), end };
      return INPUT_WAIT_CONFIRM_MS;
    }
    const confirmedIn = this.positive.at + INPUT_WAIT_CONFIRM_MS - now;
    if (confirmedIn > 0) return confirmedIn;
    for (const a of [...this.askers]) this.notify(a);
    return INPUT_WAIT_POLL_MS;
  }

  /**
   * Whether brief waits on the terminal have now lasted, without output and without a break in what
   * the checks saw, longer than their limit: the wait seen first has run out by then, so the
   * program went back to waiting on the terminal by itself. Checks keep coming every few
   * milliseconds meanwhile, so a program that leaves the wait (runs, exits) breaks the streak.
   */
  private awaitBriefWait(briefMs: number, now: number): boolean {
    const end = this.session.ring.end;
    if (this.brief === null || this.brief.end !== end) {
      this.brief = { since: now, end, ms: briefMs };
      return false;
    }
    this.brief.ms = Math.max(this.brief.ms, briefMs);
    return now - this.brief.since > this.brief.ms + INPUT_WAIT_POLL_MS;
  }

  private notify(a: Asker): void {
    this.askers.delete(a);
    a.notify();
  }
}
