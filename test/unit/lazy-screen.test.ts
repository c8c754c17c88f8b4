// LazyScreen must render exactly what an eagerly loaded Screen renders, whatever arrived before
// the emulator was loaded.
import { describe, expect, test } from "bun:test";
import { LazyScreen } from "../../src/holder/lazy-screen.ts";
import { Screen } from "../../src/holder/screen.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

type Op = { feed: string } | { resize: [number, number] };

/** Runs the ops on both screens; the lazy one has loaded its emulator from op `loadedAt` on. */
async function both(ops: Op[], loadedAt: number) {
  const eager = new Screen(20, 5, { scrollback: 50 });
  const lazy = new LazyScreen(20, 5, { scrollback: 50 });
  for (const [i, op] of ops.entries()) {
    if (i === loadedAt) await lazy.flush();
    if ("feed" in op) {
      eager.feed(bytes(op.feed));
      lazy.feed(bytes(op.feed));
    } else {
      eager.resize(...op.resize);
      lazy.resize(...op.resize);
    }
  }
  const result = {
    eager: { cap: await eager.capture(50), serialized: await eager.serialize(), modes: eager.modes() },
    lazy: { cap: await lazy.capture(50), serialized: await lazy.serialize(), modes: lazy.modes() },
  };
  eager.dispose();
  lazy.dispose();
  return result;
}

describe("LazyScreen", () => {
  const ops: Op[] = [
    { feed: "\x1b[1;31mred\x1b[0m 中文 😀\r\n" },
    { feed: "\x1b[?1h\x1b[?2004h" },
    { resize: [30, 6] },
    { feed: "\x1b[6;1Hbottom\x1b[1;25Hx" },
    { resize: [10, 3] },
    { feed: "\x1b[?1049h\x1b[Halt" },
  ];
  for (const at of [0, 2, 4, ops.length]) {
    test(`output and resizes before the emulator loads render as with an eager screen (loaded before op ${at})`, async () => {
      const { eager, lazy } = await both(ops, at);
      expect(lazy).toEqual(eager);
      expect(lazy.modes).toEqual({ applicationCursor: true, bracketedPaste: true });
    });
  }

  test("modes are off until the emulator has parsed the output, then follow it", async () => {
    const lazy = new LazyScreen(10, 2, { scrollback: 0 });
    lazy.feed(bytes("\x1b[?1h"));
    expect(lazy.modes().applicationCursor).toBe(false);
    await lazy.flush();
    expect(lazy.modes().applicationCursor).toBe(true);
    lazy.dispose();
  });

  test("queries that arrived before loading are answered once it has loaded, in order", async () => {
    const replies: string[] = [];
    const lazy = new LazyScreen(20, 5, { scrollback: 0, onReply: (r) => replies.push(decode(r)) });
    lazy.feed(bytes("\x1b[3;7Habc\x1b[6n"));
    lazy.feed(bytes("\x1b[18t"));
    expect(replies).toEqual([]);
    await lazy.flush();
    expect(replies).toEqual(["\x1b[3;10R", "\x1b[8;5;20t"]);
    lazy.dispose();
  });

  test("setAnswerQueries(false) before loading silences the answers", async () => {
    const replies: string[] = [];
    const lazy = new LazyScreen(20, 5, { scrollback: 0, onReply: (r) => replies.push(decode(r)) });
    lazy.setAnswerQueries(false);
    lazy.feed(bytes("\x1b[6n"));
    await lazy.flush();
    expect(replies).toEqual([]);
    lazy.setAnswerQueries(true);
    lazy.feed(bytes("\x1b[6n"));
    await lazy.flush();
    expect(replies).toEqual(["\x1b[1;1R"]);
    lazy.dispose();
  });

  test("feed copies what it keeps: the caller may reuse its buffer", async () => {
    const lazy = new LazyScreen(10, 1, { scrollback: 0 });
    const buf = bytes("abc");
    lazy.feed(buf);
    buf.set(bytes("XYZ"));
    expect((await lazy.capture()).lines).toEqual(["abc"]);
    lazy.dispose();
  });

  test("once disposed, capture and serialize reject and feed is ignored", async () => {
    const lazy = new LazyScreen(10, 1, { scrollback: 0 });
    lazy.feed(bytes("abc"));
    lazy.dispose();
    lazy.feed(bytes("more"));
    await expect(lazy.capture()).rejects.toThrow("screen disposed");
    await expect(lazy.serialize()).rejects.toThrow("screen disposed");
    await lazy.flush();
  });
});
