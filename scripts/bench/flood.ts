// The `flood` group (SPEC §15): a program that writes as fast as it can (`yes`) beside a quiet
// shell, in delta-sessions and in tmux, in the same run. While the flood lasts: the holder's
// anonymous memory (and the tmux server's), and the latency of the calls an agent makes —
// `read --screen` (tmux: capture-pane -p), `read --timeout 200`, `status` — on the flooding session
// against the same call on the quiet one, alternated so that both see the same load. BENCHMARKS.md
// gets its own section, between markers, and the rest of the file is left as it is.
import type { Delta, Tmux } from "./drivers.ts";
import type { Settings } from "./figures.ts";
import { memory } from "./proc.ts";
import { extractSection, spliceSection } from "./sections.ts";
import { fmt, percentile, summarize, type Stats } from "./stats.ts";
import { loadavg } from "node:os";

export const FLOOD_START = "<!-- flood:start (written by `bun scripts/bench.ts --only flood`; the rest of the file is left as it is) -->";
export const FLOOD_END = "<!-- flood:end -->";

/** SPEC §15's bounds. */
const ANON_TARGET_MIB = 32;
const READ_TIMEOUT_MS = 200;

interface Pair {
  flood: Stats;
  quiet: Stats;
  floodP90: number;
  quietP90: number;
}

export interface FloodResults {
  seconds: number;
  loadAverage: { before: number[]; after: number[] };
  delta: {
    anonMib: { max: number; median: number; samples: number };
    quietAnonMib: number;
    screen: Pair;
    readTimeout: Pair;
    status: Pair;
    /** Largest `read --timeout 200` reply on the flooding session, bytes (buffer: 1 MiB). */
    replyMaxBytes: number;
    /** What the flooding program wrote while measured, MB (its rate depends on the machine). */
    floodMb: number;
  };
  tmux: {
    anonMib: { max: number; median: number };
    rssMib: { max: number; median: number };
    capture: Pair;
  };
}

function pair(flood: number[], quiet: number[]): Pair {
  return { flood: summarize(flood), quiet: summarize(quiet), floodP90: percentile(flood, 90), quietP90: percentile(quiet, 90) };
}

const mib = (kb: number) => kb / 1024;

export async function measureFlood(s: Settings, d: Delta, t: Tmux, seconds: number): Promise<FloodResults> {
  s.log(`flood: yes beside a quiet shell for ${seconds} s, delta-sessions and tmux in turn`);
  const before = loadavg();
  const flood = d.start(["yes"]);
  const quiet = d.start(["bash", "--norc", "--noprofile"]);
  t.newSession("flood", ["yes"]);
  t.newSession("quiet", ["bash", "--norc", "--noprofile"]);
  const tmuxPid = t.serverPid();
  const status = (id: string) => JSON.parse(d.ok(["status", id]).stdout) as { output_bytes: number };
  const startBytes = status(flood.id).output_bytes;

  const samples = {
    anon: [] as number[],
    tmuxAnon: [] as number[],
    tmuxRss: [] as number[],
    screen: { flood: [] as number[], quiet: [] as number[] },
    read: { flood: [] as number[], quiet: [] as number[] },
    status: { flood: [] as number[], quiet: [] as number[] },
    capture: { flood: [] as number[], quiet: [] as number[] },
  };
  let replyMaxBytes = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    // Each pair back to back, flood first one round and quiet first the next.
    const order = samples.screen.flood.length % 2 === 0 ? [flood.id, quiet.id] : [quiet.id, flood.id];
    for (const id of order) {
      const which = id === flood.id ? "flood" : "quiet";
      samples.screen[which].push(d.ok(["read", id, "--screen"]).ms);
      const r = d.ok(["read", id, "--timeout", String(READ_TIMEOUT_MS)]);
      samples.read[which].push(r.ms);
      if (which === "flood") replyMaxBytes = Math.max(replyMaxBytes, Buffer.byteLength(r.stdout));
      samples.status[which].push(d.ok(["status", id]).ms);
      samples.capture[which].push(t.ok(["capture-pane", "-p", "-t", which]).ms);
    }
    const m = memory(flood.holderPid);
    if (m) samples.anon.push(mib(m.anon));
    const tm = memory(tmuxPid);
    if (tm) {
      samples.tmuxAnon.push(mib(tm.anon));
      samples.tmuxRss.push(mib(tm.rss));
    }
  }
  const floodMb = (status(flood.id).output_bytes - startBytes) / 1e6;
  const quietAnon = mib(memory(quiet.holderPid)?.anon ?? NaN);
  d.end(flood.id);
  d.end(quiet.id);
  t.run(["kill-session", "-t", "flood"]);
  t.run(["kill-session", "-t", "quiet"]);
  const anon = summarize(samples.anon);
  return {
    seconds,
    loadAverage: { before, after: loadavg() },
    delta: {
      anonMib: { max: anon.max, median: anon.median, samples: anon.runs },
      quietAnonMib: quietAnon,
      screen: pair(samples.screen.flood, samples.screen.quiet),
      readTimeout: pair(samples.read.flood, samples.read.quiet),
      status: pair(samples.status.flood, samples.status.quiet),
      replyMaxBytes,
      floodMb,
    },
    tmux: {
      anonMib: { max: Math.max(...samples.tmuxAnon), median: summarize(samples.tmuxAnon).median },
      rssMib: { max: Math.max(...samples.tmuxRss), median: summarize(samples.tmuxRss).median },
      capture: pair(samples.capture.flood, samples.capture.quiet),
    },
  };
}

const cell = (x: Stats, p90: number) => `${fmt(x.median)} ms (${fmt(p90)})`;
const row = (name: string, p: Pair, note: string) =>
  `| ${name} | ${cell(p.flood, p.floodP90)} | ${cell(p.quiet, p.quietP90)} | ${fmt(p.flood.median / p.quiet.median)}× | ${note} |`;

export function renderFloodSection(r: FloodResults, date: string, quick: boolean): string {
  const d = r.delta;
  const load = (xs: number[]) => xs.map((x) => x.toFixed(1)).join("/");
  return [
    FLOOD_START,
    "## Floods (SPEC §15)",
    "",
    `Generated by \`bun scripts/bench.ts${quick ? " --quick" : ""} --only flood\` on ${date}: \`yes\` in one session and an idle`,
    `\`bash\` in another, for ${r.seconds} s, in delta-sessions and in tmux at the same time. Each call is a`,
    "separate CLI process, timed spawn to exit; the flooding and the quiet session's calls alternate, so",
    "both meet the same load. What bounds these figures: two cores shared with `yes` itself (it takes",
    `one whole), tmux's copy of the flood, and other work (load average ${load(r.loadAverage.before)} at the start,`,
    `${load(r.loadAverage.after)} at the end, 1/5/15 min). \`yes\` wrote ${fmt(d.floodMb)} MB through delta-sessions meanwhile.`,
    "",
    "| call | flooding session: median (p90) | quiet session: median (p90) | flood / quiet | bound |",
    "|---|---|---|---|---|",
    row("`read --screen`", d.screen, "≤ 2×"),
    row(`\`read --timeout ${READ_TIMEOUT_MS}\``, d.readTimeout, "≤ quiet + ~300 ms"),
    row("`status`", d.status, "unaffected"),
    row("tmux `capture-pane -p`", r.tmux.capture, "(tmux)"),
    "",
    `| memory during the flood | median | max | bound |`,
    "|---|---|---|---|",
    `| holder, anonymous (RssAnon), ${d.anonMib.samples} samples | ${fmt(d.anonMib.median)} MiB | **${fmt(d.anonMib.max)} MiB** | ≤ ${ANON_TARGET_MIB} MiB |`,
    `| quiet holder, anonymous | ${fmt(d.quietAnonMib)} MiB | | |`,
    `| tmux server, anonymous (both sessions) | ${fmt(r.tmux.anonMib.median)} MiB | ${fmt(r.tmux.anonMib.max)} MiB | |`,
    `| tmux server, RSS (both sessions) | ${fmt(r.tmux.rssMib.median)} MiB | ${fmt(r.tmux.rssMib.max)} MiB | |`,
    "",
    `The largest \`read --timeout ${READ_TIMEOUT_MS}\` reply on the flooding session carried ${d.replyMaxBytes} bytes (the buffer holds`,
    "1 MiB: one reply carries at most that, the newest bytes). The flooding session's read took",
    `${fmt(d.readTimeout.flood.median - d.readTimeout.quiet.median)} ms longer (median) than the quiet one's, which returns nothing after its 200 ms:`,
    "mostly the cost of carrying that megabyte through the holder and the CLI on the shared cores.",
    FLOOD_END,
  ].join("\n");
}

export function extractFloodSection(existing: string | null): string {
  return extractSection(existing, FLOOD_START, FLOOD_END);
}

/** `text` with its flood section replaced by `section` (or added, see spliceSection). */
export function spliceFloodSection(text: string, section: string): string {
  return spliceSection(text, FLOOD_START, FLOOD_END, section);
}
