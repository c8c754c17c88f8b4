import { describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signalForStatus } from "../../src/holder/exec/controller.ts";
import { jobInForeground } from "../../src/holder/exec/foreground.ts";
import { parseProcStat } from "../../src/proc.ts";
import { MarkFilter, type Mark } from "../../src/holder/exec/marks.ts";
import { buildScript, buildTypedLine, shellQuote, shellQuoteBytes } from "../../src/holder/exec/script.ts";
import { checkShell } from "../../src/holder/exec/shell.ts";

const SECRET = "0123abcdef";
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

type Event = { data: string } | { mark: Mark };

/** Runs the filter over `chunks` and returns data and marks in order (adjacent data merged). */
function filter(chunks: string[]): Event[] {
  const events: Event[] = [];
  const f = new MarkFilter(SECRET, (mark) => events.push({ mark }));
  const emit = (b: Uint8Array) => {
    const last = events[events.length - 1];
    if (last && "data" in last) last.data += dec(b);
    else events.push({ data: dec(b) });
  };
  for (const c of chunks) f.push(enc(c), emit);
  f.flush(emit);
  return events;
}

const P0 = `\x1b]697;${SECRET};P;0\x07`;
const S1 = `\x1b]697;${SECRET};S;ab12\x07`;

describe("MarkFilter", () => {
  const cases: Array<[string, string, Event[]]> = [
    ["plain output passes untouched", "hello\r\nworld", [{ data: "hello\r\nworld" }]],
    ["a prompt mark is taken out", `out${P0}$ `, [{ data: "out" }, { mark: { kind: "P", value: "0" } }, { data: "$ " }]],
    ["start and prompt marks", `echo\r\n${S1}hi\r\n${P0}`, [{ data: "echo\r\n" }, { mark: { kind: "S", value: "ab12" } }, { data: "hi\r\n" }, { mark: { kind: "P", value: "0" } }]],
    ["a mark with another secret is output", `\x1b]697;zzz;P;0\x07x`, [{ data: `\x1b]697;zzz;P;0\x07x` }]],
    ["another OSC is output", "\x1b]0;title\x07x", [{ data: "\x1b]0;title\x07x" }]],
    ["colours are output", "\x1b[31mred\x1b[0m", [{ data: "\x1b[31mred\x1b[0m" }]],
    ["the mark's text without ESC is output", `]697;${SECRET};P;0\x07`, [{ data: `]697;${SECRET};P;0\x07` }]],
    ["a body with a foreign byte is output", `\x1b]697;${SECRET};P;0 \x07`, [{ data: `\x1b]697;${SECRET};P;0 \x07` }]],
    ["an unterminated prefix at the end is flushed as output", `x\x1b]697;${SECRET}`, [{ data: `x\x1b]697;${SECRET}` }]],
    ["a body longer than any mark is output", `\x1b]697;${SECRET};P;${"9".repeat(100)}\x07`, [{ data: `\x1b]697;${SECRET};P;${"9".repeat(100)}\x07` }]],
    ["two marks back to back", `${P0}${P0}`, [{ mark: { kind: "P", value: "0" } }, { mark: { kind: "P", value: "0" } }]],
    ["ESC ESC before a mark", `\x1b\x1b${P0}`, [{ data: "\x1b\x1b" }, { mark: { kind: "P", value: "0" } }]],
  ];
  for (const [name, input, expected] of cases) test(name, () => expect(filter([input])).toEqual(expected));

  test("marks split across chunks at every position give the same events", () => {
    const input = `pre\x1b[1m${S1}mid\x1b]0;t\x07${P0}post\x1b`;
    const whole = filter([input]);
    for (let a = 0; a <= input.length; a++) {
      for (let b = a; b <= input.length; b += 3) {
        expect(filter([input.slice(0, a), input.slice(a, b), input.slice(b)])).toEqual(whole);
      }
    }
  });

  test("one byte at a time", () => {
    const input = `a${S1}b${P0}c`;
    expect(filter([...input])).toEqual(filter([input]));
  });

  test("a chunk without marks is emitted whole, as the same bytes", () => {
    const f = new MarkFilter(SECRET, () => {});
    const chunk = enc("\x1b[31mno marks here\x1b[0m");
    const seen: Uint8Array[] = [];
    f.push(chunk, (b) => seen.push(b));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(chunk);
  });

  test("a megabyte with marks in it is filtered in linear time", () => {
    const line = "x".repeat(99) + "\n";
    const chunks: string[] = [];
    for (let i = 0; i < 10_000; i++) chunks.push(i % 100 === 0 ? line + P0 : line);
    const t = performance.now();
    let bytes = 0;
    let marks = 0;
    const f = new MarkFilter(SECRET, () => marks++);
    for (const c of chunks) f.push(enc(c), (b) => (bytes += b.length));
    expect(bytes).toBe(1_000_000);
    expect(marks).toBe(100);
    expect(performance.now() - t).toBeLessThan(1000);
  });

  test("rejects a secret that could not be matched literally", () => {
    expect(() => new MarkFilter("a;b", () => {})).toThrow();
  });
});

describe("checkShell", () => {
  const ok: string[][] = [
    ["bash"],
    ["/bin/bash", "--norc", "-i"],
    ["-bash"],
    ["sh"],
    ["/usr/bin/dash"],
    ["zsh", "-f"],
    ["bash", "--rcfile", "my.rc", "-i"],
    ["bash", "-o", "vi"],
    ["bash", "-euo", "pipefail"],
    ["bash", "-s", "arg1", "arg2"],
    ["zsh", "--emulate", "sh"],
    ["fish"],
    ["/usr/bin/fish", "--no-config", "-i"],
    ["fish", "-C", "set x 1"],
    ["fish", "--init-command", "set x 1", "-l"],
    ["fish", "-d", "3"],
  ];
  for (const cmd of ok) {
    const dialect = cmd[0]!.endsWith("fish") ? "fish" : "posix";
    test(`supported: ${cmd.join(" ")}`, () => expect(checkShell(cmd)).toMatchObject({ ok: true, dialect }));
  }

  const refused: Array<[string[], RegExp]> = [
    [["python3"], /runs "python3"/],
    [["cat"], /runs "cat"/],
    [["nu"], /bash, sh, dash, zsh or fish/],
    [["fish", "-c", "echo"], /command string/],
    [["fish", "--command=echo"], /command string/],
    [["fish", "-C", "set x", "script.fish"], /script "script.fish"/],
    [["bash", "-c", "sleep 1"], /command string/],
    [["sh", "-ec", "x"], /command string/],
    [["bash", "script.sh"], /script "script.sh"/],
    [["bash", "--norc", "--", "script.sh"], /script "script.sh"/],
    [["bash", "-o", "vi", "x.sh"], /script "x.sh"/],
  ];
  for (const [cmd, why] of refused) {
    test(`refused: ${cmd.join(" ")}`, () => {
      const r = checkShell(cmd);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(why);
    });
  }
});

describe("script", () => {
  test("shellQuote round-trips through sh", () => {
    for (const s of ["plain", "with space", "it's", "'", "''", "a\"b$c`d\\e", "/tmp/x y/'z'/sess_1/exec.sh", "tab\there", "ü"]) {
      const out = Bun.spawnSync(["sh", "-c", `printf %s ${shellQuote(s)}`]).stdout.toString();
      expect(out).toBe(s);
    }
  });

  test("the typed line starts with a space and sources the script", () => {
    expect(buildTypedLine("/a b/exec.sh")).toBe(" . '/a b/exec.sh'");
  });

  const nastyCommands: Array<[string, Uint8Array, string]> = [
    ["quotes and expansions", enc(`x='it'"'"'s'; echo "$x" '$HOME' "\\\\" \`echo back\``), "it's $HOME \\ back\n"],
    ["several lines and a heredoc", enc("cat <<'EOF'\nline 'one'\nEOF\nfor i in 1 2; do\n  echo $i\ndone"), "line 'one'\n1\n2\n"],
    ["no trailing newline, lone quote at the end", enc("printf '%s' \"'\""), "'"],
    ["bytes that are not UTF-8", Uint8Array.from([...enc("printf '%s' '"), 0xff, 0xfe, ...enc("'")]), "\xff\xfe"],
    ["a NUL is dropped", Uint8Array.from([...enc("echo a"), 0, ...enc("b")]), "ab\n"],
    ["the exit status is the command's", enc("(exit 3)"), ""],
  ];

  for (const sh of ["sh", "dash", "bash", "zsh"]) {
    test.skipIf(!Bun.which(sh))(`${sh} runs the embedded command exactly, between its S mark and nothing else`, async () => {
      for (const [name, command, expected] of nastyCommands) {
        const script = buildScript({ secret: SECRET, nonce: "ab12", typedLine: buildTypedLine("/x/exec.sh"), command });
        const path = join(tmpdir(), `ds-script-${process.pid}-${sh}.sh`);
        await Bun.write(path, script);
        // No controlling terminal (setsid): the marks fall back from /dev/tty to stdout.
        const proc = Bun.spawn([sh, path], { stdin: "ignore", stdout: "pipe", stderr: "pipe", detached: true });
        const [out, err, code] = await Promise.all([new Response(proc.stdout).arrayBuffer(), new Response(proc.stderr).text(), proc.exited]);
        rmSync(path, { force: true });
        const text = new TextDecoder("latin1").decode(out);
        expect({ sh, name, err, text }).toEqual({ sh, name, err: "", text: `${S1}${expected}` });
        expect({ sh, name, code }).toEqual({ sh, name, code: name.startsWith("the exit status") ? 3 : 0 });
      }
    });
  }

  test("the script parses in every shell present, and only the command could hold a raw ESC", () => {
    const bytes = buildScript({ secret: SECRET, nonce: "ab12", typedLine: buildTypedLine("/x/exec.sh"), command: enc("echo 'it''s'") });
    const text = dec(bytes);
    expect(text.includes("\x1b")).toBe(false);
    expect(text.includes(SECRET)).toBe(true);
    for (const sh of ["sh", "dash", "bash", "zsh"]) {
      if (!Bun.which(sh)) continue;
      const r = Bun.spawnSync([sh, "-n", "-c", text]);
      expect({ sh, code: r.exitCode, err: r.stderr.toString() }).toEqual({ sh, code: 0, err: "" });
    }
  });

  test("shellQuoteBytes round-trips through sh", () => {
    for (const s of ["", "'", "a'b'c", "''x''", "plain"]) {
      const out = Bun.spawnSync(["sh", "-c", `printf %s ${dec(shellQuoteBytes(enc(s)))}`]).stdout.toString();
      expect(out).toBe(s);
    }
  });

  test("refuses a secret or nonce that is not alphanumeric", () => {
    expect(() => buildScript({ secret: "a'b", nonce: "1", typedLine: " . x", command: enc("x") })).toThrow();
    expect(() => buildScript({ secret: "a", nonce: "1;2", typedLine: " . x", command: enc("x") })).toThrow();
  });
});

describe("jobInForeground", () => {
  // minflt cminflt majflt cmajflt utime stime cutime cstime priority nice num_threads …
  const rest = "0 0 0 0 3 1 0 0 20 0 1 0 8812";
  const cases: Array<[string, string, boolean | null]> = [
    ["shell in the foreground", `100 (bash) S 1 100 100 34816 100 4194560 ${rest}`, false],
    ["a job in the foreground", `100 (bash) S 1 100 100 34816 230 4194560 ${rest}`, true],
    ["no terminal", `100 (bash) S 1 100 100 0 -1 4194560 ${rest}`, null],
    ["command name with spaces and parens", `100 (my (odd) sh) S 1 100 100 34816 230 0 ${rest}`, true],
  ];
  for (const [name, stat, expected] of cases) test(name, () => expect(jobInForeground(parseProcStat(stat)!)).toBe(expected));
});

describe("signalForStatus", () => {
  const cases: Array<[number | null, string | null]> = [
    [0, null],
    [1, null],
    [128, null],
    [129, "SIGHUP"],
    [130, "SIGINT"],
    [137, "SIGKILL"],
    [143, "SIGTERM"],
    [255, null],
    [null, null],
  ];
  for (const [status, name] of cases) test(`${status} -> ${name}`, () => expect(signalForStatus(status)).toBe(name));
});
