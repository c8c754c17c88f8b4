// Chaos (SPEC §15): several clients at once — CLI processes and the MCP server — do random
// operations on a shared set of sessions: start, write, send, exec, reads with timeouts, screen,
// status, list, resize, end, programs that exit, holders killed with SIGKILL, floods, and clients
// killed in the middle of a call. Then: no call outlived its timeout by more than a second, every
// reply was one JSON document with a documented code, no session is wedged (every surviving shell
// answers `exec echo`), every write that returned ok reached its program, and `end --all` leaves
// no holder and no socket behind.
//
// Seeded: the seed is printed; CHAOS_SEED=<seed> replays the same operations (the order in which
// the clients' calls interleave is up to the machine). CHAOS_MS sets how long the chaos lasts;
// CHAOS_TRACE=1 prints every call with its time and outcome.
import { afterAll, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ErrorCode } from "../../src/errors.ts";
import { McpSession } from "../helpers/mcp.ts";
import { isGone } from "../helpers/proc.ts";
import { makeRandom } from "../helpers/random.ts";
import { BIN, Sandbox, waitFor } from "../helpers/sandbox.ts";

const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CHAOS_MS = Number(process.env.CHAOS_MS ?? 30_000);
/** A call's allowed overrun past its own timeout (SPEC §15). */
const OVERRUN_MS = 1_000;
/** What a call with no timeout of its own may take on a loaded machine before it counts as hung. */
const PROMPT_CALL_MS = 8_000;
/** Each flood: this much output, at most one every FLOOD_SPACING_MS. */
const FLOOD_BYTES = 5_000_000;
const FLOOD_SPACING_MS = 8_000;
/** Codes a reply may carry: the documented ones. INTERNAL and PROTOCOL_ERROR are defects. */
const DOCUMENTED_CODES = new Set<string>(Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL && c !== ErrorCode.PROTOCOL_ERROR));
/** Errors that only say the session went away or is busy: expected while others end and kill. */
const GONE = ["SESSION_NOT_FOUND", "SESSION_EXITED", "HOLDER_UNREACHABLE"];

const sb = new Sandbox();
afterAll(() => sb.dispose());

type Role = "shell" | "writer" | "short";

interface ChaosSession {
  id: string;
  holderPid: number;
  pid: number;
  role: Role;
  /** Ended or killed by the chaos: calls to it may fail with a GONE code. */
  gone: boolean;
}

/** One operation, as any client kind can carry it out. */
interface Op {
  name: string;
  /** CLI arguments (the CLI client's form). */
  argv: string[];
  /** MCP tool and arguments, when the MCP server offers the operation. */
  mcp?: { tool: string; args: Record<string, unknown> };
  /** The call's own time limit (its timeout, grace, …); 0 for calls that should answer at once. */
  limitMs: number;
  /** Error codes this call may end with besides success. */
  allowed: string[];
  /** Called with the reply document when the call succeeded. */
  onOk?: (doc: any) => void;
}

interface Outcome {
  ok: boolean;
  code: string | null;
  doc: unknown;
  ms: number;
}

/** A front end the chaos drives: CLI processes and the MCP server; another front end is one more
 *  implementation, given the same operations (an Op says how each front end carries it out). */
interface ChaosClient {
  kind: string;
  /** Extra time a call of this client may take that is not the call's (starting a process). */
  overheadMs: number;
  call(op: Op): Promise<Outcome>;
}

class CliClient implements ChaosClient {
  readonly kind = "cli";
  constructor(private readonly machine: MachinePrice) {}
  get overheadMs(): number {
    return this.machine.allowanceMs();
  }
  async call(op: Op): Promise<Outcome> {
    const t0 = performance.now();
    const r = await sb.run(op.argv);
    const ms = performance.now() - t0;
    let doc: any;
    try {
      doc = JSON.parse(r.stdout);
    } catch {
      throw new Error(`${op.argv.join(" ")}: stdout is not one JSON document (exit ${r.code}): ${r.stdout.slice(0, 300)} ${r.stderr.slice(0, 300)}`);
    }
    // exec exits with the command's status; reads and sends that time out exit 124 with their document.
    const execDone = op.argv[0] === "exec" && r.code !== 125 && !doc?.code;
    const timedOut = r.code === 124 && doc?.code === undefined && (doc?.timed_out === true || doc?.reason === "timeout");
    if (r.code === 0 || execDone || timedOut) return { ok: true, code: null, doc, ms };
    return { ok: false, code: typeof doc?.code === "string" ? doc.code : `exit ${r.code} without a code`, doc, ms };
  }
}

class McpClient implements ChaosClient {
  readonly kind = "mcp";
  constructor(
    private readonly session: McpSession,
    private readonly machine: MachinePrice,
  ) {}
  /** The server is one more process on the same loaded cores. */
  get overheadMs(): number {
    return this.machine.allowanceMs();
  }
  async call(op: Op): Promise<Outcome> {
    const t0 = performance.now();
    const r = await this.session.call(op.mcp!.tool, op.mcp!.args, op.limitMs + PROMPT_CALL_MS + 30_000);
    const ms = performance.now() - t0;
    const doc = r.structuredContent;
    if (typeof doc !== "object" || doc === null) throw new Error(`${op.mcp!.tool}: no JSON document in the result: ${JSON.stringify(r).slice(0, 300)}`);
    if (!r.isError) return { ok: true, code: null, doc, ms };
    return { ok: false, code: typeof doc.code === "string" ? doc.code : "no code", doc, ms };
  }
}

/**
 * What the machine charges any process right now: a canary runs `delta-sessions --version` (no
 * session, no socket) over and over while the chaos lasts. With several programs flooding and
 * other work on two cores, a process may wait seconds for its turn; that is not the call's time.
 * A call may take its own limit + OVERRUN_MS + three times the slowest recent canary (a call with
 * output to carry needs a few more turns of the scheduler than a process that only starts).
 */
class MachinePrice {
  private recent: number[] = [];
  private running = true;
  private loop: Promise<void> | null = null;

  start(): void {
    this.loop = (async () => {
      while (this.running) {
        const t0 = performance.now();
        await sb.run(["--version"]);
        this.recent.push(performance.now() - t0);
        if (this.recent.length > 6) this.recent.shift();
      }
    })();
  }

  allowanceMs(): number {
    return 3 * Math.max(0, ...this.recent);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

test(
  `chaos: several clients, random operations (seed ${SEED})`,
  async () => {
    console.log(`chaos seed ${SEED} (replay: CHAOS_SEED=${SEED} bun test test/integration/chaos.test.ts)`);
    const rand = makeRandom(SEED);
    const pick = <T,>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const sessions: ChaosSession[] = [];
    const writeLog = join(sb.dir, "writes.log");
    /** Markers of writes that returned ok: each must reach the writer's file. */
    const writtenOk: string[] = [];
    const failures: string[] = [];
    const counts = new Map<string, number>();
    let marker = 0;
    let floodQuietUntil = 0;

    const start = async (role: Role): Promise<ChaosSession> => {
      const cmd =
        role === "short"
          ? ["bash", "--norc", "--noprofile", "-c", `sleep ${(rand() * 3).toFixed(2)}; exit ${Math.floor(rand() * 5)}`]
          : ["bash", "--norc", "--noprofile"];
      const s = await sb.start(["--cols", "80", "--rows", "24", "--", ...cmd]);
      const entry: ChaosSession = { id: s.session_id, holderPid: s.holder_pid, pid: s.pid, role, gone: false };
      sessions.push(entry);
      return entry;
    };
    // Writers only get writes, reads, screen, status and resize: nothing that could throw typed
    // input away (Ctrl-C flushes it), so every write that returned ok must reach their file.
    for (let i = 0; i < 2; i++) await start("writer");
    for (let i = 0; i < 3; i++) await start("shell");

    const machine = new MachinePrice();
    machine.start();
    const clients: ChaosClient[] = [new CliClient(machine), new CliClient(machine), new CliClient(machine)];
    const mcp = await McpSession.open(sb);
    clients.push(new McpClient(mcp, machine));

    const live = (roles: Role[]) => sessions.filter((s) => roles.includes(s.role));
    /** An operation for a worker, drawn with its own random source. */
    const nextOp = (r: () => number, canMcp: boolean): Op | (() => Promise<void>) => {
      const anyS = pick(r, sessions);
      const shell = pick(r, live(["shell"]).length > 0 ? live(["shell"]) : sessions);
      const writer = pick(r, live(["writer"]));
      const roll = r();
      const t = 50 + Math.floor(r() * 1500);
      if (roll < 0.12) {
        const m = `W${SEED}-${marker++}`;
        return {
          name: "write",
          argv: ["write", writer.id, `echo ${m} >> ${writeLog}`, "--enter"],
          mcp: { tool: "write", args: { session: writer.id, text: `echo ${m} >> ${writeLog}`, enter: true } },
          limitMs: 0,
          allowed: [],
          onOk: () => writtenOk.push(m),
        };
      }
      if (roll < 0.22) {
        const id = pick(r, [anyS.id, writer.id]);
        return {
          name: "read-timeout",
          argv: ["read", id, "--json", "--timeout", String(t)],
          mcp: { tool: "read", args: { session: id, timeout_ms: t } },
          limitMs: t,
          allowed: GONE,
        };
      }
      if (roll < 0.28)
        return {
          name: "read-until",
          argv: ["read", anyS.id, "--json", "--peek", "--until", "never-printed-\\d{9}", "--timeout", String(t)],
          mcp: { tool: "read", args: { session: anyS.id, peek: true, until: "never-printed-\\d{9}", timeout_ms: t } },
          limitMs: t,
          allowed: [...GONE, "TIMEOUT"],
        };
      if (roll < 0.36)
        return { name: "screen", argv: ["read", anyS.id, "--screen", "--json"], mcp: { tool: "screen", args: { session: anyS.id } }, limitMs: 0, allowed: GONE };
      if (roll < 0.44)
        return { name: "status", argv: ["status", anyS.id], mcp: { tool: "status", args: { session: anyS.id } }, limitMs: 0, allowed: ["SESSION_NOT_FOUND"] };
      if (roll < 0.5) return { name: "list", argv: ["list"], mcp: { tool: "list", args: {} }, limitMs: 0, allowed: [] };
      if (roll < 0.58) {
        const m = `E${marker++}`;
        return {
          name: "exec",
          argv: ["exec", "--json", "--timeout", String(t + 1000), shell.id, "echo", m],
          mcp: { tool: "exec", args: { session: shell.id, command: `echo ${m}`, timeout_ms: t + 1000 } },
          limitMs: t + 1000,
          allowed: [...GONE, "BUSY", "EXEC_NOT_STARTED", "TIMEOUT"],
        };
      }
      if (roll < 0.63)
        return {
          name: "send",
          argv: ["send", shell.id, "--json", "--enter", "--timeout", String(t + 500), "echo sent"],
          mcp: { tool: "send", args: { session: shell.id, text: "echo sent", enter: true, timeout_ms: t + 500 } },
          limitMs: t + 500,
          allowed: [...GONE, "TIMEOUT", "BUSY"],
        };
      if (roll < 0.68) {
        const cols = 40 + Math.floor(r() * 100);
        const rows = 10 + Math.floor(r() * 30);
        return {
          name: "resize",
          argv: ["resize", anyS.id, String(cols), String(rows)],
          mcp: { tool: "resize", args: { session: anyS.id, cols, rows } },
          limitMs: 0,
          allowed: GONE,
        };
      }
      if (roll < 0.72)
        return {
          name: "keys",
          argv: ["keys", shell.id, "C-c"],
          mcp: { tool: "keys", args: { session: shell.id, keys: ["C-c"] } },
          limitMs: 0,
          allowed: GONE,
        };
      // The rest change the set of sessions; only the CLI workers do them (they own processes).
      if (canMcp) return { name: "list", argv: ["list"], mcp: { tool: "list", args: {} }, limitMs: 0, allowed: [] };
      if (roll < 0.77) return async () => void (await start(r() < 0.5 ? "short" : "shell"));
      if (roll < 0.8 && Date.now() >= floodQuietUntil) {
        // A flood in a shell: output far faster than anyone reads, then back to the prompt. One
        // at a time: two cores run the flooding program, its holder and every client.
        floodQuietUntil = Date.now() + FLOOD_SPACING_MS;
        return {
          name: "flood",
          argv: ["write", shell.id, `yes | head -c ${FLOOD_BYTES}`, "--enter"],
          limitMs: 0,
          allowed: GONE,
        };
      }
      const victims = sessions.filter((s) => s.role !== "writer" && !s.gone);
      if (roll < 0.85 && victims.length > 2) {
        const v = pick(r, victims);
        return {
          name: "end",
          argv: ["end", v.id, "--grace", "500"],
          limitMs: 500 + 2000,
          allowed: ["SESSION_NOT_FOUND"],
          onOk: () => (v.gone = true),
        };
      }
      if (roll < 0.89 && victims.length > 2) {
        const v = pick(r, victims);
        return async () => {
          v.gone = true;
          try {
            process.kill(v.holderPid, "SIGKILL");
          } catch {
            // Gone already.
          }
          count("crash");
        };
      }
      // A client killed in the middle of a call: the holder must not mind.
      return async () => {
        const proc = Bun.spawn([BIN, ...pick(r, [["read", anyS.id, "--timeout", "3000"], ["exec", shell.id, "sleep 0.5; echo x"], ["read", anyS.id, "--screen"]])], {
          env: sb.env,
          cwd: sb.dir,
          stdout: "ignore",
          stderr: "ignore",
        });
        await Bun.sleep(Math.floor(r() * 300));
        proc.kill("SIGKILL");
        await proc.exited;
        count("client-killed");
      };
    };
    const count = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);

    const check = (client: ChaosClient, op: Op, o: Outcome) => {
      count(`${client.kind}:${op.name}`);
      if (process.env.CHAOS_TRACE) console.log(`${Math.round(o.ms)} ms ${client.kind} ${op.argv.join(" ")} -> ${o.ok ? "ok" : o.code} (allowance ${Math.round(client.overheadMs)})`);
      const budget = op.limitMs + OVERRUN_MS + client.overheadMs + (op.limitMs === 0 ? PROMPT_CALL_MS - OVERRUN_MS : 0);
      const what = `${client.kind} ${op.argv.join(" ")}`;
      if (o.ms > budget) {
        const doc = JSON.stringify(o.doc, (k, v) => (k === "output" && typeof v === "string" ? `${v.length} chars` : v)).slice(0, 300);
        failures.push(`${what}: took ${Math.round(o.ms)} ms (limit ${op.limitMs} ms, allowed ${Math.round(budget)} ms): ${doc}`);
      }
      if (o.ok) return op.onOk?.(o.doc);
      if (!o.code || !DOCUMENTED_CODES.has(o.code)) failures.push(`${what}: undocumented code ${o.code}: ${JSON.stringify(o.doc).slice(0, 200)}`);
      else if (!op.allowed.includes(o.code)) failures.push(`${what}: unexpected ${o.code}: ${JSON.stringify(o.doc).slice(0, 300)}`);
    };

    const until = Date.now() + CHAOS_MS;
    await Promise.all(
      clients.map(async (client, i) => {
        const r = makeRandom(SEED + 1 + i);
        while (Date.now() < until) {
          const op = nextOp(r, client.kind === "mcp");
          if (typeof op === "function") {
            await op();
            continue;
          }
          if (client.kind === "mcp" && !op.mcp) continue;
          check(client, op, await client.call(op));
        }
      }),
    );
    await machine.stop();
    console.log(`chaos seed ${SEED}: ${[...counts].map(([k, v]) => `${k} ${v}`).join(", ")}`);
    await mcp.close();

    // No session wedged: every shell that is still running answers an exec.
    const listed = (await sb.run(["list"])).json as Array<{ session_id: string; status: string }>;
    for (const e of listed) {
      const s = sessions.find((x) => x.id === e.session_id);
      if (!s || e.status !== "running" || s.role === "short") continue;
      const r = await sb.run(["exec", "--json", "--timeout", "30000", e.session_id, "echo", "alive"]);
      if (r.code !== 0 || r.json.output !== "alive\n") failures.push(`${e.session_id} (${s.role}) is wedged: exec echo gave ${r.code} ${r.stdout.slice(0, 300)}`);
    }
    // Every write that returned ok reached its program (the writers ran each line).
    await waitFor(
      "every acknowledged write to reach its program",
      () => {
        const got = new Set(existsSync(writeLog) ? readFileSync(writeLog, "utf8").split("\n") : []);
        return writtenOk.every((m) => got.has(m));
      },
      30_000,
    ).catch(() => {
      const got = new Set(existsSync(writeLog) ? readFileSync(writeLog, "utf8").split("\n") : []);
      failures.push(`writes acknowledged but never run: ${writtenOk.filter((m) => !got.has(m)).join(" ")}`);
    });

    // end --all leaves no holder and no socket.
    const end = await sb.run(["end", "--all", "--grace", "1000"]);
    if (end.code !== 0) failures.push(`end --all failed: ${end.stdout}`);
    for (const s of sessions) {
      await waitFor(`holder ${s.holderPid} gone`, () => isGone(s.holderPid), 10_000).catch(() => failures.push(`holder ${s.holderPid} of ${s.id} still runs`));
    }
    const sockets = existsSync(sb.runtimeDir) ? readdirSync(sb.runtimeDir).filter((f) => f.endsWith(".sock")) : [];
    const dirs = existsSync(sb.sessionsDir) ? readdirSync(sb.sessionsDir).filter((f) => f.startsWith("sess_")) : [];
    if (sockets.length > 0) failures.push(`sockets left: ${sockets.join(" ")}`);
    if (dirs.length > 0) failures.push(`sessions left: ${dirs.join(" ")}`);

    expect({ seed: SEED, failures }).toEqual({ seed: SEED, failures: [] });
    // The chaos only proves something if the operations happened.
    expect(writtenOk.length).toBeGreaterThan(0);
    expect(counts.get("mcp:list") ?? 0).toBeGreaterThan(0);
  },
  90_000,
);
