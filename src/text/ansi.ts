// Removing terminal escape sequences from output, for `--strip-ansi`, `--until` matching and exec.
// The stripper is streaming: a sequence split across two chunks is held back until complete.

const ESC = 0x1b;
const BEL = 0x07;

const enum State {
  Text,
  Esc, // after ESC
  EscIntermediate, // ESC followed by 0x20-0x2f (charset designation etc.), waiting for the final byte
  Csi, // ESC [
  String, // OSC / DCS / SOS / PM / APC body, ended by BEL (OSC) or ESC \
  StringEsc, // ESC seen inside a string
}

/**
 * Text the stripper would only turn CRLF into LF in: no escape sequence, no control character
 * other than TAB, LF and BS, and every CR directly followed by LF. Most output of a busy program
 * is like this; the native regex scans it many times faster than the character loop below.
 */
const NOT_PLAIN_CRLF = /[\x00-\x07\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)/;
const CRLF = /\r\n/g;

export class AnsiStripper {
  private state = State.Text;
  /** A lone CR at the end of a chunk, held until we know whether LF follows. */
  private pendingCR = false;

  /** Returns the plain text of this chunk (escape sequences removed, CRLF -> LF). */
  push(text: string): string {
    if (this.state === State.Text && !this.pendingCR && !NOT_PLAIN_CRLF.test(text)) return text.replace(CRLF, "\n");
    return this.pushEach(text);
  }

  /** The general case: character by character through the state machine. */
  private pushEach(text: string): string {
    let out = "";
    let runStart = -1;
    const flushRun = (i: number) => {
      if (runStart !== -1) {
        out += text.slice(runStart, i);
        runStart = -1;
      }
    };
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      switch (this.state) {
        case State.Text:
          if (this.pendingCR) {
            // CR CR ... LF shows as one line end (a program's own \r\n after the PTY's ONLCR).
            if (c === 0x0d) break;
            this.pendingCR = false;
            if (c !== 0x0a) out += "\r";
          }
          if (c === ESC) {
            flushRun(i);
            this.state = State.Esc;
          } else if (c === 0x0d) {
            flushRun(i);
            this.pendingCR = true;
          } else if (c < 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x08) {
            // Other C0 controls (BEL, SI/SO, NUL...) are not text.
            flushRun(i);
          } else if (c === 0x7f) {
            flushRun(i);
          } else if (runStart === -1) {
            runStart = i;
          }
          break;
        case State.Esc:
          if (c === 0x5b) this.state = State.Csi;
          else if (c === 0x5d || c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f) this.state = State.String;
          else if (c >= 0x20 && c <= 0x2f) this.state = State.EscIntermediate;
          else this.state = State.Text;
          break;
        case State.EscIntermediate:
          if (c < 0x20 || c > 0x2f) this.state = State.Text;
          break;
        case State.Csi:
          if (c >= 0x40 && c <= 0x7e) this.state = State.Text;
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

  /** Ends the stream: a CR still held is emitted. */
  end(): string {
    if (this.pendingCR) {
      this.pendingCR = false;
      return "\r";
    }
    return "";
  }
}

/** Strips a whole text at once. */
export function stripAnsi(text: string): string {
  const s = new AnsiStripper();
  return s.push(text) + s.end();
}
