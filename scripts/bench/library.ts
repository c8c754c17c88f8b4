// What a library call costs (SPEC §12) next to the same operation through the CLI (a process per
// call) and through the MCP server (a call on a long-lived server), in one run on one session:
// `send` of one line to `cat` (its reply, once cat waits for input again), `screen`, `status`.
// The library runs in a separate program, in Node and in Bun, as users run it; in Bun also with
// Node's socket (node:net) in place of Bun's own, to show which transport the library should take.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Delta } from "./drivers.ts";
import type { Settings } from "./figures.ts";
import { runOk } from "./proc.ts";
import { extractSection, spliceSection } from "./sections.ts";
import { fmt, summarize, type Stats } from "./stats.ts";

export const LIBRARY_START = "<!-- library:start (written by `bun scripts/bench.ts --only library`; the rest of the file is left as it is) -->";
export const LIBRARY_END = "<!-- library:end -->";

const LIB = resolve(import.meta.dir, "../../dist/lib/index.js");
const OPS = ["send", "screen", "status"] as const;
type Op = (typeof OPS)[number];

export interface LibraryResults {
  calls: number;
  warmup: number;
  cliRuns: number;
  loadAverage: number[];
  cpus: number;
  node: string;
  /** Per operation: each front end's figures. */
  rows: Record<Op, { cli: Stats; mcp: Stats; node: Stats; bun: Stats; bunNodeNet: Stats }>;
  /** The first call of a new manager (`get` and a `status`: connect, hello, request). */
  firstCall: { node: Stats; bun: Stats };
}

/** The program that times library calls: prints {first, send: [ms…], screen: […], status: […]}. */
function workerSource(lib: string): string {
  return `import { SessionManager } from ${JSON.stringify(pathToFileURL(lib).href)};
const [id, calls, warmup] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const t0 = performance.now();
const s = await new SessionManager().get(id);
await s.status();
const out = { first: performance.now() - t0 };
const ops = { send: () => s.send("x", { enter: true }), screen: () => s.screen(), status: () => s.status() };
for (const [name, call] of Object.entries(ops)) {
  for (let i = 0; i < warmup; i++) await call();
  const times = [];
  for (let i = 0; i < calls; i++) {
    const a = performance.now();
    await call();
    times.push(performance.now() - a);
  }
  out[name] = times;
}
console.log(JSON.stringify(out));
`;
}

interface WorkerOut {
  first: number;
  send: number[];
  screen: number[];
  status: number[];
}

function runWorker(d: Delta, runtime: string, file: string, id: string, calls: number, warmup: number): WorkerOut {
  return JSON.parse(runOk([runtime, file, id, String(calls), String(warmup)], { env: d.env, cwd: d.dir }).stdout) as WorkerOut;
}

export async function measureLibrary(s: Settings, d: Delta, work: string): Promise<LibraryResults> {
  if (!existsSync(LIB)) throw new Error(`${LIB} does not exist: build it first (npm run build)`);
  const calls = s.runs * 8;
  const warmup = s.runs * 4;
  s.log(`library calls: ${calls} each of send, screen and status (after ${warmup} untimed), in Node and Bun, against the CLI and the MCP server`);
  const worker = join(work, "library-worker.mjs");
  writeFileSync(worker, workerSource(LIB));
  // The same bundle with Node's socket under Bun too (the transport's one switch, forced off).
  const netLib = join(work, "library-node-net.js");
  const bundle = readFileSync(LIB, "utf8");
  const forced = bundle.replace(`var IN_BUN = "Bun" in globalThis;`, "var IN_BUN = false;");
  if (forced === bundle) throw new Error("the library bundle no longer has its IN_BUN switch: update scripts/bench/library.ts");
  writeFileSync(netLib, forced);
  const netWorker = join(work, "library-worker-node-net.mjs");
  writeFileSync(netWorker, workerSource(netLib));

  const { id } = d.start(["cat"]);
  const mcp = new Client({ name: "delta-sessions-bench", version: "0" });
  await mcp.connect(new StdioClientTransport({ command: d.bin, args: ["mcp"], env: d.env, cwd: d.dir, stderr: "ignore" }));
  try {
    const mcpArgs: Record<Op, [string, Record<string, unknown>]> = {
      send: ["send", { session: id, text: "x", enter: true }],
      screen: ["screen", { session: id }],
      status: ["status", { session: id }],
    };
    const cliArgs: Record<Op, string[]> = { send: ["send", id, "x", "--enter", "--json"], screen: ["read", id, "--screen", "--json"], status: ["status", id, "--json"] };
    const mcpTimes = {} as Record<Op, number[]>;
    const cliTimes = {} as Record<Op, number[]>;
    for (const op of OPS) {
      const [tool, args] = mcpArgs[op];
      const call = async () => {
        const r = await mcp.callTool({ name: tool, arguments: args });
        if (r.isError) throw new Error(`mcp ${tool} failed: ${JSON.stringify(r.content)}`);
      };
      for (let i = 0; i < warmup; i++) await call();
      mcpTimes[op] = [];
      for (let i = 0; i < calls; i++) {
        const t0 = performance.now();
        await call();
        mcpTimes[op].push(performance.now() - t0);
      }
      for (let i = 0; i < s.warmup; i++) d.ok(cliArgs[op]);
      cliTimes[op] = Array.from({ length: s.runs }, () => d.ok(cliArgs[op]).ms);
    }
    const node = runWorker(d, "node", worker, id, calls, warmup);
    const bun = runWorker(d, process.execPath, worker, id, calls, warmup);
    const bunNodeNet = runWorker(d, process.execPath, netWorker, id, calls, warmup);
    const firstNode = [node.first, ...Array.from({ length: 4 }, () => runWorker(d, "node", worker, id, 1, 0).first)];
    const firstBun = [bun.first, ...Array.from({ length: 4 }, () => runWorker(d, process.execPath, worker, id, 1, 0).first)];
    const rows = {} as LibraryResults["rows"];
    for (const op of OPS) {
      rows[op] = { cli: summarize(cliTimes[op]), mcp: summarize(mcpTimes[op]), node: summarize(node[op]), bun: summarize(bun[op]), bunNodeNet: summarize(bunNodeNet[op]) };
    }
    return {
      calls,
      warmup,
      cliRuns: s.runs,
      loadAverage: loadavg(),
      cpus: cpus().length,
      node: runOk(["node", "--version"]).stdout.trim(),
      rows,
      firstCall: { node: summarize(firstNode), bun: summarize(firstBun) },
    };
  } finally {
    await mcp.close();
    d.end(id);
  }
}

const cell = (x: Stats) => `${fmt(x.median)} ms (${fmt(x.min)}–${fmt(x.max)})`;

export function renderLibrarySection(r: LibraryResults, date: string, quick: boolean): string {
  const label: Record<Op, string> = { send: "`send` of one line to `cat` (its reply)", screen: "`screen`", status: "`status`" };
  const out = [
    LIBRARY_START,
    "## Library calls (SPEC §12)",
    "",
    `Generated by \`bun scripts/bench.ts${quick ? " --quick" : ""} --only library\` on ${date} (load average ${r.loadAverage.map((x) => x.toFixed(1)).join("/")} at the end).`,
    `The same operations on one session (\`cat\`), through each front end in turn: the library from a separate`,
    `program (${r.calls} calls each after ${r.warmup} untimed, on the connection its manager keeps), the MCP server from the`,
    `SDK's client over stdio (as many calls, as many untimed first), and the CLI (${r.cliRuns} calls, one process each,`,
    `spawn to exit). Median (min–max). Node ${r.node}.`,
    "",
    "| call | library in Node | library in Bun | library in Bun, node:net socket | MCP server | CLI | CLI / library in Node |",
    "|---|---|---|---|---|---|---|",
    ...OPS.map((op) => {
      const x = r.rows[op];
      return `| ${label[op]} | ${cell(x.node)} | ${cell(x.bun)} | ${cell(x.bunNodeNet)} | ${cell(x.mcp)} | ${cell(x.cli)} | ${fmt(x.cli.median / x.node.median)}× |`;
    }),
    "",
    `A manager's first call (\`get\`, then \`status\`: connect, the holder's hello, the request): ${cell(r.firstCall.node)} in Node,`,
    `${cell(r.firstCall.bun)} in Bun (${r.firstCall.node.runs} programs each). Every later call to that session reuses the connection.`,
    "",
    ...(r.loadAverage[0]! > r.cpus
      ? [`The machine was busy (a load average above its ${r.cpus} cores): every figure includes time spent waiting for a core,`, "the CLI's most, since each of its calls starts a process.", ""]
      : []),
    "What the figures say: `send` is bounded by the holder deciding that the program waits for input again",
    "(output quiet, then a confirming look at the kernel's view: src/constants.ts), the same for every front end;",
    "the rest is each front end's own cost per call. A library call is one request and its reply on an open",
    "socket, as an MCP tool call is without the JSON-RPC framing and the server's stdio in between; a CLI call",
    "starts a runtime, connects and exits. Under Bun the library uses Bun's own socket, which the",
    "`node:net` column compares against.",
    LIBRARY_END,
  ];
  return out.join("\n");
}

export function extractLibrarySection(existing: string | null): string {
  return extractSection(existing, LIBRARY_START, LIBRARY_END);
}

export function spliceLibrarySection(text: string, section: string): string {
  return spliceSection(text, LIBRARY_START, LIBRARY_END, section);
}
