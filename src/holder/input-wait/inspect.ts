// Whether the session's program waits for input, from the kernel's view of the terminal's
// foreground process group (Linux /proc): every thread of it asleep, none runnable, and at least
// one blocked reading the terminal (a read of it, or a poll/select/epoll wait whose read set
// includes it). Helper threads parked in futex waits (node, python) neither wait nor run.
// Reads only /proc, synchronously; nothing is kept between calls.
import { basename } from "node:path";
import { listProcNumbers, readProcText } from "./proc-files.ts";
import { parseProcStat, type ProcStat } from "../../proc.ts";
import { listGroupMembers } from "./process-group.ts";
import { INPUT_WAIT_BRIEF_TIMEOUT_MS } from "../../constants.ts";
import { selectWaitCalls, selectWaitTimeouts, type WaitCall } from "./syscalls.ts";
import { classifySleepingThread, classifyState, writesAwayFromTerminal, type WaitContext } from "./thread-wait.ts";

export interface ForegroundView {
  /** true: every process of the terminal's foreground group is asleep, none runnable, and at least one
   *  thread is blocked in a read of the terminal or in select/pselect/poll/ppoll/epoll_wait/epoll_pwait whose
   *  set includes the terminal. false otherwise (running, sleeping in nanosleep, waiting for a child, a pipe,
   *  a socket...). null when it cannot be told (no /proc, process gone). */
  waiting: boolean | null;
  /** The foreground process group's leader: pid and command name (comm, or argv[0] basename). null if unknown. */
  foreground: { pid: number; command: string } | null;
  /** "kernel" on Linux with a readable /proc; "quiet" elsewhere (macOS) — the caller then uses output quiet time. */
  method: "kernel" | "quiet";
  /** Set when waiting is true but every thread on the terminal waits with a brief time limit (at most
   *  INPUT_WAIT_BRIEF_TIMEOUT_MS): the longest of those limits. Such a wait is the user's only if
   *  the program, quiet, goes back to it when the time is up (python 3.13's REPL polls every 100 ms);
   *  a single one is the program waiting for the terminal's answer to a query (vim before it exits). */
  briefMs?: number;
}

/** The kernel keeps at most this many bytes of a command name (TASK_COMM_LEN - 1). */
const COMM_MAX = 15;

let waitCallsCache: ReadonlyMap<number, WaitCall> | null | undefined;

/** The syscall table when the kernel's view is available here (Linux, known arch, /proc mounted). */
function kernelWaitCalls(): ReadonlyMap<number, WaitCall> | null {
  if (waitCallsCache === undefined) {
    const usable = process.platform === "linux" && readProcText("/proc/self/stat") !== null;
    waitCallsCache = usable ? selectWaitCalls(process.arch) : null;
  }
  return waitCallsCache;
}

/** childPid: the session's program (the holder's direct child, the PTY's session leader). Synchronous, cheap
 *  (target < 1 ms for a few processes), never throws. */
export function inspectForeground(childPid: number): ForegroundView {
  const waitCalls = kernelWaitCalls();
  if (waitCalls === null) return { waiting: null, foreground: null, method: "quiet" };
  try {
    return inspectWithProc(childPid, waitCalls);
  } catch {
    return { waiting: null, foreground: null, method: "kernel" };
  }
}

function inspectWithProc(childPid: number, waitCalls: ReadonlyMap<number, WaitCall>): ForegroundView {
  const unknown: ForegroundView = { waiting: null, foreground: null, method: "kernel" };
  const text = readProcText(`/proc/${childPid}/stat`);
  const child = text === null ? null : parseProcStat(text);
  // Gone, a zombie, or no longer on a terminal with a foreground group.
  if (child === null || child.state === "Z" || child.state === "X" || child.ttyNr === 0 || child.tpgid <= 0) return unknown;
  const members = listGroupMembers(childPid, child.tpgid);
  if (members.length === 0) return unknown;
  const ctx: WaitContext = { ttyNr: child.ttyNr, waitCalls, waitTimeouts: selectWaitTimeouts(process.arch) };
  const decided = decideWaiting(ctx, members);
  const view: ForegroundView = { waiting: decided.waiting, foreground: describeLeader(members[0]!), method: "kernel" };
  if (decided.briefMs !== null) view.briefMs = decided.briefMs;
  return view;
}

/**
 * Two passes: thread states first (one cheap read each, and any busy thread settles it), then the
 * syscalls of the sleeping threads until one is found on the terminal.
 */
function decideWaiting(ctx: WaitContext, members: ProcStat[]): { waiting: boolean | null; briefMs: number | null } {
  const no = (waiting: boolean | null) => ({ waiting, briefMs: null });
  const sleeping: Array<[pid: number, tid: number]> = [];
  // A process busy with work whose output cannot reach the screen does not hold a reply back;
  // it is passed over (asked only once it looks busy, so the common case reads nothing more).
  const away = new Map<number, boolean>();
  const isAway = (pid: number) => away.get(pid) ?? away.set(pid, writesAwayFromTerminal(ctx, pid)).get(pid)!;
  for (const proc of members) {
    const threads = listThreadStates(proc);
    if (threads === null) continue; // exited meanwhile
    const asleep: Array<[number, number]> = [];
    let busy = false;
    for (const [tid, state] of threads) {
      const byState = classifyState(state);
      if (byState === "busy") busy = true;
      if (byState === null) asleep.push([proc.pid, tid]);
    }
    if (busy && !isAway(proc.pid)) return no(false);
    if (!busy) sleeping.push(...asleep);
  }
  let unknown = false;
  let briefMs: number | null = null;
  for (const [pid, tid] of sleeping) {
    const { wait, timeoutMs } = classifySleepingThread(ctx, pid, tid);
    if (wait === "busy") {
      if (isAway(pid)) continue;
      return no(false);
    }
    if (wait === "unknown") unknown = true;
    if (wait !== "terminal") continue;
    // One thread waiting on the terminal without a brief limit settles it; brief ones are gathered.
    if (timeoutMs === null || timeoutMs > INPUT_WAIT_BRIEF_TIMEOUT_MS) return no(true);
    briefMs = Math.max(briefMs ?? 0, timeoutMs);
  }
  if (briefMs !== null) return { waiting: true, briefMs };
  return no(unknown ? null : false);
}

/** [tid, state] of each thread; a single-threaded process's own stat already says. */
function listThreadStates(proc: ProcStat): Array<[number, string]> | null {
  if (proc.numThreads <= 1) return [[proc.pid, proc.state]];
  const tids = listProcNumbers(`/proc/${proc.pid}/task`);
  if (tids === null) return null;
  const out: Array<[number, string]> = [];
  for (const tid of tids) {
    const text = readProcText(`/proc/${proc.pid}/task/${tid}/stat`);
    const stat = text === null ? null : parseProcStat(text);
    if (stat !== null) out.push([tid, stat.state]);
  }
  return out;
}

/** The group's leader (or, if it has exited, its first member) by pid and command name. */
function describeLeader(proc: ProcStat): { pid: number; command: string } {
  let command = proc.comm;
  if (command.length >= COMM_MAX) {
    // Truncated by the kernel: argv[0]'s basename is the full name when it begins the same way.
    const argv0 = readProcText(`/proc/${proc.pid}/cmdline`)?.split("\0")[0];
    const full = argv0 ? basename(argv0) : "";
    if (full.startsWith(command)) command = full;
  }
  return { pid: proc.pid, command };
}
