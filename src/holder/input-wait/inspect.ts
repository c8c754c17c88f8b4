// The kernel's view of whether the terminal's foreground process group waits for input (SPEC §10),
// read from /proc. A simplified check: the foreground group (tpgid of the child's terminal), every
// thread of its processes asleep ('S'), and at least one blocked in a terminal read or in a
// select/poll/epoll wait (which descriptors such a wait watches is not looked at).
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface ForegroundView {
  waiting: boolean | null;
  foreground: { pid: number; command: string } | null;
  method: "kernel" | "quiet";
}

/** System call numbers that block waiting for input, per architecture. */
const READ_CALLS: Record<string, { read: number[]; wait: number[] }> = {
  // read, readv | poll, select, epoll_wait, pselect6, ppoll, epoll_pwait, epoll_pwait2
  x64: { read: [0, 19], wait: [7, 23, 232, 270, 271, 281, 441] },
  // read, readv | epoll_pwait, pselect6, ppoll, epoll_pwait2
  arm64: { read: [63, 65], wait: [22, 72, 73, 441] },
};

const HAS_PROC = process.platform === "linux";

export function inspectForeground(childPid: number): ForegroundView {
  if (!HAS_PROC) return { waiting: null, foreground: null, method: "quiet" };
  try {
    return inspectLinux(childPid);
  } catch {
    return { waiting: null, foreground: null, method: "kernel" };
  }
}

interface Stat {
  state: string;
  pgrp: number;
  tpgid: number;
  comm: string;
}

function readStat(path: string): Stat | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  const close = text.lastIndexOf(")");
  const rest = text.slice(close + 2).split(" ");
  return { comm: text.slice(text.indexOf("(") + 1, close), state: rest[0] ?? "", pgrp: Number(rest[2]), tpgid: Number(rest[5]) };
}

function inspectLinux(childPid: number): ForegroundView {
  const child = readStat(`/proc/${childPid}/stat`);
  if (!child || child.state === "Z" || child.state === "X") return { waiting: null, foreground: null, method: "kernel" };
  const fg = child.tpgid;
  if (!(fg > 0)) return { waiting: null, foreground: null, method: "kernel" };
  const leader = readStat(`/proc/${fg}/stat`);
  const foreground = { pid: fg, command: leader?.comm ?? "" };
  const calls = READ_CALLS[process.arch];
  if (!calls) return { waiting: null, foreground, method: "kernel" };
  let reading = false;
  let members = 0;
  for (const pid of descendants(childPid)) {
    const st = pid === childPid ? child : readStat(`/proc/${pid}/stat`);
    if (!st || st.pgrp !== fg || st.state === "Z" || st.state === "X") continue;
    members++;
    for (const tid of listDir(`/proc/${pid}/task`)) {
      const t = readStat(`/proc/${pid}/task/${tid}/stat`);
      if (!t || t.state === "Z" || t.state === "X") continue;
      if (t.state !== "S") return { waiting: false, foreground, method: "kernel" };
      if (!reading && blockedReadingTerminal(pid, tid, calls)) reading = true;
    }
  }
  return { waiting: members > 0 && reading, foreground, method: "kernel" };
}

function blockedReadingTerminal(pid: number, tid: string, calls: { read: number[]; wait: number[] }): boolean {
  let line: string;
  try {
    line = readFileSync(`/proc/${pid}/task/${tid}/syscall`, "utf8");
  } catch {
    return false;
  }
  const fields = line.trim().split(" ");
  const nr = Number(fields[0]);
  if (calls.wait.includes(nr)) return true;
  if (!calls.read.includes(nr)) return false;
  const fd = Number.parseInt(fields[1] ?? "", 16);
  try {
    const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
  } catch {
    return false;
  }
}

/** The child and every process below it (the terminal's session), via the kernel's children lists. */
function descendants(root: number): number[] {
  const out: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    out.push(pid);
    for (const tid of listDir(`/proc/${pid}/task`)) {
      let text = "";
      try {
        text = readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8");
      } catch {
        continue;
      }
      for (const c of text.split(" ")) if (c.trim() !== "") todo.push(Number(c));
    }
  }
  return out;
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
