// Typing into a session exactly: what the program receives, byte for byte, read back from a child
// that puts its terminal in raw mode and reports what arrived.
import { afterAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Sandbox } from "../helpers/sandbox.ts";

const box = new Sandbox();
afterAll(() => box.dispose());

/**
 * Starts `sh` that switches its terminal to raw mode (so every byte passes untouched), optionally
 * prints `setup` (e.g. a mode-setting escape), says READY, then reads exactly `count` bytes and
 * prints them as hex between markers.
 */
async function startReceiver(count: number, setup = ""): Promise<string> {
  const script = `stty raw -echo; printf '${setup}'; echo READY; head -c ${count} | od -An -tx1 -v | tr -d ' \\n' | sed 's/^/HEX:/;s/$/:END/'; sleep 600`;
  const s = await box.start(["sh", "-c", script]);
  const ready = await box.run(["read", s.session_id, "--until", "READY", "--timeout", "10000", "--json"]);
  expect(ready.json.matched).toBe(true);
  return s.session_id;
}

async function receivedHex(id: string): Promise<string> {
  const r = await box.run(["read", id, "--until", "HEX:[0-9a-f]*:END", "--timeout", "10000", "--strip-ansi"]);
  const m = /HEX:([0-9a-f]*):END/.exec(r.stdout);
  if (!m) throw new Error(`no hex report in ${JSON.stringify(r.stdout)}`);
  return m[1]!;
}

const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, "0")).join("");

describe("write: escapes arrive as the bytes they stand for", () => {
  const cases: Array<[string, number[]]> = [
    ["A\\nB", [0x41, 0x0a, 0x42]],
    ["\\r\\t\\e\\0", [0x0d, 0x09, 0x1b, 0x00]],
    // not decoded (a regex's \b arrives as typed); backspace is \x08
    ["\\b\\f\\v\\x08", [0x5c, 0x62, 0x5c, 0x66, 0x5c, 0x76, 0x08]],
    ["\\\\n", [0x5c, 0x6e]],
    ["\\x00\\x7f\\xff\\xFE", [0x00, 0x7f, 0xff, 0xfe]],
    ["\\u00e9\\u{1F600}", [0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]],
    ["\\q\\x1z\\u001", [0x5c, 0x71, 0x5c, 0x78, 0x31, 0x7a, 0x5c, 0x75, 0x30, 0x30, 0x31]],
    ["é世", [0xc3, 0xa9, 0xe4, 0xb8, 0x96]],
  ];
  for (const [text, bytes] of cases) {
    test(JSON.stringify(text), async () => {
      const id = await startReceiver(bytes.length);
      const w = await box.run(["write", id, text]);
      expect(w.json.bytes).toBe(bytes.length);
      expect(await receivedHex(id)).toBe(hex(bytes));
    });
  }

  test("--raw sends backslashes untouched, --enter appends CR", async () => {
    const id = await startReceiver(5);
    await box.run(["write", id, "--raw", "--enter", "a\\nb"]);
    expect(await receivedHex(id)).toBe(hex([0x61, 0x5c, 0x6e, 0x62, 0x0d]));
  });

  test("stdin is decoded by default and byte-exact with --raw (binary included)", async () => {
    const id = await startReceiver(6);
    await box.run(["write", id], { stdin: "x\\ty" });
    await box.run(["write", id, "--raw"], { stdin: new Uint8Array([0xff, 0x00, 0x5c]) });
    expect(await receivedHex(id)).toBe(hex([0x78, 0x09, 0x79, 0xff, 0x00, 0x5c]));
  });
});

describe("write-key: every key group arrives encoded", () => {
  const cases: Array<[string[], number[]]> = [
    [["enter", "return", "tab", "escape", "esc", "space", "backspace", "bs"], [0x0d, 0x0d, 0x09, 0x1b, 0x1b, 0x20, 0x7f, 0x7f]],
    [["ctrl+a", "ctrl+c", "ctrl+z", "C-d", "ctrl+space"], [0x01, 0x03, 0x1a, 0x04, 0x00]],
    [["up", "down", "right", "left", "home", "end"], [0x1b, 0x5b, 0x41, 0x1b, 0x5b, 0x42, 0x1b, 0x5b, 0x43, 0x1b, 0x5b, 0x44, 0x1b, 0x5b, 0x48, 0x1b, 0x5b, 0x46]],
    [["delete", "insert", "page_up", "pgdn"], [0x1b, 0x5b, 0x33, 0x7e, 0x1b, 0x5b, 0x32, 0x7e, 0x1b, 0x5b, 0x35, 0x7e, 0x1b, 0x5b, 0x36, 0x7e]],
    [["f1", "f5", "f12"], [0x1b, 0x4f, 0x50, 0x1b, 0x5b, 0x31, 0x35, 0x7e, 0x1b, 0x5b, 0x32, 0x34, 0x7e]],
    [["shift+tab", "BTab", "ctrl+left", "alt+x", "M-x"], [0x1b, 0x5b, 0x5a, 0x1b, 0x5b, 0x5a, 0x1b, 0x5b, 0x31, 0x3b, 0x35, 0x44, 0x1b, 0x78, 0x1b, 0x78]],
    [["ctrl+shift+left", "S-Up", "DC", "IC", "NPage", "PPage", "BSpace"], [0x1b, 0x5b, 0x31, 0x3b, 0x36, 0x44, 0x1b, 0x5b, 0x31, 0x3b, 0x32, 0x41, 0x1b, 0x5b, 0x33, 0x7e, 0x1b, 0x5b, 0x32, 0x7e, 0x1b, 0x5b, 0x36, 0x7e, 0x1b, 0x5b, 0x35, 0x7e, 0x7f]],
  ];
  for (const [keys, bytes] of cases) {
    test(keys.join(" "), async () => {
      const id = await startReceiver(bytes.length);
      const r = await box.run(["write-key", id, ...keys]);
      expect(r.json).toMatchObject({ status: "sent", key: keys[0], keys });
      expect(await receivedHex(id)).toBe(hex(bytes));
    });
  }

  test("arrows, home and end follow application cursor mode (DECCKM) when the program sets it", async () => {
    const id = await startReceiver(12, "\\033[?1h");
    await box.run(["write-key", id, "up", "left", "home", "end"]);
    expect(await receivedHex(id)).toBe(hex([0x1b, 0x4f, 0x41, 0x1b, 0x4f, 0x44, 0x1b, 0x4f, 0x48, 0x1b, 0x4f, 0x46]));
    const normal = await startReceiver(6, "\\033[?1h\\033[?1l");
    await box.run(["write-key", normal, "up", "home"]);
    expect(await receivedHex(normal)).toBe(hex([0x1b, 0x5b, 0x41, 0x1b, 0x5b, 0x48]));
  });

  test("an unknown key sends nothing: INVALID_KEY, exit 2, closest names suggested", async () => {
    const id = await startReceiver(1);
    const bad = await box.run(["write-key", id, "enter", "ctlr+c"]);
    expect(bad.code).toBe(2);
    expect(bad.json.code).toBe("INVALID_KEY");
    expect(bad.json.error).toContain("ctrl+c");
    await box.run(["write-key", id, "x"]);
    expect(await receivedHex(id)).toBe("78");
  });

  test("--list prints the table", async () => {
    const r = await box.run(["write-key", "--list", "--json"]);
    expect(r.json.length).toBeGreaterThanOrEqual(53);
    expect(r.json.find((k: any) => k.name === "enter").bytes).toBe("\\x0d");
  });
});

describe("bracketed paste", () => {
  test("--paste wraps the text when the program enabled bracketed paste", async () => {
    const id = await startReceiver(15, "\\033[?2004h");
    await box.run(["write", id, "--paste", "a\\nb"]);
    expect(await receivedHex(id)).toBe(hex([0x1b, 0x5b, 0x32, 0x30, 0x30, 0x7e, 0x61, 0x0a, 0x62, 0x1b, 0x5b, 0x32, 0x30, 0x31, 0x7e]));
  });

  test("--paste sends the text as is when the program did not", async () => {
    const id = await startReceiver(3);
    await box.run(["write", id, "--paste", "a\\nb"]);
    expect(await receivedHex(id)).toBe(hex([0x61, 0x0a, 0x62]));
  });
});

describe("large and concurrent writes", () => {
  test("one 8 MiB write (stdin) arrives complete and in order", async () => {
    const size = 8 * 1024 * 1024;
    const data = new Uint8Array(size);
    let x = 12345;
    for (let i = 0; i < size; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      data[i] = x >>> 24;
    }
    const want = createHash("sha256").update(data).digest("hex");
    const s = await box.start(["sh", "-c", `stty raw -echo; echo READY; head -c ${size} | sha256sum | sed 's/ .*//;s/^/SUM:/;s/$/:END/'; sleep 600`]);
    await box.run(["read", s.session_id, "--until", "READY", "--timeout", "10000"]);
    const t0 = performance.now();
    const w = await box.run(["write", s.session_id, "--raw"], { stdin: data });
    expect(w.code).toBe(0);
    expect(w.json.bytes).toBe(size);
    const r = await box.run(["read", s.session_id, "--until", "SUM:[0-9a-f]{64}:END", "--timeout", "60000", "--strip-ansi"]);
    const elapsed = performance.now() - t0;
    expect(r.stdout).toContain(`SUM:${want}:END`);
    console.log(`8 MiB write end to end: ${elapsed.toFixed(0)} ms`);
  }, 90_000);

  test("50 writers at once, each a distinct 4 KiB message, never interleave", async () => {
    const writers = 50;
    const size = 4096;
    const out = join(box.dir, "interleave.bin");
    const s = await box.start(["sh", "-c", `stty raw -echo; echo READY; head -c ${writers * size} > '${out}'; echo DONE; sleep 600`]);
    await box.run(["read", s.session_id, "--until", "READY", "--timeout", "10000"]);
    const messages = Array.from({ length: writers }, (_, i) => {
      const tag = `<w${String(i).padStart(2, "0")}>`;
      const line = tag + "line of writer " + i + "\n";
      return line.repeat(Math.ceil(size / line.length)).slice(0, size);
    });
    const results = await Promise.all(messages.map((m) => box.run(["write", s.session_id, "--raw"], { stdin: m })));
    for (const r of results) expect(r.json.bytes).toBe(size);
    await box.run(["read", s.session_id, "--until", "DONE", "--timeout", "30000"]);
    const got = readFileSync(out, "latin1");
    expect(got.length).toBe(writers * size);
    const seen = new Set<string>();
    for (let at = 0; at < got.length; at += size) {
      const block = got.slice(at, at + size);
      const owner = messages.findIndex((m) => m === block);
      expect(owner).toBeGreaterThanOrEqual(0);
      seen.add(block);
    }
    expect(seen.size).toBe(writers);
  }, 60_000);
});

