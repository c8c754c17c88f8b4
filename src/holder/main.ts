// Holder mode (`delta-sessions --holder`): started detached by `start`, it owns the PTY, serves the
// socket, and outlives the command that started it. It reports readiness (or the start-up error)
// once on fd 3, a pipe `start` reads, and never touches the caller's terminal.
import { appendFileSync, closeSync, writeSync } from "node:fs";
import { SCREEN_SCROLLBACK_LINES, DEFAULT_END_GRACE_MS, REAP_TIMEOUT_MS } from "../constants.ts";
import { DeltaError, ErrorCode } from "../errors.ts";
import { holderLogPath, metadataPath, socketPath } from "../paths.ts";
import { bytesToBase64 } from "../protocol/codec.ts";
import { syncFile } from "../store/atomic.ts";
import { writeFinalState } from "../store/final-state.ts";
import { writeMetadata } from "../store/metadata.ts";
import { PROTOCOL_VERSION } from "../constants.ts";
import { readHolderConfig, type HolderConfig } from "./config.ts";
import type { HolderControl } from "./context.ts";
import { QuietCollector } from "./quiet-gc.ts";
import { restoreCallerEnv } from "./runtime-env.ts";
import { HolderServer, loadHandlers } from "./server.ts";
import { HolderSession } from "./session.ts";

const READY_FD = 3;
/** How long shutdown waits for connections to take their last replies. */
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
    server.close();
    session?.closeTerminal();
    const open = [...server.connections].filter((c) => !c.isClosed);
    if (open.length === 0) return stopped();
    const timer = setTimeout(stopped, SHUTDOWN_FLUSH_MS);
    let remaining = open.length;
    for (const c of open) {
      c.onClose(() => {
        if (--remaining === 0) {
          clearTimeout(timer);
          stopped();
        }
      });
    }
  }

  try {
    server.listen();
    session = new HolderSession(config);
  } catch (err) {
    const e = err instanceof DeltaError ? err : new DeltaError(ErrorCode.SPAWN_FAILED, (err as Error).message);
    server.close();
    reportReady({ ok: false, code: e.code, message: e.message });
    return 1;
  }
  const live = session;

  // Readers need the metadata before `start` returns; its fsync can wait until after (below).
  writeMetadata(config.sessions_dir, {
    session_id: config.session_id,
    name: config.name,
    command: config.command,
    cwd: config.cwd,
    cols: config.cols,
    rows: config.rows,
    buffer_size: config.buffer_size,
    pid: live.pid,
    holder_pid: process.pid,
    created_at: live.createdAt.toISOString(),
    protocol: PROTOCOL_VERSION,
    shell_integration: config.shell_integration,
    record: config.record,
  }, { fsync: false });
  reportReady({ ok: true, pid: live.pid, holder_pid: process.pid, created_at: live.createdAt.toISOString() });
  // What `start` need not wait for: the screen emulator, the request handlers (a failure to load
  // them is reported to each request), and making the metadata durable (below).
  live.screen.startLoading();
  loadHandlers().catch(() => {});
  live.onOutput(() => gc.note());
  live.onInput(() => gc.note());
  gc.note(); // start-up itself was a burst
  log(`started pid ${live.pid}: ${JSON.stringify(config.command)}`);

  process.on("SIGUSR1", () => {
    try {
      server.relisten();
      log("socket re-created on SIGUSR1");
    } catch (err) {
      log(`could not re-create socket: ${(err as Error).message}`);
    }
  });
  process.on("SIGTERM", () => {
    log("SIGTERM: ending the program's process group");
    live.signalGroup("SIGHUP");
    setTimeout(() => live.signalGroup("SIGKILL"), DEFAULT_END_GRACE_MS).unref();
    // If the child never goes (it cannot be reaped), stop anyway.
    setTimeout(() => shutdown(), DEFAULT_END_GRACE_MS + REAP_TIMEOUT_MS).unref();
  });

  syncFile(metadataPath(config.sessions_dir, config.session_id));

  const exit = await live.waitForExit();
  log(`program exited: code ${exit.exit_code} signal ${exit.signal}`);
  if (!control.ending) {
    try {
      await storeFinalState(config, live);
    } catch (err) {
      log(`could not store final state: ${(err as Error).message}`);
    }
    shutdown();
  }
  await stoppedPromise;
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

function reportReady(message: Record<string, unknown>): void {
  try {
    writeSync(READY_FD, JSON.stringify(message) + "\n");
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
