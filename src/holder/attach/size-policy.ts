// Which size the session takes while people are attached (SPEC §3a): that of the most recently
// active attached terminal, as tmux's `window-size latest`. Agents take part too: `resize ID COLS
// ROWS` is an activity like any other and wins until an attached person types or resizes again,
// and once the last person has left the session goes back to the size the agents asked for, so
// watching a session never leaves it at a person's size. Read-only terminals never size it.

import type { Size } from "../../protocol/messages.ts";

export type { Size };

interface Source {
  size: Size;
  /** Order of the last activity (a counter rather than a clock: no ties, no clock jumps). */
  activeAt: number;
}

export class SizePolicy {
  private agent: Source;
  private readonly terminals = new Map<number, Source>();
  private clock = 0;

  constructor(initial: Size) {
    this.agent = { size: { ...initial }, activeAt: this.tick() };
  }

  /** An agent's `resize` (or the size given at `start`). */
  resizeByAgent(size: Size): void {
    this.agent = { size: { ...size }, activeAt: this.tick() };
  }

  /** A terminal attached (not read-only): it is the most recently active one now. */
  attach(id: number, size: Size): void {
    this.terminals.set(id, { size: { ...size }, activeAt: this.tick() });
  }

  detach(id: number): void {
    this.terminals.delete(id);
  }

  /** The terminal changed size: that counts as activity. */
  resizeTerminal(id: number, size: Size): void {
    const t = this.terminals.get(id);
    if (!t) return;
    t.size = { ...size };
    t.activeAt = this.tick();
  }

  /** The person at this terminal typed. */
  touch(id: number): void {
    const t = this.terminals.get(id);
    if (t) t.activeAt = this.tick();
  }

  get attachedCount(): number {
    return this.terminals.size;
  }

  /** The size the session should have now. */
  target(): Size {
    let best = this.agent;
    for (const t of this.terminals.values()) if (t.activeAt > best.activeAt) best = t;
    return { ...best.size };
  }

  private tick(): number {
    return ++this.clock;
  }
}
