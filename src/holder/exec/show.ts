// What a person watching the session sees of an exec. The shell echoes the line exec typed (the one
// that sources exec.sh), which says nothing about what ran. When the exec's S mark arrives, that
// echo is on the holder's screen just above the cursor: the holder finds it there and puts, in the
// S mark's place in the output stream, bytes that go back to where the echo starts, erase it, and
// print the agent's command as if it had been typed at the prompt. Everything downstream of the
// mark filter (the screen, attached terminals, recordings, the browser view) gets those bytes in
// order; exec's own output starts after them, so it never holds them.
//
// The command is shown as text only: control characters (an ESC, a CR…) appear in caret notation,
// as `cat -v` and a shell's line editor show them (`^[`, `^M`, `M-^[` for C1 controls), so a
// command cannot move the watcher's cursor, change colours or send anything to the terminal.
import { EXEC_SHOW_MAX_CHARS, EXEC_SHOW_MAX_LINES } from "../../constants.ts";

/** How the continuation lines of a multi-line command are shown (the shells' default PS2). */
const CONTINUATION = "> ";

export interface EchoPlace {
  /** Rows from the cursor's row up to the row where the echo starts. */
  up: number;
  /** The echo's first column (0-based). */
  col: number;
}

const decoder = new TextDecoder();

/**
 * The command as a person would see it typed: one string for the terminal, lines after the first
 * preceded by the continuation prompt, no final newline, control characters made visible, NUL
 * dropped (as the script drops it), cut after EXEC_SHOW_MAX_LINES lines or EXEC_SHOW_MAX_CHARS
 * characters with a note of what was left out.
 */
export function renderCommand(command: Uint8Array): string {
  const text = decoder.decode(command.includes(0) ? command.filter((b) => b !== 0) : command).replace(/(\r?\n)+$/, "");
  const lines = text.split("\n");
  const shown: string[] = [];
  let chars = 0;
  for (const line of lines) {
    if (shown.length === EXEC_SHOW_MAX_LINES || chars >= EXEC_SHOW_MAX_CHARS) break;
    const visible = visibleText(line.slice(0, EXEC_SHOW_MAX_CHARS - chars));
    shown.push(line.length > EXEC_SHOW_MAX_CHARS - chars ? `${visible}…` : visible);
    chars += line.length;
  }
  if (shown.length < lines.length) shown.push(`… (${lines.length - shown.length} more lines)`);
  return shown.join(`\r\n${CONTINUATION}`);
}

/** Control characters in caret notation (`^[`, `^?`, `M-^[`); a tab stays a tab. */
export function visibleText(s: string): string {
  // Fast path: most commands hold no control character at all.
  if (!/[\x00-\x08\x0a-\x1f\x7f-\x9f]/.test(s)) return s;
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x09 || (c >= 0x20 && c < 0x7f) || c > 0x9f) out += ch;
    else if (c === 0x7f) out += "^?";
    else if (c < 0x20) out += `^${String.fromCharCode(c + 0x40)}`;
    else out += `M-${visibleText(String.fromCharCode(c - 0x80))}`;
  }
  return out;
}

/**
 * Where the echo of `typed` starts on a screen whose rows are `lines` (as `read --screen` gives
 * them: trailing blanks trimmed), searching the rows up to the cursor's, or null when it is not
 * there (scrolled away, or the line editor showed it otherwise).
 */
export function findEcho(lines: readonly string[], cursor: { row: number; col: number }, cols: number, typed: string): EchoPlace | null {
  // The rows as one string of cells, each row padded to the width: a match may span wrapped rows.
  let text = "";
  const places: Array<{ row: number; col: number }> = [];
  for (let row = 0; row <= cursor.row && row < lines.length; row++) {
    let col = 0;
    for (const ch of lines[row]!) {
      text += ch;
      for (let k = 0; k < ch.length; k++) places.push({ row, col });
      col += cellWidth(ch.codePointAt(0)!);
    }
    for (; col < cols; col++) {
      text += " ";
      places.push({ row, col });
    }
  }
  const at = text.lastIndexOf(typed);
  if (at === -1) return null;
  const start = places[at]!;
  return { up: cursor.row - start.row, col: start.col };
}

/**
 * The bytes that replace the echo at `place` with `shown` (from renderCommand): back to where the
 * echo starts, default colours, erase from there to the end of the screen, the command, and a new
 * line for its output.
 */
export function redrawEcho(place: EchoPlace, shown: string): string {
  const up = place.up > 0 ? `\x1b[${place.up}A` : "";
  const right = place.col > 0 ? `\x1b[${place.col}C` : "";
  return `${up}\r${right}\x1b[m\x1b[J${shown}\r\n`;
}

/** Cells a character takes in the terminal (the emulator's unicode 11 widths, approximately). */
function cellWidth(c: number): number {
  if (c >= 0x300 && c <= 0x36f) return 0;
  if (c === 0x200b || c === 0x200c || c === 0x200d || (c >= 0xfe00 && c <= 0xfe0f)) return 0;
  if (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0x303e) ||
    (c >= 0x3041 && c <= 0x33ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xa000 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1f64f) ||
    (c >= 0x1f900 && c <= 0x1f9ff) ||
    (c >= 0x20000 && c <= 0x3fffd)
  )
    return 2;
  return 1;
}
