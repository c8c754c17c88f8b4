// What one thread of the foreground group is doing, as far as waiting for the terminal goes:
// busy (runnable, in disk sleep, stopped), waiting on the terminal (a read of it, or a poll,
// select or epoll wait whose read set includes it), asleep on something else (a timer, a child,
// a pipe, a socket, a futex), or unknown (its syscall or memory could not be read).
import { INPUT_WAIT_MAX_EPOLL_DEPTH, INPUT_WAIT_MAX_POLL_FDS, INPUT_WAIT_MAX_SELECT_FDS } from "../../constants.ts";
import { readFdLink, readProcessMemory, readProcText, statFd } from "./proc-files.ts";
import {
  fdSetBytes,
  kernelDevToStatDev,
  makeDev,
  parseEpollTargets,
  parseFdSet,
  parsePollFds,
  parseSyscall,
  parseWaitTimeoutMs,
  POLLFD_BYTES,
  READ_EVENTS,
  TIME_STRUCT_BYTES,
} from "./proc-parse.ts";
import type { WaitCall, WaitTimeout } from "./syscalls.ts";

export type ThreadWait = "busy" | "terminal" | "other" | "unknown";

/** /dev/tty (5, 0): opened by getpass and friends, it is the opener's controlling terminal. */
const DEV_TTY = makeDev(5, 0);

/** What the classification needs to know besides the thread. */
export interface WaitContext {
  /** The session's terminal (st_rdev encoding), the foreground group's controlling terminal. */
  ttyNr: number;
  waitCalls: ReadonlyMap<number, WaitCall>;
  /** Where each waiting call keeps its time limit. */
  waitTimeouts: ReadonlyMap<number, WaitTimeout>;
}

/** A sleeping thread's classification; for one waiting on the terminal, its call's time limit. */
export interface SleepingThread {
  wait: ThreadWait;
  /** Milliseconds the call waits at most (as the program asked, not what is left); null: no limit. */
  timeoutMs: number | null;
}

/** Classifies a thread from its state letter alone, or null when its syscall must be looked at. */
export function classifyState(state: string): ThreadWait | null {
  switch (state) {
    case "R": // runnable: computing, or about to
    case "D": // uninterruptible (disk, NFS): busy with something other than the terminal
    case "T": // stopped by a signal: cannot read until continued
    case "t": // stopped by a tracer
      return "busy";
    case "S":
      return null;
    default:
      // Z, X (exiting), I/P/K/W (kernel states that user threads do not show): no bearing.
      return "other";
  }
}

/** Classifies a sleeping thread from /proc/PID/task/TID/syscall. */
export function classifySleepingThread(ctx: WaitContext, pid: number, tid: number): SleepingThread {
  const text = readProcText(`/proc/${pid}/task/${tid}/syscall`);
  const view = text === null ? null : parseSyscall(text);
  if (view === null) return { wait: "unknown", timeoutMs: null };
  if (view.kind !== "syscall") return { wait: view.kind === "running" ? "busy" : "other", timeoutMs: null };
  const wait = classifyCall(ctx, pid, view.nr, view.args);
  return { wait, timeoutMs: wait === "terminal" ? readWaitTimeoutMs(ctx, pid, view.nr, view.args) : null };
}

/**
 * The time limit of the call a thread sits in. The struct a ppoll/pselect6 points to still holds
 * what the program passed: the kernel copies it in on entry and writes the time left back only
 * on return.
 */
function readWaitTimeoutMs(ctx: WaitContext, pid: number, nr: number, args: bigint[]): number | null {
  const where = ctx.waitTimeouts.get(nr);
  if (where === undefined) return null; // a read: no limit (VTIME reads are not told apart)
  const arg = args[where.arg] ?? 0n;
  const struct = where.form === "ms" ? null : readProcessMemory(pid, arg, TIME_STRUCT_BYTES);
  return parseWaitTimeoutMs(where.form, arg, struct);
}

function classifyCall(ctx: WaitContext, pid: number, nr: number, args: bigint[]): ThreadWait {
  const call = ctx.waitCalls.get(nr);
  if (call === undefined) return "other";
  const [a0 = 0n, a1 = 0n] = args;
  switch (call) {
    case "read":
      return verdict(isTerminalFd(ctx, pid, Number(a0)));
    case "poll":
      return verdict(pollWatchesTerminal(ctx, pid, a0, Number(a1)));
    case "select":
      return verdict(selectWatchesTerminal(ctx, pid, Number(a0), a1));
    case "epoll":
      return verdict(epollWatchesTerminal(ctx, pid, Number(a0), INPUT_WAIT_MAX_EPOLL_DEPTH));
  }
}

function verdict(onTerminal: boolean | null): ThreadWait {
  if (onTerminal === null) return "unknown";
  return onTerminal ? "terminal" : "other";
}

/** Whether fd of process pid is the session's terminal (its pts, or /dev/tty). Null if unreadable. */
function isTerminalFd(ctx: WaitContext, pid: number, fd: number): boolean | null {
  if (!Number.isInteger(fd) || fd < 0) return false;
  const file = statFd(pid, fd);
  if (file === null) return null;
  return isTerminalFile(ctx, file.isCharDevice, file.rdev);
}

/**
 * Whether pid's standard output and error both lead away from the terminal (/dev/null, a file):
 * nothing it prints can reach the screen, so its work is no part of a reply. fish starts its
 * completion generator like this in the foreground group, where it computes for many seconds
 * behind a prompt that already waits. A pipe or a socket may lead to the terminal through
 * another process (`make | tee log`), so those do not count as away; nor does an fd not seen.
 */
export function writesAwayFromTerminal(ctx: WaitContext, pid: number): boolean {
  for (const fd of [1, 2]) {
    const file = statFd(pid, fd);
    if (file === null || file.isPipeOrSocket || isTerminalFile(ctx, file.isCharDevice, file.rdev)) return false;
  }
  return true;
}

function isTerminalFile(ctx: WaitContext, isCharDevice: boolean, rdev: number): boolean {
  // /dev/tty counts because every process of the foreground group has this terminal as its
  // controlling terminal: the group belongs to the terminal's session.
  return isCharDevice && (rdev === ctx.ttyNr || rdev === DEV_TTY);
}

function pollWatchesTerminal(ctx: WaitContext, pid: number, address: bigint, nfds: number): boolean | null {
  if (!Number.isInteger(nfds) || nfds <= 0) return false;
  const count = Math.min(nfds, INPUT_WAIT_MAX_POLL_FDS);
  const bytes = readProcessMemory(pid, address, count * POLLFD_BYTES);
  if (bytes === null) return null;
  let unknown = false;
  for (const entry of parsePollFds(bytes)) {
    if (entry.fd < 0 || (entry.events & READ_EVENTS) === 0) continue;
    const t = isTerminalFd(ctx, pid, entry.fd);
    if (t === true) return true;
    if (t === null) unknown = true;
  }
  return unknown ? null : false;
}

function selectWatchesTerminal(ctx: WaitContext, pid: number, nfds: number, readSet: bigint): boolean | null {
  if (!Number.isInteger(nfds) || nfds <= 0 || readSet === 0n) return false;
  const limit = Math.min(nfds, INPUT_WAIT_MAX_SELECT_FDS);
  const bytes = readProcessMemory(pid, readSet, fdSetBytes(limit));
  if (bytes === null) return null;
  let unknown = false;
  for (const fd of parseFdSet(bytes, limit)) {
    const t = isTerminalFd(ctx, pid, fd);
    if (t === true) return true;
    if (t === null) unknown = true;
  }
  return unknown ? null : false;
}

/**
 * Whether the epoll instance at fd `epfd` watches the terminal for reading. Its fdinfo lists each
 * watched file by the fd it was added under and by inode; the fd may since have been closed or
 * reused, so a target counts only when the fd still names the same inode. An epoll instance
 * watched by another (nested epoll) is looked into, to a bounded depth.
 */
function epollWatchesTerminal(ctx: WaitContext, pid: number, epfd: number, depth: number): boolean | null {
  if (!Number.isInteger(epfd) || epfd < 0) return false;
  const info = readProcText(`/proc/${pid}/fdinfo/${epfd}`);
  if (info === null) return null;
  let unknown = false;
  for (const target of parseEpollTargets(info)) {
    if ((target.events & READ_EVENTS) === 0) continue;
    const file = statFd(pid, target.fd);
    if (file === null) continue; // closed since: the kernel dropped it from the set unless dup'ed elsewhere
    const same = target.ino === null || (file.ino === target.ino && (target.sdev === null || file.dev === kernelDevToStatDev(target.sdev)));
    if (!same) continue;
    if (isTerminalFile(ctx, file.isCharDevice, file.rdev)) return true;
    if (depth > 1 && readFdLink(pid, target.fd) === "anon_inode:[eventpoll]") {
      const nested = epollWatchesTerminal(ctx, pid, target.fd, depth - 1);
      if (nested === true) return true;
      if (nested === null) unknown = true;
    }
  }
  return unknown ? null : false;
}
