// The live session inside the holder: the child in its PTY, the output history, the screen, the
// default reader's cursor, and the input lock that makes each write atomic.
import type { Subprocess, Terminal } from "bun";
import { DEFAULT_TERM, EXIT_DRAIN_TIMEOUT_MS, INPUT_DRAIN_WAIT_MS, INPUT_HIGH_WATER_BYTES, SCREEN_SCROLLBACK_LINES } from "../constants.ts";
import { DeltaError, ErrorCode } from "../errors.ts";
import { scrubEnv } from "../env.ts";
import type { HolderConfig } from "./config.ts";
import { RingBuffer } from "./ring-buffer.ts";
import { LazyScreen } from "./lazy-screen.ts";

export interface ExitInfo {
  exit_code: number | null;
  signal: string | null;
}

export type OutputListener = (chunk: Uint8Array, offset: number) => void;
export type ExitListener = (info: ExitInfo) => void;
export type InputListener = (bytes: Uint8Array) => void;
export type ResizeListener = (cols: number, rows: number) => void;

/** Rewrites the program's output before anything sees it (exec takes its private marks out). */
export interface OutputFilter {
  push(data: Uint8Array, emit: (bytes: Uint8Array) => void): void;
  /** The output ended: emit whatever was held back. */
  flush(emit: (bytes: Uint8Array) => void): void;
}

export class HolderSession {
  readonly ring: RingBuffer;
  /** The emulator loads after the session is ready (see lazy-screen.ts). */
  readonly screen: LazyScreen;
  /** The default reader's position (the baseline's consuming `read`). */
  cursor = 0;
  /** When the last output byte arrived (performance.now()), for "settled" reads. */
  lastOutputAt = 0;
  lastAccessedAt = new Date();
  cols: number;
  rows: number;
  exit: ExitInfo | null = null;
  readonly createdAt = new Date();

  private readonly proc: Subprocess;
  private readonly terminal: Terminal;
  private readonly outputListeners = new Set<OutputListener>();
  private readonly exitListeners = new Set<ExitListener>();
  private readonly inputListeners = new Set<InputListener>();
  private readonly resizeListeners = new Set<ResizeListener>();
  private drainWaiters: Array<() => void> = [];
  private readonly shutdownWork: Array<Promise<unknown>> = [];
  /** Input bytes handed to the PTY writer since its last drain report. */
  private unconfirmedInput = 0;
  private inputTail: Promise<void> = Promise.resolve();
  private ptyEof = false;
  private ptyEofWaiter: (() => void) | null = null;
  private outputFilter: OutputFilter | null = null;

  /** Spawns the child in a new PTY. Throws a DeltaError when the command cannot be started. */
  constructor(readonly config: HolderConfig) {
    this.cols = config.cols;
    this.rows = config.rows;
    this.ring = new RingBuffer(config.buffer_size);
    this.screen = new LazyScreen(config.cols, config.rows, {
      scrollback: SCREEN_SCROLLBACK_LINES,
      onReply: (reply) => this.writeRaw(reply),
    });
    const env = { ...scrubEnv(process.env), TERM: DEFAULT_TERM, ...config.env };
    try {
      // Terminal options inline: a pre-built Bun.Terminal gives the child no controlling terminal.
      this.proc = Bun.spawn(config.command, {
        cwd: config.cwd,
        env,
        terminal: {
          cols: config.cols,
          rows: config.rows,
          name: env.TERM ?? DEFAULT_TERM,
          data: (_t, data) => this.acceptOutput(data),
          drain: () => this.releaseDrainWaiters(),
          exit: () => this.markPtyEof(),
        },
      });
    } catch (err) {
      this.screen.dispose();
      const e = err as NodeJS.ErrnoException;
      const code = e.code === "ENOENT" ? ErrorCode.COMMAND_NOT_FOUND : ErrorCode.SPAWN_FAILED;
      throw new DeltaError(code, `cannot start ${JSON.stringify(config.command[0])}: ${e.message}`);
    }
    this.terminal = this.proc.terminal!;
    void this.watchExit();
  }

  get pid(): number {
    return this.proc.pid;
  }

  onOutput(fn: OutputListener): () => void {
    this.outputListeners.add(fn);
    return () => this.outputListeners.delete(fn);
  }

  onExit(fn: ExitListener): () => void {
    this.exitListeners.add(fn);
    return () => this.exitListeners.delete(fn);
  }

  /** Input as it reaches the program (for recordings). */
  onInput(fn: InputListener): () => void {
    this.inputListeners.add(fn);
    return () => this.inputListeners.delete(fn);
  }

  onResize(fn: ResizeListener): () => void {
    this.resizeListeners.add(fn);
    return () => this.resizeListeners.delete(fn);
  }

  setOutputFilter(filter: OutputFilter): void {
    this.outputFilter = filter;
  }

  touch(): void {
    this.lastAccessedAt = new Date();
  }

  /**
   * Runs `fn` holding the input lock: input from one holder of the lock is never interleaved with
   * anyone else's. Waiters are served in arrival order.
   */
  async withInputLock<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.inputTail;
    let release!: () => void;
    this.inputTail = new Promise<void>((r) => (release = r));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /**
   * Hands bytes to the PTY. Bun's terminal writer queues what the program has not read yet; once
   * more than INPUT_HIGH_WATER_BYTES went in without a `drain` from it, we wait for one, so a huge
   * write to a program that reads slowly never piles up in memory. Bun does not report a drain
   * for every flush, so the wait is bounded (INPUT_DRAIN_WAIT_MS) and then proceeds.
   */
  async deliverInput(bytes: Uint8Array): Promise<void> {
    if (this.exit) throw new DeltaError(ErrorCode.SESSION_EXITED, "the session's program has exited");
    if (bytes.length === 0) return;
    this.terminal.write(bytes);
    this.unconfirmedInput += bytes.length;
    for (const fn of this.inputListeners) fn(bytes);
    if (this.unconfirmedInput > INPUT_HIGH_WATER_BYTES) await this.waitForDrain();
  }

  private waitForDrain(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, INPUT_DRAIN_WAIT_MS);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.drainWaiters.push(done);
    });
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    if (!this.exit) this.terminal.resize(cols, rows);
    this.screen.resize(cols, rows);
    for (const fn of this.resizeListeners) fn(cols, rows);
  }

  /** Sends a signal to the child's process group (it leads its own session and group). */
  signalGroup(signal: NodeJS.Signals | number): void {
    try {
      process.kill(-this.proc.pid, signal);
    } catch {
      // The group may already be gone.
    }
  }

  /**
   * Work an exit listener still has to finish before the holder closes its connections (an
   * attached terminal's last redraw and exit report). The holder waits for it, bounded, when it
   * shuts down.
   */
  deferShutdown(work: Promise<unknown>): void {
    this.shutdownWork.push(work);
  }

  /** Resolves once the deferred work is done, or after `limitMs`. */
  settleShutdownWork(limitMs: number): Promise<void> {
    if (this.shutdownWork.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, limitMs);
      void Promise.allSettled(this.shutdownWork).then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Resolves when the child has exited and its final output has been taken in. */
  waitForExit(): Promise<ExitInfo> {
    if (this.exit) return Promise.resolve(this.exit);
    return new Promise((resolve) => {
      const off = this.onExit((info) => {
        off();
        resolve(info);
      });
    });
  }

  private writeRaw(bytes: Uint8Array): void {
    if (!this.exit && !this.terminal.closed) this.terminal.write(bytes);
  }

  private acceptOutput(data: Uint8Array): void {
    if (this.outputFilter) this.outputFilter.push(data, this.emitOutput);
    else this.emitOutput(data);
  }

  private readonly emitOutput = (data: Uint8Array): void => {
    if (data.length === 0) return;
    const offset = this.ring.end;
    this.ring.append(data);
    this.lastOutputAt = performance.now();
    this.screen.feed(data);
    for (const fn of this.outputListeners) fn(data, offset);
  };

  private releaseDrainWaiters(): void {
    this.unconfirmedInput = 0;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  private markPtyEof(): void {
    this.ptyEof = true;
    this.ptyEofWaiter?.();
  }

  /**
   * The exit status comes from the process (exitCode / signalCode), never from the terminal's exit
   * callback. Output still in flight when the child exits is taken in before the exit is announced:
   * we wait for the PTY's EOF, bounded, because a background job may keep the terminal open.
   */
  private async watchExit(): Promise<void> {
    await this.proc.exited;
    if (!this.ptyEof) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, EXIT_DRAIN_TIMEOUT_MS);
        this.ptyEofWaiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.outputFilter?.flush(this.emitOutput);
    const raw = this.proc.signalCode;
    const signal: string | null = typeof raw === "string" ? raw : null;
    const exit: ExitInfo = { exit_code: signal ? null : this.proc.exitCode, signal };
    this.exit = exit;
    this.releaseDrainWaiters();
    for (const fn of [...this.exitListeners]) fn(exit);
  }

  closeTerminal(): void {
    try {
      this.terminal.close();
    } catch {
      // Already closed.
    }
  }
}
