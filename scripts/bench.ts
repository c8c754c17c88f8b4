// `npm run bench`: delta-sessions against tmux, side by side in the same run (SPEC §7), written to
// BENCHMARKS.md. Not part of `npm test`.
//
//   bun scripts/bench.ts [--quick] [--bin PATH] [--out FILE] [--json FILE] [--only GROUPS]
//
// --quick takes fewer runs (for a quick look; the report says so). --bin benchmarks another build
// of the binary. --json also writes the raw results. --only start,calls,exec,write,throughput,
// memory,many,clients,mcp,send,flood,library,remote runs just those groups and prints their rows
// instead of writing the report; with send among them it also writes BENCHMARKS.md's send section
// (SPEC §10: latency, idle holders at prompts, agent transcripts), with flood its flood section
// (SPEC §15: memory and latency while a program floods, beside tmux), with library its library
// section (SPEC §12: a library call against the CLI's and the MCP server's), with remote its remote
// section (SPEC §14: a call over --host against a local one), leaving the rest of the file as it is.
//
//   bun scripts/bench.ts --compare BEFORE.json AFTER.json
//
// prints a before/after table of two runs' --json results (for BENCHMARKS.md's history section).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { buildFlags } from "./build.ts";
import { Delta, ensureTmux, Tmux } from "./bench/drivers.ts";
import {
  measureBigWrite,
  measureCalls,
  measureConcurrentClients,
  measureExec,
  measureMany,
  measureMemoryAndIdle,
  measureStart,
  measureThroughput,
  type Settings,
} from "./bench/figures.ts";
import { measureMcp } from "./bench/mcp.ts";
import { measureSend } from "./bench/interaction.ts";
import { extractLibrarySection, measureLibrary, renderLibrarySection, spliceLibrarySection, type LibraryResults } from "./bench/library.ts";
import { memory, runOk, waitUntil } from "./bench/proc.ts";
import { extractHistory, renderComparison, renderReport, renderRows, type Floor, type Results } from "./bench/report.ts";
import { extractSendSection, renderSendSection, spliceSendSection } from "./bench/send-report.ts";
import { extractFloodSection, measureFlood, renderFloodSection, spliceFloodSection } from "./bench/flood.ts";
import { measureRemote, REMOTE_END, REMOTE_START, renderRemoteSection } from "./bench/remote.ts";
import { extractSection, spliceSection } from "./bench/sections.ts";
import { summarize } from "./bench/stats.ts";

const root = resolve(import.meta.dir, "..");

const GROUPS = ["start", "calls", "exec", "write", "throughput", "memory", "many", "clients", "mcp", "send", "flood", "library", "remote"] as const;
type Group = (typeof GROUPS)[number];

interface Options {
  quick: boolean;
  bin: string;
  out: string;
  json: string | null;
  only: Set<Group> | null;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { quick: false, bin: join(root, "dist", "delta-sessions"), out: join(root, "BENCHMARKS.md"), json: null, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return resolve(v);
    };
    if (a === "--quick") o.quick = true;
    else if (a === "--bin") o.bin = value();
    else if (a === "--out") o.out = value();
    else if (a === "--json") o.json = value();
    else if (a === "--only") {
      const names = (argv[++i] ?? "").split(",");
      const unknown = names.filter((n) => !(GROUPS as readonly string[]).includes(n));
      if (unknown.length > 0 || names.length === 0) throw new Error(`--only takes some of ${GROUPS.join(",")}`);
      o.only = new Set(names as Group[]);
    } else throw new Error(`unknown option ${a} (use --quick, --bin PATH, --out FILE, --json FILE, --only GROUPS)`);
  }
  return o;
}

/** A program compiled with the product's flags (what Bun itself costs). */
function compileWithProductFlags(dir: string, name: string, code: string): string {
  const src = join(dir, `${name}.ts`);
  writeFileSync(src, code);
  const out = join(dir, name);
  runOk([process.execPath, "build", ...buildFlags(), src, "--outfile", out], { cwd: dir });
  return out;
}

/** What Bun itself costs: an empty program and an idle one, compiled with the product's flags. */
async function measureFloor(runs: number, dir: string, empty: string): Promise<Floor> {
  const idler = compileWithProductFlags(dir, "idle", "setTimeout(() => {}, 2 ** 30);\n");
  for (let i = 0; i < 3; i++) runOk([empty]);
  const times: number[] = [];
  const rss: number[] = [];
  const tmuxTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = runOk([empty]);
    times.push(r.ms);
    rss.push(r.maxRssKb);
    tmuxTimes.push(runOk(["tmux", "-V"]).ms);
  }
  const proc = Bun.spawn([idler], { stdio: ["ignore", "ignore", "ignore"] });
  await waitUntil(() => (memory(proc.pid)?.rss ?? 0) > 0, 2000);
  await Bun.sleep(500);
  const m = memory(proc.pid);
  proc.kill("SIGKILL");
  await proc.exited;
  return {
    emptyRun: summarize(times),
    emptyRssMb: (summarize(rss).median * 1024) / 1e6,
    idleRssMb: ((m?.rss ?? NaN) * 1024) / 1e6,
    idlePssMb: ((m?.pss ?? NaN) * 1024) / 1e6,
    tmuxVersionRun: summarize(tmuxTimes),
  };
}

async function main(): Promise<void> {
  if (process.argv[2] === "--compare") {
    const [a, b] = process.argv.slice(3).map((p) => JSON.parse(readFileSync(resolve(p), "utf8")) as Partial<Results>);
    if (!a || !b) throw new Error("--compare takes two result files written with --json");
    console.log(renderComparison(a, b, [`before (${a.versions?.deltaSessions ?? "?"})`, `after (${b.versions?.deltaSessions ?? "?"})`]));
    return;
  }
  const opts = parseOptions(process.argv.slice(2));
  if (!existsSync(opts.bin)) throw new Error(`${opts.bin} does not exist: build it first (npm run build)`);
  const began = performance.now();
  const log = (line: string) => console.error(`[bench ${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const tmuxVersion = ensureTmux();
  const work = mkdtempSync("/tmp/ds-bench-work-");
  const empty = compileWithProductFlags(work, "empty", "process.exit(0);\n");
  const floor = () => runOk([empty]).ms;
  const settings: Settings = opts.quick
    ? { runs: 8, warmup: 2, slowRuns: 3, idleSeconds: 10, settleSeconds: 5, log, floor }
    : { runs: 25, warmup: 3, slowRuns: 20, idleSeconds: 30, settleSeconds: 10, log, floor };

  const d = new Delta(opts.bin);
  const t = new Tmux("main");
  const cleanup = () => {
    d.dispose();
    for (const server of [...Tmux.all]) server.killServer();
    rmSync(work, { recursive: true, force: true });
  };
  process.on("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  try {
    log(`benchmarking ${opts.bin} against ${tmuxVersion}${opts.quick ? " (quick)" : ""}`);
    const cpuList = cpus();
    const results: Partial<Results> = {
      date: new Date().toISOString().slice(0, 10),
      quick: opts.quick,
      machine: {
        cpus: navigator.hardwareConcurrency,
        cpuModel: cpuList[0]?.model.trim() ?? "unknown",
        memoryGb: totalmem() / 1e9,
        kernel: release(),
        loadAverage: loadavg(),
      },
      versions: { bun: Bun.version, tmux: tmuxVersion, deltaSessions: d.version() },
    };
    const runs = (g: Group) => opts.only === null || opts.only.has(g);
    if (opts.only === null) {
      log("Bun's floor: an empty program compiled with the same flags");
      results.floor = await measureFloor(settings.runs, work, empty);
    }
    const rows = [];
    if (runs("start")) rows.push(...(await measureStart(settings, d, t)));
    if (runs("calls")) rows.push(...(await measureCalls(settings, d, t)));
    if (runs("exec")) rows.push(await measureExec(settings, d, t));
    if (runs("write")) rows.push(await measureBigWrite(settings, d, t, work));
    if (runs("throughput")) rows.push(await measureThroughput(settings, d, t, work));
    results.rows = rows;
    if (runs("memory")) {
      const { points, idle } = await measureMemoryAndIdle(settings, d, t);
      results.memory = points;
      results.idle = idle;
    }
    if (runs("many")) results.many = await measureMany(settings, d, 200);
    if (runs("clients")) results.concurrency = await measureConcurrentClients(settings, d, 50);
    if (runs("mcp")) results.mcp = await measureMcp(settings, d, t);
    // Two passes: a second pass shows how much the machine's load moves the figures.
    if (runs("send")) results.send = await measureSend(settings, d, work, opts.quick ? 1 : 2);
    // A flood beside tmux, while the flood lasts (SPEC §15): its own section, like send's.
    const flood = runs("flood") ? await measureFlood(settings, d, t, opts.quick ? 20 : 60) : null;
    const library: LibraryResults | null = runs("library") ? await measureLibrary(settings, d, work) : null;
    const remote = runs("remote") ? await measureRemote(settings, opts.bin, work) : null;
    results.durationS = (performance.now() - began) / 1000;
    if (opts.json) writeFileSync(opts.json, JSON.stringify({ ...results, ...(flood ? { flood } : {}), ...(library ? { library } : {}), ...(remote ? { remote } : {}) }, null, 2) + "\n");
    const existing = existsSync(opts.out) ? readFileSync(opts.out, "utf8") : null;
    // Groups with a section of their own: a run of the group rewrites it, any other run keeps it.
    const own = [
      { name: "send", ran: !!results.send, section: results.send ? renderSendSection(results.send, results.date!, opts.quick) : extractSendSection(existing), splice: spliceSendSection },
      { name: "flood", ran: !!flood, section: flood ? renderFloodSection(flood, results.date!, opts.quick) : extractFloodSection(existing), splice: spliceFloodSection },
      { name: "remote", ran: !!remote, section: remote ? renderRemoteSection(remote, results.date!, opts.quick) : extractSection(existing, REMOTE_START, REMOTE_END), splice: (t: string, s: string) => spliceSection(t, REMOTE_START, REMOTE_END, s) },
      { name: "library", ran: !!library, section: library ? renderLibrarySection(library, results.date!, opts.quick) : extractLibrarySection(existing), splice: spliceLibrarySection },
    ];
    const spliceOwn = (text: string) => own.reduce((t, g) => g.splice(t, g.section), text);
    if (opts.only !== null) {
      console.log(renderRows(results));
      const ran = own.filter((g) => g.ran);
      if (ran.length > 0) {
        writeFileSync(opts.out, ran.reduce((t, g) => g.splice(t, g.section), existing ?? "# Benchmarks\n"));
        log(`wrote the ${ran.map((g) => g.name).join(" and ")} section of ${opts.out}`);
      }
      return;
    }
    writeFileSync(opts.out, spliceOwn(renderReport(results as Results, extractHistory(existing))));
    log(`wrote ${opts.out}`);
  } finally {
    cleanup();
  }
}

await main();
