// Holder mode (`delta-sessions --holder`): started detached by `start`, it owns the PTY, serves the
// socket, and outlives the command that started it. It reports readiness (or the start-up error)
// once on fd 3, a pipe `start` reads, and never touches the caller's terminal.
import { appendFileSync, closeSync, existsSync, writeSync } from "node:fs";
import { SCREEN_SCROLLBACK_LINES, DEFAULT_END_GRACE_MS, REAP_TIMEOUT_MS } from "../constants.ts";
import { DeltaError, ErrorCode, toDeltaError } from "../errors.ts";
import { holderLogPath, metadataPath, sessionDir, socketPath } from "../paths.ts";
import { bytesToBase64 } from "../protocol/codec.ts";
import { syncFile } from "../store/atomic.ts";
import { writeFinalState } from "../store/final-state.ts";
import { writeMetadata } from "../store/metadata.ts";
import { PROTOCOL_VERSION } from "../constants.ts";
import { encodeReadyReport, READY_FD, readHolderConfig, restoreCallerEnv, type HolderConfig, type ReadyReport } from "../protocol/launch.ts";
import type { HolderControl } from "./context.ts";
import { QuietCollector } from "./quiet-gc.ts";
import { Recorder } from "./recording/recorder.ts";
import { HolderServer, loadHandlers } from "./server.ts";
import { HolderSession } from "./session.ts";

/** How long shutdown waits for a connection that takes none of its last replies. */
const SHUTDOWN_FLUSH_MS = 2000;

export async function runHolder(): Promise<number> {
  // A hangup of the terminal `start` ran in, or a client gone mid-write, must not stop us.
  process.on("SIGHUP", () => {});
  process.on("SIGPIPE", () => {});
  const config = readHolderConfig();
  restoreCallerEnv(config.restore_env);
  const log = (line: string) => logLine(config, line);

  let stopped!: () => void;
  const stoppedPromise = new Promise<void>((r) => (stopped = r));
  let session: HolderSession | null = null;
  const control: HolderControl = {
    ending: false,
    shutdown: () => shutdown(),
  };
  const gc = new QuietCollector();
  const server = new HolderServer(socketPath(config.runtime_dir, config.session_id), config.session_id, (conn) => {
    gc.note(); // once per request
    return { session: session!, conn, config, holder: control };
  });

  let shuttingDown = false;
  function shutdown(): void {
    if (shuttingDown) return;
    shuttingDown = true;
    // Attached terminals' last words (final redraw, exit report) go out before connections close.
    void (session ? session.settleShutdownWork(SHUTDOWN_FLUSH_MS) : Promise.resolve()).then(closeConnections);
  }

  function closeConnections(): void {
    server.close();
    session?.closeTerminal();
    const open = () => [...server.connections].filter((c) => !c.isClosed);
    if (open().length === 0) return stopped();
    // Wait for every connection to finish its request and take its replies, as long as they
    // make progress: a client that stops reading is not waited for (SHUTDOWN_FLUSH_MS).
    let lastCheck = performance.now();
    const check = setInterval(() => {
      const now = performance.now();
      const waiting = open();
      if (waiting.length === 0 || waiting.every((c) => c.lastProgressAt < lastCheck)) {
        clearInterval(check);
        for (const c of waiting) c.destroy();
        stopped();
      }
      lastCheck = now;
    }, SHUTDOWN_FLUSH_MS);
    for (const c of open()) {
      c.onClose(() => {
        if (open().length === 0) {
          clearInterval(check);
          stopped();
        }
      });
    }
  }

  try {
    server.listen();
    session = new HolderSession(config);
    // Readers need the metadata before `start` returns; its fsync can wait until after (below).
    writeMetadata(config.sessions_dir, {
      session_id: config.session_id,
      name: config.name,
      command: config.command,
      cwd: config.cwd,
      cols: config.cols,
      rows: config.rows,
      buffer_size: config.buffer_size,
      pid: session.pid,
      holder_pid: process.pid,
      created_at: session.createdAt.toISOString(),
      protocol: PROTOCOL_VERSION,
      shell_integration: config.shell_integration,
      record: config.record,
    }, { fsync: false });
  } catch (err) {
    // Nothing may outlive a start that failed: not the child, not the socket.
    session?.signalGroup("SIGKILL");
    session?.closeTerminal();
    server.close();
    const e = err instanceof DeltaError ? err : toDeltaError(err);
    reportReady({ ok: false, code: e.code === ErrorCode.INTERNAL ? ErrorCode.SPAWN_FAILED : e.code, message: e.message });
    return 1;
  }
  const live = session;
  // Subscribed before the first output can arrive (it comes in a later turn of the event loop).
  const recorder = config.record ? Recorder.start(config.record, live, config, log) : null;

  // The log exists (0600) before `start` returns: everything a started session promises is on disk.
  log(`started pid ${live.pid}: ${JSON.stringify(config.command)}`);
  reportReady({ ok: true, pid: live.pid, holder_pid: process.pid, created_at: live.createdAt.toISOString() });
  // What `start` need not wait for: the screen emulator, the request handlers (a failure to load
  // them is reported to each request), and making the metadata durable (below).
  live.screen.startLoading();
  loadHandlers().catch(() => {});
  live.onOutput(() => gc.note());
  live.onInput(() => gc.note());
  gc.note(); // start-up itself was a burst

  process.on("SIGUSR1", () => {
    try {
      server.relisten();
      log("socket re-created on SIGUSR1");
    } catch (err) {
      log(`could not re-create socket: ${(err as Error).message}`);
    }
  });
  process.on("SIGTERM", () => {
    if (live.exit) {
      // The program is gone and its final state could not be stored before: try once more, then stop.
      log("SIGTERM after the program exited: stopping");
      void storeFinalState(config, live)
        .catch(() => undefined)
        .finally(() => shutdown());
      return;
    }
    log("SIGTERM: ending the program's process group");
    live.signalGroup("SIGHUP");
    setTimeout(() => live.signalGroup("SIGKILL"), DEFAULT_END_GRACE_MS).unref();
    // If the child never goes (it cannot be reaped), stop anyway.
    setTimeout(() => shutdown(), DEFAULT_END_GRACE_MS + REAP_TIMEOUT_MS).unref();
  });

  try {
    syncFile(metadataPath(config.sessions_dir, config.session_id));
  } catch (err) {
    log(`could not sync metadata: ${(err as Error).message}`);
  }

  const exit = await live.waitForExit();
  log(`program exited: code ${exit.exit_code} signal ${exit.signal}`);
  if (!control.ending) {
    try {
      await storeFinalState(config, live);
      shutdown();
    } catch (err) {
      // A read-only or full file system must not lose the output: keep serving the exited session
      // from memory until `end` (or SIGTERM). With the session directory gone there is no one to
      // serve, so stop.
      log(`could not store final state: ${(err as Error).message}`);
      if (existsSync(sessionDir(config.sessions_dir, config.session_id))) log("serving the exited session from memory until 'end'");
      else shutdown();
    }
  }
  await stoppedPromise;
  await recorder?.close();
  return 0;
}

async function storeFinalState(config: HolderConfig, session: HolderSession): Promise<void> {
  const cap = await session.screen.capture(SCREEN_SCROLLBACK_LINES);
  const historyCount = Math.max(0, cap.lines.length - cap.rows);
  const now = new Date().toISOString();
  writeFinalState(config.sessions_dir, config.session_id, {
    exit_code: session.exit?.exit_code ?? null,
    signal: session.exit?.signal ?? null,
    exited_at: now,
    last_accessed_at: session.lastAccessedAt.toISOString(),
    output_start: session.ring.start,
    output: bytesToBase64(session.ring.slice(session.ring.start)),
    output_end: session.ring.end,
    cursor: Math.max(session.cursor, session.ring.start),
    cols: session.cols,
    rows: session.rows,
    screen: {
      history: cap.lines.slice(0, historyCount),
      lines: cap.lines.slice(historyCount),
      cursor: cap.cursor,
      alternate_screen: cap.alternate_screen,
    },
  });
}

function reportReady(report: ReadyReport): void {
  try {
    writeSync(READY_FD, encodeReadyReport(report));
    closeSync(READY_FD);
  } catch {
    // Started by hand, without the readiness pipe.
  }
}

function logLine(config: HolderConfig, line: string): void {
  try {
    appendFileSync(holderLogPath(config.sessions_dir, config.session_id), `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
  } catch {
    // The session directory may be gone (end) or read-only; logging must never stop the holder.
  }
}
