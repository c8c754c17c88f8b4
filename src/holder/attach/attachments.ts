// Everyone attached to this holder's session: who sizes the session (SizePolicy), and whether the
// emulator should answer terminal queries (only while no real terminal that can type is attached:
// such a terminal answers them itself, and two answers would confuse the program).
import { MAX_COLS, MAX_ROWS } from "../../constants.ts";
import type { Connection } from "../connection.ts";
import type { HolderSession } from "../session.ts";
import { Attacher } from "./attacher.ts";
import { SizePolicy, type Size } from "./size-policy.ts";

export interface AttachOptions {
  cols: number;
  rows: number;
  readOnly: boolean;
}

export class Attachments {
  private readonly policy: SizePolicy;
  private readonly attachers = new Map<number, Attacher>();
  private nextId = 1;
  /** True while we resize the session ourselves (any other resize is an agent's). */
  private applying = false;

  constructor(private readonly session: HolderSession) {
    this.policy = new SizePolicy({ cols: session.cols, rows: session.rows });
    session.onResize((cols, rows) => this.sessionResized({ cols, rows }));
  }

  get count(): number {
    return this.attachers.size;
  }

  /** Attaches a connection: the session may take its size, then it gets `attached` and a redraw. */
  attach(conn: Connection, opts: AttachOptions): Attacher {
    const id = this.nextId++;
    const size = { cols: Math.min(opts.cols, MAX_COLS), rows: Math.min(opts.rows, MAX_ROWS) };
    const attacher = new Attacher(id, opts.readOnly, size, this.session, conn, {
      typed: (a) => this.typed(a),
      resized: (a, s) => this.terminalResized(a, s),
      ended: (a) => this.detached(a),
    });
    if (!opts.readOnly) this.policy.attach(id, size);
    this.applySize();
    this.attachers.set(id, attacher);
    this.updateQueryAnswering();
    conn.send({ type: "attached", cols: this.session.cols, rows: this.session.rows, read_only: opts.readOnly });
    attacher.start();
    return attacher;
  }

  private typed(a: Attacher): void {
    this.policy.touch(a.id);
    this.applySize();
  }

  private terminalResized(a: Attacher, size: Size): void {
    this.policy.resizeTerminal(a.id, size);
    this.applySize();
  }

  private detached(a: Attacher): void {
    this.attachers.delete(a.id);
    this.policy.detach(a.id);
    this.updateQueryAnswering();
    if (!this.session.exit) this.applySize();
  }

  private applySize(): void {
    const { cols, rows } = this.policy.target();
    if (this.session.exit || (cols === this.session.cols && rows === this.session.rows)) return;
    this.applying = true;
    try {
      this.session.resize(cols, rows);
    } finally {
      this.applying = false;
    }
  }

  /** Every size change (ours or an agent's) redraws every attached terminal. */
  private sessionResized(size: Size): void {
    if (!this.applying) this.policy.resizeByAgent(size);
    for (const a of this.attachers.values()) void a.redraw();
  }

  private updateQueryAnswering(): void {
    let typing = 0;
    for (const a of this.attachers.values()) if (!a.readOnly) typing++;
    this.session.screen.setAnswerQueries(typing === 0);
  }
}

const registries = new WeakMap<HolderSession, Attachments>();

/** The session's attachments (created on first use). */
export function attachmentsOf(session: HolderSession): Attachments {
  let r = registries.get(session);
  if (!r) {
    r = new Attachments(session);
    registries.set(session, r);
  }
  return r;
}
