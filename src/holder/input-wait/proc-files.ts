// Reads of /proc that never throw: the processes looked at can exit, exec or close fds between
// any two reads, and a program that is setuid or otherwise not ours refuses some of them; every
// such failure is an answer (null), never an exception.
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync } from "node:fs";

/** A /proc text file, or null when it cannot be read. */
export function readProcText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** The numeric entries of a /proc directory (pids, tids, fds), or null when it cannot be listed. */
export function listProcNumbers(path: string): number[] | null {
  try {
    const out: number[] = [];
    for (const name of readdirSync(path)) {
      const n = Number(name);
      if (Number.isInteger(n) && n >= 0) out.push(n);
    }
    return out;
  } catch {
    return null;
  }
}

/** `length` bytes of process `pid`'s memory at `address` (via /proc/PID/mem), or null. */
export function readProcessMemory(pid: number, address: bigint, length: number): Uint8Array | null {
  if (address === 0n || length <= 0) return null;
  let fd = -1;
  try {
    fd = openSync(`/proc/${pid}/mem`, "r");
    const buf = new Uint8Array(length);
    // A bigint position: user addresses may lie above 2^53.
    const got = readSync(fd, buf, 0, length, address as unknown as number);
    return got === length ? buf : null;
  } catch {
    return null;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** What an open fd refers to: device of a character device, and the file's identity. */
export interface FdFile {
  rdev: number;
  dev: number;
  ino: number;
  isCharDevice: boolean;
  /** A pipe or a socket: what is written there may still reach the terminal through another process. */
  isPipeOrSocket: boolean;
}

/** stat() of the file behind /proc/PID/fd/FD, or null. */
export function statFd(pid: number, fd: number): FdFile | null {
  try {
    const s = statSync(`/proc/${pid}/fd/${fd}`);
    return { rdev: s.rdev, dev: s.dev, ino: s.ino, isCharDevice: s.isCharacterDevice(), isPipeOrSocket: s.isFIFO() || s.isSocket() };
  } catch {
    return null;
  }
}

/** The link text of /proc/PID/fd/FD ("/dev/pts/3", "anon_inode:[eventpoll]"…), or null. */
export function readFdLink(pid: number, fd: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return null;
  }
}
