// What each MCP tool does, in terms of the client functions the CLI calls (src/client/*): one
// implementation per operation, no child process. Waits are clamped at the server's maximum and
// output is capped (see limits.ts).
import { DEFAULT_BUFFER_SIZE, DEFAULT_COLS, DEFAULT_END_GRACE_MS, DEFAULT_ROWS, MCP_SEND_DEFAULT_TIMEOUT_MS } from "../constants.ts";
import { invalidArgument } from "../errors.ts";
import { validateName } from "../paths.ts";
import { parseSignal } from "../signals.ts";
import { describeSession } from "../client/describe.ts";
import { runDialogue, stepsFromSpecs, type StepReply } from "../client/dialogue.ts";
import { resolveSessions, type EndResult } from "../client/end.ts";
import { endedReply } from "../client/end-after.ts";
import { execCollect } from "../client/exec.ts";
import { sendKeys } from "../client/keys.ts";
import { listSessions } from "../client/list.ts";
import { readFinished, readDoc, compileUntil, type ReadParams } from "../client/read.ts";
import { resizeSession } from "../client/resize.ts";
import { readScreen } from "../client/screen.ts";
import { notLive, type LiveTarget, type SessionTarget } from "../client/session.ts";
import { startSession } from "../client/start.ts";
import { waitForFirstInput } from "../client/start-wait.ts";
import { sendOnTarget } from "../client/send.ts";
import { capTail } from "../text/cap.ts";
import { waitOnTarget } from "../client/wait.ts";
import { writeToSession } from "../client/write.ts";
import { capLines, clampWait, type Limits } from "./limits.ts";
import type { ConnectionPool } from "./pool.ts";
import type { EndArgs, ExecArgs, KeysArgs, ReadArgs, ResizeArgs, ScreenArgs, SendArgs, StartArgs, StatusArgs, WaitArgs, WriteArgs } from "./tools.ts";

export interface OperationContext {
  pool: ConnectionPool;
  limits: Limits;
}

type Doc = Record<string, unknown>;

function live(target: SessionTarget): LiveTarget {
  if (target.kind === "live") return target;
  throw notLive(target);
}

const encode = (text: string) => new TextEncoder().encode(text);

export async function start(ctx: OperationContext, a: StartArgs): Promise<Doc> {
  if (a.wait === false && (a.end === true || a.screen === true)) throw invalidArgument("end and screen go with wait (the default); not with wait: false");
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
  const timeoutMs = clampWait(ctx.limits, a.timeout_ms, MCP_SEND_DEFAULT_TIMEOUT_MS);
  const waited = await ctx.pool.run(result.session_id, (t) => waitForFirstInput(ctx.pool.sessionsDir, t, timeoutMs, a.screen === true));
  const capped = capText(ctx, waited.output);
  // The reply is the output from its very beginning: a capped one says where to read it whole.
  const doc = { ...result, ...waited, ...capped, ...(capped.truncated ? { offset: 0 } : {}), ...cappedScreen(ctx, waited.screen) };
  return a.end === true ? { ...endedReply(doc, await endOne(ctx, result.session_id)) } : doc;
}

/** Types the text (or each step in turn, SPEC §16), then returns the program's reply (SPEC §10). */
export async function send(ctx: OperationContext, a: SendArgs): Promise<Doc> {
  if ((a.text === undefined) === (a.steps === undefined)) throw invalidArgument("send takes text or steps (one of the two)");
  const until = a.until === undefined ? undefined : compileUntil(a.until);
  const steps = a.steps === undefined ? null : stepsFromSpecs(a.steps, { enter: a.enter === true, ...(until ? { until } : {}) });
  const screen = a.screen === true;
  const doc = await ctx.pool.run(a.session, async (t): Promise<Doc & { session_id: string }> => {
    if (steps) {
      // Each step may wait timeout_ms; the whole call stays within the server's maximum wait.
      const perStep = a.timeout_ms ?? MCP_SEND_DEFAULT_TIMEOUT_MS;
      const r = await runDialogue(live(t), ctx.pool.sessionsDir, steps, { timeoutMs: perStep, totalTimeoutMs: ctx.limits.maxWaitMs, paste: a.paste === true, screen });
      return { ...r, ...capText(ctx, r.output), steps: capSteps(ctx, r.steps), ...cappedScreen(ctx, r.screen) };
    }
    const timeoutMs = clampWait(ctx.limits, a.timeout_ms, MCP_SEND_DEFAULT_TIMEOUT_MS);
    const input = encode(a.enter === true ? a.text + "\r" : a.text!);
    const r = await sendOnTarget(live(t), ctx.pool.sessionsDir, input, { paste: a.paste === true, timeoutMs, ...(until ? { until } : {}), screen });
    return { ...r, ...capText(ctx, r.output), ...cappedScreen(ctx, r.screen) };
  });
  return a.end === true ? endedReply(doc, await endOne(ctx, doc.session_id)) : doc;
}

/** Each step's reply within the output cap, the last ones first (they hold the latest question). */
function capSteps(ctx: OperationContext, steps: StepReply[]): Doc[] {
  let budget = ctx.limits.maxOutputBytes;
  const capped: Doc[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const bytes = encode(steps[i]!.output);
    const cut = capTail(bytes, budget);
    budget -= cut.bytes.length;
    const output = cut.omitted === 0 ? steps[i]!.output : new TextDecoder().decode(cut.bytes);
    capped.unshift({ ...steps[i]!, output, ...(cut.omitted > 0 ? { truncated: true, omitted_bytes: cut.omitted } : {}) });
  }
  return capped;
}

function cappedScreen(ctx: OperationContext, screen: { lines: string[]; cursor: unknown } | undefined): { screen?: { lines: string[]; cursor: unknown } } {
  return screen ? { screen: { lines: capScreen(ctx, screen.lines).lines, cursor: screen.cursor } } : {};
}

/** A reply or start-up text over the output cap keeps its end (where the prompt or question is);
 *  the whole of it stays readable with read(since = offset). */
function capText(ctx: OperationContext, text: string): { output: string; truncated?: true; omitted_bytes?: number } {
  const bytes = encode(text);
  const cut = capTail(bytes, ctx.limits.maxOutputBytes);
  if (cut.omitted === 0) return { output: text };
  return { output: new TextDecoder().decode(cut.bytes), truncated: true, omitted_bytes: cut.omitted };
}

function capScreen(ctx: OperationContext, lines: string[]): { lines: string[] } {
  return { lines: capLines(lines, ctx.limits.maxOutputBytes).lines };
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
    untilInput: a.until_input === true,
    maxOutputBytes: ctx.limits.maxOutputBytes,
  };
  const waits = a.until_input === true || a.until !== undefined || a.timeout_ms !== undefined;
  if (waits) params.timeoutMs = clampWait(ctx.limits, a.timeout_ms);
  return ctx.pool.run(a.session, async (t) => {
    const doc = readDoc(t.id, await readFinished(ctx.pool.sessionsDir, t, params));
    return waits ? { ...doc, reason: doc.reason ?? (doc.matched ? "match" : doc.timed_out ? "timeout" : doc.status === "running" ? "idle" : "exit") } : { ...doc };
  });
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
  const doc = await ctx.pool.run(a.session, async (t) => ({
    ...(await execCollect(live(t).conn, { command: encode(a.command), timeoutMs, killOnTimeout: false }, ctx.limits.maxOutputBytes)),
  }));
  if (a.end !== true) return doc;
  // exit_code stays the command's own; the shell's end is not what was asked about.
  await endOne(ctx, a.session);
  return { ...doc, ended: true };
}

export async function wait(ctx: OperationContext, a: WaitArgs): Promise<Doc> {
  const timeoutMs = clampWait(ctx.limits, a.timeout_ms);
  return ctx.pool.run(a.session, async (t) => {
    const { timed_out, ...w } = await waitOnTarget(t, { input: a.input === true, timeoutMs });
    // A wait clamped at the server's maximum is a result with reason "timeout", not an error.
    return { ...w, reason: w.reason ?? (timed_out ? "timeout" : "exit") };
  });
}

export async function list(ctx: OperationContext): Promise<Doc> {
  return { sessions: await listSessions(ctx.pool.sessionsDir) };
}

export async function status(ctx: OperationContext, a: StatusArgs): Promise<Doc> {
  return ctx.pool.run(a.session, async (t) => ({ ...(await describeSession(t, { inputWait: true })) }));
}

export async function resize(ctx: OperationContext, a: ResizeArgs): Promise<Doc> {
  return ctx.pool.run(a.session, async (t) => ({ ...(await resizeSession(live(t), a.cols, a.rows)) }));
}

export async function end(ctx: OperationContext, a: EndArgs): Promise<Doc> {
  if ((a.session === undefined) === (a.sessions === undefined)) throw invalidArgument("end takes session or sessions (one of the two)");
  const signal = a.signal === undefined ? "SIGHUP" : parseSignal(a.signal);
  if (a.session !== undefined) return { ...(await endOne(ctx, a.session, signal)) };
  // All checked before any is ended: a wrong name ends nothing.
  const ids = resolveSessions(ctx.pool.sessionsDir, a.sessions!);
  return { status: "terminated", sessions: await Promise.all(ids.map((id) => endOne(ctx, id, signal))) };
}

async function endOne(ctx: OperationContext, idOrName: string, signal = "SIGHUP"): Promise<EndResult> {
  return ctx.pool.end(idOrName, signal, DEFAULT_END_GRACE_MS);
}
