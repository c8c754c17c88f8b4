// Start stage of the holder: bind the socket, spawn the program, write the metadata and report
// ready (or the start-up error) once on the readiness pipe. Nothing may outlive a failed start.
import { closeSync, writeSync } from "node:fs";
import { PROTOCOL_VERSION } from "../constants.ts";
import { DeltaError, ErrorCode, toDeltaError } from "../errors.ts";
import { encodeReadyReport, READY_FD, type HolderConfig, type ReadyReport } from "../protocol/launch.ts";
import { writeMetadata } from "../store/metadata.ts";
import type { HolderServer } from "./server.ts";
import { HolderSession } from "./session.ts";

/** The running session, or null when it could not start (the error was reported). */
export function startSession(config: HolderConfig, server: HolderServer): HolderSession | null {
  let session: HolderSession | null = null;
  try {
    server.listen();
    session = new HolderSession(config);
    // Readers need the metadata before `start` returns; its fsync can wait until after (serve.ts).
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
    return session;
  } catch (err) {
    session?.signalGroup("SIGKILL");
    session?.closeTerminal();
    server.close();
    const e = err instanceof DeltaError ? err : toDeltaError(err);
    reportReady({ ok: false, code: e.code === ErrorCode.INTERNAL ? ErrorCode.SPAWN_FAILED : e.code, message: e.message });
    return null;
  }
}

export function reportReady(report: ReadyReport): void {
  try {
    writeSync(READY_FD, encodeReadyReport(report));
    closeSync(READY_FD);
  } catch {
    // Started by hand, without the readiness pipe.
  }
}
