// What each MCP tool does, in terms of the client functions the CLI calls (src/client/*): one
// implementation per operation, no child process. The tools that wait for the program to want input
// (send; start's `wait`; read's `until_input`; wait's `input`) go through the functions marked
// "operation: …" below; until the client has that detection they stand in with quiet output (as
// SPEC §10 allows where the kernel's view is missing), and each is swapped for the client's own
// function in a few lines.
import { DEFAULT_BUFFER_SIZE, DEFAULT_COLS, DEFAULT_IDLE_MS, DEFAULT_END_GRACE_MS, DEFAULT_ROWS, MCP_SEND_DEFAULT_TIMEOUT_MS } from "../constants.ts";
import { invalidArgument } from "../errors.ts";
import { validateName } from "../paths.ts";
import { parseSignal } from "../signals.ts";
import { describeSession } from "../client/describe.ts";
import { endSession } from "../client/end.ts";
import { execCollect } from "../client/exec.ts";
import { sendKeys } from "../client/keys.ts";
import { listSessions } from "../client/list.ts";
import { readFinished, readDoc, readOutput, compileUntil, type ReadDoc, type ReadParams } from "../client/read.ts";
import { resizeSession } from "../client/resize.ts";
import { readScreen } from "../client/screen.ts";
import { notLive, type LiveTarget, type SessionTarget } from "../client/session.ts";
import { startSession } from "../client/start.ts";
import { waitForExit } from "../client/wait.ts";
import { writeToSession } from "../client/write.ts";
import { capLines, clampWait, type Limits } from "./limits.ts";
import type { ConnectionPool } from "./pool.ts";
import type { EndArgs, ExecArgs, KeysArgs, ReadArgs, ResizeArgs, ScreenArgs, SendArgs, StartArgs, StatusArgs, WaitArgs, WriteArgs } from "./tools.ts";

export interface OperationContext {
  pool: ConnectionPool;
  limits: Limits;
}

type Doc = Record<string, unknown>;
type WaitReason = "input" | "match" | "idle" | "exit" | "timeout";

function live(target: SessionTarget): LiveTarget {
  if (target.kind === "live") return target;
  throw notLive(target);
}

const encode = (text: string) => new TextEncoder().encode(text);

export async function start(ctx: OperationContext, a: StartArgs): Promise<Doc> {
  const result = await startSession({
    sessionsDir: ctx.pool.sessionsDir,
    command: a.command ?? [process.env.SHELL || "/bin/sh"],
    name: a.name === undefined ? null : validateName(a.name),
    cwd: a.cwd ?? process.cwd(),
    env: a.env ?? {},
    cols: a.cols ?? DEFAULT_COLS,
    rows: a.rows ?? DEFAULT_ROWS,
    bufferSize: DEFAULT_BUFFER_SIZE,
    record: null,
    shellIntegration: true,
  });
  if (a.wait === false) return { ...result };
  const waited = await ctx.pool.run(result.session_id, (t) => waitForFirstInput(ctx, t, clampWait(ctx.limits, a.timeout_ms, MCP_SEND_DEFAULT_TIMEOUT_MS)));
  return { ...result, ...waited };
}

// operation: start --wait
/** What the program printed until it first waits for input (or exits); advances the default reader. */
async function waitForFirstInput(ctx: OperationContext, target: SessionTarget, timeoutMs: number): Promise<Doc> {
  const r = await readFinished(ctx.pool.sessionsDir, target, { from: "cursor", timeoutMs, idleMs: DEFAULT_IDLE_MS, stripAnsi: true, maxOutputBytes: ctx.limits.maxOutputBytes });
  const doc = readDoc(target.id, r);
  return { output: doc.output, reason: readReason(doc, true), ...(r.truncated ? { truncated: true, next_offset: r.next_offset } : {}) };
}

// operation: send
/** Types the text, then returns the program's reply (see SPEC §10). */
export async function send(ctx: OperationContext, a: SendArgs): Promise<Doc> {
  const until = a.until === undefined ? undefined : compileUntil(a.until).source;
  const timeoutMs = clampWait(ctx.limits, a.timeout_ms, MCP_SEND_DEFAULT_TIMEOUT_MS);
  return ctx.pool.run(a.session, async (t) => {
    const target = live(t);
    const sent = await writeToSession(target, encode(a.text), { enter: a.enter === true, paste: a.paste === true });
    const r = await readFinished(ctx.pool.sessionsDir, target, {
      from: "since",
      since: sent.offset,
      timeoutMs,
      ...(until !== undefined ? { until } : {}),
      stripAnsi: true,
      maxOutputBytes: ctx.limits.maxOutputBytes,
    });
    // send consumes what it returned: a later read gives only newer output.
    if (r.status === "running") await readOutput(ctx.pool.sessionsDir, target, { type: "read", from: "cursor" });
    const doc = readDoc(target.id, r);
    const reason = readReason(doc, true);
    const screen = a.screen ? await screenOf(ctx, target) : undefined;
    return {
      session_id: target.id,
      output: doc.output,
      reason,
      offset: doc.offset,
      next_offset: doc.next_offset,
      waiting_for_input: doc.status === "running" ? reason === "input" : null,
      status: doc.status,
      exit_code: doc.exit_code,
      signal: doc.signal,
      ...(screen ? { screen: { lines: screen.lines, cursor: screen.cursor } } : {}),
      ...(doc.truncated ? { truncated: true } : {}),
    };
  });
}

export async function write(ctx: OperationContext, a: WriteArgs): Promise<Doc> {
  return ctx.pool.run(a.session, async (t) => ({ ...(await writeToSession(live(t), encode(a.text), { enter: a.enter === true, paste: a.paste === true })) }));
}

export async function keys(ctx: OperationContext, a: KeysArgs): Promise<Doc> {
  return ctx.pool.run(a.session, async (t) => ({ ...(await sendKeys(live(t), a.keys)) }));
}

export async function read(ctx: OperationContext, a: ReadArgs): Promise<Doc> {
  if (a.since !== undefined && a.all) throw invalidArgument("since and all cannot be combined");
  if (a.until !== undefined) compileUntil(a.until);
  const params: ReadParams = {
    from: a.since !== undefined ? "since" : a.all ? "all" : "cursor",
    ...(a.since !== undefined ? { since: a.since } : {}),
    peek: a.peek === true,
    ...(a.until !== undefined ? { until: a.until } : {}),
    stripAnsi: a.strip_ansi !== false,
    ...(a.lines !== undefined ? { lines: a.lines } : {}),
    maxOutputBytes: ctx.limits.maxOutputBytes,
  };
  const waits = a.until_input === true || a.until !== undefined || a.timeout_ms !== undefined;
  if (waits) params.timeoutMs = clampWait(ctx.limits, a.timeout_ms);
  return ctx.pool.run(a.session, async (t) => {
    const doc = a.until_input ? await readUntilInput(ctx, t, params) : readDoc(t.id, await readFinished(ctx.pool.sessionsDir, t, params));
    return waits ? { ...doc, reason: readReason(doc, a.until_input === true) } : { ...doc };
  });
}

// operation: read --until-input
async function readUntilInput(ctx: OperationContext, target: SessionTarget, params: ReadParams): Promise<ReadDoc> {
  return readDoc(target.id, await readFinished(ctx.pool.sessionsDir, target, { ...params, idleMs: DEFAULT_IDLE_MS }));
}

/** Why a waiting read ended. Until the client reports input waits itself, a read that settled
 *  (quiet output) stands for "input" where input was what it waited for. */
function readReason(doc: ReadDoc, forInput: boolean): WaitReason {
  if (doc.matched) return "match";
  if (doc.timed_out) return "timeout";
  if (doc.status !== "running") return "exit";
  return forInput ? "input" : "idle";
}

export async function screen(ctx: OperationContext, a: ScreenArgs): Promise<Doc> {
  return ctx.pool.run(a.session, async (t) => {
    const s = await screenOf(ctx, t, a.scrollback ?? 0);
    return { session_id: t.id, ...s };
  });
}

/** The screen, its oldest lines left out when it does not fit the output cap (the cursor stays
 *  relative to the screen's top row, as always). */
async function screenOf(ctx: OperationContext, target: SessionTarget, scrollback = 0): Promise<Doc & { lines: string[]; cursor: unknown }> {
  const s = await readScreen(target, scrollback);
  const capped = capLines(s.lines, ctx.limits.maxOutputBytes);
  if (capped.omitted === 0) return { ...s };
  return { ...s, lines: capped.lines, truncated: true, omitted_lines: capped.omitted };
}

export async function exec(ctx: OperationContext, a: ExecArgs): Promise<Doc> {
  const timeoutMs = clampWait(ctx.limits, a.timeout_ms);
  return ctx.pool.run(a.session, async (t) => ({
    ...(await execCollect(live(t).conn, { command: encode(a.command), timeoutMs, killOnTimeout: false }, ctx.limits.maxOutputBytes)),
  }));
}

export async function wait(ctx: OperationContext, a: WaitArgs): Promise<Doc> {
  const timeoutMs = clampWait(ctx.limits, a.timeout_ms);
  return ctx.pool.run(a.session, async (t) => (a.input ? waitForInput(ctx, t, timeoutMs) : waitDoc(await waitForExit(t, timeoutMs))));
}

function waitDoc(w: Awaited<ReturnType<typeof waitForExit>>): Doc {
  return { session_id: w.session_id, status: w.status, exit_code: w.exit_code, signal: w.signal, reason: w.timed_out ? "timeout" : "exit" };
}

// operation: wait --input
/** Until the program waits for input (or exits). Stands in with output that settled, peeking (a
 *  wait consumes nothing). */
async function waitForInput(ctx: OperationContext, target: SessionTarget, timeoutMs: number): Promise<Doc> {
  if (target.kind !== "live") return waitDoc(await waitForExit(target, 0));
  const r = await readFinished(ctx.pool.sessionsDir, target, { from: "cursor", peek: true, timeoutMs, idleMs: DEFAULT_IDLE_MS, maxOutputBytes: 0 });
  const reason = r.timed_out ? "timeout" : r.status === "running" ? "input" : "exit";
  return { session_id: target.id, status: r.status, exit_code: r.exit_code, signal: r.signal, reason };
}

export async function list(ctx: OperationContext): Promise<Doc> {
  return { sessions: await listSessions(ctx.pool.sessionsDir) };
}

export async function status(ctx: OperationContext, a: StatusArgs): Promise<Doc> {
  return ctx.pool.run(a.session, async (t) => ({ ...(await describeSession(t)) }));
}

export async function resize(ctx: OperationContext, a: ResizeArgs): Promise<Doc> {
  return ctx.pool.run(a.session, async (t) => ({ ...(await resizeSession(live(t), a.cols, a.rows)) }));
}

export async function end(ctx: OperationContext, a: EndArgs): Promise<Doc> {
  const signal = a.signal === undefined ? "SIGHUP" : parseSignal(a.signal);
  // endSession closes the connection it used (the holder goes away), so none goes back to the pool.
  const doc = await ctx.pool.run(a.session, (t) => endSession(ctx.pool.sessionsDir, t, signal, DEFAULT_END_GRACE_MS));
  ctx.pool.drop(doc.session_id);
  return { ...doc };
}
