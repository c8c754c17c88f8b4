// A program that floods (SPEC §15): one read carries at most the buffer size (the newest bytes; the
// rest counted in dropped_bytes) however much is written while it waits; the screen stays exact
// after plain text the holder never parsed; other calls keep answering.
import { afterAll, describe, expect, test } from "bun:test";
import { Sandbox, waitFor } from "../helpers/sandbox.ts";

const sb = new Sandbox();
afterAll(() => sb.dispose());

describe("a flooding program", () => {
  test("a read that waits carries at most the buffer, the newest bytes, and counts the rest", async () => {
    const s = await sb.start(["--buffer-size", "65536", "--", "yes"]);
    await waitFor("the ring to wrap", async () => (await sb.run(["status", s.session_id])).json.output_bytes > 200_000, 20_000);
    for (let i = 0; i < 3; i++) {
      const r = await sb.run(["read", s.session_id, "--json", "--base64", "--timeout", "500"]);
      expect(r.code).toBe(0);
      const bytes = Buffer.from(r.json.output_base64, "base64");
      expect(bytes.length).toBeLessThanOrEqual(65536);
      expect(r.json.next_offset - r.json.offset).toBe(bytes.length);
      // Everything between the reader's cursor and what it got is counted, never lost silently.
      expect(r.json.dropped_bytes).toBeGreaterThan(0);
      expect(bytes.toString()).toMatch(/^(y\r\n)*y?\r?$/m);
    }
    const status = await sb.run(["status", s.session_id]);
    expect(status.json.status).toBe("running");
    await sb.run(["end", s.session_id]);
  }, 60_000);

  test("the screen after a flood of plain lines is exactly what a terminal shows", async () => {
    const s = await sb.start(["--cols", "40", "--rows", "8", "--", "bash", "--norc", "--noprofile", "-c", "yes | head -n 300000; printf 'last \\033[31mred\\033[0m line\\n'; printf 'END-%s\\n' MARK; exec sleep 600"]);
    await waitFor("the flood to end", async () => (await sb.run(["read", s.session_id, "--screen", "--json"])).json.lines.includes("END-MARK"), 60_000);
    const screen = (await sb.run(["read", s.session_id, "--screen", "--json", "--scrollback", "20"])).json;
    expect(screen.lines.slice(-8)).toEqual(["y", "y", "y", "y", "y", "last red line", "END-MARK", ""]);
    expect(screen.lines.slice(0, 20)).toEqual(Array(20).fill("y"));
    expect(screen.cursor).toEqual({ row: 7, col: 0 });
    await sb.run(["end", s.session_id]);
  }, 90_000);
});
