// The syscall tables and thread-state rules of input-wait detection. Numbers are the kernel's:
// arch/x86/entry/syscalls/syscall_64.tbl and include/uapi/asm-generic/unistd.h (aarch64).
import { describe, expect, test } from "bun:test";
import { selectWaitCalls, selectWaitTimeouts, type WaitCall, type WaitTimeout } from "../../src/holder/input-wait/syscalls.ts";
import { classifyState, type ThreadWait } from "../../src/holder/input-wait/thread-wait.ts";

describe("selectWaitCalls", () => {
  const cases: Array<[string, number, WaitCall | undefined]> = [
    ["x64", 0, "read"],
    ["x64", 17, "read"], // pread64
    ["x64", 19, "read"], // readv
    ["x64", 7, "poll"],
    ["x64", 271, "poll"], // ppoll
    ["x64", 23, "select"],
    ["x64", 270, "select"], // pselect6
    ["x64", 232, "epoll"], // epoll_wait
    ["x64", 281, "epoll"], // epoll_pwait
    ["x64", 441, "epoll"], // epoll_pwait2
    ["x64", 202, undefined], // futex: helper threads
    ["x64", 230, undefined], // clock_nanosleep
    ["x64", 61, undefined], // wait4
    ["x64", 35, undefined], // nanosleep
    ["x64", 1, undefined], // write
    ["arm64", 63, "read"],
    ["arm64", 65, "read"],
    ["arm64", 67, "read"],
    ["arm64", 73, "poll"], // ppoll (no plain poll on arm64)
    ["arm64", 72, "select"], // pselect6
    ["arm64", 22, "epoll"], // epoll_pwait
    ["arm64", 441, "epoll"],
    ["arm64", 98, undefined], // futex
    ["arm64", 101, undefined], // nanosleep
    ["arm64", 260, undefined], // wait4
    ["arm64", 0, undefined], // io_setup, not read
    ["arm64", 7, undefined], // fsetxattr, not poll
  ];
  for (const [arch, nr, want] of cases) test(`${arch} ${nr} → ${want ?? "not a wait"}`, () => expect(selectWaitCalls(arch)!.get(nr)).toBe(want));

  test("unknown architectures have no table (detection falls back to quiet output)", () => {
    for (const arch of ["ia32", "arm", "riscv64", "s390x", "ppc64"]) expect(selectWaitCalls(arch)).toBeNull();
  });
});

describe("classifyState", () => {
  const cases: Array<[string, ThreadWait | null]> = [
    ["R", "busy"],
    ["D", "busy"],
    ["T", "busy"],
    ["t", "busy"],
    ["S", null],
    ["Z", "other"],
    ["X", "other"],
    ["I", "other"],
  ];
  for (const [state, want] of cases) test(`${state} → ${want ?? "look at the syscall"}`, () => expect(classifyState(state)).toBe(want));
});

describe("selectWaitTimeouts", () => {
  const cases: Array<[string, number, WaitTimeout | undefined]> = [
    ["x64", 7, { arg: 2, form: "ms" }], // poll
    ["x64", 271, { arg: 2, form: "timespec" }], // ppoll
    ["x64", 23, { arg: 4, form: "timeval" }], // select
    ["x64", 270, { arg: 4, form: "timespec" }], // pselect6
    ["x64", 232, { arg: 3, form: "ms" }], // epoll_wait
    ["x64", 281, { arg: 3, form: "ms" }], // epoll_pwait
    ["x64", 441, { arg: 3, form: "timespec" }], // epoll_pwait2
    ["x64", 0, undefined], // read: no limit
    ["arm64", 73, { arg: 2, form: "timespec" }],
    ["arm64", 72, { arg: 4, form: "timespec" }],
    ["arm64", 22, { arg: 3, form: "ms" }],
    ["arm64", 63, undefined],
  ];
  for (const [arch, nr, want] of cases) test(`${arch} ${nr}`, () => expect(selectWaitTimeouts(arch).get(nr)).toEqual(want));
});
