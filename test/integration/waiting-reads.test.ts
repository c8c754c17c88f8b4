// Waiting reads and what a read returns (SPEC §3a "Waiting reads", "Plain text", the read rules):
// a read with --until that times out exits 124 with the output so far; --until without --timeout
// waits for the match or the exit; --until uses the m flag, --ignore-case adds i; --strip-ansi is
// plain text as a terminal shows it; --lines offsets say where the text starts; --base64 is exact.
import { afterAll, describe, expect, test } from "bun:test";
import { BIN, Sandbox, waitFor } from "../helpers/sandbox.ts";

const sb = new Sandbox();
afterAll(() => sb.dispose());

/** Starts `sh -c SCRIPT` and waits until its output contains `ready`. */
async function startPrinting(script: string, ready: string): Promise<string> {
  const s = await sb.start(["sh", "-c", script]);
  const r = await sb.run(["read", s.session_id, "--peek", "--all", "--until", ready, "--timeout", "20000"]);
  if (!r.stdout.includes(ready)) throw new Error(`no ${ready}: ${r.stdout}`);
  return s.session_id;
}

describe("a read with --until that times out exits 124", () => {
  test("plain: the output so far on stdout, a message on stderr, exit 124", async () => {
    const id = await startPrinting("echo hello-so-far; exec sleep 600", "hello-so-far");
    const r = await sb.run(["read", id, "--until", "NEVER", "--timeout", "300"]);
    expect(r.code).toBe(124);
    expect(r.stdout).toBe("hello-so-far\r\n");
    expect(r.stderr).toContain("timed out");
  });

  test("--json: the document with timed_out: true, exit 124", async () => {
    const id = await startPrinting("echo partial; exec sleep 600", "partial");
    const r = await sb.run(["read", id, "--until", "NEVER", "--timeout", "300", "--json", "--strip-ansi"]);
    expect(r.code).toBe(124);
    expect(r.json).toMatchObject({ output: "partial\n", matched: false, timed_out: true, status: "running" });
  });

  test("a match exits 0; a timeout without --until (nothing new) exits 0", async () => {
    const id = await startPrinting("echo matched-line; exec sleep 600", "matched-line");
    expect((await sb.run(["read", id, "--peek", "--until", "matched", "--timeout", "5000"])).code).toBe(0);
    const quiet = await sb.run(["read", id, "--timeout", "200", "--json"]);
    expect({ code: quiet.code, timed_out: quiet.json.timed_out }).toEqual({ code: 0, timed_out: false });
  });

  test("--until without --timeout waits (quiet output does not end it) until the program exits", async () => {
    const s = await sb.start(["sh", "-c", "echo first; read x; echo second; exit 3"]);
    const reader = Bun.spawn([BIN, "read", s.session_id, "--until", "NEVER", "--idle", "50", "--json", "--strip-ansi"], { env: sb.env, stdout: "pipe", stderr: "pipe" });
    await sb.run(["read", s.session_id, "--peek", "--until", "first", "--timeout", "20000"]);
    // Far past --idle: a read without --until would have ended; this one must still wait.
    await Bun.sleep(600);
    expect(reader.exitCode).toBeNull();
    await sb.run(["write", s.session_id, "go\\r"]);
    const [out, code] = await Promise.all([new Response(reader.stdout).text(), reader.exited]);
    const doc = JSON.parse(out);
    expect(code).toBe(0);
    expect(doc).toMatchObject({ matched: false, timed_out: false, status: "exited", exit_code: 3 });
    expect(doc.output).toContain("second");
  });
});

describe("--until: the m flag and --ignore-case", () => {
  test("^ and $ match at line boundaries; --ignore-case (-i) ignores case", async () => {
    const id = await startPrinting("printf 'x PASSED y\\nPASSED all\\ntotal PASSED\\nend\\n'; exec sleep 600", "end");
    const run = (...args: string[]) => sb.run(["read", id, "--peek", "--all", "--timeout", "2000", "--json", ...args]);
    for (const re of ["^PASSED all", "total PASSED$", "^end$"]) {
      const r = await run("--until", re);
      expect({ re, code: r.code, matched: r.json.matched }).toEqual({ re, code: 0, matched: true });
    }
    const noCase = await run("--until", "^passed ALL$");
    expect({ code: noCase.code, matched: noCase.json.matched }).toEqual({ code: 124, matched: false });
    for (const flag of ["--ignore-case", "-i"]) {
      const r = await run("--until", "^passed ALL$", flag);
      expect({ flag, code: r.code, matched: r.json.matched }).toEqual({ flag, code: 0, matched: true });
    }
    expect((await sb.run(["read", id, "--ignore-case"])).json.code).toBe("USAGE");
  });

  test("--until and --ignore-case on an exited session (its stored output)", async () => {
    const s = await sb.start(["sh", "-c", "echo 'Build OK'"]);
    await sb.run(["wait", s.session_id, "--timeout", "20000"]);
    const r = await sb.run(["read", s.session_id, "--peek", "--until", "^build ok$", "-i", "--json"]);
    expect(r.json).toMatchObject({ matched: true, status: "exited" });
  });
});

describe("plain text (--strip-ansi, exec) is what a terminal shows", () => {
  test("a CR goes back to the start of the line: a progress line shows its last state, no lone CR", async () => {
    const id = await startPrinting("printf '[    ] 0%%\\r[==  ] 50%%\\r\\033[K[====] 100%%\\ndone\\n'; exec sleep 600", "done");
    const r = await sb.run(["read", id, "--peek", "--strip-ansi"]);
    expect(r.stdout).toBe("[====] 100%\ndone\n");
    // The raw stream still has every byte.
    expect((await sb.run(["read", id, "--peek"])).stdout).toContain("0%\r[==  ] 50%\r");
  });

  test("bash's echo: the line after a newline starts clean, so --until '\\nhi' matches", async () => {
    const s = await sb.start(["bash", "--norc", "--noprofile", "-i"], { env: { PS1: "$ " } });
    await sb.run(["read", s.session_id, "--until", "\\$ $", "--timeout", "20000"]);
    await sb.run(["write", s.session_id, "echo hi\\n"]);
    const r = await sb.run(["read", s.session_id, "--until", "\\nhi\\n", "--timeout", "20000", "--strip-ansi", "--json"]);
    expect(r.json.matched).toBe(true);
    expect(r.json.output).not.toContain("\r");
  });

  test("exec output follows the same rule", async () => {
    const s = await sb.start(["bash", "--norc", "--noprofile"]);
    const r = await sb.run(["exec", s.session_id, "printf 'step 1\\rstep 2\\rstep 3\\nok\\n'"]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: "step 3\nok\n" });
  });
});

describe("--lines N: offset says where the returned text starts", () => {
  test("raw and plain text: offset is the byte where the returned lines start; the rest counts as read", async () => {
    const id = await startPrinting("printf 'one\\ntwo\\nthree\\n'; exec sleep 600", "three");
    const raw = await sb.run(["read", id, "--peek", "--lines", "2", "--json"]);
    expect(raw.json).toMatchObject({ output: "two\r\nthree\r\n", offset: 5, next_offset: 17 });
    const plain = await sb.run(["read", id, "--peek", "--lines", "2", "--json", "--strip-ansi"]);
    expect(plain.json).toMatchObject({ output: "two\nthree\n", offset: 5, next_offset: 17 });
    // Reading from that offset gives exactly the returned text.
    expect((await sb.run(["read", id, "--since", String(raw.json.offset)])).stdout).toBe("two\r\nthree\r\n");
    // A consuming read with --lines: the skipped lines count as read (like tail -n).
    const consumed = await sb.run(["read", id, "--lines", "1", "--json"]);
    expect(consumed.json).toMatchObject({ output: "three\r\n", offset: 10, next_offset: 17 });
    expect((await sb.run(["read", id, "--json"])).json).toMatchObject({ output: "", offset: 17 });
  });

  test("plain text with escape sequences between the lines", async () => {
    const id = await startPrinting("printf '\\033[31mred\\033[0m\\nx\\ry\\n\\033]0;t\\007last\\n'; exec sleep 600", "last");
    const r = await sb.run(["read", id, "--peek", "--all", "--lines", "2", "--json", "--strip-ansi"]);
    expect(r.json.output).toBe("y\nlast\n");
    const rest = await sb.run(["read", id, "--since", String(r.json.offset), "--strip-ansi"]);
    expect(rest.stdout).toBe("y\nlast\n");
  });
});

describe("byte-exact JSON and clamped offsets", () => {
  test("--json turns invalid UTF-8 into U+FFFD; --base64 gives output_base64 with the exact bytes", async () => {
    const id = await startPrinting("printf 'A\\377\\376B'; exec sleep 600", "B");
    const json = await sb.run(["read", id, "--peek", "--json"]);
    expect(json.json.output).toBe("A\uFFFD\uFFFDB");
    const b64 = await sb.run(["read", id, "--peek", "--base64"]);
    expect(b64.json.output).toBeUndefined();
    expect(Array.from(Buffer.from(b64.json.output_base64, "base64"))).toEqual([0x41, 0xff, 0xfe, 0x42]);
    expect(b64.json).toMatchObject({ offset: 0, next_offset: 4, status: "running" });
  });

  test("--since past the end is clamped: offset says where the read really started", async () => {
    const id = await startPrinting("printf 'abc'; exec sleep 600", "abc");
    const r = await sb.run(["read", id, "--since", "1000", "--json"]);
    expect(r.json).toMatchObject({ output: "", offset: 3, next_offset: 3, dropped_bytes: 0 });
  });

  test("the terminal's echo counts as output: a waiting read after a write returns the echo", async () => {
    const s = await sb.start(["sh", "-c", "read x; sleep 600"]);
    const w = await sb.run(["write", s.session_id, "typed-text"]);
    const t0 = performance.now();
    const r = await sb.run(["read", s.session_id, "--since", String(w.json.offset), "--timeout", "20000", "--json"]);
    expect(r.json).toMatchObject({ output: "typed-text", timed_out: false });
    expect(performance.now() - t0).toBeLessThan(15000);
  });

  test("--screen --scrollback N --json: cursor.row counts from the top of the visible screen", async () => {
    const s = await sb.start(["--rows", "5", "--cols", "40", "sh", "-c", "for i in 1 2 3 4 5 6 7 8; do echo line$i; done; printf 'here'; exec sleep 600"]);
    await sb.run(["read", s.session_id, "--peek", "--until", "here", "--timeout", "20000"]);
    const r = await sb.run(["read", s.session_id, "--screen", "--scrollback", "3", "--json"]);
    const { lines, cursor, rows } = r.json;
    expect(lines.length).toBe(3 + rows);
    expect(cursor).toEqual({ row: 4, col: 4 });
    expect(lines[lines.length - rows + cursor.row]).toBe("here");
  });
});
