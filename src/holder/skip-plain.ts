// Which part of a flood the screen never needs to parse. Text without escape sequences or control
// characters (other than TAB, LF and CR) only writes characters into lines and moves the cursor
// down; once enough whole lines follow it, every line it wrote has scrolled out of the screen and
// of the history the emulator keeps, and no state it changed is left: the screen is byte for byte
// what parsing it would have given. So `yes` or `cat` of a text file costs the emulator the last
// few thousand lines, not every byte. The rules, for a plain run starting where parsing stands:
//  - the emulator is in its ground state (not inside an escape sequence) with no scroll region
//    (with one, a line feed below it does not scroll, and old text could stay visible);
//  - the cut comes right before a CR (which is parsed), so the column is 0 on both paths from
//    there, and the cursor row, which may differ, has reached the bottom after `rows` line feeds;
//  - at least `linesNeeded` (2 × rows + scrollback) LFs of plain text follow the cut, so every
//    line kept on screen or in history was scrolled in fresh after it;
//  - a printable character follows the cut (REP, CSI b, repeats the last printed character).

const LF = 0x0a;
const CR = 0x0d;

/** Bytes that may not be skipped: C0 controls but TAB/LF/CR, and DEL. 0xC2 starts a C1 control
 *  when followed by 0x80-0x9F (xterm decodes UTF-8 first) and is checked with its next byte. */
const UNSAFE = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) if (b !== 0x09 && b !== LF && b !== CR) UNSAFE[b] = 1;
UNSAFE[0x7f] = 1;

/**
 * Length of the plain run at the start of `bytes`. `complete` is false when the run reaches the
 * end of `bytes`, or stops at a 0xC2 whose next byte is not there yet (more may follow).
 */
export function plainRunLength(bytes: Uint8Array): { length: number; complete: boolean } {
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (UNSAFE[b] === 1) return { length: i, complete: true };
    if (b === 0xc2) {
      if (i + 1 >= n) return { length: i, complete: false };
      const next = bytes[i + 1]!;
      if (next >= 0x80 && next <= 0x9f) return { length: i, complete: true };
    }
  }
  return { length: n, complete: false };
}

/**
 * How many bytes at the start of the plain run `plain` can be skipped: up to (not including) the
 * last CR that has `linesNeeded` LFs and a printable character after it; 0 when there is none.
 */
export function skippablePrefix(plain: Uint8Array, linesNeeded: number): number {
  let lfs = 0;
  let printable = false;
  let i = plain.length - 1;
  for (; i >= 0; i--) {
    const b = plain[i]!;
    if (b === LF) lfs++;
    else if (b >= 0x20 && b < 0x7f) printable = true;
    if (lfs >= linesNeeded && printable) break;
  }
  for (; i >= 0; i--) if (plain[i] === CR) return i;
  return 0;
}
