import { expect, test } from "bun:test";
import { isAlive, parseProcStat, readProcStat } from "../../src/proc.ts";

// pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime …
const tail = "4321 4321 34816 4400 4194560 1200 0 3 0 250 75 0 0 20 0 1 0 8812 10231808 1024";

test.each([
  ["plain name", `4321 (bash) S 1 ${tail}`, { pid: 4321, comm: "bash", state: "S", ppid: 1, pgrp: 4321, session: 4321, ttyNr: 34816, tpgid: 4400, utime: 250, stime: 75, numThreads: 1 }],
  ["name with spaces", `77 (my prog) R 5 ${tail}`, { pid: 77, comm: "my prog", state: "R", ppid: 5, pgrp: 4321, session: 4321, ttyNr: 34816, tpgid: 4400, utime: 250, stime: 75, numThreads: 1 }],
  ["name with parentheses", `77 (a) (b)) Z 9 ${tail}`, { pid: 77, comm: "a) (b)", state: "Z", ppid: 9, pgrp: 4321, session: 4321, ttyNr: 34816, tpgid: 4400, utime: 250, stime: 75, numThreads: 1 }],
  ["a loop named like a stat line", `123 (while (true)) R 1 ${tail}`, { pid: 123, comm: "while (true)", state: "R", ppid: 1, pgrp: 4321, session: 4321, ttyNr: 34816, tpgid: 4400, utime: 250, stime: 75, numThreads: 1 }],
  ["no terminal", `8 (kworker/0:1) I 2 0 0 0 -1 ${tail.split(" ").slice(4).join(" ")}`, { pid: 8, comm: "kworker/0:1", state: "I", ppid: 2, pgrp: 0, session: 0, ttyNr: 0, tpgid: -1, utime: 250, stime: 75, numThreads: 1 }],
] as const)("%s", (_name, line, expected) => {
  expect(parseProcStat(line)).toEqual(expected);
});

test.each([["empty", ""], ["no parentheses", "1 bash S 1 2 3"], ["truncated", "1 (bash) S 1 2"], ["not numbers", `1 (x) S a b c d e f g h i j k l`]])("%s is not a stat line", (_name, line) => {
  expect(parseProcStat(line)).toBeNull();
});

test("this process, read from /proc, and one that does not exist", () => {
  const me = readProcStat(process.pid);
  expect(me?.ppid).toBe(process.ppid);
  expect(me?.state).toMatch(/^[RS]$/);
  expect(readProcStat(2 ** 31 - 1)).toBeNull();
});

test("isAlive: this process and pid 1 are, a reaped child is not", async () => {
  expect(isAlive(process.pid)).toBe(true);
  expect(isAlive(1)).toBe(true);
  const child = Bun.spawn(["true"]);
  await child.exited;
  expect(isAlive(child.pid)).toBe(false);
});
