// `start --record FILE`: the holder appends the session to FILE as asciicast v2 while it runs.
// Writing never blocks the holder (events are queued and appended by asynchronous writes), and a
// recording that fails (disk full, file system gone, a disk too slow to keep up) stops with a line
// in the holder's log; the session goes on.
import { close, constants as fsConstants, fchmodSync, openSync, write } from "node:fs";
import { DEFAULT_TERM, RECORDING_MAX_BACKLOG_BYTES } from "../../constants.ts";
import type { HolderConfig } from "../config.ts";
import type { HolderSession } from "../session.ts";
import { AsciicastEncoder } from "./asciicast.ts";

export class Recorder {
  private readonly encoder: AsciicastEncoder;
  private readonly offs: Array<() => void> = [];
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private writing = false;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];
  private lastSize: string;

  private constructor(
    private readonly fd: number,
    private readonly log: (line: string) => void,
    session: HolderSession,
    config: HolderConfig,
  ) {
    this.encoder = new AsciicastEncoder(performance.now());
    this.lastSize = `${session.cols}x${session.rows}`;
    this.push(
      this.encoder.header({
        cols: session.cols,
        rows: session.rows,
        timestamp: session.createdAt.getTime() / 1000,
        command: config.command,
        env: { TERM: config.env.TERM ?? DEFAULT_TERM, SHELL: process.env.SHELL ?? "/bin/sh" },
      }),
    );
    this.offs.push(
      session.onOutput((chunk) => this.push(this.encoder.output(chunk, performance.now()))),
      session.onInput((bytes) => this.push(this.encoder.input(bytes, performance.now()))),
      session.onResize((cols, rows) => {
        const size = `${cols}x${rows}`;
        if (size === this.lastSize) return;
        this.lastSize = size;
        this.push(this.encoder.resize(cols, rows, performance.now()));
      }),
    );
  }

  /**
   * Starts recording the session into `path` (created 0600 by `start`). Returns null, after
   * logging why, when the file cannot be opened: the session runs unrecorded rather than not at all.
   */
  static start(path: string, session: HolderSession, config: HolderConfig, log: (line: string) => void): Recorder | null {
    let fd: number;
    try {
      // O_NOFOLLOW: the file `start` created, never whatever a symlink put there since points to.
      fd = openSync(path, fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT | fsConstants.O_NOFOLLOW, 0o600);
      fchmodSync(fd, 0o600);
    } catch (err) {
      log(`recording disabled: cannot open ${path}: ${(err as Error).message}`);
      return null;
    }
    return new Recorder(fd, log, session, config);
  }

  /** Stops listening, writes what is queued (and an unfinished character), closes the file. */
  async close(): Promise<void> {
    for (const off of this.offs) off();
    this.offs.length = 0;
    if (!this.stopped) this.push(this.encoder.finish(performance.now()));
    if (this.writing) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.stopped = true;
    await new Promise<void>((resolve) => close(this.fd, () => resolve()));
  }

  private push(line: string): void {
    if (this.stopped || line === "") return;
    const bytes = Buffer.from(line);
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
    if (this.queuedBytes > RECORDING_MAX_BACKLOG_BYTES) return this.fail(`the disk did not keep up (${this.queuedBytes} bytes waiting)`);
    if (!this.writing) this.writeQueued();
  }

  private writeQueued(): void {
    if (this.queue.length === 0 || this.stopped) {
      this.writing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
      return;
    }
    this.writing = true;
    const data = Buffer.concat(this.queue);
    this.queue = [];
    this.queuedBytes = 0;
    this.writeFrom(data, 0);
  }

  private writeFrom(data: Buffer, at: number): void {
    write(this.fd, data, at, data.length - at, null, (err, written) => {
      if (err) {
        this.fail(err.message);
        return this.writeQueued();
      }
      if (at + written < data.length) return this.writeFrom(data, at + written);
      this.writeQueued();
    });
  }

  private fail(why: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue = [];
    this.queuedBytes = 0;
    for (const off of this.offs) off();
    this.offs.length = 0;
    this.log(`recording stopped: ${why}`);
  }
}
