// The measured figures. Timed figures run delta-sessions and tmux in alternation in the same run
// (the order flips every run, so drift in the machine's load hits both alike), after a warm-up.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { COLS, type Delta, Tmux } from "./drivers.ts";
import { cpuMs, memory, runConcurrently, type Memory } from "./proc.ts";
import { summarize, type Stats } from "./stats.ts";

export interface Settings {
  runs: number;
  warmup: number;
  /** Runs of the slow figures (throughput). */
  slowRuns: number;
  idleSeconds: number;
  /** The window just before the idle one: right after the sessions started and drew their prompts. */
  settleSeconds: number;
  log: (line: string) => void;
  /** Runs the empty program compiled with the product's flags once; its time in ms (Bun's floor). */
  floor: () => number;
}

/** One row of the report: the same operation done by both tools. */
export interface Row {
  key: string;
  label: string;
  tmuxLabel: string;
  unit: string;
  delta: Stats | null;
  tmux: Stats | null;
  /** The empty program (Bun's floor), run in alternation with this figure's two tools. */
  floor?: Stats | null;
  note?: string;
}

type Sample = () => number | Promise<number>;

/** Runs `a` and `b` alternately, warm-up first, and returns their samples. */
async function alternate(s: Settings, runs: number, a: Sample, b: Sample): Promise<[number[], number[]]> {
  const [as, bs] = await rotate(s, runs, [a, b]);
  return [as!, bs!];
}

/** Runs `a`, `b` and Bun's floor in turn (the order rotates), warm-up first: their samples. */
async function alternateWithFloor(s: Settings, runs: number, a: Sample, b: Sample): Promise<[number[], number[], number[]]> {
  const [as, bs, fs] = await rotate(s, runs, [a, b, s.floor]);
  return [as!, bs!, fs!];
}

async function rotate(s: Settings, runs: number, samplers: Sample[]): Promise<number[][]> {
  for (let i = 0; i < s.warmup; i++) for (const f of samplers) await f();
  const samples: number[][] = samplers.map(() => []);
  for (let i = 0; i < runs; i++) {
    // Each sampler goes first, second, … equally often, so drift in the load hits all alike.
    for (let k = 0; k < samplers.length; k++) {
      const at = (i + k) % samplers.length;
      samples[at]!.push(await samplers[at]!());
    }
  }
  return samples;
}

function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(`benchmark sanity check failed: ${what}`);
}

const SHELL = ["bash", "--norc", "--noprofile", "-i"];

/** `start` to ready against `tmux new-session -d` (server already running) and a cold tmux server. */
export async function measureStart(s: Settings, d: Delta, t: Tmux): Promise<Row[]> {
  s.log("start to ready");
  const ids: string[] = [];
  const names: string[] = [];
  t.newSession("keeper", ["cat"]);
  let n = 0;
  const [ds, ts, fs] = await alternateWithFloor(
    s,
    s.runs,
    () => {
      const st = d.start(SHELL);
      ids.push(st.id);
      return st.ms;
    },
    () => {
      const name = `st${n++}`;
      names.push(name);
      return t.newSession(name, SHELL).ms;
    },
  );
  for (const id of ids) d.end(id);
  for (const name of names) t.run(["kill-session", "-t", name]);
  let cold = 0;
  const [, cs] = await alternate(
    s,
    s.runs,
    () => 0,
    () => {
      const fresh = new Tmux(`cold${cold++}`);
      const ms = fresh.newSession("s", SHELL).ms;
      fresh.killServer();
      return ms;
    },
  );
  return [
    { key: "start", label: "`start` to ready", tmuxLabel: "`new-session -d` (server running)", unit: "ms", delta: summarize(ds), tmux: summarize(ts), floor: summarize(fs) },
    {
      key: "start-cold",
      label: "`start` to ready",
      tmuxLabel: "`new-session -d` (no server yet: starts one)",
      unit: "ms",
      delta: summarize(ds),
      tmux: summarize(cs),
      note: "each delta-sessions session has its own holder, so every start is a cold start; this row compares it with tmux's cold start",
    },
  ];
}

/** Single CLI calls on a live session running `cat`. */
export async function measureCalls(s: Settings, d: Delta, t: Tmux): Promise<Row[]> {
  s.log("single calls: write, write-key, read --peek, read --screen, status");
  const ds = d.start(["cat"]);
  t.newSession("calls", ["cat"]);
  const rows: Row[] = [];
  const pair = async (key: string, label: string, tmuxLabel: string, da: string[], ta: string[]) => {
    const [a, b, f] = await alternateWithFloor(
      s,
      s.runs,
      () => d.ok(da).ms,
      () => t.ok(ta).ms,
    );
    rows.push({ key, label, tmuxLabel, unit: "ms", delta: summarize(a), tmux: summarize(b), floor: summarize(f) });
  };
  await pair("write", "`write ID hello`", "`send-keys -l hello`", ["write", ds.id, "hello"], ["send-keys", "-t", "calls", "-l", "hello"]);
  await pair("write-key", "`write-key ID enter`", "`send-keys Enter`", ["write-key", ds.id, "enter"], ["send-keys", "-t", "calls", "Enter"]);
  await pair("peek", "`read ID --peek`", "`capture-pane -p`", ["read", ds.id, "--peek"], ["capture-pane", "-p", "-t", "calls"]);
  await pair("screen", "`read ID --screen`", "`capture-pane -p`", ["read", ds.id, "--screen"], ["capture-pane", "-p", "-t", "calls"]);
  await pair("status", "`status ID`", "`list-panes -F` (pid, dead)", ["status", ds.id], ["list-panes", "-t", "calls", "-F", "#{pane_pid} #{pane_dead}"]);
  d.end(ds.id);
  t.run(["kill-session", "-t", "calls"]);
  return rows;
}

/** Run `echo hi` in a shell and get its output. */
export async function measureExec(s: Settings, d: Delta, t: Tmux): Promise<Row> {
  s.log("exec round trip");
  const base: Row = {
    key: "exec",
    label: "`exec ID 'echo hi'`",
    tmuxLabel: "`send-keys` + `wait-for` + `capture-pane -p`",
    unit: "ms",
    delta: null,
    tmux: null,
  };
  t.newSession("ex", SHELL);
  let n = 0;
  const tmuxRound = () => {
    const ch = `ex${n++}`;
    const t0 = performance.now();
    t.ok(["send-keys", "-t", "ex", `echo hi; ${t.signalCommand(ch)}`, "Enter"]);
    t.ok(["wait-for", ch]);
    const out = t.ok(["capture-pane", "-p", "-t", "ex"]).stdout;
    const ms = performance.now() - t0;
    must(out.includes("\nhi\n"), "tmux exec round trip shows hi");
    return ms;
  };
  if (!d.hasExec()) {
    const [, b] = await alternate(s, s.runs, () => 0, tmuxRound);
    t.run(["kill-session", "-t", "ex"]);
    return { ...base, tmux: summarize(b), note: "`delta-sessions exec --help` fails in this build: `exec` is not available yet, so only tmux was measured" };
  }
  const ds = d.start(SHELL);
  const [a, b] = await alternate(
    s,
    s.runs,
    () => {
      const r = d.ok(["exec", ds.id, "echo hi"]);
      must(r.stdout === "hi\n", `delta-sessions exec prints hi (got ${JSON.stringify(r.stdout.slice(0, 100))})`);
      return r.ms;
    },
    tmuxRound,
  );
  d.end(ds.id);
  t.run(["kill-session", "-t", "ex"]);
  return { ...base, delta: summarize(a), tmux: summarize(b) };
}

/** A text file of `mib` MiB in 80-byte lines, varied so that nothing in the path can shortcut it. */
export function makeTextFile(path: string, mib: number): void {
  const line = (i: number) => {
    const head = `${String(i).padStart(8, "0")} `;
    let body = "";
    let x = i * 2654435761;
    while (head.length + body.length < 79) {
      x = (x * 1103515245 + 12345) >>> 0;
      body += String.fromCharCode(33 + (x % 94));
    }
    return head + body + "\n";
  };
  const block: string[] = [];
  for (let i = 0; i < 13108; i++) block.push(line(i));
  const one = Buffer.from(block.join("")).subarray(0, 1024 * 1024);
  const all = Buffer.alloc(mib * 1024 * 1024);
  for (let m = 0; m < mib; m++) one.copy(all, m * one.length);
  writeFileSync(path, all);
}

/** `cat` of a 40 MiB file, from the command to the moment the session has all of it. */
export async function measureThroughput(s: Settings, d: Delta, t: Tmux, dir: string): Promise<Row> {
  const MIB = 40;
  s.log(`throughput: cat of ${MIB} MiB`);
  const file = join(dir, "throughput.txt");
  makeTextFile(file, MIB);
  const ds = d.start(SHELL);
  t.newSession("tp", SHELL);
  let n = 1000;
  const [a, b] = await alternate(
    { ...s, warmup: 1 },
    s.slowRuns,
    () => {
      const mark = n++;
      const t0 = performance.now();
      // The typed line shows `$((mark+0))`, never the digits: only the output matches.
      d.ok(["write", "--enter", ds.id, `cat ${file}; echo DONE$((${mark}+0))`]);
      d.ok(["read", ds.id, "--wait", "--until", `DONE${mark}`], { discardStdout: true });
      return performance.now() - t0;
    },
    () => {
      const ch = `tp${n++}`;
      const t0 = performance.now();
      t.ok(["send-keys", "-t", "tp", `cat ${file}; ${t.signalCommand(ch)}`, "Enter"]);
      t.ok(["wait-for", ch]);
      return performance.now() - t0;
    },
  );
  d.end(ds.id);
  t.run(["kill-session", "-t", "tp"]);
  const toRate = (ms: number) => MIB / (ms / 1000);
  const rate = (x: Stats): Stats => ({ median: toRate(x.median), min: toRate(x.max), max: toRate(x.min), runs: x.runs });
  const da = summarize(a);
  const tb = summarize(b);
  return {
    key: "throughput",
    label: `\`cat\` of ${MIB} MiB to completion (MiB/s)`,
    tmuxLabel: "`send-keys` + `wait-for`",
    unit: "MiB/s",
    delta: rate(da),
    tmux: rate(tb),
    note: `median ${Math.round(da.median)} ms against ${Math.round(tb.median)} ms; delta-sessions waits with \`read --wait --until\`, which also carries every byte to the reader`,
  };
}

/** `write` of 1 MiB into a program that reads and discards it. */
export async function measureBigWrite(s: Settings, d: Delta, t: Tmux, dir: string): Promise<Row> {
  s.log("write of 1 MiB");
  const file = join(dir, "one-mib.txt");
  makeTextFile(file, 1);
  const data = new Uint8Array(await Bun.file(file).arrayBuffer());
  const sink = ["sh", "-c", "stty raw -echo; exec cat > /dev/null"];
  const ds = d.start(sink);
  t.newSession("big", sink);
  const [a, b] = await alternate(
    s,
    s.runs,
    () => {
      const r = d.ok(["write", "--raw", ds.id], { stdin: data });
      must(JSON.parse(r.stdout).bytes === data.length, "delta-sessions wrote 1 MiB");
      return r.ms;
    },
    () => t.ok(["load-buffer", file, ";", "paste-buffer", "-d", "-t", "big"]).ms,
  );
  d.end(ds.id);
  t.run(["kill-session", "-t", "big"]);
  return {
    key: "write-1mib",
    label: "`write --raw ID` of 1 MiB (stdin)",
    tmuxLabel: "`load-buffer` + `paste-buffer` (one call)",
    unit: "ms",
    delta: summarize(a),
    tmux: summarize(b),
    note: "delta-sessions returns once every byte reached the terminal; tmux's paste-buffer returns once tmux has queued it",
  };
}

export interface MemoryPoint {
  sessions: number;
  /** Per holder (delta-sessions) or the tmux server's total divided by its sessions, kB. */
  delta: Memory;
  tmux: Memory;
  tmuxServer: Memory;
}

export interface IdleResult {
  seconds: number;
  sessions: number;
  /** The settling window before it: CPU ms per second per holder, and the tmux server's. */
  settleSeconds: number;
  deltaSettling: number;
  tmuxSettling: number;
  /** CPU ms per idle second, per holder (average over all holders). */
  deltaPerHolder: number;
  /** The busiest single holder. */
  deltaMax: number;
  /** The tmux server, in total, and divided by its sessions. */
  tmuxServer: number;
  tmuxPerSession: number;
}

function average(ms: Memory[]): Memory {
  const sum = (k: keyof Memory) => ms.reduce((acc, m) => acc + m[k], 0) / ms.length;
  return { rss: sum("rss"), pss: sum("pss"), anon: sum("anon") };
}

function divide(m: Memory, n: number): Memory {
  return { rss: m.rss / n, pss: m.pss / n, anon: m.anon / n };
}

/** Memory with 1, 10 and 50 shells running, then idle CPU of all of them. */
export async function measureMemoryAndIdle(s: Settings, d: Delta, t: Tmux): Promise<{ points: MemoryPoint[]; idle: IdleResult }> {
  const holders: Array<{ id: string; holderPid: number }> = [];
  const tm = new Tmux("mem");
  let serverPid = 0;
  const points: MemoryPoint[] = [];
  const growTo = async (count: number) => {
    s.log(`memory with ${count} sessions`);
    while (holders.length < count) {
      const st = d.start(SHELL);
      holders.push(st);
      tm.newSession(`m${holders.length}`, SHELL);
    }
    if (!serverPid) serverPid = tm.serverPid();
    // Settled: every shell has drawn its prompt.
    for (const h of holders) d.ok(["read", h.id, "--peek", "--timeout", "5000", "--until", "\\S"]);
    // Measured once the sessions are idle: a holder collects its garbage 3 s after its last activity.
    await Bun.sleep(4000);
    const dm = holders.map((h) => memory(h.holderPid)).filter((m): m is Memory => m !== null);
    const server = memory(serverPid);
    if (!server || dm.length !== holders.length) throw new Error("a holder or the tmux server vanished");
    points.push({ sessions: count, delta: average(dm), tmux: divide(server, count), tmuxServer: server });
  };
  await growTo(1);
  await growTo(10);
  await growTo(50);

  s.log(`CPU while settling (${s.settleSeconds} s), then idle (${s.idleSeconds} s)`);
  const settleStart = holders.map((h) => cpuMs(h.holderPid) ?? NaN);
  const serverSettleStart = cpuMs(serverPid) ?? NaN;
  await Bun.sleep(s.settleSeconds * 1000);
  const before = holders.map((h) => cpuMs(h.holderPid) ?? NaN);
  const serverBefore = cpuMs(serverPid) ?? NaN;
  await Bun.sleep(s.idleSeconds * 1000);
  const after = holders.map((h) => cpuMs(h.holderPid) ?? NaN);
  const serverAfter = cpuMs(serverPid) ?? NaN;
  const per = after.map((x, i) => (x - before[i]!) / s.idleSeconds);
  const settling = before.map((x, i) => (x - settleStart[i]!) / s.settleSeconds);
  const idle: IdleResult = {
    seconds: s.idleSeconds,
    sessions: holders.length,
    settleSeconds: s.settleSeconds,
    deltaSettling: settling.reduce((a, b) => a + b, 0) / settling.length,
    tmuxSettling: (serverBefore - serverSettleStart) / s.settleSeconds,
    deltaPerHolder: per.reduce((a, b) => a + b, 0) / per.length,
    deltaMax: Math.max(...per),
    tmuxServer: (serverAfter - serverBefore) / s.idleSeconds,
    tmuxPerSession: (serverAfter - serverBefore) / s.idleSeconds / holders.length,
  };
  for (const h of holders) d.end(h.id);
  tm.killServer();
  return { points, idle };
}

export interface ManyResult {
  sessions: number;
  deltaStartAllMs: number;
  deltaRunning: number;
  deltaPssTotalMb: number;
  deltaListMs: number;
  tmuxStartAllMs: number;
  tmuxRunning: number;
  tmuxServerRssMb: number;
  cores: number;
}

/** 200 sessions at once: all started (4 starts in flight at a time), all alive and answering. */
export async function measureMany(s: Settings, d: Delta, count: number): Promise<ManyResult> {
  s.log(`${count} sessions at once`);
  const t0 = performance.now();
  const started: Array<{ session_id: string; holder_pid: number; pid: number }> = [];
  const PARALLEL = 4;
  for (let i = 0; i < count; i += PARALLEL) {
    const batch = Array.from({ length: Math.min(PARALLEL, count - i) }, () => ({
      argv: d.argv(["start", "--cols", String(COLS), "--", ...SHELL]),
      opts: { env: d.env, cwd: d.dir },
    }));
    for (const r of await runConcurrently(batch)) {
      if (r.code !== 0) throw new Error(`start failed: ${r.stdout} ${r.stderr}`);
      const doc = JSON.parse(r.stdout);
      d.track(doc.pid, doc.holder_pid);
      started.push(doc);
    }
  }
  const deltaStartAllMs = performance.now() - t0;
  const list = d.ok(["list"]);
  const running = (JSON.parse(list.stdout) as Array<{ status: string }>).filter((x) => x.status === "running").length;
  const pss = started.reduce((acc, st) => acc + (memory(st.holder_pid)?.pss ?? 0), 0);

  const tm = new Tmux("many");
  const t1 = performance.now();
  for (let i = 0; i < count; i++) tm.newSession(`n${i}`, SHELL);
  const tmuxStartAllMs = performance.now() - t1;
  const tmuxRunning = tm.ok(["list-sessions"]).stdout.trim().split("\n").length;
  const server = memory(tm.serverPid());
  tm.killServer();
  d.endAll();
  return {
    sessions: count,
    deltaStartAllMs,
    deltaRunning: running,
    deltaPssTotalMb: pss / 1024,
    deltaListMs: list.ms,
    tmuxStartAllMs,
    tmuxRunning,
    tmuxServerRssMb: (server?.rss ?? NaN) / 1024,
    cores: navigator.hardwareConcurrency,
  };
}

export interface ConcurrencyResult {
  writers: number;
  readers: number;
  lineBytes: number;
  ok: boolean;
  problems: string[];
  ms: number;
}

/**
 * 50 concurrent writers and 50 concurrent readers on one session: every line arrives whole,
 * exactly once, and every reader sees the same bytes.
 */
export async function measureConcurrentClients(s: Settings, d: Delta, clients: number): Promise<ConcurrencyResult> {
  s.log(`${clients} concurrent clients on one session`);
  // No echo, and every line given back marked as the program's own: output identical to the input
  // would be taken for the terminal's echo, which --until never matches (docs/agents.md).
  const ds = d.start(["sh", "-c", "stty -echo; echo ready; exec sed -u 's/^/got:/'"]);
  // Wait until stty has run, so no line is echoed.
  d.ok(["read", ds.id, "--timeout", "5000", "--until", "^ready"]);
  const offset = JSON.parse(d.ok(["status", ds.id]).stdout).output_bytes as number;
  const LINE = 3000;
  const lines = Array.from({ length: clients }, (_, i) => {
    const tag = `client-${String(i).padStart(3, "0")}:`;
    let body = "";
    for (let k = 0; body.length < LINE - tag.length - 4; k++) body += String.fromCharCode(65 + ((i * 7 + k * 13) % 26));
    return `${tag}${body}:end`;
  });
  const t0 = performance.now();
  const readers = runConcurrently(
    Array.from({ length: clients }, () => ({
      argv: d.argv(["read", ds.id, "--since", String(offset), "--timeout", "60000", "--until", "got:ALLDONE"]),
      opts: { env: d.env, cwd: d.dir },
    })),
  );
  const writers = await runConcurrently(
    lines.map((line) => ({ argv: d.argv(["write", "--raw", ds.id]), opts: { env: d.env, cwd: d.dir, stdin: new TextEncoder().encode(line + "\n") } })),
  );
  d.ok(["write", ds.id, "ALLDONE\\n"]);
  const reads = await readers;
  const ms = performance.now() - t0;
  const problems: string[] = [];
  writers.forEach((w, i) => w.code !== 0 && problems.push(`writer ${i} exited ${w.code}: ${w.stderr.trim()}`));
  const expected = [...lines].sort();
  reads.forEach((r, i) => {
    if (r.code !== 0) return problems.push(`reader ${i} exited ${r.code}: ${r.stderr.trim()}`);
    const got = r.stdout
      .replace(/\r\n/g, "\n")
      .split("\n")
      .filter((l) => l !== "" && l !== "got:ALLDONE")
      .map((l) => l.replace(/^got:/, ""));
    if (got.length !== expected.length) problems.push(`reader ${i} saw ${got.length} lines, expected ${expected.length}`);
    else if (got.sort().some((l, k) => l !== expected[k])) problems.push(`reader ${i} saw a line that differs from what was written`);
    if (r.stdout !== reads[0]!.stdout) problems.push(`reader ${i} saw different bytes than reader 0`);
  });
  d.end(ds.id);
  return { writers: clients, readers: clients, lineBytes: LINE, ok: problems.length === 0, problems: problems.slice(0, 5), ms };
}
