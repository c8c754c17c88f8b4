// BENCHMARKS.md: machine, versions, the side-by-side table, the SPEC §7 targets with met/missed,
// what bounds each figure, and how to reproduce. A hand-written section between the history
// markers survives regeneration (it records before/after numbers of optimisations).
import type { ConcurrencyResult, IdleResult, ManyResult, MemoryPoint, Row } from "./figures.ts";
import type { McpFigures } from "./mcp.ts";
import type { SendResults } from "./interaction.ts";
import { fmt, type Stats } from "./stats.ts";

export interface Floor {
  /** An empty program compiled with the same flags: run time and peak RSS. */
  emptyRun: Stats;
  emptyRssMb: number;
  /** The same runtime idling (a timer pending): what any long-lived Bun process costs. */
  idleRssMb: number;
  idlePssMb: number;
  /** `tmux -V`: the floor of a tmux CLI call. */
  tmuxVersionRun: Stats;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  kernel: string;
  loadAverage: number[];
}

export interface Versions {
  bun: string;
  tmux: string;
  deltaSessions: string;
}

export interface Results {
  date: string;
  quick: boolean;
  durationS?: number;
  machine: Machine;
  versions: Versions;
  rows: Row[];
  floor: Floor;
  memory: MemoryPoint[];
  idle: IdleResult;
  many: ManyResult;
  concurrency: ConcurrencyResult;
  /** The send group (SPEC §10); its section of the report is written by send-report.ts. */
  send?: SendResults;
  /** Peak RSS of CLI calls, kB (the largest seen for each figure). */
  cliRssKb?: Record<string, number>;
  /** Tool calls through `delta-sessions mcp` (absent in results of runs before it existed). */
  mcp?: McpFigures;
}

export const HISTORY_START = "<!-- history:start (kept by scripts/bench.ts when it rewrites this file) -->";
export const HISTORY_END = "<!-- history:end -->";

const MB = (kb: number) => (kb * 1024) / 1e6;

interface TargetLine {
  target: string;
  measured: string;
  /** null: not measured (the feature is not in this build). */
  met: boolean | null;
  miss?: string;
  bound?: string;
}

function row(r: Results, key: string): Row | undefined {
  return r.rows.find((x) => x.key === key);
}

function timeTarget(r: Results, key: string, what: string, max: number, bound: string): TargetLine {
  const x = row(r, key);
  if (!x?.delta) return { target: `${what} ≤ ${max} ms`, measured: "not measured", met: null, miss: x?.note ?? "not available in this build" };
  const m = x.delta.median;
  return {
    target: `${what} ≤ ${max} ms`,
    measured: `${fmt(m)} ms (median of ${x.delta.runs})`,
    met: m <= max,
    miss: m <= max ? undefined : `missed by ${fmt(m - max)} ms (${fmt(m / max)}×)`,
    bound,
  };
}

/** What a single call costs beyond Bun's floor (see the history section for the measurements). */
const CALL_BOUND =
  "beyond Bun's start-up: node:fs (the runtime directory is checked with lstat before every connection), the command's chunks, two round trips to the holder (its hello, then the request), and the exit of a runtime that has opened a socket";

function callFloorTargets(r: Results): TargetLine[] {
  return [
    floorTarget(r, "write", "`write`", 1.4, CALL_BOUND),
    floorTarget(r, "write-key", "`write-key`", 1.4, CALL_BOUND),
    floorTarget(r, "peek", "`read --peek`", 1.4, CALL_BOUND),
    floorTarget(r, "screen", "`read --screen`", 1.4, CALL_BOUND),
    floorTarget(r, "status", "`status`", 1.4, `${CALL_BOUND}; status also reads the metadata`),
  ];
}

/** A figure that must be no slower than tmux's (lower is better). */
function tmuxTarget(r: Results, key: string, target: string, bound: string): TargetLine {
  const x = row(r, key);
  if (!x?.delta || !x.tmux) return { target, measured: "not measured", met: null, miss: x?.note ?? "not available in this build" };
  const ok = x.delta.median <= x.tmux.median;
  return {
    target,
    measured: `${fmt(x.delta.median)} ms against tmux's ${fmt(x.tmux.median)} ms`,
    met: ok,
    miss: ok ? undefined : `${fmt(x.delta.median / x.tmux.median)}× tmux's`,
    bound,
  };
}

export function evaluateTargets(r: Results): TargetLine[] {
  const floor = r.floor.emptyRun.median;
  const at50 = r.memory.find((p) => p.sessions === 50);
  const tp = row(r, "throughput");
  const lines: TargetLine[] = [
    timeTarget(r, "start", "`start` to ready", 25, `two Bun start-ups (CLI and holder, ${fmt(floor)} ms each here) plus spawning the holder and the child`),
    timeTarget(r, "write", "`write`", 8, `one Bun start-up: ${fmt(floor)} ms here for an empty program`),
    timeTarget(r, "write-key", "`write-key`", 8, `one Bun start-up: ${fmt(floor)} ms`),
    timeTarget(r, "peek", "`read --peek`", 8, `one Bun start-up: ${fmt(floor)} ms`),
    timeTarget(r, "exec", "`exec ID 'echo hi'`", 15, `one Bun start-up (${fmt(floor)} ms) plus the shell running the command`),
    ...callFloorTargets(r),
    floorTarget(r, "start", "`start` to ready", 3, "two Bun start-ups in a row (the CLI, then the holder, which must be listening with its child spawned before `start` returns)"),
    tmuxTarget(r, "exec", "`exec ID 'echo hi'` ≤ tmux's send-keys + wait-for + capture-pane", "one Bun start-up against three C ones, plus the shell's prompt round trip"),
    {
      target: "idle holder ≤ 0.5 ms CPU per idle second",
      measured: `${fmt(r.idle.deltaPerHolder)} ms/s average, ${fmt(r.idle.deltaMax)} ms/s the busiest (${r.idle.sessions} holders, ${r.idle.seconds} s)`,
      met: r.idle.deltaPerHolder <= 0.5,
      miss: r.idle.deltaPerHolder <= 0.5 ? undefined : `missed by ${fmt(r.idle.deltaPerHolder - 0.5)} ms/s`,
    },
  ];
  if (at50) {
    const rss = MB(at50.delta.rss);
    const pss = MB(at50.delta.pss);
    lines.push(
      {
        target: "holder RSS ≤ 25 MB with 50 sessions",
        measured: `${fmt(rss)} MB`,
        met: rss <= 25,
        miss: rss <= 25 ? undefined : `missed by ${fmt(rss - 25)} MB`,
        bound: `an idle Bun program compiled the same way already has ${fmt(r.floor.idleRssMb)} MB RSS, most of it the shared executable; RSS counts shared pages in full in every process`,
      },
      {
        target: "holder PSS ≤ 12 MB with 50 sessions",
        measured: `${fmt(pss)} MB`,
        met: pss <= 12,
        miss: pss <= 12 ? undefined : `missed by ${fmt(pss - 12)} MB`,
      },
    );
  }
  if (tp?.delta && tp.tmux) {
    const ok = tp.delta.median >= tp.tmux.median;
    lines.push({
      target: "throughput (`cat` of 40 MiB) ≥ tmux's",
      measured: `${fmt(tp.delta.median)} MiB/s against tmux's ${fmt(tp.tmux.median)} MiB/s`,
      met: ok,
      miss: ok ? undefined : `${fmt(tp.tmux.median / tp.delta.median)}× slower than tmux`,
      bound: "the PTY itself, and the reader: `read --until` carries every byte to the client; a burst of up to 32 MiB is parsed by the emulator only once the program pauses (holder/parse-backlog.ts), a longer one at the emulator's pace",
    });
  }
  if (r.mcp) lines.push(mcpTarget(r.mcp));
  const many = r.many;
  lines.push(
    {
      target: `${many.sessions} sessions at once on a 2-core machine`,
      measured: `${many.deltaRunning}/${many.sessions} running and answering \`list\` (one call: ${fmt(many.deltaListMs)} ms) on ${many.cores} cores; all started in ${fmt(many.deltaStartAllMs / 1000)} s, ${fmt(many.deltaPssTotalMb)} MB PSS in total`,
      met: many.deltaRunning === many.sessions,
    },
    {
      target: `${r.concurrency.writers} concurrent clients on one session without a lost or corrupted byte`,
      measured: r.concurrency.ok
        ? `${r.concurrency.writers} writers and ${r.concurrency.readers} readers at once: every ${r.concurrency.lineBytes}-byte line arrived whole, once, the same for every reader (${fmt(r.concurrency.ms)} ms)`
        : `failed: ${r.concurrency.problems.join("; ")}`,
      met: r.concurrency.ok,
    },
  );
  return lines;
}

/** SPEC §7: one MCP tool call (write of one character, screen) ≤ 0.3 ms median, ahead of tmux's CLI and other MCP servers. */
function mcpTarget(m: McpFigures): TargetLine {
  const worst = Math.max(...m.rows.filter((x) => x.key !== "mcp-status").map((x) => x.delta.median));
  const ahead = m.rows.every((x) => x.delta.median < x.tmux.median && (x.terminalcp === null || x.delta.median < x.terminalcp.median));
  const met = worst <= 0.3 && ahead;
  return {
    target: "one MCP tool call (`write` of one character, `screen`) ≤ 0.3 ms median, ahead of tmux's CLI and other MCP servers",
    measured: m.rows.map((x) => `${x.key.replace("mcp-", "")} ${fmt(x.delta.median)} ms`).join(", "),
    met,
    miss: met ? undefined : worst > 0.3 ? `missed by ${fmt(worst - 0.3)} ms` : "not ahead of every other contender",
    bound: "the SDK's JSON-RPC handling and schema validation on both sides, plus one request to the holder over its Unix socket",
  };
}

function cell(s: Stats | null, unit: string): string {
  if (!s) return "–";
  return `${fmt(s.median)} ${unit} (${fmt(s.min)}–${fmt(s.max)})`;
}

function ratio(x: Row): string {
  if (!x.delta || !x.tmux) return "–";
  return `${fmt(x.delta.median / x.tmux.median)}×`;
}

/** The figure as a multiple of Bun's floor (the empty program) measured alongside it. */
function floorRatio(x: Row): string {
  if (!x.delta || !x.floor) return "–";
  return `${fmt(x.delta.median / x.floor.median)}× (floor ${fmt(x.floor.median)} ms)`;
}

/** Issue 12's targets: a figure within `max` times the empty program's time in the same run. */
function floorTarget(r: Results, key: string, what: string, max: number, bound: string): TargetLine {
  const x = row(r, key);
  const target = `${what} ≤ ${max}× Bun's floor`;
  if (!x?.delta || !x.floor) return { target, measured: "not measured", met: null, miss: "not measured alongside the floor" };
  const k = x.delta.median / x.floor.median;
  return {
    target,
    measured: `${fmt(k)}× (${fmt(x.delta.median)} ms against ${fmt(x.floor.median)} ms)`,
    met: k <= max,
    miss: k <= max ? undefined : `missed by ${fmt(x.delta.median - max * x.floor.median)} ms`,
    bound,
  };
}

/** A plain-text summary of whatever was measured (for --only runs). */
export function renderRows(r: Partial<Results>): string {
  const lines: string[] = [];
  for (const x of r.rows ?? []) lines.push(`${x.label} | ${cell(x.delta, x.unit)} | ${x.tmuxLabel} | ${cell(x.tmux, x.unit)} | ${ratio(x)} | ${floorRatio(x)}`);
  if (r.idle) {
    lines.push(`settling CPU ms/s per holder ${fmt(r.idle.deltaSettling)}, tmux server ${fmt(r.idle.tmuxSettling)}`);
    lines.push(`idle CPU ms/s per holder ${fmt(r.idle.deltaPerHolder)} (max ${fmt(r.idle.deltaMax)}), tmux server ${fmt(r.idle.tmuxServer)}`);
  }
  for (const p of r.memory ?? []) lines.push(`memory at ${p.sessions}: RSS ${fmt(MB(p.delta.rss))} PSS ${fmt(MB(p.delta.pss))} anon ${fmt(MB(p.delta.anon))} MB | tmux/session PSS ${fmt(MB(p.tmux.pss))} MB`);
  if (r.many) lines.push(`many: ${JSON.stringify(r.many)}`);
  if (r.concurrency) lines.push(`clients: ${JSON.stringify(r.concurrency)}`);
  if (r.mcp) lines.push(...renderMcp(r.mcp));
  for (const [i, p] of (r.send?.passes ?? []).entries()) {
    const l = p.latency;
    lines.push(`send pass ${i + 1}: send − 0.5 s median ${fmt(l.send.median)} ms (p90 ${fmt(l.sendP90)}, ${fmt(l.send.min)}–${fmt(l.send.max)}, n=${l.send.runs}); CLI floor ${fmt(l.floor.median)} ms`);
    lines.push(`send pass ${i + 1}: idle CPU per holder at prompts ${p.idle.perHolder.toFixed(3)} ms/s (busiest ${p.idle.busiest.toFixed(3)}), ${p.idle.sessions.join(", ")}`);
    for (const t of p.transcripts) lines.push(`send pass ${i + 1}: ${t.job}: ${t.sendCalls} calls ${fmt(t.sendMs)} ms with send; ${t.oldCalls} calls ${fmt(t.oldMs)} ms the old way`);
  }
  return lines.join("\n");
}

export function renderReport(r: Results, history: string): string {
  const out: string[] = [];
  out.push(
    "# Benchmarks",
    "",
    "delta-sessions measured side by side with tmux, the tool people would use instead, in the same",
    `run (SPEC §7). Generated by \`npm run bench\` (\`bun scripts/bench.ts${r.quick ? " --quick" : ""}\`) on ${r.date}${r.durationS ? ` in ${Math.round(r.durationS)} s` : ""}.`,
    "Timed figures alternate the two tools run by run after a warm-up and report the median (min–max)",
    "over the runs; each call is a separate process, timed from spawn to exit, as an agent's tool call is.",
    "",
    "## Machine",
    "",
    `- ${r.machine.cpus} cores (${r.machine.cpuModel}), ${fmt(r.machine.memoryGb)} GB memory, Linux ${r.machine.kernel}`,
    `- load average when the run began: ${r.machine.loadAverage.map((x) => x.toFixed(2)).join(", ")}`,
    "",
    "## Versions",
    "",
    `- ${r.versions.deltaSessions}`,
    `- Bun ${r.versions.bun} (the runtime compiled into the binary)`,
    `- ${r.versions.tmux}, with its own server socket (\`-L\`) and no configuration (\`-f /dev/null\`)`,
    "",
    "## Side by side",
    "",
    "| figure | delta-sessions | tmux equivalent | tmux | delta-sessions / tmux | delta-sessions / Bun's floor |",
    "|---|---|---|---|---|---|",
  );
  for (const x of r.rows) out.push(`| ${x.label} | ${cell(x.delta, x.unit)} | ${x.tmuxLabel} | ${cell(x.tmux, x.unit)} | ${ratio(x)} | ${floorRatio(x)} |`);
  const idle = r.idle;
  out.push(
    `| CPU per holder, first ${idle.settleSeconds} s after ${idle.sessions} sessions started | ${fmt(idle.deltaSettling)} ms/s | the whole server | ${fmt(idle.tmuxSettling)} ms/s | – | – |`,
    `| idle CPU per holder (${idle.sessions} sessions, the ${idle.seconds} s after that) | ${fmt(idle.deltaPerHolder)} ms/s (busiest ${fmt(idle.deltaMax)}) | the server, per session (whole server) | ${fmt(idle.tmuxPerSession)} ms/s (${fmt(idle.tmuxServer)}) | – | – |`,
  );
  for (const p of r.memory) {
    out.push(
      `| memory per session, ${p.sessions} running: RSS / PSS | ${fmt(MB(p.delta.rss))} / ${fmt(MB(p.delta.pss))} MB | server ÷ sessions (whole server RSS) | ${fmt(MB(p.tmux.rss))} / ${fmt(MB(p.tmux.pss))} MB (${fmt(MB(p.tmuxServer.rss))}) | ${fmt(p.delta.pss / p.tmux.pss)}× (PSS) | – |`,
    );
  }
  const m = r.many;
  out.push(
    `| ${m.sessions} sessions started (4 at a time) | ${fmt(m.deltaStartAllMs / 1000)} s, ${m.deltaRunning} running | ${m.sessions} × \`new-session -d\` | ${fmt(m.tmuxStartAllMs / 1000)} s, ${m.tmuxRunning} running | – | – |`,
    "",
    "Notes:",
    "",
  );
  for (const x of r.rows) if (x.note) out.push(`- ${x.label} / ${x.tmuxLabel}: ${x.note}.`);
  out.push(
    "- Memory: delta-sessions has one holder process per session; the figure is the average holder. tmux has one server for all sessions; the figure is the server's total divided by its sessions. Neither includes the programs running in the sessions (the same shells on both sides). MB = 10^6 bytes.",
    "- The binary under test runs from a copy in the benchmark's temporary directory: a file the compiler has just written sits in the page cache in small pages and starts about 1 ms slower (here) until the kernel drops them; a copy is in the state a binary read from disk is in, whatever build is measured.",
    "- Idle CPU: utime+stime from /proc/<pid>/stat (10 ms ticks), summed over all holders and over the tmux server for the whole window. The settling window starts about a second after the last session drew its prompt; the idle window follows it.",
    "",
    ...(r.mcp ? [...renderMcp(r.mcp), ""] : []),
    "## What bounds the figures",
    "",
    `- Bun itself: an empty program (\`process.exit(0)\`) compiled with the same flags takes ${cell(r.floor.emptyRun, "ms")} from spawn to exit and peaks at ${fmt(r.floor.emptyRssMb)} MB RSS (median). Every delta-sessions call starts one such runtime; \`start\` starts two (the CLI, then the holder).`,
    `- The same runtime idling holds ${fmt(r.floor.idleRssMb)} MB RSS, ${fmt(r.floor.idlePssMb)} MB PSS (alone on the machine): the floor of a holder's memory before any of our code runs.`,
    `- tmux's CLI is a small C program: \`tmux -V\` takes ${cell(r.floor.tmuxVersionRun, "ms")}.`,
    "",
    "## SPEC §7 targets",
    "",
    "| target | measured | met | by how much / what bounds it |",
    "|---|---|---|---|",
  );
  for (const t of evaluateTargets(r)) {
    const why = [t.miss, t.met === false ? t.bound : undefined].filter(Boolean).join("; ");
    out.push(`| ${t.target} | ${t.measured} | ${t.met === null ? "n/a" : t.met ? "met" : "**missed**"} | ${why || "–"} |`);
  }
  out.push(
    "",
    "## How to reproduce",
    "",
    "```sh",
    "npm install          # installs the pinned Bun and builds dist/delta-sessions",
    "npm run bench        # bun scripts/bench.ts: full run (3 to 5 minutes here), rewrites BENCHMARKS.md",
    "bun scripts/bench.ts --quick            # fewer runs (about a minute)",
    "bun scripts/bench.ts --bin path/to/delta-sessions --out /tmp/other.md --json /tmp/other.json",
    "bun scripts/bench.ts --quick --only calls,throughput   # some groups, rows printed",
    "bun scripts/bench.ts --only send       # rewrites only the send section (two passes, about 2 minutes)",
    "bun scripts/bench.ts --compare before.json after.json   # before/after table of two --json runs",
    "```",
    "",
    "tmux is installed from Debian's packages (`apt-get install -y tmux`) when it is missing. The",
    "benchmark uses private sessions and runtime directories and its own tmux sockets, and ends",
    "everything it started. It is not part of `npm test`: timings depend on the machine and on",
    "whatever else runs on it.",
    "",
    HISTORY_START,
    history.trim(),
    HISTORY_END,
    "",
  );
  return out.join("\n");
}

/** A before/after table of two runs' delta-sessions figures (for the history section). */
export function renderComparison(before: Partial<Results>, after: Partial<Results>, labels: [string, string]): string {
  const lines = [`| figure | ${labels[0]} | ${labels[1]} | change |`, "|---|---|---|---|"];
  const change = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && a !== 0 ? `${fmt(b / a)}×` : "–");
  const seen = new Set<string>();
  for (const b of after.rows ?? []) {
    if (seen.has(b.label)) continue;
    seen.add(b.label);
    const a = before.rows?.find((x) => x.key === b.key);
    lines.push(`| ${b.label} | ${cell(a?.delta ?? null, b.unit)} | ${cell(b.delta, b.unit)} | ${change(a?.delta?.median ?? NaN, b.delta?.median ?? NaN)} |`);
  }
  if (before.idle && after.idle) {
    lines.push(`| CPU per holder while settling (ms/s) | ${fmt(before.idle.deltaSettling ?? NaN)} | ${fmt(after.idle.deltaSettling)} | – |`);
    lines.push(`| idle CPU per holder (ms/s) | ${fmt(before.idle.deltaPerHolder)} | ${fmt(after.idle.deltaPerHolder)} | – |`);
  }
  for (const p of after.memory ?? []) {
    const q = before.memory?.find((x) => x.sessions === p.sessions);
    if (!q) continue;
    lines.push(`| holder RSS / PSS, ${p.sessions} session${p.sessions === 1 ? "" : "s"} (MB) | ${fmt(MB(q.delta.rss))} / ${fmt(MB(q.delta.pss))} | ${fmt(MB(p.delta.rss))} / ${fmt(MB(p.delta.pss))} | ${change(q.delta.pss, p.delta.pss)} (PSS) |`);
  }
  if (before.many && after.many) {
    lines.push(`| ${after.many.sessions} sessions started (s) | ${fmt(before.many.deltaStartAllMs / 1000)} | ${fmt(after.many.deltaStartAllMs / 1000)} | ${change(before.many.deltaStartAllMs, after.many.deltaStartAllMs)} |`);
  }
  return lines.join("\n");
}

/** The hand-written section of an existing report, to carry over. */
export function extractHistory(existing: string | null): string {
  if (!existing) return "";
  const a = existing.indexOf(HISTORY_START);
  const b = existing.indexOf(HISTORY_END);
  if (a === -1 || b === -1 || b < a) return "";
  return existing.slice(a + HISTORY_START.length, b);
}

/** The MCP table: each tool call through `delta-sessions mcp`, tmux's CLI and terminalcp's server. */
function renderMcp(m: McpFigures): string[] {
  const out = [
    "## MCP tool calls",
    "",
    `Median (min–max) over ${m.callsPerFigure} calls each, from the MCP SDK's own client over stdio, timed from request to`,
    "result; the contenders take turns of ten calls. tmux has no MCP server: its row is its CLI, one process per call,",
    `which is what an agent without MCP runs. ${m.terminalcp}. The figures are taken after ${m.warmupCalls ?? 0} untimed calls`,
    "per contender (a long-lived server's steady state, once the JIT has optimized the call's path); the first column",
    "is delta-sessions' first calls of that kind, timed before that warm-up.",
    "",
    "| call | delta-sessions mcp, first calls | delta-sessions mcp | tmux CLI | tmux | terminalcp | terminalcp MCP | delta-sessions / tmux | delta-sessions / terminalcp |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const x of m.rows) {
    const vsTmux = `${fmt(x.delta.median / x.tmux.median)}×`;
    const vsTcp = x.terminalcp ? `${fmt(x.delta.median / x.terminalcp.median)}×` : "–";
    out.push(`| ${x.label} | ${x.deltaFirst ? cell(x.deltaFirst, "ms") : "–"} | ${cell(x.delta, "ms")} | ${x.tmuxLabel} | ${cell(x.tmux, "ms")} | ${x.terminalcpLabel} | ${cell(x.terminalcp, "ms")} | ${vsTmux} | ${vsTcp} |`);
  }
  return out;
}
