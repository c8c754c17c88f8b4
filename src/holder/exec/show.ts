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

/** Where the redraw goes, relative to the cursor at the S mark. */
export interface EchoPlace {
  /** Rows from the cursor's row up to the row where the redraw starts. */
  up: number;
  /** Rows to delete there first: an echo the terminal itself made before the prompt (see findEcho). */
  drop: number;
  /** The column where the command is drawn, on the row the redraw starts from. */
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
 * Where the echo of `typed` is on a screen whose rows are `lines` (as `read --screen` gives them:
 * trailing blanks trimmed), searching the rows up to the cursor's; null when it is not there
 * (scrolled away, or the line editor showed it otherwise). Usually the line editor echoed the line
 * after the prompt and the cursor is on the next row. But a line typed just as the shell finished
 * the previous one, before its line editor took the terminal (or dash, which has none, printed its
 * prompt), is echoed by the terminal itself in cooked mode, at the start of a row, before the
 * prompt: those rows are deleted, so that the command appears after the prompt all the same.
 */
export function findEcho(lines: readonly string[], cursor: { row: number; col: number }, cols: number, typed: string): EchoPlace | null {
  const { text, places, rowStart } = cells(lines, cursor.row, cols);
  const at = text.lastIndexOf(typed);
  if (at === -1) return null;
  const first = places[at]!;
  const last = places[at + typed.length - 1]!;
  const rows = last.row - first.row + 1;
  const promptAfter = first.col === 0 && cursor.row === last.row + 1 && cursor.col > 0 && (lines[cursor.row] ?? "").trim() !== "";
  // dash: the terminal's echo, then the prompt, and the cursor after it.
  if (promptAfter) return { up: cursor.row - first.row, drop: rows, col: cursor.col };
  // The line editor's echo after the prompt, maybe below the terminal's own echo of the same line.
  const own = Math.ceil(typed.length / cols);
  const early = first.row - own;
  const echoedBefore = first.col > 0 && early >= 0 && text.slice(rowStart[early], rowStart[first.row]).trimEnd() === typed.trimEnd();
  if (echoedBefore) return { up: cursor.row - early, drop: own, col: first.col };
  return { up: cursor.row - first.row, drop: 0, col: first.col };
}

/**
 * The bytes that replace the echo at `place` with `shown` (from renderCommand): back to where the
 * echo starts, default colours, erase from there to the end of the screen, the command, and a new
 * line for its output.
 */
export function redrawEcho(place: EchoPlace, shown: string): string {
  const up = place.up > 0 ? `\x1b[${place.up}A` : "";
  const drop = place.drop > 0 ? `\x1b[${place.drop}M` : "";
  const right = place.col > 0 ? `\x1b[${place.col}C` : "";
  return `${up}\r${drop}${right}\x1b[m\x1b[J${shown}\r\n`;
}

/**
 * The rows up to `lastRow` as one string, each row padded to the width (a match may span wrapped
 * rows), with each character's place and where each row starts in the string.
 */
function cells(lines: readonly string[], lastRow: number, cols: number): { text: string; places: Array<{ row: number; col: number }>; rowStart: number[] } {
  let text = "";
  const places: Array<{ row: number; col: number }> = [];
  const rowStart: number[] = [];
  for (let row = 0; row <= lastRow && row < lines.length; row++) {
    rowStart.push(text.length);
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
  return { text, places, rowStart };
}

/** Code point ranges two cells wide (East Asian wide and fullwidth forms, emoji), as unicode 11 has them. */
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

/** Cells a character takes in the terminal (the emulator's unicode 11 widths, approximately). */
function cellWidth(c: number): number {
  if (c < 0x300) return 1;
  if (c <= 0x36f || c === 0x200b || c === 0x200c || c === 0x200d || (c >= 0xfe00 && c <= 0xfe0f)) return 0;
  return WIDE.some(([from, to]) => c >= from && c <= to) ? 2 : 1;
}
