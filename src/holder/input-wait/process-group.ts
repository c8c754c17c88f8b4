// The processes of the terminal's foreground process group. They are normally descendants of the
// session's program (a shell's job, a REPL's own children), found by walking the children lists
// from the program down, which costs a few reads. A group member that is not a descendant (its
// parent died and it was re-parented) or a kernel without children lists forces a scan of /proc.
import { INPUT_WAIT_MAX_PROCESSES } from "../../constants.ts";
import { listProcNumbers, readProcText } from "./proc-files.ts";
import { parseProcStat, type ProcStat } from "../../proc.ts";

/** Live (not zombie) processes whose process group is `pgid`, its leader first when alive. */
export function listGroupMembers(rootPid: number, pgid: number): ProcStat[] {
  const walked = walkDescendants(rootPid, pgid);
  // Neither the leader (even as a zombie) nor any member among the descendants: the group lies
  // outside the tree. (A leader that exited and was reaped while other members run on, as in
  // `echo hi | less`, leaves members in the tree: no scan then.)
  const inTree = walked !== null && (walked.leaderSeen || walked.members.length > 0);
  const members = inTree ? walked.members : scanGroup(pgid);
  return members.sort((a, b) => (a.pid === pgid ? -1 : b.pid === pgid ? 1 : a.pid - b.pid));
}

interface Walk {
  members: ProcStat[];
  leaderSeen: boolean;
}

/** Group members among rootPid and its descendants; null when the children lists cannot be read. */
function walkDescendants(rootPid: number, pgid: number): Walk | null {
  const members: ProcStat[] = [];
  let leaderSeen = false;
  const queue = [rootPid];
  const seen = new Set<number>();
  while (queue.length > 0 && seen.size < INPUT_WAIT_MAX_PROCESSES) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const text = readProcText(`/proc/${pid}/stat`);
    const stat = text === null ? null : parseProcStat(text);
    if (stat === null) continue; // exited meanwhile
    if (stat.pid === pgid) leaderSeen = true;
    if (stat.pgrp === pgid && !isDead(stat.state)) members.push(stat);
    const children = listChildren(pid, stat.numThreads);
    if (children === null) {
      if (pid === rootPid) return null;
      continue;
    }
    queue.push(...children);
  }
  return { members, leaderSeen };
}

/** Children of every thread of pid (a child's parent is the thread that forked it). */
function listChildren(pid: number, numThreads: number): number[] | null {
  const tids = numThreads <= 1 ? [pid] : listProcNumbers(`/proc/${pid}/task`);
  if (tids === null) return [];
  const out: number[] = [];
  for (const tid of tids) {
    const text = readProcText(`/proc/${pid}/task/${tid}/children`);
    if (text === null) {
      // No such file at all: the kernel has no children lists.
      if (tid === pid && readProcText(`/proc/${pid}/stat`) !== null) return null;
      continue;
    }
    for (const f of text.split(/\s+/)) if (f !== "") out.push(Number(f));
  }
  return out;
}

/** Every live process of group pgid, by reading the stat of every process (the slow way). */
function scanGroup(pgid: number): ProcStat[] {
  const members: ProcStat[] = [];
  for (const pid of listProcNumbers("/proc") ?? []) {
    const text = readProcText(`/proc/${pid}/stat`);
    const stat = text === null ? null : parseProcStat(text);
    if (stat !== null && stat.pgrp === pgid && !isDead(stat.state)) members.push(stat);
  }
  return members;
}

function isDead(state: string): boolean {
  return state === "Z" || state === "X" || state === "x";
}
