// The /proc parsers of input-wait detection, as tables over texts and memory recorded from real
// programs sitting in a PTY on Linux x86_64 (python3, node, gdb, fish, dash, a select on sockets…).
import { describe, expect, test } from "bun:test";
import { parseProcStat, type ProcStat } from "../../src/proc.ts";
import {
  fdSetBytes,
  kernelDevToStatDev,
  makeDev,
  parseEpollTargets,
  parseFdSet,
  parsePollFds,
  parseSyscall,
  type EpollTarget,
  type SyscallView,
  parseWaitTimeoutMs,
} from "../../src/holder/input-wait/proc-parse.ts";

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));

// ---- /proc/PID/stat ----------------------------------------------------------------------------

const STAT_PYTHON =
  "20762 (python3) S 20759 20762 20762 34818 20762 4194304 3131 6622 0 0 4 0 3 1 20 0 1 0 23441 19124224 3768 18446744073709551615 94079036456960 94079036457301 140732018038032 0 0 0 0 16781312 134217730 1 0 0 17 0 0 0 0 0 0 94079036468656 94079036469272 94079203389440 140732018042883 140732018042927 140732018042927 140732018044879 0\n";
const STAT_NODE =
  "20914 (node) S 20900 20914 20914 34818 20914 4194304 2778 0 0 0 8 1 0 0 20 0 11 0 23593 915599360 11424 18446744073709551615 11988992 39846385 140734764359664 0 0 0 0 16781312 134235650 0 0 0 17 0 0 0 0 0 0 90418888 90555584 140460032 140734764362197 140734764362202 140734764362202 140734764363754 0\n";
/** A process that renamed itself "a) (b c)" (written to /proc/self/comm), then stopped by SIGSTOP. */
const STAT_ODD_COMM_STOPPED =
  "23406 (a) (b c)) T 23280 23280 7047 0 -1 4194304 2880 6604 0 0 3 0 4 0 20 0 1 0 24547 16977920 3353 18446744073709551615 94091548979200 94091548979541 140734482621440 0 0 0 0 16781318 0 1 0 0 17 0 0 0 0 0 0 94091548990896 94091548991512 94092491558912 140734482622437 140734482622560 140734482622560 140734482624463 19\n";
/** A busy loop with no controlling terminal (tty_nr 0, tpgid -1). */
const STAT_BUSY_NO_TTY =
  "23282 (sh) R 23280 23280 7047 0 -1 4194304 121 0 0 0 8 0 0 0 20 0 1 0 24512 2654208 406 18446744073709551615 93956992348160 93956992424889 140729051612720 0 0 0 0 6 65536 0 0 0 17 0 0 0 0 0 0 93956992454192 93956992459328 93957850157056 140729051617811 140729051617837 140729051617837 140729051619308 0\n";

describe("parseProcStat (src/proc.ts) on lines recorded from real programs", () => {
  const cases: Array<[string, string, ProcStat | null]> = [
    [
      "python3 at its prompt",
      STAT_PYTHON,
      { pid: 20762, comm: "python3", state: "S", ppid: 20759, pgrp: 20762, session: 20762, ttyNr: 34818, tpgid: 20762, utime: 4, stime: 0, numThreads: 1 },
    ],
    [
      "node with 11 threads",
      STAT_NODE,
      { pid: 20914, comm: "node", state: "S", ppid: 20900, pgrp: 20914, session: 20914, ttyNr: 34818, tpgid: 20914, utime: 8, stime: 1, numThreads: 11 },
    ],
    [
      "a command name holding parentheses and spaces, stopped",
      STAT_ODD_COMM_STOPPED,
      { pid: 23406, comm: "a) (b c)", state: "T", ppid: 23280, pgrp: 23280, session: 7047, ttyNr: 0, tpgid: -1, utime: 3, stime: 0, numThreads: 1 },
    ],
    [
      "runnable, no terminal",
      STAT_BUSY_NO_TTY,
      { pid: 23282, comm: "sh", state: "R", ppid: 23280, pgrp: 23280, session: 7047, ttyNr: 0, tpgid: -1, utime: 8, stime: 0, numThreads: 1 },
    ],
    ["empty", "", null],
    ["no command name", "123 S 1 2 3", null],
    ["cut short after the name", "20762 (python3) S 20759 20762", null],
  ];
  for (const [name, text, want] of cases) test(name, () => expect(parseProcStat(text)).toEqual(want));

  test("pts device number decodes to /dev/pts/2", () => {
    expect(parseProcStat(STAT_PYTHON)!.ttyNr).toBe(makeDev(136, 2));
  });
});

// ---- /proc/PID/task/TID/syscall -----------------------------------------------------------------

describe("parseSyscall", () => {
  const call = (nr: number, ...args: string[]): SyscallView => ({ kind: "syscall", nr, args: args.map((a) => BigInt(a)) });
  const cases: Array<[string, string, SyscallView | null]> = [
    [
      "python3: pselect6 on fd 0",
      "270 0x1 0x7ffeb9f182f0 0x0 0x0 0x0 0x0 0x7ffeb9f18260 0x7f0e5e31c954\n",
      call(270, "0x1", "0x7ffeb9f182f0", "0x0", "0x0", "0x0", "0x0"),
    ],
    [
      "node main thread: epoll_pwait",
      "281 0xd 0x7fff5da2ec10 0x400 0x1f9f 0x0 0x8 0x7fff5da2deb0 0x7fbbce646cae\n",
      call(281, "0xd", "0x7fff5da2ec10", "0x400", "0x1f9f", "0x0", "0x8"),
    ],
    [
      "node helper thread: futex",
      "202 0x2b8de730 0x189 0x0 0x0 0x0 0xffffffff 0x7f1af3c1bc70 0x7f1af44a3f16\n",
      call(202, "0x2b8de730", "0x189", "0x0", "0x0", "0x0", "0xffffffff"),
    ],
    [
      "gdb: poll on four fds",
      "7 0x55d9098c20b0 0x4 0xffffffff 0x7f9bb442bfe8 0x0 0x0 0x7ffff60f96d0 0x7f9bb451a26f\n",
      call(7, "0x55d9098c20b0", "0x4", "0xffffffff", "0x7f9bb442bfe8", "0x0", "0x0"),
    ],
    [
      "getpass: read on its /dev/tty fd",
      "0 0x3 0x55f49598e030 0x2000 0x0 0x0 0x0 0x7ffc76ad5a18 0x7ff8c8b162ad\n",
      call(0, "0x3", "0x55f49598e030", "0x2000", "0x0", "0x0", "0x0"),
    ],
    [
      "time.sleep: clock_nanosleep",
      "230 0x1 0x1 0x7fff4cd81e90 0x0 0x0 0x0 0x7fff4cd81e78 0x7f2ea04ed503\n",
      call(230, "0x1", "0x1", "0x7fff4cd81e90", "0x0", "0x0", "0x0"),
    ],
    ["a busy loop", "running\n", { kind: "running" }],
    ["a stopped busy loop: blocked outside any syscall", "-1 0x7ffee86612e8 0x55d6295deeea\n", { kind: "blocked" }],
    ["empty", "", null],
    ["not hex", "0 3 4 5 6 7 8 9 10\n", null],
    ["too few fields", "0 0x3 0x55f49598e030\n", null],
  ];
  for (const [name, text, want] of cases) test(name, () => expect(parseSyscall(text)).toEqual(want));

  test("addresses above 2^53 stay exact", () => {
    const v = parseSyscall("7 0xff7fffffffffff08 0x1 0x0 0x0 0x0 0x0 0x0 0x0\n");
    expect(v).toEqual(call(7, "0xff7fffffffffff08", "0x1", "0x0", "0x0", "0x0", "0x0"));
  });
});

// ---- epoll fdinfo -------------------------------------------------------------------------------

describe("parseEpollTargets", () => {
  const cases: Array<[string, string, EpollTarget[]]> = [
    [
      "node's main epoll: two pipes/eventfds and its dup of the tty (fd 20 on devpts, ino 5)",
      "pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t1030\ntfd:       16 events:       19 data:               10  pos:0 ino:406 sdev:10\ntfd:       14 events:       19 data:                e  pos:0 ino:c06b sdev:f\ntfd:       20 events:       19 data:               14  pos:0 ino:5 sdev:1a\n",
      [
        { fd: 16, events: 0x19, ino: 0x406, sdev: 0x10 },
        { fd: 14, events: 0x19, ino: 0xc06b, sdev: 0xf },
        { fd: 20, events: 0x19, ino: 5, sdev: 0x1a },
      ],
    ],
    ["an epoll with nothing added", "pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t1030\n", []],
    [
      "an older kernel's line without ino and sdev",
      "pos:\t0\nflags:\t02\nmnt_id:\t9\ntfd:        5 events:       1 data:                0\n",
      [{ fd: 5, events: 1, ino: null, sdev: null }],
    ],
    ["not an epoll fd (a pipe's fdinfo)", "pos:\t0\nflags:\t02000000\nmnt_id:\t15\nino:\t115192\n", []],
  ];
  for (const [name, text, want] of cases) test(name, () => expect(parseEpollTargets(text)).toEqual(want));
});

// ---- pollfd arrays and fd_sets from process memory ---------------------------------------------

describe("parsePollFds", () => {
  const cases: Array<[string, string, Array<{ fd: number; events: number }>]> = [
    [
      "gdb: three pipes and the terminal, all POLLIN",
      "0300000001000000050000000100000009000000010000000000000001000000",
      [
        { fd: 3, events: 1 },
        { fd: 5, events: 1 },
        { fd: 9, events: 1 },
        { fd: 0, events: 1 },
      ],
    ],
    [
      "fish: the terminal and two notifiers",
      "000000000100000005000000010000000600000001000000",
      [
        { fd: 0, events: 1 },
        { fd: 5, events: 1 },
        { fd: 6, events: 1 },
      ],
    ],
    [
      "python select.poll: a socket, the terminal with no events, a socket for POLLIN|POLLPRI",
      "030000000100000001000000000000000400000003000000",
      [
        { fd: 3, events: 1 },
        { fd: 1, events: 0 },
        { fd: 4, events: 3 },
      ],
    ],
    ["an ignored entry (fd -1), then a partial entry", "ffffffff0100000000000000010000", [{ fd: -1, events: 1 }]],
    ["nothing", "", []],
  ];
  for (const [name, bytes, want] of cases) test(name, () => expect(parsePollFds(hex(bytes))).toEqual(want));
});

describe("parseFdSet", () => {
  const cases: Array<[string, string, number, number[]]> = [
    ["python3 / sqlite3 / bash: fd 0", "0100000000000000", 1, [0]],
    ["a select on two sockets and the terminal", "4900000000000000", 7, [0, 3, 6]],
    ["bits at or above nfds are not looked at", "4900000000000000", 4, [0, 3]],
    ["a set reaching the second word", "0100000000000000" + "0200000000000000", 66, [0, 65]],
    ["an empty set", "0000000000000000", 64, []],
  ];
  for (const [name, bytes, nfds, want] of cases) test(name, () => expect(parseFdSet(hex(bytes), nfds)).toEqual(want));

  test("the kernel reads whole 64-bit words", () => {
    expect([1, 7, 64, 65, 1024].map(fdSetBytes)).toEqual([8, 8, 8, 16, 128]);
  });
});

describe("device numbers", () => {
  test("fdinfo's sdev (major << 20 | minor) converts to stat's st_dev", () => {
    const cases: Array<[number, number]> = [
      [0x1a, 26], // devpts 0:26, as `stat -c %d /dev/pts/0` printed
      [0x10, 16],
      [(8 << 20) | 1, makeDev(8, 1)],
      [(0 << 20) | 300, makeDev(0, 300)],
      [(259 << 20) | 70000, makeDev(259, 70000)],
    ];
    for (const [sdev, dev] of cases) expect(kernelDevToStatDev(sdev)).toBe(dev);
  });

  test("makeDev matches glibc's encoding", () => {
    expect(makeDev(136, 2)).toBe(34818);
    expect(makeDev(5, 0)).toBe(1280);
    expect(makeDev(0, 300)).toBe(44 + (1 << 20));
  });
});

describe("parseWaitTimeoutMs", () => {
  const ts = (sec: number, frac: number) => {
    const b = new Uint8Array(16);
    const v = new DataView(b.buffer);
    v.setBigInt64(0, BigInt(sec), true);
    v.setBigInt64(8, BigInt(frac), true);
    return b;
  };
  const cases: Array<[string, "ms" | "timespec" | "timeval", bigint, Uint8Array | null, number | null]> = [
    // Recorded: python 3.13's REPL polls 100 ms; gdb and fish poll with -1; node's epoll 8092 ms.
    ["poll 100 ms", "ms", 0x64n, null, 100],
    ["poll -1 (register holds 0xffffffff)", "ms", 0xffffffffn, null, null],
    ["epoll_pwait 8092 ms", "ms", 0x1f9cn, null, 8092],
    ["poll 0", "ms", 0n, null, 0],
    // vim: pselect6 with 4 s while idle, 100 ms before it exits after :wq; bash read -t 0.2.
    ["pselect6 4 s", "timespec", 0x7ffd0000n, ts(4, 0), 4000],
    ["pselect6 100 ms", "timespec", 0x7ffd0000n, ts(0, 100_000_000), 100],
    ["pselect6 199.999 ms", "timespec", 0x7ffd0000n, ts(0, 199_999_000), 199.999],
    ["pselect6 NULL: no limit", "timespec", 0n, null, null],
    ["select timeval 1.5 s", "timeval", 0x7ffd0000n, ts(1, 500_000), 1500],
    ["timespec unreadable", "timespec", 0x7ffd0000n, null, null],
    ["timespec invalid nanoseconds", "timespec", 0x7ffd0000n, ts(0, 1_000_000_000), null],
    ["timeval negative", "timeval", 0x7ffd0000n, ts(-1, 0), null],
  ];
  for (const [name, form, arg, struct, want] of cases) test(name, () => expect(parseWaitTimeoutMs(form, arg, struct)).toBe(want));
});
