// One attached terminal, holder side: after the `attach` request its connection carries the
// screen (a redraw, then live output) to the client, and keystrokes, size changes and the
// detach from it. See the Attach section of docs/protocol.md.
import { ATTACH_MAX_BACKLOG_BYTES, MAX_COLS, MAX_ROWS } from "../../constants.ts";
import { ErrorCode } from "../../errors.ts";
import { base64ToBytes, bytesToBase64, type LineEvent } from "../../protocol/codec.ts";
import { parseAttachLine } from "../../protocol/parse.ts";
import type { Connection } from "../connection.ts";
import type { ExitInfo, HolderSession } from "../session.ts";
import type { Size } from "./size-policy.ts";

/** What an attachment tells the registry of attachments. */
export interface AttacherEvents {
  /** The person typed (activity: the session may take this terminal's size). */
  typed(a: Attacher): void;
  resized(a: Attacher, size: Size): void;
  ended(a: Attacher): void;
}

export class Attacher {
  /** Output offset up to which this terminal has been sent the stream (or a redraw). */
  private sentUpTo = 0;
  /** Fell behind: output is skipped until the connection drains, then the screen is redrawn. */
  private behind = false;
  /** The redraw being prepared, if any. */
  private redrawing: Promise<void> | null = null;
  private redrawAgain = false;
  private ended = false;
  private inputTail: Promise<void> = Promise.resolve();
  private readonly offs: Array<() => void> = [];

  constructor(
    readonly id: number,
    readonly readOnly: boolean,
    public size: Size,
    private readonly session: HolderSession,
    private readonly conn: Connection,
    private readonly events: AttacherEvents,
  ) {}

  /** Takes the connection over and sends the first redraw. */
  start(): void {
    const { session, conn } = this;
    this.sentUpTo = session.ring.end;
    this.offs.push(
      session.onOutput((chunk, offset) => this.forward(chunk, offset)),
      session.onExit((info) => this.finishExited(info)),
      conn.onClose(() => this.end()),
      conn.onDrain(() => this.catchUp()),
    );
    conn.lineTap = (event) => this.receive(event);
    void this.redraw();
  }

  /**
   * Sends the whole current screen; the stream goes on from the offset it shows. Output that
   * arrives while it is prepared is covered by it (with the synchronous emulator the screen is
   * read in the same turn as the offset, so nothing is lost or shown twice).
   */
  redraw(): Promise<void> {
    if (this.ended) return Promise.resolve();
    if (this.redrawing) {
      this.redrawAgain = true;
      return this.redrawing;
    }
    this.redrawing = this.sendRedraws().finally(() => (this.redrawing = null));
    return this.redrawing;
  }

  private async sendRedraws(): Promise<void> {
    do {
      this.redrawAgain = false;
      let screen: string;
      try {
        screen = (await this.session.screen.serialize()) + this.session.screen.serializeExtras();
      } catch {
        return; // the screen is gone: the holder is stopping
      }
      if (this.ended) return;
      this.sentUpTo = this.session.ring.end;
      this.conn.send({ type: "redraw", cols: this.session.cols, rows: this.session.rows, offset: this.sentUpTo, screen });
    } while (this.redrawAgain);
  }

  private forward(chunk: Uint8Array, offset: number): void {
    if (this.ended || this.redrawing || this.behind) return;
    if (this.conn.pendingOutputBytes > ATTACH_MAX_BACKLOG_BYTES) {
      // A slow terminal must neither stall the holder nor make it buffer without limit.
      this.behind = true;
      return;
    }
    const skip = Math.max(0, this.sentUpTo - offset);
    if (skip >= chunk.length) return;
    this.conn.send({ type: "output", data: bytesToBase64(chunk.subarray(skip)), offset: offset + skip });
    this.sentUpTo = offset + chunk.length;
  }

  private catchUp(): void {
    if (!this.behind || this.ended || this.conn.pendingOutputBytes > 0) return;
    this.behind = false;
    void this.redraw();
  }

  private receive(event: LineEvent): void {
    if (this.ended) return;
    if (event.kind !== "line") return this.refuse("attach message longer than the line limit");
    // The JSON-Schema form of the zod schema: zod itself never loads in a holder (json-schema.ts).
    const parsed = parseAttachLine(event.text);
    if (!parsed.ok) return this.refuse(parsed.why);
    const msg = parsed.message;
    switch (msg.type) {
      case "input":
        // A read-only terminal has nothing to say to the program.
        if (!this.readOnly) this.deliver(base64ToBytes(msg.data));
        return;
      case "resize":
        this.size = { cols: Math.min(msg.cols, MAX_COLS), rows: Math.min(msg.rows, MAX_ROWS) };
        if (!this.readOnly) this.events.resized(this, this.size);
        return;
      case "detach":
        void this.finishDetached();
        return;
    }
  }

  /** Keystrokes go in order, each batch under the input lock like any write. */
  private deliver(bytes: Uint8Array): void {
    if (bytes.length === 0 || this.session.exit) return;
    this.session.touch();
    this.events.typed(this);
    const { session } = this;
    this.inputTail = this.inputTail.then(() => session.withInputLock(() => session.deliverInput(bytes))).catch(() => {
      // The program exited meanwhile: the exit is reported by finishExited.
    });
  }

  private async finishDetached(): Promise<void> {
    // What was typed before the detach key still reaches the program.
    await this.inputTail;
    if (this.ended) return;
    this.sendDetached("detach", null);
  }

  private finishExited(info: ExitInfo): void {
    if (this.ended) return;
    // Every output chunk was announced before the exit; a terminal that fell behind gets the
    // final screen instead.
    if (this.behind || this.redrawing) {
      this.behind = false;
      // The holder waits for this before it closes the connection.
      this.session.deferShutdown(this.redraw().then(() => this.sendDetached("exited", info)));
      return;
    }
    this.sendDetached("exited", info);
  }

  private sendDetached(reason: "detach" | "exited", info: ExitInfo | null): void {
    if (this.ended) return;
    const state = this.session.screen.detachState();
    this.conn.send({
      type: "detached",
      reason,
      alternate_screen: state.alternateScreen,
      cursor: state.cursor,
      exit_code: info?.exit_code ?? null,
      signal: info?.signal ?? null,
    });
    this.conn.end();
    this.end();
  }

  private refuse(message: string): void {
    this.conn.send({ type: "error", code: ErrorCode.PROTOCOL_ERROR, message });
    this.conn.end();
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const off of this.offs) off();
    // Lines still arriving belong to this attachment, never to the request queue.
    this.conn.lineTap = () => {};
    this.events.ended(this);
  }
}
