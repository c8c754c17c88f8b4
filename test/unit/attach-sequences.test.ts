import { expect, test } from "bun:test";
import { OutputTracker, REDRAW_PREFIX, restoreSequence } from "../../src/client/attach/sequences.ts";

const enc = new TextEncoder();

const tracked: Array<[string[], boolean, number]> = [
  [[], false, 0],
  [["\x1b[?1049h"], true, 0],
  [["\x1b[?1049hvim\x1b[?1049l"], false, 0],
  [["\x1b[?47h", "text"], true, 0],
  [["\x1b[?1047h", "\x1b[?1047l"], false, 0],
  [["\x1b[>1u"], false, 1],
  [["\x1b[>1u\x1b[>3u", "\x1b[<u"], false, 1],
  [["\x1b[>1u\x1b[<5u"], false, 0],
  [["\x1b[<u"], false, 0],
  [["\x1b[>4;1m"], false, 0], // modifyOtherKeys is not the kitty stack
];
for (const [chunks, alt, pushes] of tracked) {
  test(`OutputTracker ${JSON.stringify(chunks)}`, () => {
    const t = new OutputTracker();
    for (const c of chunks) t.feed(enc.encode(c));
    expect([t.alternateScreen, t.kittyKeyboardPushes]).toEqual([alt, pushes]);
  });
}

test("restore leaves the alternate screen only when the program was on it", () => {
  expect(restoreSequence({ alternateScreen: true, cursor: null, kittyKeyboardPushes: 0 }).startsWith("\x1b[?1049l")).toBe(true);
  expect(restoreSequence({ alternateScreen: false, cursor: null, kittyKeyboardPushes: 0 })).not.toContain("\x1b[?1049l");
});

test("restore resets the margins (which move the cursor) only when it can put the cursor back", () => {
  const known = restoreSequence({ alternateScreen: false, cursor: { row: 4, col: 9 }, kittyKeyboardPushes: 0 });
  expect(known).toContain("\x1b[r\x1b[5;10H");
  expect(known.endsWith("\r\n\x1b[J")).toBe(true);
  const unknown = restoreSequence({ alternateScreen: false, cursor: null, kittyKeyboardPushes: 0 });
  expect(unknown).not.toContain("\x1b[r");
  expect(unknown).not.toContain("\x1b[?6l");
  // A cursor at the start of a line stays on that line.
  expect(restoreSequence({ alternateScreen: false, cursor: { row: 3, col: 0 }, kittyKeyboardPushes: 0 }).endsWith("H\x1b[23;0t\r\x1b[J")).toBe(true);
});

test("restore pops the kitty keyboard stack only as far as the program pushed", () => {
  expect(restoreSequence({ alternateScreen: false, cursor: null, kittyKeyboardPushes: 2 })).toContain("\x1b[<2u");
  expect(restoreSequence({ alternateScreen: false, cursor: null, kittyKeyboardPushes: 0 })).not.toMatch(/\x1b\[<\d*u/);
});

test("restore and redraw put back the modes programs change", () => {
  for (const seq of [restoreSequence({ alternateScreen: false, cursor: null, kittyKeyboardPushes: 0 }), REDRAW_PREFIX]) {
    for (const mode of ["\x1b[0m", "\x1b[?25h", "\x1b[?1l", "\x1b[?2004l", "\x1b[?1000l", "\x1b[?1006l", "\x1b[?7h", "\x1b[4l"]) expect(seq).toContain(mode);
  }
  expect(REDRAW_PREFIX.endsWith("\x1b[H\x1b[2J")).toBe(true);
});
