// exec inside the holder: one per shell session, created at the first exec. It owns the mark
// filter on the session's output, knows whether the shell is at its prompt, and runs one command
// at a time: write the script holding the command (script.ts), type the line that sources it, then
// stream the output between the exec's S mark and the next prompt's P mark. Before typing it makes
// sure the shell is at a clean primary prompt (prepare): what was typed since the last prompt mark
// (line.ts) says whether the line holds text, a submitted line or a Ctrl-C; an unfinished line
// is cleared with Ctrl-C as a person would, and a prompt that comes back without the command
// having started ends the exec with an error instead of a wait that cannot end.
import { rmSync, writeFileSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { join } from "node:path";
import { EXEC_CLEAN_WAIT_MS, EXEC_INTERRUPT_WAIT_MS, EXEC_PROMPT_WAIT_MS, EXEC_QUIET_MS } from "../../constants.ts";
import { DeltaError, ErrorCode } from "../../errors.ts";
import { sessionDir } from "../../paths.ts";
import type { HolderConfig } from "../config.ts";
import type { HolderSession } from "../session.ts";
import { foregroundJobRunning, shellComputing } from "./foreground.ts";
import { trackCommandLine, type CommandLine } from "./line.ts";
import { MarkFilter, type Mark } from "./marks.ts";
import { buildFishScript, buildFishTypedLine } from "./script-fish.ts";
import { buildScript, buildTypedLine, shellQuote } from "./script.ts";
import type { Dialect } from "./shell.ts";
import { findEcho, redrawEcho, renderCommand } from "./show.ts";

export interface ExecOptions {
  command: Uint8Array;
  timeoutMs: number | null;
  killOnTimeout: boolean;
  /** Receives the command's output as it arrives (filtered bytes and their stream offset). */
  output: (bytes: Uint8Array, offset: number) => void;
  /** Registers a callback for the client going away; returns its remover. */
  onClose: (fn: () => void) => () => void;
  /** Receives the outcome (not called when the client went away first). */
  reply: (outcome: ExecOutcome) => void;
}

export interface ExecOutcome {
  exit_code: number | null;
  signal: string | null;
  timed_out: boolean;
  duration_ms: number;
}

type Ending = { kind: "prompt"; status: number | null } | { kind: "exit" } | { kind: "not-started" };

interface Run {
  nonce: string;
  startedAt: number;
  /** The S mark arrived: output from here on is the command's. */
  started: boolean;
  /** A Ctrl-C was sent: a prompt now ends the run even if the command never started. */
  interrupted: boolean;
  /** Our line was typed at a clean prompt: a prompt before the S mark means it did not start. */
  typed: boolean;
  output: ExecOptions["output"] | null;
  /** Called where the run ends (prompt or exit); records the ending until someone listens. */
  end: (e: Ending) => void;
  ending: Ending | null;
}

const encoder = new TextEncoder();
const CTRL_C = new Uint8Array([0x03]);
const controllers = new WeakMap<HolderSession, ExecController>();

/** The session's exec controller (installs the mark filter the first time). */
export function execControllerFor(session: HolderSession, config: HolderConfig, dialect: Dialect): ExecController {
  let c = controllers.get(session);
  if (!c) {
    c = new ExecController(session, sessionDir(config.sessions_dir, config.session_id), dialect);
    controllers.set(session, c);
  }
  return c;
}

export class ExecController {
  private readonly secret = randomToken(12);
  private readonly scriptPath: string;
  private readonly typedLine: string;
  private readonly line: CommandLine;
  private active: Run | null = null;
  /** Whether a prompt mark was ever seen: until then nothing tells when the shell is at its prompt. */
  private hooked = false;
  private readonly promptWaiters = new Set<() => void>();
  private lastOutputAt = 0;
  /** The script last written: its S mark is where the watcher is shown its command (show.ts). */
  private toShow: { nonce: string; command: Uint8Array } | null = null;

  constructor(
    private readonly session: HolderSession,
    dir: string,
    private readonly dialect: Dialect,
  ) {
    this.scriptPath = join(dir, "exec.sh");
    this.typedLine = dialect === "fish" ? buildFishTypedLine(this.scriptPath, shellQuote) : buildTypedLine(this.scriptPath);
    this.line = trackCommandLine(session, dialect);
    session.setOutputFilter(
      new MarkFilter(
        this.secret,
        (m) => this.acceptMark(m),
        (m) => this.showCommand(m),
      ),
    );
    session.onOutput((bytes, offset) => {
      this.lastOutputAt = performance.now();
      const run = this.active;
      if (run?.started && run.output) run.output(bytes, offset);
    });
    session.onExit(() => {
      const run = this.active;
      if (run) {
        this.finish(run);
        run.end({ kind: "exit" });
      }
      this.removeScript();
    });
  }

  /**
   * Runs one command. `reply` is called exactly once with the outcome, synchronously where the
   * ending is noticed (an exit is answered before the holder starts shutting down), unless the
   * client went away first. Resolves after that; rejects when the command did not start.
   */
  async run(opts: ExecOptions): Promise<void> {
    if (this.active) throw new DeltaError(ErrorCode.BUSY, "another exec is still running in this session (one at a time)");
    const run = newRun(opts.output);
    this.active = run;
    const deadline = opts.timeoutMs === null ? null : run.startedAt + opts.timeoutMs;
    try {
      await this.prepare(deadline);
      this.writeScript(run.nonce, opts.command);
      // From a known prompt on: a prompt before our S mark means the line did not run.
      run.typed = this.hooked;
      await this.typeLine();
    } catch (err) {
      this.finish(run);
      throw err;
    }
    await new Promise<void>((resolve, reject) => {
      let timedOut = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let offClose: () => void = () => {};
      let settled = false;
      const settle = (outcome: Omit<ExecOutcome, "duration_ms"> | DeltaError | null) => {
        if (settled) return;
        settled = true;
        // From here on the client gets nothing more; a command left running keeps the exec slot
        // (BUSY) until its prompt comes. One that never started holds nothing.
        if (!run.started) this.finish(run);
        run.output = null;
        run.end = () => {};
        clearTimeout(timer);
        offClose();
        if (outcome instanceof DeltaError) return reject(outcome);
        if (outcome) opts.reply({ ...outcome, duration_ms: Math.round(performance.now() - run.startedAt) });
        resolve();
      };
      run.end = (e) => {
        if (e.kind === "prompt") settle({ exit_code: e.status, signal: signalForStatus(e.status), timed_out: timedOut });
        else if (e.kind === "exit") settle({ ...this.exitStatus(), timed_out: timedOut });
        else settle(new DeltaError(ErrorCode.EXEC_NOT_STARTED, "the shell showed its prompt again without running the command (input typed meanwhile may have changed the line); nothing ran, try again"));
      };
      const expire = () => {
        timedOut = true;
        if (!opts.killOnTimeout || this.session.exit) return settle({ exit_code: null, signal: null, timed_out: true });
        run.interrupted = true;
        void this.session.withInputLock(() => this.session.deliverInput(CTRL_C)).catch(() => undefined);
        timer = setTimeout(() => settle({ exit_code: null, signal: null, timed_out: true }), EXEC_INTERRUPT_WAIT_MS);
      };
      if (run.ending) return run.end(run.ending);
      // Registered last: it runs at once when the client is already gone.
      if (deadline !== null) timer = setTimeout(expire, Math.max(0, deadline - performance.now()));
      offClose = opts.onClose(() => settle(null));
    });
  }

  /**
   * Returns once the shell is at a clean primary prompt, or throws BUSY within a few seconds. A
   * foreground job, or a line submitted since the last prompt, is waited out for a moment (a
   * `write` just before the exec); an unfinished line is then cleared with one Ctrl-C.
   */
  private async prepare(deadline: number | null): Promise<void> {
    let interrupted = false;
    const within = (ms: number) => Math.min(ms, deadline === null ? Infinity : Math.max(0, deadline - performance.now()));
    for (;;) {
      if (this.session.exit) throw new DeltaError(ErrorCode.SESSION_EXITED, "the session's program has exited");
      if (foregroundJobRunning(this.session.pid) === true) {
        if (this.hooked && (await this.nextPrompt(within(EXEC_PROMPT_WAIT_MS)))) continue;
        throw busy("a command is running in the shell's foreground (typed with write or attach)");
      }
      if (!this.hooked) {
        // Nothing typed yet: the line is clean, and the shell reads ours once its start-up is done.
        if (!this.line.touched) return;
        await this.installHooks(within(2 * EXEC_CLEAN_WAIT_MS));
        continue;
      }
      const kind = this.line.state.kind;
      if (kind === "clean") return;
      if (kind !== "typed") {
        // A line submitted or interrupted just before: its prompt normally follows at once.
        if (await this.nextPrompt(within(EXEC_PROMPT_WAIT_MS))) continue;
        if (shellComputing(this.session.pid) === true) throw busy("the shell is still running what was typed into it");
      }
      if (interrupted || within(EXEC_CLEAN_WAIT_MS) === 0) throw busy("the shell did not come back to its prompt");
      interrupted = true;
      const prompt = this.nextPrompt(within(EXEC_CLEAN_WAIT_MS));
      await this.interrupt();
      if (!(await prompt)) throw busy("the shell did not come back to its prompt after Ctrl-C");
    }
  }

  /**
   * Before the first prompt mark, after input was typed: nothing says yet whether the line is
   * clean. Clear it if it holds text, let the shell settle, and type a line that only installs
   * the prompt hook; its first mark tells that the shell is at its prompt. If none comes (the line
   * went into an open quote or here-document), Ctrl-C and try once more.
   */
  private async installHooks(ms: number): Promise<void> {
    const limit = performance.now() + ms;
    for (let attempt = 0; attempt < 2; attempt++) {
      const left = () => Math.max(0, limit - performance.now());
      if (attempt > 0 || this.line.state.kind === "typed") {
        const since = performance.now();
        await this.interrupt();
        await this.quiet(since, Math.min(left(), EXEC_CLEAN_WAIT_MS));
      } else if (this.line.state.kind !== "clean") {
        await this.quiet(null, Math.min(left(), EXEC_PROMPT_WAIT_MS));
      }
      // At a clean prompt the mark comes within milliseconds; a first try that may have gone into
      // an open quote is given up sooner.
      const prompt = this.nextPrompt(Math.min(left(), attempt === 0 ? EXEC_PROMPT_WAIT_MS : EXEC_CLEAN_WAIT_MS));
      this.writeScript(randomToken(8), new Uint8Array());
      await this.typeLine();
      if (await prompt) return;
      if (shellComputing(this.session.pid) === true) break;
    }
    throw busy("the shell did not come back to a clean prompt");
  }

  /** Resolves once output has been quiet for EXEC_QUIET_MS (after some output since `since`, if given), or after `ms`. */
  private async quiet(since: number | null, ms: number): Promise<void> {
    const limit = performance.now() + ms;
    for (;;) {
      const now = performance.now();
      if (now >= limit) return;
      const heard = since === null || this.lastOutputAt > since;
      const quietFor = now - Math.max(this.lastOutputAt, since ?? 0);
      if (heard && quietFor >= EXEC_QUIET_MS) return;
      await Bun.sleep(Math.min(limit - now, heard ? EXEC_QUIET_MS - quietFor : EXEC_QUIET_MS));
    }
  }

  private interrupt(): Promise<void> {
    return this.session.withInputLock(() => this.session.deliverInput(CTRL_C));
  }

  private typeLine(): Promise<void> {
    return this.session.withInputLock(() => this.session.deliverInput(encoder.encode(this.typedLine + "\r")));
  }

  private nextPrompt(ms: number): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.promptWaiters.delete(onPrompt);
        resolve(ok);
      };
      const onPrompt = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      this.promptWaiters.add(onPrompt);
    });
  }

  private acceptMark(mark: Mark): void {
    const run = this.active;
    if (mark.kind === "S") {
      if (run && mark.value === run.nonce) run.started = true;
      return;
    }
    if (mark.kind !== "P") return;
    this.hooked = true;
    this.line.prompted();
    for (const w of [...this.promptWaiters]) w();
    if (!run) return;
    const status = /^\d+$/.test(mark.value) ? Number(mark.value) : null;
    // After our Ctrl-C a prompt ends the run even if the line was cancelled before it ran.
    if (run.started || run.interrupted) {
      this.finish(run);
      run.end({ kind: "prompt", status });
    } else if (run.typed) {
      this.finish(run);
      run.end({ kind: "not-started" });
    }
  }

  /**
   * At the S mark of the script last written: the bytes that draw its command over the echo of the
   * typed line, for whoever watches (show.ts). The screen then holds everything before the mark.
   */
  private showCommand(mark: Mark): Promise<string | null> | null {
    const shown = this.toShow;
    if (mark.kind !== "S" || shown?.nonce !== mark.value) return null;
    this.toShow = null;
    return this.session.screen.capture().then((screen) => {
      if (screen.alternate_screen) return null;
      const place = findEcho(screen.lines, screen.cursor, screen.cols, this.typedLine);
      return place && redrawEcho(place, renderCommand(shown.command));
    });
  }

  private finish(run: Run): void {
    if (this.active === run) this.active = null;
  }

  private writeScript(nonce: string, command: Uint8Array): void {
    const script =
      this.dialect === "fish"
        ? buildFishScript({ secret: this.secret, nonce, command })
        : buildScript({ secret: this.secret, nonce, typedLine: this.typedLine, command });
    writeFileSync(this.scriptPath, script, { mode: 0o600 });
    this.toShow = { nonce, command };
  }

  private removeScript(): void {
    try {
      rmSync(this.scriptPath, { force: true });
    } catch {
      // The session directory may be gone already (end).
    }
  }

  /** The shell exited during the exec: its status is the exec's (128+N for a signal, as $? would say). */
  private exitStatus(): { exit_code: number | null; signal: string | null } {
    const exit = this.session.exit;
    if (!exit) return { exit_code: null, signal: null };
    if (exit.signal) {
      const n = (osConstants.signals as Record<string, number>)[exit.signal];
      return { exit_code: n === undefined ? null : 128 + n, signal: exit.signal };
    }
    return { exit_code: exit.exit_code, signal: signalForStatus(exit.exit_code) };
  }
}

function newRun(output: ExecOptions["output"]): Run {
  const run: Run = {
    nonce: randomToken(8),
    startedAt: performance.now(),
    started: false,
    interrupted: false,
    typed: false,
    output,
    ending: null,
    end: (e) => (run.ending = e),
  };
  return run;
}

/** 128+N is how a shell reports death by signal N; the name is given when N is a signal. */
export function signalForStatus(status: number | null): string | null {
  if (status === null || status <= 128 || status >= 128 + 65) return null;
  const n = status - 128;
  for (const [name, num] of Object.entries(osConstants.signals as Record<string, number>)) if (num === n) return name;
  return null;
}

function busy(why: string): DeltaError {
  return new DeltaError(ErrorCode.BUSY, `${why}; wait for it, or interrupt it with write-key ID ctrl+c`);
}

function randomToken(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}
