// One session, as the library hands it out: every method is the client function the CLI and the
// MCP server call, on a connection kept by the manager's pool (no process per call). Options and
// results are the CLI's, options in camelCase.
import { DEFAULT_END_GRACE_MS } from "../constants.ts";
import { DeltaError, ErrorCode, invalidArgument } from "../errors.ts";
import { base64ToBytes } from "../protocol/codec.ts";
import { parseSignal } from "../signals.ts";
import { endedReply } from "../client/end-after.ts";
import { execCollect } from "../client/exec.ts";
import { sendKeys } from "../client/keys.ts";
import { buildReadRequest, compileUntil, readDoc, readFinished, readOutput, type ReadParams } from "../client/read.ts";
import { resizeSession } from "../client/resize.ts";
import { readScreen } from "../client/screen.ts";
import { sendOnTarget } from "../client/send.ts";
import { runDialogue, stepsFromSpecs, type StepSpec } from "../client/dialogue.ts";
import { notLive, openSession, runOnSession, type LiveTarget, type SessionTarget } from "../client/session.ts";
import { describeSession } from "../client/describe.ts";
import { waitOnTarget } from "../client/wait.ts";
import { writeToSession } from "../client/write.ts";
import type { ConnectionPool } from "../mcp/pool.ts";
import { guard, guardSync } from "./errors.ts";
import { concatBytes } from "../text/bytes.ts";
import { checkArgument, checkOptions } from "./options.ts";
import type {
  DialogueReply,
  EndDoc,
  EndOptions,
  ExecDoc,
  ExecOptions,
  KeysDoc,
  OutputChunk,
  OutputOptions,
  ReadDoc,
  ReadOptions,
  ResizeDoc,
  ScreenDoc,
  ScreenOptions,
  SendOptions,
  SendReply,
  SendStep,
  SessionExit,
  StartDoc,
  StatusDoc,
  TypingOptions,
  WaitDoc,
  WaitOptions,
  WriteDoc,
} from "./types.ts";
import { LazyExit } from "./exited.ts";

const TYPING = { enter: "boolean", paste: "boolean", raw: "boolean" } as const;

function live(target: SessionTarget): LiveTarget {
  if (target.kind === "live") return target;
  throw notLive(target);
}

export class Session {
  /** With `start`: the start document (with `wait`, the program's first reply is in it). */
  readonly started: StartDoc | null;
  /** Resolves when the program exits. Nothing is asked of the holder until it is awaited (or
   *  `then` is called), so a Session nobody waits on never keeps the process alive. */
  readonly exited: Promise<SessionExit>;
  private endDoc: EndDoc | null = null;

  /** @internal Sessions come from SessionManager.start and SessionManager.get. */
  constructor(
    private readonly pool: ConnectionPool,
    readonly id: string,
    readonly name: string | null,
    started: StartDoc | null = null,
  ) {
    this.started = started;
    this.exited = new LazyExit(() => this.waitForExit());
  }

  /** Types `text` (as `write` does), then waits for the program's reply (SPEC §10); given steps,
   *  a dialogue (SPEC §16): each step typed once the previous one ended with input or match. */
  send(text: string | Uint8Array, options?: SendOptions): Promise<SendReply>;
  send(steps: SendStep[], options?: SendOptions): Promise<DialogueReply>;
  send(text: string | Uint8Array | SendStep[], options?: SendOptions): Promise<SendReply | DialogueReply> {
    return guard(async () => {
      const o = checkOptions<SendOptions>("send", options, { ...TYPING, until: "string", ignoreCase: "boolean", timeout: "ms", idle: "integer", screen: "boolean", end: "boolean" });
      const until = o.until === undefined ? undefined : compileUntil(o.until, o.ignoreCase === true);
      const common = {
        paste: o.paste === true,
        ...(o.timeout !== undefined ? { timeoutMs: o.timeout } : {}),
        ...(o.idle !== undefined ? { idleMs: o.idle } : {}),
        screen: o.screen === true,
      };
      let reply: SendReply | DialogueReply;
      if (Array.isArray(text)) {
        const steps = stepsFromSpecs(text.map(stepSpec), { enter: o.enter === true, ...(until ? { until } : {}) });
        reply = await this.run((t) => runDialogue(live(t), this.pool.sessionsDir, steps, common));
      } else {
        const input = await typed("send", text, o);
        reply = await this.run((t) => sendOnTarget(live(t), this.pool.sessionsDir, input, { ...common, ...(until ? { until } : {}) }));
      }
      return o.end === true ? endedReply(reply, await this.endNow("SIGHUP", DEFAULT_END_GRACE_MS)) : reply;
    });
  }

  /** Types `text` without waiting; the result's offset is where the reply will begin. */
  write(text: string | Uint8Array, options?: TypingOptions): Promise<WriteDoc> {
    return guard(async () => {
      const o = checkOptions<TypingOptions>("write", options, TYPING);
      const input = await typed("write", text, { ...o, enter: false });
      return this.run((t) => writeToSession(live(t), input, { enter: o.enter === true, paste: o.paste === true }));
    });
  }

  /** Presses named keys ("enter", "ctrl+c", "up", "C-x", …), all checked before any is sent. */
  keys(...names: string[]): Promise<KeysDoc> {
    return guard(async () => {
      checkArgument("keys", "the key names", "strings", names);
      if (names.length === 0) throw invalidArgument("keys: name at least one key");
      return this.run((t) => sendKeys(live(t), names));
    });
  }

  /** Output, as the CLI's read --json (or, with screen: true, the rendered screen). */
  read(options?: ReadOptions): Promise<ReadDoc>;
  read(options: ReadOptions & { screen: true; scrollback?: number }): Promise<ScreenDoc>;
  read(options?: ReadOptions & { screen?: boolean; scrollback?: number }): Promise<ReadDoc | ScreenDoc> {
    return guard(async () => {
      const o = checkOptions<ReadOptions & { screen: boolean; scrollback: number }>("read", options, {
        since: "integer",
        all: "boolean",
        peek: "boolean",
        lines: "integer",
        until: "string",
        ignoreCase: "boolean",
        untilInput: "boolean",
        timeout: "ms",
        idle: "integer",
        stripAnsi: "boolean",
        screen: "boolean",
        scrollback: "integer",
      });
      if (o.screen === true) {
        const { screen: _s, scrollback, ...rest } = o;
        const others = Object.entries(rest).filter(([, v]) => v !== undefined);
        if (others.length > 0) throw invalidArgument(`read: screen takes only scrollback (not ${others.map(([k]) => k).join(", ")})`);
        return this.screen(scrollback === undefined ? {} : { scrollback });
      }
      if (o.scrollback !== undefined) throw invalidArgument("read: scrollback goes with screen: true");
      if (o.since !== undefined && o.all === true) throw invalidArgument("read: since and all cannot be combined");
      const waits = o.until !== undefined || o.untilInput === true || o.timeout !== undefined;
      const params: ReadParams = {
        from: o.since !== undefined ? "since" : o.all === true ? "all" : "cursor",
        ...(o.since !== undefined ? { since: o.since } : {}),
        peek: o.peek === true,
        ...(waits ? { timeoutMs: o.timeout ?? null } : {}),
        ...(o.idle !== undefined ? { idleMs: o.idle } : {}),
        ...(o.until !== undefined ? { until: o.until, ignoreCase: o.ignoreCase === true } : {}),
        untilInput: o.untilInput === true,
        stripAnsi: o.stripAnsi === true,
        ...(o.lines !== undefined ? { lines: o.lines } : {}),
      };
      buildReadRequest(params);
      return this.run(async (t) => readDoc(t.id, await readFinished(this.pool.sessionsDir, t, params)));
    });
  }

  /** The rendered screen, as a terminal shows it now. */
  screen(options?: ScreenOptions): Promise<ScreenDoc> {
    return guard(async () => {
      const o = checkOptions<ScreenOptions>("screen", options, { scrollback: "integer" });
      return this.run(async (t) => ({ session_id: t.id, ...(await readScreen(t, o.scrollback ?? 0)) }));
    });
  }

  /** Runs a shell command in the session's shell (bash, sh, zsh, fish) and returns its output. */
  exec(command: string, options?: ExecOptions): Promise<ExecDoc> {
    return guard(async () => {
      checkArgument("exec", "the command", "string", command);
      const o = checkOptions<ExecOptions>("exec", options, { timeout: "ms", killOnTimeout: "boolean", end: "boolean" });
      const params = { command: new TextEncoder().encode(command), timeoutMs: o.timeout ?? null, killOnTimeout: o.killOnTimeout === true };
      const doc = await this.run(async (t) => execCollect(live(t).conn, params));
      const result = { ...doc, exitCode: doc.exit_code };
      if (o.end !== true) return result;
      // exit_code stays the command's own; the shell's end is not what was asked about.
      await this.endNow("SIGHUP", DEFAULT_END_GRACE_MS);
      return { ...result, ended: true as const };
    });
  }

  /** Until the program exits (or, with input, waits for input). A timeout is a SessionError TIMEOUT. */
  wait(options?: WaitOptions): Promise<WaitDoc> {
    return guard(async () => {
      const o = checkOptions<WaitOptions>("wait", options, { input: "boolean", timeout: "ms" });
      const p = { input: o.input === true, timeoutMs: o.timeout ?? null };
      const { timed_out, ...doc } = await this.run((t) => waitOnTarget(t, p));
      if (timed_out) throw new DeltaError(ErrorCode.TIMEOUT, `session ${doc.session_id} ${p.input ? "has not waited for input" : "still running"} after ${p.timeoutMs} ms`);
      return doc;
    });
  }

  status(): Promise<StatusDoc> {
    return guard(() => this.run((t) => describeSession(t, { inputWait: true })));
  }

  resize(cols: number, rows: number): Promise<ResizeDoc> {
    return guard(async () => {
      checkArgument("resize", "cols", "positive", cols);
      checkArgument("resize", "rows", "positive", rows);
      return this.run((t) => resizeSession(live(t), cols, rows));
    });
  }

  /** Stops the program (SIGHUP, then SIGKILL after the grace period) and removes the session. */
  end(options?: EndOptions): Promise<EndDoc> {
    return guard(async () => {
      const o = checkOptions<EndOptions>("end", options, { signal: "string", grace: "integer" });
      const signal = o.signal === undefined ? "SIGHUP" : parseSignal(o.signal);
      return this.endNow(signal, o.grace ?? DEFAULT_END_GRACE_MS);
    });
  }

  private async endNow(signal: string, graceMs: number): Promise<EndDoc> {
    this.endDoc = await this.pool.end(this.id, signal, graceMs);
    return this.endDoc;
  }

  /**
   * Output as the program prints it, pushed by the holder (no polling), until the program exits.
   * Leaving the loop (`break`) closes the connection behind it.
   */
  output(options?: OutputOptions): AsyncIterableIterator<OutputChunk> {
    const o = guardSync(() => checkOptions<OutputOptions>("output", options, { since: "integer" }));
    return this.follow(o.since);
  }

  private async *follow(since: number | undefined): AsyncIterableIterator<OutputChunk> {
    const sessionsDir = this.pool.sessionsDir;
    const req = { ...buildReadRequest({ from: since === undefined ? "cursor" : "since", ...(since !== undefined ? { since } : {}), timeoutMs: null }), follow: true };
    const target = await guard(() => openSession(sessionsDir, this.id));
    const decoder = new TextDecoder();
    if (target.kind !== "live") {
      // Exited: what it left, in one chunk.
      const r = await guard(() => readOutput(sessionsDir, target, req));
      if (r.output.length > 0) yield { data: r.output, text: decoder.decode(r.output), offset: r.offset };
      return;
    }
    try {
      target.conn.send(req);
      for (;;) {
        const msg = await guard(() => target.conn.next());
        if (msg.type === "read-end") return;
        if (msg.type !== "output") throw new DeltaError(ErrorCode.PROTOCOL_ERROR, `unexpected ${msg.type} during output`);
        const data = base64ToBytes(msg.data);
        yield { data, text: decoder.decode(data, { stream: true }), offset: msg.offset };
      }
    } finally {
      target.conn.close();
    }
  }

  private async waitForExit(): Promise<SessionExit> {
    if (this.endDoc) return { exitCode: this.endDoc.exit_code, signal: this.endDoc.signal };
    // Its own connection: this wait lasts as long as the program, and must not hold a pooled one.
    const doc = await runOnSession(this.pool.sessionsDir, this.id, (t) => waitOnTarget(t, { timeoutMs: null }));
    return { exitCode: doc.exit_code, signal: doc.signal };
  }

  private run<T>(fn: (target: SessionTarget) => Promise<T>): Promise<T> {
    return this.pool.run(this.id, fn);
  }
}

/** A library step as the dialogue takes it (checked there: text or keys, one of the two). */
function stepSpec(step: unknown, i: number): StepSpec {
  const s = checkOptions<SendStep>(`send: steps[${i}]`, step, { text: "string", keys: "strings", enter: "boolean", until: "string", timeout: "integer" });
  const { timeout, ...rest } = s;
  return { ...rest, ...(timeout !== undefined ? { timeout_ms: timeout } : {}) };
}

/** The bytes to type: a string's escapes decoded (unless raw), as the CLI's write and send. */
async function typed(where: string, text: string | Uint8Array, o: TypingOptions): Promise<Uint8Array> {
  let bytes: Uint8Array;
  if (text instanceof Uint8Array) bytes = text;
  else {
    checkArgument(where, "the text", "string", text);
    const { decodeEscapes } = await import("../keys/escapes.ts");
    bytes = o.raw === true ? new TextEncoder().encode(text) : decodeEscapes(text);
  }
  return o.enter === true ? concatBytes([bytes, CR]) : bytes;
}

const CR = new Uint8Array([0x0d]);
