// Plain text: what a terminal would show, line by line (SPEC §3a "Plain text"), for `--strip-ansi`,
// `--until` matching, exec output and send replies. Escape sequences are removed; a carriage return
// goes back to the start of the line so that later characters overwrite (a progress line redrawn
// with CR shows its last state); backspace and the cursor-left/right, column and erase-in-line
// sequences move and erase within the line as they would on screen; no lone CR remains; `\r\n`
// becomes `\n`. Every LF of the input gives exactly one LF of the output (so line counts agree).
//
// It works on a stream read in pieces: complete lines come out of `push`; the line still being
// written is held (`pending`) until its LF, `flush` (a stream that must show it now) or `end`.
// A line partly given out by `flush` and then overwritten cannot be taken back: its new state
// starts a new line, so the stream still never holds a lone CR.

const ESC = 0x1b;
const BEL = 0x07;
const LF = 0x0a;
const CR = 0x0d;
const BS = 0x08;
const TAB = 0x09;

const enum State {
  Text,
  Esc, // after ESC
  EscIntermediate, // ESC followed by 0x20-0x2f (charset designation etc.), waiting for the final byte
  Csi, // ESC [
  String, // OSC / DCS / SOS / PM / APC body, ended by BEL (OSC) or ESC \
  StringEsc, // ESC seen inside a string
}

/**
 * Text that only needs CRLF -> LF: no escape sequence, no control character other than TAB and LF,
 * and every CR directly followed by LF. Most output of a busy program is like this; the native
 * regex scans it many times faster than the character loop below.
 */
const NOT_PLAIN_CRLF = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)/;
const CRLF = /\r\n/g;

export class AnsiStripper {
  private state = State.Text;
  /** Parameter bytes of the CSI sequence being read. */
  private csi = "";
  /** The line being written, and the cursor's column in it (UTF-16 units). */
  private line = "";
  private col = 0;
  /** How much of `line` a `flush` already gave out, and whether that part changed since. */
  private given = 0;
  private dirty = false;
  /** A CR at the end of the last piece, not applied yet (see push). */
  private heldCR = false;

  /** Takes the next piece of text; returns the lines it completed (each ending in LF). */
  push(text: string): string {
    // A CR that ends a piece is held until the next one: its LF most often starts that piece, and
    // a CRLF split between two pieces would otherwise send both through the character loop.
    if (this.heldCR) {
      text = "\r" + text;
      this.heldCR = false;
    }
    if (text.endsWith("\r")) {
      this.heldCR = true;
      text = text.slice(0, -1);
    }
    if (this.state === State.Text && this.col === this.line.length && !NOT_PLAIN_CRLF.test(text)) return this.pushPlain(text.replace(CRLF, "\n"));
    return this.pushEach(text);
  }

  /** What `flush` would give out now, without giving it out (the line still being written). */
  pending(): string {
    return this.dirty ? "\n" + this.line : this.line.slice(this.given);
  }

  /** Gives out the line still being written, as it stands now (a stream that must show it). */
  flush(): string {
    const out = this.pending();
    this.given = this.line.length;
    this.dirty = false;
    return out;
  }

  /** Ends the stream: the unfinished line as it stands, and a clean state for what follows. */
  end(): string {
    if (this.heldCR) {
      this.heldCR = false;
      this.pushEach("\r");
    }
    const out = this.flush();
    this.line = "";
    this.col = this.given = 0;
    this.state = State.Text;
    return out;
  }

  /** Text without controls other than TAB and LF, with the cursor at the end of the line. */
  private pushPlain(t: string): string {
    const first = t.indexOf("\n");
    if (first === -1) {
      this.line += t;
      this.col = this.line.length;
      return "";
    }
    this.line += t.slice(0, first);
    let out = this.takeLine();
    const last = t.lastIndexOf("\n");
    out += t.slice(first + 1, last + 1);
    this.line = t.slice(last + 1);
    this.col = this.line.length;
    return out;
  }

  /** The general case: character by character through the state machine. */
  private pushEach(text: string): string {
    let out = "";
    let runStart = -1;
    const flushRun = (i: number) => {
      if (runStart !== -1) {
        this.put(text.slice(runStart, i));
        runStart = -1;
      }
    };
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.state === State.Text) {
        if (c >= 0x20 && c !== 0x7f) {
          if (runStart === -1) runStart = i;
          continue;
        }
        flushRun(i);
        if (c === TAB) this.put("\t");
        else out += this.control(c);
        continue;
      }
      // Inside an escape sequence a line feed still ends the line (as a terminal executes C0
      // controls there), so that no LF is ever lost; the broken sequence is dropped.
      if (c === LF || c === CR) {
        this.state = State.Text;
        out += this.control(c);
        continue;
      }
      switch (this.state) {
        case State.Esc:
          if (c === 0x5b) {
            this.state = State.Csi;
            this.csi = "";
          } else if (c === 0x5d || c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f) this.state = State.String;
          else if (c >= 0x20 && c <= 0x2f) this.state = State.EscIntermediate;
          else if (c !== ESC) this.state = State.Text;
          break;
        case State.EscIntermediate:
          if (c < 0x20 || c > 0x2f) this.state = State.Text;
          break;
        case State.Csi:
          if (c >= 0x40 && c <= 0x7e) {
            this.state = State.Text;
            this.applyCsi(c);
          } else if (c >= 0x30 && c <= 0x3f) this.csi += text[i];
          else if (c === ESC) this.state = State.Esc;
          break;
        case State.String:
          if (c === BEL) this.state = State.Text;
          else if (c === ESC) this.state = State.StringEsc;
          break;
        case State.StringEsc:
          this.state = c === 0x5c ? State.Text : State.String;
          break;
      }
    }
    flushRun(text.length);
    return out;
  }

  /** A C0 control or DEL in text: returns what it completes (a line for LF). */
  private control(c: number): string {
    if (c === LF) return this.takeLine();
    if (c === CR) this.col = 0;
    else if (c === BS) this.col = Math.max(0, this.col - 1);
    else if (c === ESC) this.state = State.Esc;
    // BEL, NUL, SI/SO, DEL… are not text.
    return "";
  }

  /** Writes characters at the cursor, overwriting what is there. */
  private put(run: string): void {
    if (this.col === this.line.length) this.line += run;
    else {
      if (this.col > this.line.length) this.line += " ".repeat(this.col - this.line.length);
      if (this.col < this.given) this.dirty = true;
      this.line = this.line.slice(0, this.col) + run + this.line.slice(this.col + run.length);
    }
    this.col += run.length;
  }

  /** Cursor movement and erasing within the line; every other sequence only disappears. */
  private applyCsi(final: number): void {
    if (!/^[0-9;]*$/.test(this.csi)) return; // private (`?`, `>`) sequences move nothing here
    const n = Number(this.csi.split(";")[0] || "0");
    switch (final) {
      case 0x43: // C: cursor forward
        this.col += Math.max(1, n);
        break;
      case 0x44: // D: cursor back
        this.col = Math.max(0, this.col - Math.max(1, n));
        break;
      case 0x47: // G: cursor to column (1-based)
        this.col = Math.max(1, n) - 1;
        break;
      case 0x4b: // K: erase in line (0 to the end, 1 from the start, 2 all); the cursor stays
        if (n === 0) this.erase(this.col, this.line.length, "");
        else if (n === 1) this.erase(0, this.col + 1, " ".repeat(Math.min(this.col + 1, this.line.length)));
        else if (n === 2) this.erase(0, this.line.length, "");
        break;
    }
  }

  private erase(from: number, to: number, fill: string): void {
    if (from >= this.line.length) return;
    if (from < this.given) this.dirty = true;
    this.line = this.line.slice(0, from) + fill + this.line.slice(to);
  }

  /** Ends the line being written: what is left to give out of it, and a LF. */
  private takeLine(): string {
    const out = (this.dirty ? "\n" + this.line : this.line.slice(this.given)) + "\n";
    this.line = "";
    this.col = this.given = 0;
    this.dirty = false;
    return out;
  }
}

/** Plain text of a whole text at once. */
export function stripAnsi(text: string): string {
  const s = new AnsiStripper();
  return s.push(text) + s.end();
}
