import { describe, expect, test } from "bun:test";
import { RingBuffer } from "../../src/holder/ring-buffer.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
/** A byte stream with no short period, so a ring that lost or shifted bytes cannot match by chance. */
const byteAt = (k: number) => (k ^ (k >>> 8) ^ (k >>> 16)) & 0xff;

describe("RingBuffer", () => {
  const cases: Array<{ name: string; capacity: number; writes: string[]; start: number; end: number; kept: string }> = [
    { name: "empty", capacity: 8, writes: [], start: 0, end: 0, kept: "" },
    { name: "under capacity", capacity: 8, writes: ["abc", "de"], start: 0, end: 5, kept: "abcde" },
    { name: "exactly full", capacity: 8, writes: ["abcd", "efgh"], start: 0, end: 8, kept: "abcdefgh" },
    { name: "wraps and drops oldest", capacity: 8, writes: ["abcdef", "ghij"], start: 2, end: 10, kept: "cdefghij" },
    { name: "single write larger than capacity", capacity: 4, writes: ["abcdefghij"], start: 6, end: 10, kept: "ghij" },
    { name: "large write after wrap", capacity: 4, writes: ["ab", "cde", "fghijk"], start: 7, end: 11, kept: "hijk" },
    { name: "many small writes", capacity: 5, writes: "abcdefghijklm".split(""), start: 8, end: 13, kept: "ijklm" },
    { name: "empty writes change nothing", capacity: 5, writes: ["", "ab", ""], start: 0, end: 2, kept: "ab" },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const ring = new RingBuffer(c.capacity);
      for (const w of c.writes) ring.append(bytes(w));
      expect(ring.start).toBe(c.start);
      expect(ring.end).toBe(c.end);
      expect(text(ring.slice(ring.start))).toBe(c.kept);
    });
  }

  test("slice clamps to what is kept and addresses by absolute offset", () => {
    const ring = new RingBuffer(6);
    ring.append(bytes("0123456789"));
    expect(text(ring.slice(0))).toBe("456789");
    expect(text(ring.slice(5, 8))).toBe("567");
    expect(text(ring.slice(9, 100))).toBe("9");
    expect(ring.slice(10).length).toBe(0);
    expect(ring.slice(8, 7).length).toBe(0);
  });

  test("growth keeps every byte while under capacity (random writes against a model)", () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (const capacity of [1, 7, 1000, 50_000, 200_000]) {
      const ring = new RingBuffer(capacity);
      let total = 0;
      for (let i = 0; i < 300; i++) {
        const n = Math.floor(rand() * (rand() < 0.1 ? 3 * capacity : 2000));
        const chunk = new Uint8Array(n);
        for (let j = 0; j < n; j++) chunk[j] = byteAt(total + j);
        total += n;
        ring.append(chunk);
        // The model: byte k of the stream is byteAt(k), and the ring keeps the last `capacity`.
        const kept = Math.min(total, capacity);
        expect(ring.end).toBe(total);
        expect(ring.start).toBe(total - kept);
      }
      const got = ring.slice(ring.start);
      const want = new Uint8Array(got.length);
      for (let k = 0; k < want.length; k++) want[k] = byteAt(ring.start + k);
      expect(Buffer.compare(Buffer.from(got), Buffer.from(want))).toBe(0);
    }
  });
});
