// The system calls in which a program can sit waiting to read its terminal, by number, for the
// architectures whose numbers we know. /proc/PID/syscall gives only the number and raw arguments,
// and the numbers differ: x86_64 has its own table; aarch64 uses the kernel's generic one (which
// has no plain poll, select or epoll_wait: libc maps those onto ppoll, pselect6 and epoll_pwait).

/** How to find the terminal among a waiting call's arguments. */
export type WaitCall =
  /** read, readv, pread64, preadv, preadv2: the fd is argument 0. */
  | "read"
  /** poll, ppoll: argument 0 points to a pollfd array of argument 1 entries. */
  | "poll"
  /** select, pselect6: argument 0 is nfds, argument 1 points to the read fd_set (or is 0). */
  | "select"
  /** epoll_wait, epoll_pwait, epoll_pwait2: argument 0 is the epoll fd. */
  | "epoll";

const X86_64: ReadonlyMap<number, WaitCall> = new Map<number, WaitCall>([
  [0, "read"],
  [17, "read"], // pread64
  [19, "read"], // readv
  [295, "read"], // preadv
  [327, "read"], // preadv2
  [7, "poll"],
  [271, "poll"], // ppoll
  [23, "select"],
  [270, "select"], // pselect6
  [232, "epoll"], // epoll_wait
  [281, "epoll"], // epoll_pwait
  [441, "epoll"], // epoll_pwait2
]);

const GENERIC: ReadonlyMap<number, WaitCall> = new Map<number, WaitCall>([
  [63, "read"],
  [65, "read"], // readv
  [67, "read"], // pread64
  [69, "read"], // preadv
  [286, "read"], // preadv2
  [73, "poll"], // ppoll
  [72, "select"], // pselect6
  [22, "epoll"], // epoll_pwait
  [441, "epoll"], // epoll_pwait2
]);

/** The table for a Node/Bun `process.arch`, or null when its numbers are unknown here. */
export function selectWaitCalls(arch: string): ReadonlyMap<number, WaitCall> | null {
  if (arch === "x64") return X86_64;
  if (arch === "arm64") return GENERIC;
  return null;
}

/** Where a waiting call keeps its time limit: an int of milliseconds in an argument (negative: none),
 *  or a pointer in an argument to a struct timespec / timeval (null pointer: none). */
export type WaitTimeout = { arg: number; form: "ms" | "timespec" | "timeval" };

const X86_64_TIMEOUTS: ReadonlyMap<number, WaitTimeout> = new Map<number, WaitTimeout>([
  [7, { arg: 2, form: "ms" }], // poll(fds, nfds, timeout)
  [271, { arg: 2, form: "timespec" }], // ppoll(fds, nfds, tmo_p, sigmask, size)
  [23, { arg: 4, form: "timeval" }], // select(nfds, r, w, e, timeout)
  [270, { arg: 4, form: "timespec" }], // pselect6(nfds, r, w, e, timeout, sigmask)
  [232, { arg: 3, form: "ms" }], // epoll_wait(epfd, events, max, timeout)
  [281, { arg: 3, form: "ms" }], // epoll_pwait(epfd, events, max, timeout, sigmask, size)
  [441, { arg: 3, form: "timespec" }], // epoll_pwait2(epfd, events, max, timeout, sigmask, size)
]);

const GENERIC_TIMEOUTS: ReadonlyMap<number, WaitTimeout> = new Map<number, WaitTimeout>([
  [73, { arg: 2, form: "timespec" }], // ppoll
  [72, { arg: 4, form: "timespec" }], // pselect6
  [22, { arg: 3, form: "ms" }], // epoll_pwait
  [441, { arg: 3, form: "timespec" }], // epoll_pwait2
]);

/** Where each waiting call of the architecture keeps its time limit (reads have none: absent). */
export function selectWaitTimeouts(arch: string): ReadonlyMap<number, WaitTimeout> {
  if (arch === "x64") return X86_64_TIMEOUTS;
  if (arch === "arm64") return GENERIC_TIMEOUTS;
  return new Map();
}
