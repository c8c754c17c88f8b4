// exec inside the holder: one per shell session, created at the first exec. It owns the mark
// filter on the session's output, knows whether the shell is at its prompt, and runs one command
// at a time: write the script holding the command (script.ts), type the line that sources it, then
// stream the output between the exec's S mark and the next prompt's P mark.
import { rmSync, writeFileSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { join } from "node:path";
import { EXEC_INTERRUPT_WAIT_MS, EXEC_PROMPT_WAIT_MS } from "../../constants.ts";
import { DeltaError, ErrorCode } from "../../errors.ts";
import { sessionDir } from "../../paths.ts";
import type { HolderConfig } from "../config.ts";
import type { HolderSession } from "../session.ts";
import { foregroundJobRunning } from "./foreground.ts";
import { MarkFilter, type Mark } from "./marks.ts";
import { buildScript, buildTypedLine } from "./script.ts";

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

type Ending = { kind: "prompt"; status: number | null } | { kind: "exit" };

interface Run {
  nonce: string;
  startedAt: number;
  /** The S mark arrived: output from here on is the command's. */
  started: boolean;
  /** A Ctrl-C was sent: a prompt now ends the run even if the command never started. */
  interrupted: boolean;
  output: ExecOptions["output"] | null;
  /** Called where the run ends (prompt or exit); records the ending until someone listens. */
  end: (e: Ending) => void;
  ending: Ending | null;
}

const encoder = new TextEncoder();
const CTRL_C = new Uint8Array([0x03]);
const controllers = new WeakMap<HolderSession, ExecController>();

/** The session's exec controller (installs the mark filter the first time). */
export function execControllerFor(session: HolderSession, config: HolderConfig): ExecController {
  let c = controllers.get(session);
  if (!c) {
    c = new ExecController(session, sessionDir(config.sessions_dir, config.session_id));
    controllers.set(session, c);
  }
  return c;
}

export class ExecController {
  private readonly secret = randomToken(12);
  private readonly scriptPath: string;
  private readonly typedLine: string;
  private active: Run | null = null;
  /** null until the first prompt mark: before the integration runs, nothing tells us. */
  private atPrompt: boolean | null = null;
  private readonly promptWaiters = new Set<() => void>();

  constructor(
    private readonly session: HolderSession,
    dir: string,
  ) {
    this.scriptPath = join(dir, "exec.sh");
    this.typedLine = buildTypedLine(this.scriptPath);
    session.setOutputFilter(new MarkFilter(this.secret, (m) => this.acceptMark(m)));
    session.onInput(() => {
      if (this.atPrompt !== null) this.atPrompt = false;
    });
    session.onOutput((bytes, offset) => {
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
   * client went away first. Resolves after that.
   */
  async run(opts: ExecOptions): Promise<void> {
    if (this.active) throw new DeltaError(ErrorCode.BUSY, "another exec is still running in this session (one at a time)");
    const run = newRun(opts.output);
    this.active = run;
    const deadline = opts.timeoutMs === null ? null : run.startedAt + opts.timeoutMs;
    try {
      await this.waitForPrompt(deadline);
      this.writeScript(run.nonce, opts.command);
      await this.session.withInputLock(() => this.session.deliverInput(encoder.encode(this.typedLine + "\r")));
    } catch (err) {
      this.finish(run);
      throw err;
    }
    await new Promise<void>((resolve) => {
      let timedOut = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let offClose: () => void = () => {};
      let settled = false;
      const settle = (outcome: Omit<ExecOutcome, "duration_ms"> | null) => {
        if (settled) return;
        settled = true;
        // From here on the client gets nothing more; a command left running keeps the exec slot
        // (BUSY) until its prompt comes.
        run.output = null;
        run.end = () => {};
        clearTimeout(timer);
        offClose();
        if (outcome) opts.reply({ ...outcome, duration_ms: Math.round(performance.now() - run.startedAt) });
        resolve();
      };
      run.end = (e) => {
        if (e.kind === "prompt") settle({ exit_code: e.status, signal: signalForStatus(e.status), timed_out: timedOut });
        else settle({ ...this.exitStatus(), timed_out: timedOut });
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
   * Returns once the shell is at its prompt. A foreground job, or input typed since the last
   * prompt, is waited out for a moment (a `write` just before the exec), then answered BUSY.
   */
  private async waitForPrompt(deadline: number | null): Promise<void> {
    const waitMs = Math.min(EXEC_PROMPT_WAIT_MS, deadline === null ? Infinity : Math.max(0, deadline - performance.now()));
    const limit = performance.now() + waitMs;
    for (;;) {
      if (this.session.exit) throw new DeltaError(ErrorCode.SESSION_EXITED, "the session's program has exited");
      const foreground = foregroundJobRunning(this.session.pid) === true;
      const typedSincePrompt = this.atPrompt === false;
      if (!foreground && !typedSincePrompt) return;
      const why = foreground
        ? "a command is running in the shell's foreground (typed with write or attach)"
        : "the shell has not shown its prompt since input was last typed into it (a command still running, or an unfinished line)";
      // Before the first exec the shell prints no marks: nothing would tell us when it is free.
      if (this.atPrompt === null || !(await this.nextPrompt(limit - performance.now()))) {
        throw new DeltaError(ErrorCode.BUSY, `${why}; wait for it, or interrupt it with write-key ID ctrl+c`);
      }
    }
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
    this.atPrompt = true;
    for (const w of [...this.promptWaiters]) w();
    // A prompt before the exec's S mark belongs to input typed before it; it ends the run only
    // after our Ctrl-C (the line may have been cancelled before the shell ran it).
    if (run && (run.started || run.interrupted)) {
      const status = /^\d+$/.test(mark.value) ? Number(mark.value) : null;
      this.finish(run);
      run.end({ kind: "prompt", status });
    }
  }

  private finish(run: Run): void {
    if (this.active === run) this.active = null;
  }

  private writeScript(nonce: string, command: Uint8Array): void {
    writeFileSync(this.scriptPath, buildScript({ secret: this.secret, nonce, typedLine: this.typedLine, command }), { mode: 0o600 });
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

function randomToken(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}
