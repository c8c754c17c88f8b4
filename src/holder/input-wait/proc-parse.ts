// Pure parsers for the /proc texts and process memory that input-wait detection reads (proc(5)).
// They take what the kernel printed or what a process's memory held and never touch the system,
// so each can be checked against texts recorded from real programs.

// /proc/PID/stat lines are parsed by parseProcStat in src/proc.ts, shared with the rest of the product.

/** What /proc/PID/task/TID/syscall says a thread is doing. */
export type SyscallView =
  /** On a CPU (or about to be) at the moment of reading. */
  | { kind: "running" }
  /** Blocked, but not inside a system call (a signal stop, a page fault). */
  | { kind: "blocked" }
  /** Inside system call `nr` with its six arguments (addresses can exceed 2^53, hence bigint). */
  | { kind: "syscall"; nr: number; args: bigint[] };

/** Parses the three forms of the syscall file: "running", "-1 SP PC" and "NR A0 … A5 SP PC". */
export function parseSyscall(text: string): SyscallView | null {
  const fields = text.trim().split(/\s+/);
  if (fields[0] === "running") return { kind: "running" };
  const nr = Number(fields[0]);
  if (!Number.isInteger(nr)) return null;
  if (nr === -1) return { kind: "blocked" };
  if (nr < 0 || fields.length < 7) return null;
  const args: bigint[] = [];
  for (const f of fields.slice(1, 7)) {
    if (!/^0x[0-9a-f]+$/i.test(f)) return null;
    args.push(BigInt(f));
  }
  return { kind: "syscall", nr, args };
}

/** One file watched by an epoll instance, from a "tfd:" line of the epoll fd's /proc/PID/fdinfo. */
export interface EpollTarget {
  /** The fd number the file was added under (in the process that added it). */
  fd: number;
  /** The event mask it is watched for (EPOLLIN = 0x1…). */
  events: number;
  /** The watched file's inode number and its filesystem's device (kernel encoding), when printed. */
  ino: number | null;
  sdev: number | null;
}

/** Parses the "tfd: N events: HEX data: HEX pos:N ino:HEX sdev:HEX" lines of an epoll fd's fdinfo. */
export function parseEpollTargets(fdinfo: string): EpollTarget[] {
  const targets: EpollTarget[] = [];
  for (const line of fdinfo.split("\n")) {
    const m = /^tfd:\s*(\d+)\s+events:\s*([0-9a-f]+)/i.exec(line);
    if (!m) continue;
    const ino = /\bino:([0-9a-f]+)/i.exec(line);
    const sdev = /\bsdev:([0-9a-f]+)/i.exec(line);
    targets.push({
      fd: Number(m[1]),
      events: parseInt(m[2]!, 16),
      ino: ino ? parseInt(ino[1]!, 16) : null,
      sdev: sdev ? parseInt(sdev[1]!, 16) : null,
    });
  }
  return targets;
}

/** One entry of a poll/ppoll array: struct pollfd { int fd; short events; short revents; }. */
export interface PollFd {
  fd: number;
  events: number;
}

/** Size of struct pollfd on Linux (every architecture). */
export const POLLFD_BYTES = 8;

/** Parses a pollfd array as read from the process's memory (little-endian: x86_64, aarch64). */
export function parsePollFds(bytes: Uint8Array): PollFd[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: PollFd[] = [];
  for (let at = 0; at + POLLFD_BYTES <= bytes.byteLength; at += POLLFD_BYTES) {
    out.push({ fd: view.getInt32(at, true), events: view.getUint16(at + 4, true) });
  }
  return out;
}

/** Bytes of an fd_set the kernel reads for `nfds`: whole 64-bit words. */
export function fdSetBytes(nfds: number): number {
  return Math.ceil(nfds / 64) * 8;
}

/**
 * The fds set in an fd_set below `nfds`. An fd_set is an array of unsigned longs, bit fd % 64 of
 * word fd / 64; on a little-endian machine that is bit fd % 8 of byte fd / 8.
 */
export function parseFdSet(bytes: Uint8Array, nfds: number): number[] {
  const fds: number[] = [];
  const limit = Math.min(nfds, bytes.byteLength * 8);
  for (let fd = 0; fd < limit; fd++) {
    if ((bytes[fd >> 3]! >> (fd & 7)) & 1) fds.push(fd);
  }
  return fds;
}

/** Read interest in poll and epoll masks: POLLIN, POLLPRI, POLLRDNORM, POLLRDBAND (same bits in epoll). */
export const READ_EVENTS = 0x1 | 0x2 | 0x40 | 0x80;

/**
 * Converts a device number as the kernel prints it in fdinfo (major << 20 | minor) into the
 * encoding stat() reports in st_dev (glibc's makedev), so the two can be compared.
 */
export function kernelDevToStatDev(sdev: number): number {
  const major = Math.floor(sdev / 2 ** 20);
  const minor = sdev % 2 ** 20;
  return (minor & 0xff) + major * 2 ** 8 + Math.floor(minor / 256) * 2 ** 20;
}

/** glibc's makedev for the small numbers of terminal devices. */
export function makeDev(major: number, minor: number): number {
  return (minor & 0xff) + (major & 0xfff) * 2 ** 8 + Math.floor(minor / 256) * 2 ** 20;
}

/** Bytes of a struct timespec / struct timeval on a 64-bit Linux (two 64-bit fields). */
export const TIME_STRUCT_BYTES = 16;

/**
 * A waiting call's time limit in milliseconds, from the raw argument (form "ms": an int, negative
 * for none) or the struct it points to (read from the process's memory: seconds, then
 * nanoseconds for a timespec or microseconds for a timeval). null: no time limit. A struct that
 * does not hold a valid time is taken as no limit (the kernel would have refused it, EINVAL).
 */
export function parseWaitTimeoutMs(form: "ms" | "timespec" | "timeval", arg: bigint, struct: Uint8Array | null): number | null {
  if (form === "ms") {
    const ms = Number(BigInt.asIntN(32, arg));
    return ms < 0 ? null : ms;
  }
  if (arg === 0n || struct === null || struct.byteLength < TIME_STRUCT_BYTES) return null;
  const view = new DataView(struct.buffer, struct.byteOffset, struct.byteLength);
  const sec = view.getBigInt64(0, true);
  const frac = view.getBigInt64(8, true);
  const fracMax = form === "timespec" ? 1_000_000_000n : 1_000_000n;
  if (sec < 0n || frac < 0n || frac >= fracMax) return null;
  return Number(sec) * 1000 + Number(frac) / Number(fracMax / 1000n);
}
