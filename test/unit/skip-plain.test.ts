// Skipping plain text that scrolls away unseen (holder/skip-plain.ts) must never change what the
// screen shows: a screen that skips and one that parses every byte are fed the same random mix of
// floods, escape sequences (scroll regions, cursor moves, colours, the alternate screen, REP, C1
// controls) in random chunks, and compared at random moments, history, colours and cursor included.
import { expect, test } from "bun:test";
import { Screen } from "../../src/holder/screen.ts";
import { plainRunLength, skippablePrefix } from "../../src/holder/skip-plain.ts";
import { makeRandom } from "../helpers/random.ts";

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);

test.each([
  ["plain text and line ends", "ab\tc\r\nd\n", 8, false],
  ["stops at ESC", "ab\x1b[m", 2, true],
  ["stops at BS", "a\bb", 1, true],
  ["UTF-8 is plain", "é€漢\r\n", bytes("é€漢\r\n").length, false],
  ["a C1 control (U+009B, CSI) is not", "a\u009bm", 1, true],
  ["0xC2 at the end waits for its next byte", "a\u00e9".slice(0, 1) + "\u00c2", 1, false],
] as const)("plainRunLength: %s", (_name, text, length, complete) => {
  const b = text.endsWith("\u00c2") ? Uint8Array.of(0x61, 0xc2) : bytes(text);
  expect(plainRunLength(b)).toEqual({ length, complete });
});

test("skippablePrefix cuts before the last CR followed by enough lines and a printable character", () => {
  expect(skippablePrefix(bytes("a\r\nb\r\nc\r\nd"), 2)).toBe(4);
  expect(skippablePrefix(bytes("a\r\nb\r\n"), 3)).toBe(0);
  // Lines with no printable character after the cut: REP would repeat a skipped character.
  expect(skippablePrefix(bytes("a\r\n\r\n\r\n"), 2)).toBe(0);
  expect(skippablePrefix(bytes("a\nb\nc\nd\n"), 1)).toBe(0);
});

const COLS = 20;
const ROWS = 5;
const SCROLLBACK = 12;

function randomOutput(rand: () => number): Uint8Array {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const word = () => Array.from({ length: Math.floor(rand() * 30) }, () => pick(["a", "b", "y", " ", "\t", "é", "漢", "€", "x"])).join("");
  const ends = ["\r\n", "\n", "\r", "\r\n", "\r\n"];
  const escapes = [
    "\x1b[31m", "\x1b[0m", "\x1b[1;44m", "\x1b[H", "\x1b[3;7H", "\x1b[2J", "\x1b[K", "\x1b[2;4r", "\x1b[r", "\x1b[?1049h",
    "\x1b[?1049l", "\x1b[3b", "\x1b[?7l", "\x1b[?7h", "\x1b[4h", "\x1b[4l", "\x1b(0", "\x1b(B", "\u009b5C", "\x1b]0;title", "\x07",
    "\b", "\x1b[5A", "\x1b[20L", "\x1b[2M", "\x1bM", "\x1b[?6h", "\x1b[?6l", "\x0e", "\x0f",
  ];
  let s = "";
  const parts = 5 + Math.floor(rand() * 40);
  for (let i = 0; i < parts; i++) {
    const r = rand();
    if (r < 0.2) s += pick(escapes);
    else if (r < 0.35) s += `${word()}${pick(["\r\n", "\n"])}`.repeat(1 + Math.floor(rand() * 200));
    else if (r < 0.45) s += "y\r\n".repeat(1 + Math.floor(rand() * 3000));
    else s += word() + pick(ends);
  }
  return bytes(s);
}

async function view(screen: Screen): Promise<unknown> {
  return { capture: await screen.capture(SCROLLBACK + ROWS), serialized: await screen.serialize() };
}

test("a screen that skips shows exactly what one that parses everything shows (200 random runs)", async () => {
  const seed = Number(process.env.SKIP_SEED ?? Date.now() % 1_000_000);
  const rand = makeRandom(seed);
  let skipped = 0;
  for (let run = 0; run < 200; run++) {
    const fast = new Screen(COLS, ROWS, { scrollback: SCROLLBACK });
    const exact = new Screen(COLS, ROWS, { scrollback: SCROLLBACK, skipPlain: false });
    const out = randomOutput(rand);
    let at = 0;
    while (at < out.length) {
      const n = 1 + Math.floor(rand() * (rand() < 0.5 ? 64 : 20_000));
      const chunk = out.subarray(at, at + n);
      fast.feed(chunk);
      exact.feed(chunk);
      at += n;
      if (rand() < 0.1) expect({ seed, run, at, ...((await view(fast)) as object) }).toEqual({ seed, run, at, ...((await view(exact)) as object) });
    }
    expect({ seed, run, ...((await view(fast)) as object) }).toEqual({ seed, run, ...((await view(exact)) as object) });
    skipped += fast.skippedBytes;
    fast.dispose();
    exact.dispose();
  }
  // The comparison is only worth something if text was skipped.
  expect(skipped).toBeGreaterThan(100_000);
}, 120_000);
