// Property tests with random input for the parsers that see untrusted bytes (docs/reliability.md,
// "Bad input"): the protocol line codec, the escape decoder, the key parser, the ANSI stripper and
// the request schemas. Properties: no exception escapes except the documented one, no hang (every
// call is time-bounded), and the output is what a simple reference model says. The seed is in each
// test's name; set DELTA_FUZZ_SEED to replay one.
import { describe, expect, test } from "bun:test";
import { DeltaError, ErrorCode } from "../../src/errors.ts";
import { decodeEscapeBytes, decodeEscapes } from "../../src/keys/escapes.ts";
import { encodeKey, validateKeys } from "../../src/keys/keys.ts";
import { LineDecoder, isBase64, bytesToBase64, base64ToBytes, encodeLine, encodeOutputLine } from "../../src/protocol/codec.ts";
import { RingBuffer } from "../../src/holder/ring-buffer.ts";
import { Reply, Request } from "../../src/protocol/messages.ts";
import { AnsiStripper, stripAnsi } from "../../src/text/ansi.ts";
import { makeRandom } from "../helpers/random.ts";

const SEED = Number(process.env.DELTA_FUZZ_SEED ?? Date.now() % 2 ** 31);


function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function randomBytes(random: () => number, n: number, alphabet?: number[]): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = alphabet ? pick(random, alphabet) : Math.floor(random() * 256);
  return out;
}

/** Random text biased toward the characters a parser cares about. */
function randomText(random: () => number, n: number, specials: string[]): string {
  let s = "";
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.5) s += pick(random, specials);
    else if (r < 0.8) s += String.fromCharCode(0x20 + Math.floor(random() * 95));
    else if (r < 0.95) s += String.fromCharCode(Math.floor(random() * 0x10000));
    else s += String.fromCodePoint(0x10000 + Math.floor(random() * 0xfffff));
  }
  return s;
}

/** Every limit below is multiplied by this: a garbage-collection pause or a busy machine (the
 *  suite shares two cores with holders under load) can stretch one call to tens of ms, while what
 *  these limits catch — a hang, backtracking, quadratic work — takes orders of magnitude longer. */
const SLACK = 10;

/** Runs `fn`, failing if a single call takes longer than `ms` × SLACK (a hang shows up as a slow call). */
function bounded<T>(ms: number, fn: () => T): T {
  const t0 = performance.now();
  const result = fn();
  const took = performance.now() - t0;
  if (took > ms * SLACK) throw new Error(`call took ${took.toFixed(0)} ms (limit ${ms * SLACK})`);
  return result;
}

describe(`line codec (seed ${SEED})`, () => {
  test("random lines split at random points come out exactly as the reference says; memory never exceeds the limit", () => {
    const random = makeRandom(SEED);
    for (let round = 0; round < 300; round++) {
      const max = 1 + Math.floor(random() * 64);
      const lines: Uint8Array[] = [];
      const count = Math.floor(random() * 20);
      for (let i = 0; i < count; i++) {
        const len = Math.floor(random() * max * 3);
        lines.push(randomBytes(random, len).map((b) => (b === 0x0a ? 0x0b : b)));
      }
      // Join with newlines; maybe leave the last line unterminated.
      const terminated = random() < 0.7;
      const parts: number[] = [];
      lines.forEach((l, i) => {
        parts.push(...l);
        if (i < lines.length - 1 || terminated) parts.push(0x0a);
      });
      const stream = Uint8Array.from(parts);
      const decoder = new LineDecoder(max);
      const events: Array<{ kind: string; text?: string }> = [];
      let at = 0;
      while (at < stream.length) {
        const n = 1 + Math.floor(random() * Math.min(stream.length - at, max * 2));
        // The caller may reuse its buffer: hand the decoder a copy we then scribble over.
        const chunk = stream.slice(at, at + n);
        for (const e of bounded(100, () => decoder.push(chunk))) events.push(e);
        chunk.fill(0x21);
        expect(decoder.bufferedBytes).toBeLessThanOrEqual(max);
        at += n;
      }
      const complete = terminated ? lines : lines.slice(0, -1);
      const expected = complete.map((l) => (l.length > max ? { kind: "too-long" } : { kind: "line", text: new TextDecoder().decode(l) }));
      // An unterminated line longer than the limit has already been reported.
      if (!terminated && lines.length > 0 && lines[lines.length - 1]!.length > max) expected.push({ kind: "too-long" });
      expect(events.map((e) => (e.kind === "line" ? { kind: "line", text: e.text } : { kind: "too-long" }))).toEqual(expected);
    }
  });

  test("a flood of garbage with and without newlines never throws and is handled in linear time", () => {
    const random = makeRandom(SEED + 1);
    const decoder = new LineDecoder(4096);
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) {
      const chunk = randomBytes(random, 1 + Math.floor(random() * 8192), random() < 0.5 ? [0x0a, 0x7b, 0x22, 0xff, 0x00, 0x61] : undefined);
      decoder.push(chunk);
      expect(decoder.bufferedBytes).toBeLessThanOrEqual(4096);
    }
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  test("base64 carries every byte unchanged, and the strict check accepts exactly what it produces", () => {
    const random = makeRandom(SEED + 2);
    for (let i = 0; i < 500; i++) {
      const bytes = randomBytes(random, Math.floor(random() * 300));
      const text = bytesToBase64(bytes);
      expect(isBase64(text)).toBe(true);
      expect(base64ToBytes(text)).toEqual(bytes);
      // Damage it: a character outside the alphabet, or a wrong length, is refused.
      if (text.length > 0) {
        const at = Math.floor(random() * text.length);
        const bad = text.slice(0, at) + pick(random, ["!", " ", "\n", "-", "_", "é", "\u0000"]) + text.slice(at + 1);
        expect(isBase64(bad)).toBe(false);
        expect(isBase64(text.slice(0, -1))).toBe(false);
      }
    }
  });
});

describe(`output path (seed ${SEED})`, () => {
  test("an output line built in place is byte for byte the JSON line of the message", () => {
    const random = makeRandom(SEED + 11);
    for (let i = 0; i < 500; i++) {
      const bytes = randomBytes(random, Math.floor(random() * 1000));
      const offset = Math.floor(random() * 2 ** 52);
      const built = encodeOutputLine(bytes, offset);
      expect(new TextDecoder().decode(built)).toBe(encodeLine({ type: "output", data: bytesToBase64(bytes), offset }));
    }
  });

  test("the ring buffer's view equals its copy for any range, across wraps and growth", () => {
    const random = makeRandom(SEED + 12);
    for (let round = 0; round < 50; round++) {
      const ring = new RingBuffer(1 + Math.floor(random() * 5000));
      const all: number[] = [];
      for (let i = 0; i < 40; i++) {
        const chunk = randomBytes(random, Math.floor(random() * 700));
        ring.append(chunk);
        all.push(...chunk);
        const from = ring.start + Math.floor(random() * (ring.length + 1)) - 3;
        const to = from + Math.floor(random() * (ring.length + 5));
        const view = ring.view(from, to);
        expect(view).toEqual(ring.slice(from, to));
        const lo = Math.max(from, ring.start);
        expect(Array.from(view)).toEqual(all.slice(lo, Math.max(lo, Math.min(to, ring.end))));
      }
    }
  });
});

describe(`escape decoder (seed ${SEED})`, () => {
  const SPECIALS = ["\\", "\\", "\\x", "\\u", "\\u{", "}", "x", "u", "n", "0", "1", "f", "F", "g", "{", "\\\\", "\uD800", "\uDC00", "\u0000"];

  test("random text never throws, is bounded in time and size, and is the UTF-8 of itself when it has no backslash", () => {
    const random = makeRandom(SEED + 3);
    for (let i = 0; i < 3000; i++) {
      const text = randomText(random, Math.floor(random() * 60), SPECIALS);
      const out = bounded(50, () => decodeEscapes(text));
      expect(out).toBeInstanceOf(Uint8Array);
      // Every UTF-16 unit becomes at most 3 bytes; escapes only shrink.
      expect(out.length).toBeLessThanOrEqual(text.length * 3);
      if (!text.includes("\\")) expect(out).toEqual(new TextEncoder().encode(text));
    }
  });

  test("any bytes written as \\xHH (mixed with plain ASCII) arrive exactly", () => {
    const random = makeRandom(SEED + 4);
    for (let i = 0; i < 1000; i++) {
      const bytes = randomBytes(random, Math.floor(random() * 100));
      let text = "";
      const expected: number[] = [];
      for (const b of bytes) {
        if (b >= 0x20 && b < 0x7f && b !== 0x5c && random() < 0.5) text += String.fromCharCode(b);
        else text += `\\x${b.toString(16).padStart(2, "0")}`;
        expected.push(b);
      }
      expect(decodeEscapes(text)).toEqual(Uint8Array.from(expected));
    }
  });

  test("stdin bytes: ASCII decodes as the argument form does, and any other byte passes through untouched", () => {
    const random = makeRandom(SEED + 5);
    for (let i = 0; i < 2000; i++) {
      const ascii = randomText(random, Math.floor(random() * 60), SPECIALS).replace(/[^\x00-\x7f]/g, "a");
      expect(decodeEscapeBytes(new TextEncoder().encode(ascii))).toEqual(decodeEscapes(ascii));
      const raw = randomBytes(random, Math.floor(random() * 200), [0x5c, 0x78, 0x75, 0x7b, 0x7d, 0x30, 0x41, 0xff, 0x80, 0xc3, 0x0a, 0x00]);
      const out = bounded(50, () => decodeEscapeBytes(raw));
      expect(out.length).toBeLessThanOrEqual(raw.length * 4);
      if (!raw.includes(0x5c)) expect(out).toEqual(raw);
    }
  });

  test("a megabyte of escape soup decodes in well under a second", () => {
    const random = makeRandom(SEED + 6);
    const text = randomText(random, 1_000_000, SPECIALS);
    const t0 = performance.now();
    decodeEscapes(text);
    decodeEscapeBytes(new Uint8Array(Buffer.from(text, "latin1")));
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});

describe(`key parser (seed ${SEED})`, () => {
  const PIECES = ["ctrl+", "alt+", "shift+", "meta+", "C-", "M-", "S-", "c-", "Ctrl-", "+", "-", "up", "Up", "UP", "enter", "Enter", "f", "F1", "f12", "f13", "f0", "page_up", "pgdn", "NPage", "BTab", "DC", "a", "Z", "0", "é", "😀", " ", "\u0000", "\uDFFF", "ctrl+ctrl+", "++", "--"];
  const MODES = [{ applicationCursor: false }, { applicationCursor: true }];

  test("random names either encode (deterministically) or throw INVALID_KEY, quickly, never anything else", () => {
    const random = makeRandom(SEED + 7);
    let ok = 0;
    for (let i = 0; i < 5000; i++) {
      let name = "";
      const n = Math.floor(random() * 5);
      for (let j = 0; j < n; j++) name += random() < 0.85 ? pick(random, PIECES) : String.fromCharCode(Math.floor(random() * 0x10000));
      const modes = pick(random, MODES);
      try {
        const bytes = bounded(50, () => encodeKey(name, modes));
        ok++;
        expect(bytes.length).toBeGreaterThan(0);
        expect(encodeKey(name, modes)).toEqual(bytes);
        expect(() => validateKeys([name])).not.toThrow();
      } catch (err) {
        if (!(err instanceof DeltaError)) throw err;
        expect(err.code).toBe(ErrorCode.INVALID_KEY);
        expect(err.message.length).toBeLessThan(600);
      }
    }
    expect(ok).toBeGreaterThan(100);
  });

  test("a list with one bad name anywhere is refused as a whole", () => {
    const random = makeRandom(SEED + 8);
    for (let i = 0; i < 200; i++) {
      const good = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(random, ["enter", "up", "C-c", "a", "f5", "alt+x"]));
      good.splice(Math.floor(random() * (good.length + 1)), 0, "no-such-key-" + i);
      expect(() => validateKeys(good)).toThrow(DeltaError);
    }
  });
});

describe(`ANSI stripper (seed ${SEED})`, () => {
  const SPECIALS = ["\x1b", "\x1b", "[", "]", "?", ";", "1", "9", "m", "H", "J", "\x07", "\\", "P", "_", "^", "(", "B", "\r", "\n", "\r\n", "\x9b"];

  test("split anywhere, the streaming result equals the one-shot result, and no ESC survives", () => {
    const random = makeRandom(SEED + 9);
    for (let i = 0; i < 2000; i++) {
      const text = randomText(random, Math.floor(random() * 80), SPECIALS);
      const whole = bounded(50, () => stripAnsi(text));
      const s = new AnsiStripper();
      let streamed = "";
      let at = 0;
      while (at < text.length) {
        const n = 1 + Math.floor(random() * 10);
        streamed += s.push(text.slice(at, at + n));
        at += n;
      }
      streamed += s.end();
      expect(streamed).toBe(whole);
      expect(whole.includes("\x1b")).toBe(false);
    }
  });
});

describe(`request and reply schemas (seed ${SEED})`, () => {
  const KEYS = ["type", "from", "since", "data", "more", "keys", "cols", "rows", "signal", "grace_ms", "timeout_ms", "idle_ms", "until", "source", "flags", "follow", "peek", "__proto__", "constructor"];
  const TYPES = ["info", "write", "keys", "read", "screen", "resize", "wait", "end", "hello", "error", "output", "", "INFO"];

  function randomValue(random: () => number, depth: number): unknown {
    const r = random();
    if (depth > 3 || r < 0.3) return pick(random, [null, true, false, 0, -1, 1.5, 2 ** 53, NaN, "", "x", "all", "since", "SIGTERM", 80, 1e308]);
    if (r < 0.5) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(random() * 6); i > 0; i--) o[pick(random, KEYS)] = randomValue(random, depth + 1);
    if (random() < 0.7) o.type = pick(random, TYPES);
    return o;
  }

  test("random JSON values never make validation throw; what passes is one of the known shapes", () => {
    const random = makeRandom(SEED + 10);
    let passed = 0;
    for (let i = 0; i < 20_000; i++) {
      // Through a JSON round trip, as on the wire.
      const value = JSON.parse(JSON.stringify(randomValue(random, 0)) ?? "null");
      const req = bounded(50, () => Request.safeParse(value));
      bounded(50, () => Reply.safeParse(value));
      if (req.success) {
        passed++;
        expect(TYPES.slice(0, 8)).toContain(req.data.type);
      }
    }
    expect(passed).toBeGreaterThan(0);
  });
});
