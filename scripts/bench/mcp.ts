// Tool calls through an MCP server from the SDK's own client over stdio (SPEC §7, §11): one
// character written, the screen read, the status asked, each timed from request to result, next
// to tmux's CLI doing the same (one process per call, as an agent without MCP runs it) and to
// terminalcp's MCP server where it installs from the npm registry (into a temporary directory
// outside the repository; its node-pty needs its install script approved).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Delta, Tmux } from "./drivers.ts";
import type { Settings } from "./figures.ts";
import { runTimed } from "./proc.ts";
import { summarize, type Stats } from "./stats.ts";

/** The terminalcp version compared against (the one the issue measured). */
const TERMINALCP_VERSION = "1.3.3";
/** Calls per figure and contender (SPEC §7 asks for ≥ 200). */
const MCP_CALLS = 200;
/** Calls per contender between the first timed calls and the steady-state ones: JavaScriptCore
 *  (our server and holder) and V8 (terminalcp) compile a call's path with their optimizing JITs
 *  only after several hundred calls, and a long-lived server spends its life past that point. */
const MCP_WARMUP_CALLS = 1000;

export interface McpRow {
  key: string;
  label: string;
  delta: Stats;
  /** The first MCP_CALLS calls of this kind, before the warm-up (the path not yet optimized). */
  deltaFirst?: Stats;
  tmuxLabel: string;
  tmux: Stats;
  terminalcpLabel: string;
  terminalcp: Stats | null;
}

export interface McpFigures {
  rows: McpRow[];
  /** "terminalcp 1.3.3 (Node vX)" or why it was not measured. */
  terminalcp: string;
  /** Calls timed per figure and contender. */
  callsPerFigure: number;
  /** Untimed calls per contender between the first calls and the steady-state ones. */
  warmupCalls?: number;
}

type Call = () => Promise<unknown>;

async function connect(command: string, args: string[], env: Record<string, string>, cwd: string): Promise<Client> {
  const client = new Client({ name: "delta-sessions-bench", version: "0" });
  await client.connect(new StdioClientTransport({ command, args, env, cwd, stderr: "ignore" }));
  return client;
}

function tool(client: Client, name: string, args: Record<string, unknown>): Call {
  return async () => {
    const r = await client.callTool({ name, arguments: args });
    if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
    return r;
  };
}

function cli(t: Tmux, args: string[]): Call {
  return async () => {
    const r = t.run(args);
    if (r.code !== 0) throw new Error(`tmux ${args.join(" ")} failed: ${r.stderr}`);
  };
}

/** Calls of one contender in a row before the next takes its turn: an agent's calls come in
 *  sequences, and a process started between two calls (tmux's CLI) would otherwise slow the next. */
const BLOCK = 10;

/** Runs the contenders in turns of BLOCK calls (the order rotates), and returns their samples. */
async function sample(calls: Array<Call | null>): Promise<number[][]> {
  const samples = calls.map(() => [] as number[]);
  const live = calls.map((c, i) => [c, i] as const).filter((x): x is readonly [Call, number] => x[0] !== null);
  for (let round = 0; round < MCP_CALLS / BLOCK; round++) {
    for (let k = 0; k < live.length; k++) {
      const [c, idx] = live[(round + k) % live.length]!;
      for (let i = 0; i < BLOCK; i++) {
        const t0 = performance.now();
        await c();
        samples[idx]!.push(performance.now() - t0);
      }
    }
  }
  return samples;
}

/** terminalcp installed in a temporary directory (kept between runs), or why it cannot be. */
function installTerminalcp(): { entry: string } | { why: string } {
  const dir = join(tmpdir(), `ds-bench-terminalcp-${TERMINALCP_VERSION}`);
  const entry = join(dir, "node_modules", "@mariozechner", "terminalcp", "dist", "index.js");
  const pty = join(dir, "node_modules", "node-pty", "build", "Release", "pty.node");
  if (existsSync(entry) && existsSync(pty)) return { entry };
  if (!Bun.which("node") || !Bun.which("npm")) return { why: "Node.js and npm are needed to run it" };
  mkdirSync(dir, { recursive: true });
  const npm = (args: string[]) => runTimed(["npm", ...args], { cwd: dir });
  if (!existsSync(join(dir, "package.json"))) npm(["init", "-y"]);
  const steps = [
    ["install", "--no-audit", "--no-fund", `@mariozechner/terminalcp@${TERMINALCP_VERSION}`],
    // node-pty builds its native module in an install script, which npm runs only once approved.
    ["install-scripts", "approve", "node-pty"],
    ["rebuild", "node-pty"],
  ];
  for (const step of steps) {
    const r = npm(step);
    if (r.code !== 0 && step[0] !== "install-scripts") return { why: `npm ${step.join(" ")} failed: ${r.stderr.trim().split("\n").slice(-2).join(" ")}` };
  }
  return existsSync(entry) && existsSync(pty) ? { entry } : { why: "its native module (node-pty) did not build" };
}

export async function measureMcp(s: Settings, d: Delta, t: Tmux): Promise<McpFigures> {
  s.log(`MCP tool calls: ${MCP_CALLS} (then ${MCP_WARMUP_CALLS} untimed, then ${MCP_CALLS} again) each of write, screen and status, against tmux's CLI and terminalcp`);
  const delta = await connect(d.bin, ["mcp"], d.env, d.dir);
  const started = (await delta.callTool({ name: "start", arguments: { command: ["cat"], cols: 120, rows: 30, wait: false } })) as unknown as {
    structuredContent: { session_id: string; pid: number; holder_pid: number };
  };
  const id = started.structuredContent.session_id;
  d.track(started.structuredContent.pid, started.structuredContent.holder_pid);
  t.newSession("mcp", ["cat"]);

  let terminalcp: Client | null = null;
  let tcpId = "";
  let tcpNote: string;
  let tcpHome: string | null = null;
  const installed = installTerminalcp();
  if ("entry" in installed) {
    // Its own HOME: terminalcp keeps a server and its sockets under ~/.terminalcp.
    tcpHome = mkdtempSync(join(tmpdir(), "ds-bench-terminalcp-home-"));
    terminalcp = await connect("node", [installed.entry, "--mcp"], { ...d.env, HOME: tcpHome }, tcpHome);
    const r = (await terminalcp.callTool({ name: "terminalcp", arguments: { args: { action: "start", command: "cat", name: "bench" } } })) as { content: Array<{ text: string }> };
    tcpId = r.content[0]!.text.trim();
    tcpNote = `terminalcp ${TERMINALCP_VERSION} (Node ${runTimed(["node", "--version"]).stdout.trim()})`;
  } else tcpNote = `terminalcp not measured: ${installed.why}`;
  const tcp = (args: Record<string, unknown>): Call | null => (terminalcp ? tool(terminalcp, "terminalcp", { args: { id: tcpId, ...args } }) : null);

  const rows: McpRow[] = [];
  try {
    const figure = async (key: string, label: string, deltaCall: Call, tmuxLabel: string, tmuxCall: Call, terminalcpLabel: string, tcpCall: Call | null) => {
      const [first] = await sample([deltaCall, tmuxCall, tcpCall]);
      for (let w = 0; w < MCP_WARMUP_CALLS; w++) for (const c of [deltaCall, tmuxCall, tcpCall]) await c?.();
      const [a, b, c] = await sample([deltaCall, tmuxCall, tcpCall]);
      rows.push({ key, label, delta: summarize(a!), deltaFirst: summarize(first!), tmuxLabel, tmux: summarize(b!), terminalcpLabel, terminalcp: c!.length ? summarize(c!) : null });
    };
    await figure("mcp-write", "`write` of one character", tool(delta, "write", { session: id, text: "x" }), "`send-keys -l x`", cli(t, ["send-keys", "-t", "mcp", "-l", "x"]), "`stdin` of one character", tcp({ action: "stdin", data: "x" }));
    await figure("mcp-screen", "`screen`", tool(delta, "screen", { session: id }), "`capture-pane -p`", cli(t, ["capture-pane", "-p", "-t", "mcp"]), "`stdout` (the rendered screen)", tcp({ action: "stdout" }));
    await figure("mcp-status", "`status`", tool(delta, "status", { session: id }), "`display-message -p '#{pane_pid} #{pane_dead}'`", cli(t, ["display-message", "-p", "-t", "mcp", "#{pane_pid} #{pane_dead}"]), "`list`", terminalcp ? tool(terminalcp, "terminalcp", { args: { action: "list" } }) : null);
  } finally {
    await delta.callTool({ name: "end", arguments: { session: id } }).catch(() => undefined);
    await delta.close();
    t.run(["kill-session", "-t", "mcp"]);
    if (terminalcp) {
      await terminalcp.callTool({ name: "terminalcp", arguments: { args: { action: "stop" } } }).catch(() => undefined);
      await terminalcp.callTool({ name: "terminalcp", arguments: { args: { action: "kill-server" } } }).catch(() => undefined);
      await terminalcp.close();
    }
    if (tcpHome) rmSync(tcpHome, { recursive: true, force: true });
  }
  return { rows, terminalcp: tcpNote, callsPerFigure: MCP_CALLS, warmupCalls: MCP_WARMUP_CALLS };
}
