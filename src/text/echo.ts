// Taking the terminal's echo of typed input out of a program's output (SPEC §10: a reply never
// begins with the echo of what was sent, and `--until` never matches text only in that echo).
//
// What is sent is known (its printable characters, line by line). The echo of a line is those
// characters in order, with anything a line editor mixes in while drawing them ignored: escape
// sequences (colours, bracketed-paste mode switches, cursor moves), CR, BS (zsh and fish draw,
// erase and redraw), and after a CR or cursor move the prompt redrawn in front of the text. Once
// a line's echo is complete, the rest of that output line (the editor's last redraw, its CR LF)
// belongs to the echo too.
//
// The first line's echo must begin before any other visible output: when it does not, nothing
// was echoed (a password, a program in raw mode) and nothing is taken out. Later lines' echoes may
// follow other output (a REPL's `... ` prompt, the previous line's result) and are searched for in
// order; one that never appears takes nothing out.

const ESC = 0x1b;

const enum Esc {
  None,
  Esc, // after ESC
  Intermediate, // ESC 0x20-0x2f ..., waiting for the final byte
  Csi, // ESC [
  String, // OSC/DCS/SOS/PM/APC body
  StringEsc, // ESC inside a string
}

const enum Mode {
  /** Nothing expected: output passes through. */
  Idle,
  /** Matching the current expected line. */
  Matching,
  /** The line's echo is complete: taking the rest of its output line. */
  Eating,
}

/** The printable characters of typed input, one string per line (empty lines left out). */
export function typedLines(input: string): string[] {
  const lines: string[] = [];
  let line = "";
  let esc = Esc.None;
  let prevCR = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    const c = ch.charCodeAt(0);
    if (esc === Esc.Esc && c !== 0x5b && c !== 0x4f && c !== 0x5d && c !== 0x50) {
      // Typed ESC followed by a character is ESC, then that character (vim: `\e:wq`), unless it
      // begins a key's sequence (CSI, SS3) or a string.
      esc = Esc.None;
    } else if (esc === Esc.Esc && c === 0x4f) {
      esc = Esc.Intermediate; // SS3: one more character, the key
      continue;
    } else if (esc !== Esc.None) {
      esc = nextEscState(esc, c);
      continue;
    }
    if (c === ESC) {
      esc = Esc.Esc;
      prevCR = false;
      continue;
    }
    if (c === 0x0d || c === 0x0a) {
      if (!(c === 0x0a && prevCR) && line !== "") lines.push(line);
      line = "";
      prevCR = c === 0x0d;
      continue;
    }
    prevCR = false;
    if (c === 0x08 || c === 0x7f) line = line.slice(0, -1);
    else if (c >= 0x20) line += ch;
  }
  if (line !== "") lines.push(line);
  return lines;
}

function nextEscState(state: Esc, c: number): Esc {
  switch (state) {
    case Esc.Esc:
      if (c === 0x5b) return Esc.Csi;
      if (c === 0x5d || c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f) return Esc.String;
      if (c >= 0x20 && c <= 0x2f) return Esc.Intermediate;
      return Esc.None;
    case Esc.Intermediate:
      return c >= 0x20 && c <= 0x2f ? Esc.Intermediate : Esc.None;
    case Esc.Csi:
      return c >= 0x40 && c <= 0x7e ? Esc.None : Esc.Csi;
    case Esc.String:
      if (c === 0x07) return Esc.None;
      return c === ESC ? Esc.StringEsc : Esc.String;
    case Esc.StringEsc:
      return c === 0x5c ? Esc.None : Esc.String;
    default:
      return Esc.None;
  }
}

/** CSI finals that move the cursor or erase: a line editor redrawing (SGR `m` and modes `h`/`l` are not). */
/** At most this many visible characters are taken for a prompt redrawn in front of an echo not yet begun. */
const REDRAWN_PROMPT_MAX = 80;

/** CSI finals that can move the cursor up: after the echo, the editor goes back over its line to draw it again. */
const UPWARD_FINALS = new Set(["A", "F", "H", "f", "d"]);

const REDRAW_FINALS = new Set(["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "P", "X", "@", "d", "f"]);

/** The column count of a CSI cursor-back sequence (ESC [ n D; n defaults to 1). */
export function cursorBackBy(seq: string): number {
  const m = /^\x1b\[(\d*)D$/.exec(seq);
  if (!m) return 0;
  return m[1] === "" ? 1 : Number(m[1]);
}

export class EchoFilter {
  /** keepLineEnds: an echoed line leaves its line end behind (for `--until`, where `^` and `\n`
   *  must still see that the output after the echo starts a line); a reply drops it. */
  constructor(private readonly keepLineEnds = false) {}

  private readonly expected: string[] = [];
  private mode = Mode.Idle;
  /** The current line's echo must begin before any other visible output. */
  private strict = false;
  private pos = 0;
  /** Output withheld while it may still turn out to be echo. */
  private pending = "";
  /** A CR, BS or cursor move was seen while matching: the editor redraws, a prompt may come first. */
  private redraw = false;
  /** Some of the current line's echo has been seen (pos may go back to 0 with BS). */
  private begun = false;
  /** Visible characters held as a prompt redrawn before the first line's echo began. */
  private promptHeld = 0;
  /** While eating a completed echo, the cursor moved up: the editor is drawing its (wrapped) line again. */
  private movedUp = false;
  /** Matching the same line once more, as the editor's full redraw of a line it wrapped (fish). */
  private recheck = false;
  private esc = Esc.None;
  private escText = "";
  /** Just after an echo's line end: a CR here (the editor's, before the output) changes nothing
   *  on screen and is dropped, so the reply does not begin with a lone CR. */
  private dropCR = false;

  /** Input was delivered now: its echo may follow in the output pushed from here on. */
  expect(input: string): void {
    const lines = typedLines(input);
    if (lines.length === 0) return;
    const wasIdle = this.mode === Mode.Idle && this.expected.length === 0;
    this.expected.push(...lines);
    if (wasIdle) this.beginLine(true);
  }

  /** Output text in; the same text with echo taken out (what is still undecided is withheld). */
  push(text: string): string {
    // Nothing expected and nothing half-read: the output passes as it is (a flood after the echo
    // costs no per-character work).
    if (this.passesThrough()) return text;
    let out = "";
    for (let i = 0; i < text.length; i++) {
      // Once the last echo is taken out, the rest passes as it is too.
      if (i > 0 && this.passesThrough() && this.pending === "") return out + text.slice(i);
      const ch = text[i]!;
      const c = ch.charCodeAt(0);
      if (this.esc !== Esc.None || c === ESC) {
        this.escText += ch;
        this.esc = c === ESC && this.esc === Esc.None ? Esc.Esc : nextEscState(this.esc, c);
        if (this.esc === Esc.None) {
          const seq = this.escText;
          this.escText = "";
          out += this.takeSequence(seq);
        }
        continue;
      }
      if (this.dropCR) {
        if (c === 0x0d) continue;
        this.dropCR = false;
      }
      out += this.takeChar(ch);
    }
    return out;
  }

  private passesThrough(): boolean {
    return this.mode === Mode.Idle && this.expected.length === 0 && this.esc === Esc.None && !this.dropCR;
  }

  /** No more output: whatever was withheld is output after all. */
  end(): string {
    const out = this.pending + this.escText;
    this.pending = "";
    this.escText = "";
    this.esc = Esc.None;
    this.expected.length = 0;
    this.mode = Mode.Idle;
    return out;
  }

  private beginLine(strict: boolean): void {
    this.pending = "";
    this.pos = 0;
    this.redraw = false;
    this.begun = false;
    this.promptHeld = 0;
    this.movedUp = false;
    this.recheck = false;
    if (this.expected.length === 0) {
      this.mode = Mode.Idle;
      return;
    }
    this.mode = Mode.Matching;
    this.strict = strict;
  }

  private get line(): string {
    return this.expected[0]!;
  }

  private takeSequence(seq: string): string {
    if (this.mode === Mode.Idle) return seq;
    const redraws = seq.charCodeAt(1) === 0x5b && REDRAW_FINALS.has(seq[seq.length - 1]!);
    if (this.mode === Mode.Eating) {
      if (redraws) this.redraw = true;
      if (redraws && UPWARD_FINALS.has(seq[seq.length - 1]!)) this.movedUp = true;
      return "";
    }
    // Matching: while nothing of the line has been seen in searching mode, it is plain output.
    if (!this.strict && this.pos === 0 && this.pending === "") return seq;
    if (redraws) this.redraw = true;
    // Back further than the echo so far: the editor goes to its line's start to draw the prompt and
    // the whole text again (python 3.13's REPL, for every key): match that copy from its start.
    if (this.begun && seq.endsWith("D") && cursorBackBy(seq) > this.pos) this.pos = 0;
    this.pending += seq;
    return "";
  }

  private takeChar(ch: string): string {
    switch (this.mode) {
      case Mode.Idle:
        return ch;
      case Mode.Eating:
        return this.eat(ch);
      case Mode.Matching:
        return this.match(ch);
    }
  }

  private eat(ch: string): string {
    const c = ch.charCodeAt(0);
    if (c === 0x0a && this.movedUp) {
      // The editor went up over its wrapped line and comes down again: it may draw the whole line
      // once more (fish at a narrow width) before the program's output.
      this.beginLine(true);
      this.recheck = true;
      return "";
    }
    if (c === 0x0a) {
      this.expected.shift();
      this.beginLine(false);
      this.dropCR = true;
      return this.keepLineEnds ? "\n" : "";
    }
    if (c === 0x0d || c === 0x08) {
      this.redraw = true;
      return "";
    }
    if (c < 0x20 || c === 0x7f || this.redraw) return "";
    // Visible output right after the echo, with no redraw in between: the program's own.
    this.expected.shift();
    this.beginLine(false);
    return this.takeChar(ch);
  }

  private match(ch: string): string {
    const c = ch.charCodeAt(0);
    const searching = !this.strict;
    if (searching && this.pos === 0 && this.pending === "" && ch !== this.line[0]) return ch;
    // Fish wraps a long line at a space by moving the cursor over it (ESC [ C) rather than drawing it.
    if (this.redraw && this.begun && this.line[this.pos] === " " && ch !== " " && ch === this.line[this.pos + 1]) this.pos++;
    if (ch === this.line[this.pos]) {
      this.pending += ch;
      this.begun = true;
      if (++this.pos === this.line.length) {
        this.pending = "";
        this.mode = Mode.Eating;
        this.redraw = false;
      }
      return "";
    }
    if (c === 0x0d || c === 0x08) {
      if (c === 0x08 && this.pos > 0) this.pos--;
      this.redraw = true;
      this.pending += ch;
      return "";
    }
    // A line feed inside the first line's echo: the editor wrapping its long line (fish moves down
    // itself); and before a redraw's first character, the editor's cursor moving.
    if (c === 0x0a && this.strict && (this.begun || this.recheck)) {
      this.redraw = true;
      this.pending += ch;
      return "";
    }
    if (c === 0x0a) return this.mismatch(ch);
    if (c < 0x20 || c === 0x7f) {
      this.pending += ch;
      return "";
    }
    // A prompt or highlighting redrawn in front of / around text already begun.
    if (this.redraw && this.begun) {
      this.pending += ch;
      return "";
    }
    // Drawn again, the line may be indented (fish pads after a right prompt); anything else visible
    // before it is the program's output.
    if (this.recheck && !this.begun) {
      if (ch !== " " || this.promptHeld++ >= REDRAWN_PROMPT_MAX) return this.mismatch(ch);
      this.pending += ch;
      return "";
    }
    // An editor that redraws its whole line for every key (python 3.13's REPL: cursor back, the
    // prompt, the text so far) draws the prompt again before the first character of the echo. Only
    // the first line's echo, only on the line the cursor moved back along, and only a prompt's length.
    if (this.redraw && this.strict && this.promptHeld++ < REDRAWN_PROMPT_MAX) {
      this.pending += ch;
      return "";
    }
    return this.mismatch(ch);
  }

  /** Not this line's echo after all. */
  private mismatch(ch: string): string {
    if (this.recheck) {
      // Not drawn again: what was held is the editor's cursor motion down past its line; the
      // program's output starts a line here.
      this.expected.shift();
      this.beginLine(false);
      return (this.keepLineEnds ? "\n" : "") + this.takeChar(ch);
    }
    if (this.strict) {
      // The first line was not echoed: nothing of this input is.
      const out = this.pending + ch;
      this.expected.length = 0;
      this.beginLine(false);
      return out;
    }
    // Searching: the candidate began at its first character (visible: nothing is held before
    // one); output that one and look again from the next (the echo may start inside what was held).
    const held = this.pending + ch;
    this.pending = "";
    this.pos = 0;
    this.redraw = false;
    this.begun = false;
    return held[0]! + this.push(held.slice(1));
  }
}
