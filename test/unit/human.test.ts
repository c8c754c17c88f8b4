import { expect, test } from "bun:test";
import { formatAge, formatTable, renderSessionList, renderStatus } from "../../src/cli/human.ts";
import { shellJoin, shellQuote } from "../../src/text/shell-quote.ts";

const ages: Array<[number, string]> = [
  [0, "0s"],
  [-5000, "0s"],
  [59_999, "59s"],
  [60_000, "1m"],
  [3_599_000, "59m"],
  [3_600_000, "1h"],
  [86_399_000, "23h"],
  [86_400_000, "1d"],
  [10 * 86_400_000, "10d"],
];
for (const [ms, text] of ages) test(`formatAge(${ms}) = ${text}`, () => expect(formatAge(ms)).toBe(text));

const quoted: Array<[string, string]> = [
  ["bash", "bash"],
  ["--norc", "--norc"],
  ["a b", "'a b'"],
  ["", "''"],
  ["it's", "'it'\\''s'"],
  ["$HOME", "'$HOME'"],
  ["/usr/bin/python3", "/usr/bin/python3"],
];
for (const [word, text] of quoted) test(`shellQuote(${JSON.stringify(word)})`, () => expect(shellQuote(word)).toBe(text));

test("shellJoin", () => expect(shellJoin(["sh", "-c", "echo hi; exit 3"])).toBe("sh -c 'echo hi; exit 3'"));

test("formatTable aligns columns and cuts the last one to the width", () => {
  const text = formatTable(["A", "BB", "C"], [["xxx", "y", "a long last column"], ["z", "wwww", "short"]], 20);
  expect(text).toBe(["A    BB    C", "xxx  y     a long l…", "z    wwww  short", ""].join("\n"));
  for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(20);
});

test("formatTable without a width keeps everything", () => {
  expect(formatTable(["A", "B"], [["1", "a long last column"]])).toBe("A  B\n1  a long last column\n");
});

test("renderSessionList", () => {
  const now = Date.parse("2026-01-01T12:00:00Z");
  const text = renderSessionList(
    [
      { session_id: "sess_000000000001", name: "web", status: "running", pid: 42, created_at: "2026-01-01T11:55:00Z", command: ["python3", "-m", "http.server"], exit_code: null, signal: null },
      { session_id: "sess_000000000002", name: null, status: "exited", pid: 7, created_at: "2026-01-01T09:00:00Z", command: ["sh", "-c", "exit 3"], exit_code: 3, signal: null },
      { session_id: "sess_000000000003", name: null, status: "crashed", pid: 9, created_at: "2025-12-30T12:00:00Z", command: ["bash"], exit_code: null, signal: null },
      { session_id: "sess_000000000004", name: null, status: "exited", pid: 11, created_at: "2026-01-01T11:59:30Z", command: ["sleep", "9"], exit_code: null, signal: "SIGTERM" },
    ],
    now,
  );
  expect(text).toBe(
    [
      "ID                 NAME  STATUS           PID  AGE  COMMAND",
      "sess_000000000001  web   running          42   5m   python3 -m http.server",
      "sess_000000000002  -     exited(3)        7    3h   sh -c 'exit 3'",
      "sess_000000000003  -     crashed          9    2d   bash",
      "sess_000000000004  -     exited(SIGTERM)  11   30s  sleep 9",
      "",
    ].join("\n"),
  );
  expect(renderSessionList([], now)).toBe("no sessions\n");
});

test("renderStatus lists the document's fields in order", () => {
  expect(renderStatus({ session_id: "sess_000000000001", name: null, alive: true, command: ["sh", "-c", "x y"], cols: 80 })).toBe(
    ["session_id  sess_000000000001", "name        -", "alive       true", "command     sh -c 'x y'", "cols        80", ""].join("\n"),
  );
});
