// The echo filter against output recorded from real programs (bash, python, node, gdb, sqlite3,
// zsh, fish) and against output that only looks like an echo.
import { describe, expect, test } from "bun:test";
import { cursorBackBy, EchoFilter, typedLines } from "../../src/text/echo.ts";

function filter(input: string, output: string, chunk = 0): string {
  const f = new EchoFilter();
  f.expect(input);
  if (chunk <= 0) return f.push(output) + f.end();
  let out = "";
  for (let i = 0; i < output.length; i += chunk) out += f.push(output.slice(i, i + chunk));
  return out + f.end();
}

const CASES: Array<[string, string, string, string]> = [
  // name, input, output, expected output with the echo taken out
  ["python assignment", "x = 1\r", "x = 1\r\n>>> ", ">>> "],
  ["python print", "print(x)\r", "print(x)\r\n1\r\n>>> ", "1\r\n>>> "],
  ["python def, line by line", "def f(a):\r    return a*2\r\r", "def f(a):\r\n...     return a*2\r\n... \r\n>>> ", "... ... \r\n>>> "],
  ["python, two statements", "a = 5\rprint(a)\r", "a = 5\r\n>>> print(a)\r\n5\r\n>>> ", ">>> 5\r\n>>> "],
  ["bash, bracketed paste mode switches", "echo hi\r", "echo hi\r\n\x1b[?2004l\rhi\r\n\x1b[?2004hbash-5.2# ", "\x1b[?2004lhi\r\n\x1b[?2004hbash-5.2# "],
  ["bash read -p", "bob\r", "bob\r\n\x1b[?2004hbash-5.2# ", "\x1b[?2004hbash-5.2# "],
  ["password: no echo", "secret\r", "\r\n\x1b[?2004hbash-5.2# ", "\r\n\x1b[?2004hbash-5.2# "],
  ["password: program output first", "hunter2\r", "\r\nWelcome, hunter\r\n", "\r\nWelcome, hunter\r\n"],
  ["raw program, output starts otherwise", "n\r", "Okay, not installing\r\n", "Okay, not installing\r\n"],
  ["node", "x + 1\r", "x + 1\r\r\n\x1b[33m42\x1b[39m\r\n\x1b[1G\x1b[0J> \x1b[3G", "\x1b[33m42\x1b[39m\r\n\x1b[1G\x1b[0J> \x1b[3G"],
  ["gdb", "print 1+2\r", "print 1+2\r\n\x1b[?2004l\r$1 = 3\r\n\x1b[?2004h(gdb) ", "\x1b[?2004l$1 = 3\r\n\x1b[?2004h(gdb) "],
  [
    "sqlite3, two lines",
    "insert into t values(1);\rselect * from t;\r",
    "insert into t values(1);\r\n\x1b[?2004l\r\x1b[?2004hsqlite> select * from t;\r\n\x1b[?2004l\r1\r\n\x1b[?2004hsqlite> ",
    "\x1b[?2004l\x1b[?2004hsqlite> \x1b[?2004l1\r\n\x1b[?2004hsqlite> ",
  ],
  ["zsh draws, erases, redraws", "echo hi\r", "e\becho hi\x1b[?2004l\r\r\nhi\r\n% ", "hi\r\n% "],
  [
    "fish redraws with highlighting",
    "echo hi\r",
    "echo \r\x1b[16Chi\r\x1b[18C\b\b\b\b\b\b\becho hi\r\x1b[18C\r\n\x1b[30m\x1b(B\x1b[m\rhi\r\n# ",
    "\x1b[30m\x1b(B\x1b[mhi\r\n# ",
  ],
  ["readline redraw with the prompt", "print(1)\r", "pri\r>>> print(1)\r\n1\r\n", "1\r\n"],
  ["pattern inside the typed command", "sleep 1; echo DONE_X\r", "sleep 1; echo DONE_X\r\nDONE_X\r\n$ ", "DONE_X\r\n$ "],
  ["canonical echo of several lines at once", "a\rb\r", "a\r\nb\r\nA\r\nB\r\n", "A\r\nB\r\n"],
  ["searching restarts inside a held candidate", "x\r    return 1\r", "x\r\n...     return 1\r\n", "... "],
  ["no input lines", "\r", "\r\n>>> ", "\r\n>>> "],
];

describe("EchoFilter", () => {
  for (const [name, input, output, want] of CASES) {
    test(name, () => {
      expect(filter(input, output)).toBe(want);
      // Any split of the output gives the same result.
      for (const n of [1, 2, 3, 7]) expect(filter(input, output, n)).toBe(want);
    });
  }

  test("for --until, an echoed line leaves its line end: the output after it starts a line", () => {
    const cases: Array<[string, string, string, string]> = [
      ["bash", "echo hi\r", "echo hi\r\nhi\r\n$ ", "\nhi\r\n$ "],
      ["python", "print(1)\r", "print(1)\r\n1\r\n>>> ", "\n1\r\n>>> "],
      ["not echoed", "secret\r", "\r\nok\r\n", "\r\nok\r\n"],
    ];
    for (const [label, input, output, want] of cases) {
      const f = new EchoFilter(true);
      f.expect(input);
      expect({ label, text: f.push(output) + f.end() }).toEqual({ label, text: want });
    }
  });

  test("input armed mid-stream: output before it passes untouched", () => {
    const f = new EchoFilter();
    let out = f.push("Name? ");
    f.expect("Ann\r");
    out += f.push("Ann\r\nHello Ann\r\n") + f.end();
    expect(out).toBe("Name? Hello Ann\r\n");
  });

  test("withholds a possible echo until it is decided", () => {
    const f = new EchoFilter();
    f.expect("hello\r");
    expect(f.push("hel")).toBe("");
    expect(f.push("lo\r\nworld")).toBe("world");
  });
});

describe("typedLines", () => {
  const T: Array<[string, string[]]> = [
    ["a\rb\r\nc\nd", ["a", "b", "c", "d"]],
    ["\x1b[200~def f():\r    pass\r\x1b[201~", ["def f():", "    pass"]],
    ["abx\x7fc\r", ["abc"]],
    ["\t\x1b[A\r\r", []],
    ["\x1b:wq\r", [":wq"]],
    ["\x1bOAx", ["x"]],
  ];
  for (const [input, lines] of T) test(JSON.stringify(input), () => expect(typedLines(input)).toEqual(lines));
});

// Recorded at a narrow width and with the line editors' full redraws (SPEC §10, the hard cases).
const REDRAW_CASES: Array<[string, string, string, string]> = [
  [
    "python 3.13 redraws prompt and line for every key",
    "ab = 1\r",
    "\u001b[?25l\u001b[4D\u001b[1;35m>>> \u001b[0ma\u001b[5D\u001b[?12l\u001b[?25h\u001b[5C\u001b[?25l\u001b[5D\u001b[1;35m>>> \u001b[0mab\u001b[6D\u001b[?12l\u001b[?25h\u001b[6C\u001b[?25l\u001b[6D\u001b[1;35m>>> \u001b[0mab \u001b[7D\u001b[?12l\u001b[?25h\u001b[7C\u001b[?25l\u001b[7D\u001b[1;35m>>> \u001b[0mab =\u001b[8D\u001b[?12l\u001b[?25h\u001b[8C\u001b[?25l\u001b[8D\u001b[1;35m>>> \u001b[0mab = \u001b[9D\u001b[?12l\u001b[?25h\u001b[9C\u001b[?25l\u001b[9D\u001b[1;35m>>> \u001b[0mab = 1\u001b[10D\u001b[?12l\u001b[?25h\u001b[10C\u001b[10D\n\r\u001b[?2004l\u001b[?1l\u001b>\u001b[?2004h\u001b[?1h\u001b=\u001b[?25l\u001b[1A\n\u001b[1;35m>>> \u001b[0m\u001b[4D\u001b[?12l\u001b[?25h\u001b[4C",
    "\u001b[?2004l\u001b[?1l\u001b>\u001b[?2004h\u001b[?1h\u001b=\u001b[?25l\u001b[1A\n\u001b[1;35m>>> \u001b[0m\u001b[4D\u001b[?12l\u001b[?25h\u001b[4C",
  ],
  [
    "fish wraps a long line itself, then draws it again",
    "echo abcdefghijklmnopq\r",
    "\u001b[A\u001b[18C  echo \u001b[A\r\r\n\u001b[5Cabcdefghijklmnopq\u001b[A\u001b[A\r\r\n\r\n\u001b[C\u001b[C\u001b[A\u001b[A\u001b[16C  echo abcdefghijklmnopq\u001b[A\u001b[A\r\r\n\r\n\u001b[C\u001b[C\r\n\u001b[30m\u001b(B\u001b[m\u001b]0;echo abcdefghijklmno /t/x\u0007\u001b[30m\u001b(B\u001b[m\rabcdefghijklmnopq\r\n# ",
    "abcdefghijklmnopq\r\n# ",
  ],
  [
    "bash 5.2 bracketed paste: highlighted, then drawn again",
    "\u001b[200~echo hi\u001b[201~\r",
    "\u001b[7mecho hi\u001b[27m\b\b\b\b\b\b\becho hi\r\n\u001b[?2004l\rhi\r\n\u001b[?2004hbash-5.2# ",
    "\u001b[?2004lhi\r\n\u001b[?2004hbash-5.2# ",
  ],
  [
    "fish wraps at a space by moving over it, then draws the wrapped line again",
    "sleep 1; echo wordwordwordwordwordword xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx LONG_\"\"MARK\r",
    "sleep \r\u001b[27C1;\r\u001b[29C \r\u001b[30Cecho \r\u001b[35Cwordwordwordwordwordword \u001b[A\r\r\n\u001b[20Cxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx \u001b[A\u001b[A\u001b[A\r\r\n\r\n\r\n\u001b[CLONG_\"\"MARK\u001b[A\u001b[A\u001b[A\r\r\n\r\n\r\n\u001b[12C\u001b[A\u001b[A\u001b[A\u001b[9Csleep 1; echo wordwordwordwordwordword xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n\u001b[CLONG_\"\"MARK\u001b[A\u001b[A\u001b[A\r\r\n\r\n\r\n\u001b[12C\r\n\u001b[30m\u001b(B\u001b[m\u001b]0;sleep 1; echo wordwo /t/x\u0007\u001b[30m\u001b(B\u001b[m\rwordwordwordwordwordword xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx LONG_MARK\r\n\u001b[2m\u23ce\u001b(B\u001b[m                                       \r\u23ce \r\u001b[K\u001b]0;/t/x\u0007\u001b[30m\u001b(B\u001b[mroot\u001b(B\u001b[m@vm\u001b(B\u001b[m /t/x\u001b(B\u001b[m\u001b(B\u001b[m# \u001b[K\r\u001b[21C",
    "wordwordwordwordwordword xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx LONG_MARK\r\n\u001b[2m\u23ce\u001b(B\u001b[m                                       \r\u23ce \r\u001b[K\u001b]0;/t/x\u0007\u001b[30m\u001b(B\u001b[mroot\u001b(B\u001b[m@vm\u001b(B\u001b[m /t/x\u001b(B\u001b[m\u001b(B\u001b[m# \u001b[K\r\u001b[21C",
  ],
];

describe("EchoFilter: editors that redraw", () => {
  for (const [name, input, output, want] of REDRAW_CASES) {
    test(name, () => expect(filter(input, output)).toBe(want));
    test(`${name} (in 7-character pieces)`, () => expect(filter(input, output, 7)).toBe(want));
  }

  test("cat after the echo: the output repeating the line is not a redraw (no cursor move up)", () => {
    expect(filter("hello\r", "hello\r\nhello\r\n")).toBe("hello\r\n");
  });
});

describe("cursorBackBy", () => {
  const cases: Array<[string, number]> = [
    ["\x1b[D", 1],
    ["\x1b[10D", 10],
    ["\x1b[1;5D", 0], // a modified arrow key, not a plain move
    ["\x1b[5C", 0],
  ];
  for (const [seq, want] of cases) test(JSON.stringify(seq), () => expect(cursorBackBy(seq)).toBe(want));
});
