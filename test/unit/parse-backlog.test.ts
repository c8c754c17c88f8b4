// The screen's parse backlog: bulk output waits for a pause, small output is parsed at once, the
// order never changes, and whoever reads the screen first gets everything parsed.
import { expect, test } from "bun:test";
import { ParseBacklog, type BacklogLimits } from "../../src/holder/parse-backlog.ts";
import { Screen } from "../../src/holder/screen.ts";
import { waitFor } from "../helpers/sandbox.ts";

const LIMITS: BacklogLimits = { inlineBytes: 4, maxBytes: 64, idleMs: 20, sliceBytes: 16, skipMinBytes: 32 };

function collector(): { parsed: number[]; parse: (b: Uint8Array) => void } {
  const parsed: number[] = [];
  return { parsed, parse: (b) => parsed.push(...b) };
}

const bytes = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (from + i) % 256);

test.each([
  ["a small chunk with nothing held back is parsed at once", [3], 3, 0],
  ["a large chunk is held back", [10], 0, 10],
  ["a small chunk behind a held-back one waits its turn", [10, 2], 0, 12],
  // 64 held, then 16-byte slices of the oldest are parsed as the last 26 bytes come in.
  ["past the limit, the oldest is parsed, a slice at a time, as more comes", [30, 30, 30], 32, 58],
] as const)("%s", (_name, sizes, parsedNow, held) => {
  const { parsed, parse } = collector();
  const backlog = new ParseBacklog(parse, LIMITS);
  let at = 0;
  for (const n of sizes) {
    backlog.push(bytes(at, n));
    at += n;
  }
  expect(parsed.length).toBe(parsedNow);
  expect(backlog.heldBytes).toBe(held);
  backlog.catchUp();
  expect(parsed).toEqual([...bytes(0, at)]);
  expect(backlog.heldBytes).toBe(0);
  backlog.clear();
});

test("the caller's buffer may be reused after push", () => {
  const { parsed, parse } = collector();
  const backlog = new ParseBacklog(parse, LIMITS);
  const buffer = bytes(0, 10);
  backlog.push(buffer);
  buffer.fill(0);
  backlog.catchUp();
  expect(parsed).toEqual([...bytes(0, 10)]);
});

test("once the output pauses, the backlog is parsed in slices, in order", async () => {
  const { parsed, parse } = collector();
  const backlog = new ParseBacklog(parse, LIMITS);
  for (let at = 0; at < 60; at += 10) backlog.push(bytes(at, 10));
  await waitFor("the backlog to be parsed after the pause", () => backlog.heldBytes === 0, 5000);
  expect(parsed).toEqual([...bytes(0, 60)]);
});

test("cleared, nothing more is parsed", async () => {
  const { parsed, parse } = collector();
  const backlog = new ParseBacklog(parse, LIMITS);
  backlog.push(bytes(0, 10));
  backlog.clear();
  await Bun.sleep(LIMITS.idleMs * 3);
  expect(parsed).toEqual([]);
  expect(backlog.heldBytes).toBe(0);
});

test("the screen is exact right after a burst, before the backlog was parsed in the background", async () => {
  const screen = new Screen(40, 5, { scrollback: 100 });
  const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${"x".repeat(i % 30)}\r\n`).join("");
  screen.feed(new TextEncoder().encode(lines + "\x1b[?2004hlast"));
  const cap = await screen.capture(0);
  const tail = [4996, 4997, 4998, 4999].map((i) => `line ${i} ${"x".repeat(i % 30)}`);
  expect(cap.lines).toEqual([...tail, "last"]);
  expect(screen.modes().bracketedPaste).toBe(true);
  screen.dispose();
});
