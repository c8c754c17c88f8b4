// Reading a session: offsets, independent readers, waits that return when the condition holds,
// overflow reporting, byte-exact output, the rendered screen, and state after exit.
import { afterAll, describe, expect, test } from "bun:test";
import { Sandbox, waitFor } from "../helpers/sandbox.ts";

describe("output", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("two independent --since readers each see every byte, and the default reader is untouched", async () => {
    const s = await box.start(["bash", "--norc", "-i"]);
    const w = await box.run(["write", s.session_id, "for i in 1 2 3 4 5; do echo line$((i*11)); done\\n"]);
    const offset = w.json.offset;
    const [a, b] = await Promise.all([
      box.run(["read", s.session_id, "--since", String(offset), "--until", "line55", "--timeout", "5000", "--json"]),
      box.run(["read", s.session_id, "--since", String(offset), "--until", "line55", "--timeout", "5000", "--json"]),
    ]);
    for (const r of [a, b]) {
      expect(r.json.matched).toBe(true);
      for (const n of [11, 22, 33, 44, 55]) expect(r.json.output).toContain(`line${n}`);
    }
    const all = await box.run(["read", s.session_id, "--peek", "--json"]);
    expect(all.json.offset).toBe(0);
    expect(all.json.output).toContain("line55");
  });

  test("read --since <write offset> --until never matches the echoed input", async () => {
    const s = await box.start(["bash", "--norc", "-i"]);
    for (let i = 0; i < 5; i++) {
      // The pattern text appears in the echoed command line only as "DONE_$((40+2))"; the output says DONE_42.
      const w = await box.run(["write", s.session_id, `sleep 0.2; echo DONE_$((40+${i}))\\n`]);
      const r = await box.run(["read", s.session_id, "--since", String(w.json.offset), "--until", `DONE_${40 + i}\\b`, "--timeout", "5000", "--json"]);
      expect(r.json.matched).toBe(true);
      // The match comes from the command's output line, which arrives after the 0.2 s sleep.
      expect(r.json.output).toMatch(new RegExp(`[\\r\\n]DONE_${40 + i}\\r\\n`));
    }
  });

  test("read --timeout returns soon after a quick command's output settles, with all of it", async () => {
    const s = await box.start(["bash", "--norc", "-i"]);
    await box.run(["read", s.session_id, "--timeout", "2000"]); // the prompt
    const w = await box.run(["write", s.session_id, "sleep 0.1; echo quick-done\\n"]);
    expect(w.code).toBe(0);
    const t0 = performance.now();
    const r = await box.run(["read", s.session_id, "--timeout", "5000", "--json"]);
    const elapsed = performance.now() - t0;
    expect(r.json.output).toContain("quick-done");
    expect(r.json.timed_out).toBe(false);
    expect(elapsed).toBeLessThan(1500);
  });

  test("read --timeout with no output at all times out and says so", async () => {
    const s = await box.start(["sleep", "600"]);
    const r = await box.run(["read", s.session_id, "--timeout", "300", "--json"]);
    expect(r.json).toMatchObject({ output: "", timed_out: true, matched: false, status: "running" });
  });

  test("dropped_bytes is reported when the buffer overflowed before the reader got there", async () => {
    const s = await box.start(["--buffer-size", "4096", "sh", "-c", "head -c 20000 /dev/zero | tr '\\0' x; echo; echo END; sleep 600"]);
    await box.run(["read", s.session_id, "--since", "0", "--until", "END", "--timeout", "5000"]);
    const r = await box.run(["read", s.session_id, "--json"]);
    expect(r.json.dropped_bytes).toBeGreaterThan(15000);
    expect(r.json.offset).toBe(r.json.dropped_bytes);
    expect(r.stderr).toContain("dropped");
    const text = await box.run(["read", s.session_id, "--since", "0"]);
    expect(text.stderr).toContain("dropped");
    const all = await box.run(["read", s.session_id, "--all", "--json"]);
    expect(all.json.dropped_bytes).toBe(0);
    expect(all.json.output.length).toBe(4096);
  });

  test("invalid UTF-8 reaches read's stdout unaltered", async () => {
    const s = await box.start(["sh", "-c", "printf 'A\\377\\376B'; sleep 600"]);
    await box.run(["read", s.session_id, "--peek", "--until", "B", "--timeout", "5000"]);
    const r = await box.run(["read", s.session_id]);
    expect(Array.from(r.stdoutBytes)).toEqual([0x41, 0xff, 0xfe, 0x42]);
  });

  test("--strip-ansi and --lines", async () => {
    const s = await box.start(["sh", "-c", "printf '\\033[31mred\\033[0m\\r\\none\\r\\ntwo\\r\\nthree\\r\\n'; sleep 600"]);
    await box.run(["read", s.session_id, "--peek", "--until", "three", "--timeout", "5000"]);
    expect((await box.run(["read", s.session_id, "--peek", "--strip-ansi"])).stdout).toBe("red\none\ntwo\nthree\n");
    expect((await box.run(["read", s.session_id, "--peek", "--strip-ansi", "--lines", "2"])).stdout).toBe("two\nthree\n");
    expect((await box.run(["read", s.session_id, "--peek", "--lines", "1"])).stdout).toBe("three\r\r\n"); // the PTY turns the program's \n into \r\n
  });

  test("--follow streams until the program exits", async () => {
    const s = await box.start(["sh", "-c", "sleep 0.3; for i in 1 2 3; do echo tick$i; sleep 0.1; done; exit 7"]);
    const r = await box.run(["read", s.session_id, "--follow", "--strip-ansi"]);
    expect(r.stdout).toBe("tick1\ntick2\ntick3\n");
    const w = await box.run(["wait", s.session_id]);
    expect(w.json.exit_code).toBe(7);
  });

  test("wait --timeout exits 124 with TIMEOUT while the program runs", async () => {
    const s = await box.start(["sleep", "600"]);
    const r = await box.run(["wait", s.session_id, "--timeout", "200"]);
    expect(r.code).toBe(124);
    expect(r.json.code).toBe("TIMEOUT");
  });

  test("a program killed by a signal reports the signal", async () => {
    const s = await box.start(["sh", "-c", "echo bye; kill -TERM $$"]);
    const w = await box.run(["wait", s.session_id, "--timeout", "10000"]);
    expect(w.json).toMatchObject({ status: "exited", exit_code: null, signal: "SIGTERM" });
    expect((await box.run(["read", s.session_id])).stdout).toBe("bye\r\n");
  });

  test("resize reaches the program and the screen", async () => {
    const s = await box.start(["bash", "--norc", "-i"]);
    const r = await box.run(["resize", s.session_id, "100", "40"]);
    expect(r.json).toEqual({ status: "resized", session_id: s.session_id, cols: 100, rows: 40 });
    await box.run(["write", s.session_id, "echo size=$(stty size)\\n"]);
    expect((await box.run(["read", s.session_id, "--until", "size=40 100", "--timeout", "5000", "--json"])).json.matched).toBe(true);
    const screen = await box.run(["read", s.session_id, "--screen", "--json"]);
    expect(screen.json.cols).toBe(100);
    expect(screen.json.rows).toBe(40);
    expect(screen.json.lines.length).toBe(40);
  });

  test("terminal queries are answered so programs that ask do not hang", async () => {
    const s = await box.start(["bash", "--norc", "-c", "IFS= read -rs -d R -p $'\\e[6n' pos; echo \"got=${pos#*[}\"; sleep 600"]);
    const r = await box.run(["read", s.session_id, "--until", "got=\\d+;\\d+", "--timeout", "5000", "--json"]);
    expect(r.json.matched).toBe(true);
  });

  test("read --screen shows the rendered screen with the cursor, --scrollback adds history", async () => {
    const s = await box.start(["--cols", "40", "--rows", "5", "sh", "-c", "for i in 1 2 3 4 5 6 7 8; do echo row$i; done; printf 'abc\\rX'; sleep 600"]);
    await box.run(["read", s.session_id, "--until", "Xbc", "--timeout", "5000"]);
    await waitFor("screen to show the overwrite", async () => (await box.run(["read", s.session_id, "--screen"])).stdout.includes("Xbc"));
    const screen = await box.run(["read", s.session_id, "--screen", "--json"]);
    expect(screen.json.lines).toEqual(["row5", "row6", "row7", "row8", "Xbc"]);
    expect(screen.json.cursor).toEqual({ row: 4, col: 1 });
    expect(screen.json.alternate_screen).toBe(false);
    const history = await box.run(["read", s.session_id, "--screen", "--scrollback", "2"]);
    expect(history.stdout).toBe("row3\nrow4\nrow5\nrow6\nrow7\nrow8\nXbc\n");
  });
});
