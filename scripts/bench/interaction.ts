// The `send` group (SPEC §10): how soon `send` answers once the program waits for input, what
// holders cost while their sessions sit at prompts after sends and waits, and the scripted agent
// transcripts (transcripts.ts). Run twice in a row by default: two passes show how much the
// machine's load moves the figures.
import { loadavg } from "node:os";
import { QUIET_GC_DELAY_MS } from "../../src/constants.ts";
import type { Delta } from "./drivers.ts";
import { compileGdbTarget, runTranscripts, type TranscriptResult } from "./transcripts.ts";
import { cpuMs, threadCpuNs } from "./proc.ts";
import { percentile, summarize, type Stats } from "./stats.ts";
import type { Settings } from "./figures.ts";

/** How long the latency program sleeps before it asks again (subtracted from send's wall time). */
const ASK_DELAY_MS = 500;
/** Fewest sends timed for the latency figure (SPEC §7 asks for a median of at least 20). */
const MIN_LATENCY_RUNS = 20;
/** Shortest idle window, seconds. */
const MIN_IDLE_SECONDS = 10;

export interface Latency {
  /** send's wall time minus the program's 0.5 s sleep, ms. */
  send: Stats;
  sendP90: number;
  /** `--version`: a CLI call that starts the runtime and exits, timed alternately with the sends. */
  floor: Stats;
  floorP90: number;
}

export interface InteractionIdle {
  seconds: number;
  /** What ran in the sessions, e.g. "python3 × 2". */
  sessions: string[];
  /** CPU ms per second per holder from schedstat (ns on the CPU), thread by thread: average and
   *  busiest. Threads that exited during the window are not in it (see threadsExited). */
  perHolder: number;
  busiest: number;
  /** Threads of all holders that ended during the window, and that appeared in it. */
  threadsExited: number;
  threadsStarted: number;
  /** The same from /proc/PID/stat utime+stime (10 ms ticks), average per holder. */
  perHolderTicks: number;
}

export interface SendPass {
  loadAverage: number[];
  latency: Latency;
  idle: InteractionIdle;
  transcripts: TranscriptResult[];
}

export interface SendResults {
  passes: SendPass[];
}

function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(`send benchmark: ${what}`);
}

interface Doc {
  session_id: string;
  holder_pid: number;
  pid: number;
  reason?: string;
  output?: string;
}

function startWaiting(d: Delta, name: string, command: string[]): Doc {
  const doc = JSON.parse(d.ok(["start", "--wait", "--name", name, "--", ...command]).stdout) as Doc;
  d.track(doc.pid, doc.holder_pid);
  must(doc.reason === "input", `${command[0]} did not come to its prompt: ${JSON.stringify(doc)}`);
  return doc;
}

function send(d: Delta, id: string, text: string): Doc {
  const doc = JSON.parse(d.ok(["send", id, "--json", text, "--enter"]).stdout) as Doc;
  must(doc.reason === "input", `send ${JSON.stringify(text)} ended with ${doc.reason}: ${JSON.stringify(doc.output)}`);
  return doc;
}

/** A program that sleeps 0.5 s and then asks; each send's wall time minus the 0.5 s. */
async function measureLatency(s: Settings, d: Delta, tag: string): Promise<Latency> {
  const runs = Math.max(s.runs, MIN_LATENCY_RUNS);
  s.log(`send latency: ${runs} sends to a program that asks 0.5 s after each answer`);
  const asker = ["python3", "-c", `import time\nwhile True:\n    time.sleep(${ASK_DELAY_MS / 1000})\n    input('ask? ')`];
  const doc = startWaiting(d, `lat-${tag}`, asker);
  const sends: number[] = [];
  const floors: number[] = [];
  const sendOnce = () => {
    const r = d.ok(["send", doc.session_id, "--json", "x", "--enter"]);
    const reply = JSON.parse(r.stdout) as Doc;
    must(reply.reason === "input" && reply.output === "ask? ", `latency send: ${r.stdout}`);
    return r.ms - ASK_DELAY_MS;
  };
  for (let i = 0; i < s.warmup; i++) sendOnce();
  for (let i = 0; i < runs; i++) {
    sends.push(sendOnce());
    floors.push(d.ok(["--version"]).ms);
  }
  d.end(doc.session_id);
  return { send: summarize(sends), sendP90: percentile(sends, 90), floor: summarize(floors), floorP90: percentile(floors, 90) };
}

/** Holders of python, bash and gdb sessions sitting at their prompts after sends and waits. */
async function measureIdle(s: Settings, d: Delta, tag: string, gdbTarget: string): Promise<InteractionIdle> {
  const seconds = Math.max(s.idleSeconds, MIN_IDLE_SECONDS);
  const kinds: Array<{ label: string; command: string[]; inputs: string[] }> = [
    { label: "python3", command: ["python3", "-q"], inputs: ["x = 6 * 7", "print(x)"] },
    { label: "bash", command: ["bash", "--norc", "--noprofile", "-i"], inputs: ["cd /", "echo $PWD"] },
    { label: "gdb", command: ["gdb", "-q", "-nx", "-iex", "set debuginfod enabled off", gdbTarget], inputs: ["break add", "run"] },
  ];
  const copies = 2;
  const sessions: Doc[] = [];
  for (const k of kinds) {
    for (let i = 0; i < copies; i++) {
      const doc = startWaiting(d, `idle-${tag}-${k.label}-${i}`, k.command);
      for (const text of k.inputs) send(d, doc.session_id, text);
      // Also a waiting read and a wait, which start the kernel-view checks again (they end at once).
      d.ok(["read", doc.session_id, "--until-input", "--timeout", "10000"]);
      d.ok(["wait", doc.session_id, "--input", "--timeout", "10000"]);
      sessions.push(doc);
    }
  }
  s.log(`idle CPU of ${sessions.length} holders at their prompts (${seconds} s)`);
  // Past the holder's one garbage collection after its session's last activity.
  await Bun.sleep(QUIET_GC_DELAY_MS + 1000);
  const pids = sessions.map((x) => x.holder_pid);
  const readAll = () => pids.map((p) => ({ ns: threadCpuNs(p), ms: cpuMs(p) }));
  const before = readAll();
  await Bun.sleep(seconds * 1000);
  const after = readAll();
  let threadsExited = 0;
  let threadsStarted = 0;
  const perNs = after.map((a, i) => {
    const b = before[i]!;
    must(a.ns !== null && b.ns !== null && a.ms !== null, `holder ${pids[i]} vanished`);
    let ns = 0;
    for (const [tid, now] of a.ns!) {
      const then = b.ns!.get(tid);
      if (then === undefined) threadsStarted++;
      ns += now - (then ?? 0);
    }
    for (const tid of b.ns!.keys()) if (!a.ns!.has(tid)) threadsExited++;
    return ns / 1e6 / seconds;
  });
  const perTicks = after.map((a, i) => (a.ms! - before[i]!.ms!) / seconds);
  for (const x of sessions) d.end(x.session_id);
  return {
    seconds,
    sessions: kinds.map((k) => `${k.label} × ${copies}`),
    perHolder: perNs.reduce((a, b) => a + b, 0) / perNs.length,
    busiest: Math.max(...perNs),
    threadsExited,
    threadsStarted,
    perHolderTicks: perTicks.reduce((a, b) => a + b, 0) / perTicks.length,
  };
}

/** The whole group, `passes` times in a row. */
export async function measureSend(s: Settings, d: Delta, work: string, passes: number): Promise<SendResults> {
  const gdbTarget = compileGdbTarget(work);
  const out: SendPass[] = [];
  for (let p = 1; p <= passes; p++) {
    s.log(`send group, pass ${p} of ${passes}`);
    const loadAverage = loadavg();
    const latency = await measureLatency(s, d, `p${p}`);
    const idle = await measureIdle(s, d, `p${p}`, gdbTarget);
    s.log("scripted agent transcripts, each with send and the old way");
    const transcripts = runTranscripts(d, work, gdbTarget, `p${p}`);
    out.push({ loadAverage, latency, idle, transcripts });
  }
  return { passes: out };
}
