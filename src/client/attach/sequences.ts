// Escape sequences `attach` writes to the person's terminal. Like dtach, attach passes the
// program's output through rather than using the terminal's alternate screen itself (a program
// that switches screens, as vim does, would otherwise switch the person's own screen), so on
// every redraw and on detach it puts back every mode a program may have changed.

/** Modes a program may have changed, back to a terminal's defaults; the cursor stays where it is. */
const RESET_MODES = [
  // First: a terminal that misreads this private form as SGR 4 has it undone just below.
  "\x1b[>4m", // modifyOtherKeys off
  "\x1b[0m", // attributes
  "\x1b[?1l\x1b>\x1b[?66l", // normal cursor keys and keypad
  "\x1b[?2004l", // bracketed paste
  "\x1b[4l\x1b[?45l\x1b[?7h", // insert and reverse wrap off, autowrap on
  "\x1b[?9l\x1b[?1000l\x1b[?1001l\x1b[?1002l\x1b[?1003l\x1b[?1004l\x1b[?1005l\x1b[?1006l\x1b[?1015l\x1b[?1016l", // mouse, focus
  "\x1b[?2026l", // synchronized output
  "\x1b[?25h\x1b[0 q", // visible cursor, default shape
  "\x1b(B\x0f", // ASCII character set
].join("");

/** Origin mode off and the whole screen as scroll region: both move the cursor to the top left. */
const RESET_MARGINS = "\x1b[?6l\x1b[r";

const LEAVE_ALTERNATE_SCREEN = "\x1b[?1049l";

/** Before a redraw: the normal screen (the redraw enters the alternate one itself), defaults, cleared. */
export const REDRAW_PREFIX = LEAVE_ALTERNATE_SCREEN + RESET_MODES + RESET_MARGINS + "\x1b[H\x1b[2J";

/** Saves the window title on attach (xterm's title stack) so a program's title goes on detach. */
export const PUSH_TITLE = "\x1b[22;0t";
const POP_TITLE = "\x1b[23;0t";

export interface TerminalEnd {
  /** The program left the terminal on the alternate screen. */
  alternateScreen: boolean;
  /** Where the cursor is once off the alternate screen (0-based), when the holder told us. */
  cursor: { row: number; col: number } | null;
  /** Entries the program pushed on the kitty keyboard protocol's stack. */
  kittyKeyboardPushes: number;
}

/**
 * Puts the terminal back after attach: leaves the alternate screen when the program was on it,
 * pops what the program pushed on the kitty keyboard stack, resets modes and title, and
 * continues on a fresh line below the program's cursor. The margins are reset only when the
 * cursor can be put back afterwards (resetting them moves it).
 */
export function restoreSequence(end: TerminalEnd): string {
  // Sent only when the program pushed: terminals without the protocol (tmux among them) read
  // `CSI < u` as "restore cursor", which would move the cursor somewhere unrelated.
  const kitty = end.kittyKeyboardPushes > 0 ? `\x1b[<${end.kittyKeyboardPushes}u` : "";
  const margins = end.cursor ? `${RESET_MARGINS}\x1b[${end.cursor.row + 1};${end.cursor.col + 1}H` : "";
  // A cursor at the start of a line stays on it (no blank line); otherwise go to the next line.
  const newline = end.cursor?.col === 0 ? "\r" : "\r\n";
  return (end.alternateScreen ? LEAVE_ALTERNATE_SCREEN : "") + kitty + RESET_MODES + margins + POP_TITLE + newline + "\x1b[J";
}

/**
 * Follows what the output did to the terminal that only the end of an attachment must undo: the
 * alternate screen (for when the holder cannot tell us, the connection being lost) and pushes on
 * the kitty keyboard protocol's stack, which no emulator we have follows. Sequences split across
 * two chunks are missed.
 */
export class OutputTracker {
  alternateScreen = false;
  kittyKeyboardPushes = 0;
  private readonly decoder = new TextDecoder("latin1");

  feed(bytes: Uint8Array): void {
    const text = this.decoder.decode(bytes);
    const re = /\x1b\[(?:\?(1049|1047|47)([hl])|>\d*u|<(\d*)u)/g;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[1] !== undefined) this.alternateScreen = m[2] === "h";
      else if (m[0][2] === ">") this.kittyKeyboardPushes++;
      else this.kittyKeyboardPushes = Math.max(0, this.kittyKeyboardPushes - Math.max(1, Number(m[3] || "1")));
    }
  }
}
