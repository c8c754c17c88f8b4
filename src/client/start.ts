// Starting a session: claim an id (and name), re-execute this binary as a detached holder, and
// return once the holder reports that its socket is bound and the child runs (or why not).
import { accessSync, constants as fsConstants, mkdirSync, readFileSync, statSync, symlinkSync, unlinkSync, existsSync, readlinkSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { HOLDER_READY_TIMEOUT_MS } from "../constants.ts";
import { hasScrubbedBunVariables, scrubEnv } from "../env.ts";
import { DeltaError, ErrorCode } from "../errors.ts";
import { ensureRuntimeDir, ensureSessionsDir, generateSessionId, holderLogPath, nameLinkPath, namesDir, resolveRuntimeDir, sessionDir, socketPath } from "../paths.ts";
import { holderEnvironment, parseReadyReport, type HolderConfig, type ReadyReport } from "../protocol/launch.ts";
import { removeSessionFiles } from "../store/remove.ts";
import { createRecordingFile, removeRecordingFile } from "./record.ts";
import { spawnDetached, which } from "./transport.ts";

export interface StartOptions {
  sessionsDir: string;
  command: string[];
  name: string | null;
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
  bufferSize: number;
  record: string | null;
  shellIntegration: boolean;
  /** The delta-sessions executable that becomes the holder; absent: this program itself (the CLI,
   *  the MCP server). The library, which is not that executable, names it. */
  executable?: string;
}

export interface StartResult {
  session_id: string;
  name: string | null;
  status: "running";
  pid: number;
  holder_pid: number;
  command: string[];
  cwd: string;
  cols: number;
  rows: number;
  created_at: string;
}

export async function startSession(opts: StartOptions): Promise<StartResult> {
  checkEnvNames(opts.env);
  const cwd = resolve(opts.cwd);
  checkCwd(cwd);
  const pathVar = opts.env.PATH ?? process.env.PATH ?? "";
  resolveCommand(opts.command[0]!, pathVar, cwd);
  ensureSessionsDir(opts.sessionsDir);
  const runtimeDir = ensureRuntimeDir(resolveRuntimeDir());

  const id = claimSessionId(opts.sessionsDir);
  socketPath(runtimeDir, id); // refuses a runtime dir whose socket paths would be too long
  if (opts.name) claimName(opts.sessionsDir, opts.name, id);

  const config: HolderConfig = {
    session_id: id,
    name: opts.name,
    sessions_dir: opts.sessionsDir,
    runtime_dir: runtimeDir,
    command: opts.command,
    cwd,
    env: opts.env,
    cols: opts.cols,
    rows: opts.rows,
    buffer_size: opts.bufferSize,
    record: opts.record ? resolve(opts.record) : null,
    shell_integration: opts.shellIntegration,
  };
  let ready: Running;
  try {
    if (config.record) createRecordingFile(config.record);
  } catch (err) {
    removeSessionFiles(opts.sessionsDir, id, opts.name);
    throw err;
  }
  try {
    ready = await spawnHolder(config, opts.executable);
  } catch (err) {
    removeSessionFiles(opts.sessionsDir, id, opts.name);
    if (config.record) removeRecordingFile(config.record);
    throw err;
  }
  return {
    session_id: id,
    name: opts.name,
    status: "running",
    pid: ready.pid,
    holder_pid: ready.holder_pid,
    command: opts.command,
    cwd,
    cols: opts.cols,
    rows: opts.rows,
    created_at: ready.created_at,
  };
}

type Running = Extract<ReadyReport, { ok: true }>;

/**
 * The argv that re-executes this program in holder mode (compiled binary, or bun + script in
 * development). When the caller's environment has Bun variables that alter process handling, a
 * launcher with a clean environment starts the holder instead (see src/holder/launch.ts).
 */
function holderArgv(id: string, executable: string | undefined): string[] {
  const self = executable !== undefined ? [executable] : selfArgv();
  const mode = hasScrubbedBunVariables(process.env) ? "--launch-holder" : "--holder";
  return [...self, mode, id];
}

/** This program: the compiled binary, or bun and the script in development. */
function selfArgv(): string[] {
  const compiled = Bun.main.startsWith("/$bunfs/") || Bun.main.startsWith("B:/~BUN/");
  return compiled ? [process.execPath] : [process.execPath, Bun.main];
}

async function spawnHolder(config: HolderConfig, executable: string | undefined): Promise<Running> {
  // The holder gets its own session (setsid), stdio on /dev/null, and one pipe (fd 3) for the
  // readiness report. Nothing ties it to this process once the report is in.
  const proc = await spawnDetached(holderArgv(config.session_id, executable), holderEnvironment(scrubEnv(process.env), config));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve("\u0000timeout"), HOLDER_READY_TIMEOUT_MS)));
  const text = await Promise.race([proc.readFd3, timeout]);
  clearTimeout(timer);
  proc.release();
  const line = text.split("\n")[0] ?? "";
  if (text === "\u0000timeout" || line === "") {
    try {
      // pid 0: it never started (kill(0) would signal our own process group).
      if (proc.pid > 0) process.kill(proc.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
    const log = readLogTail(config);
    const why = text === "\u0000timeout" ? `did not report ready within ${HOLDER_READY_TIMEOUT_MS} ms` : "exited before reporting ready";
    throw new DeltaError(ErrorCode.SPAWN_FAILED, `the session holder ${why}${log ? `: ${log}` : ""}`);
  }
  const report = parseReadyReport(line);
  if (!report) throw new DeltaError(ErrorCode.SPAWN_FAILED, `the session holder reported something unexpected: ${line.slice(0, 200)}`);
  if (!report.ok) throw new DeltaError(report.code as ErrorCode, report.message);
  return report;
}

function readLogTail(config: HolderConfig): string {
  try {
    return readFileSync(holderLogPath(config.sessions_dir, config.session_id), "utf8").trim().split("\n").slice(-3).join(" | ");
  } catch {
    return "";
  }
}

/** Variable names a shell could export (the CLI's --env K=V and the MCP `env` object alike). */
function checkEnvNames(env: Record<string, string>): void {
  for (const key of Object.keys(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new DeltaError(ErrorCode.INVALID_ARGUMENT, `--env: invalid variable name ${JSON.stringify(key)}`);
  }
}

function checkCwd(cwd: string): void {
  let ok = false;
  try {
    ok = statSync(cwd).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new DeltaError(ErrorCode.INVALID_ARGUMENT, `--cwd ${cwd} is not a directory`);
}

/** Fails with COMMAND_NOT_FOUND before anything is created when the program cannot be run. */
function resolveCommand(cmd: string, pathVar: string, cwd: string): string {
  if (cmd.includes("/")) {
    const full = isAbsolute(cmd) ? cmd : resolve(cwd, cmd);
    try {
      accessSync(full, fsConstants.X_OK);
      if (statSync(full).isFile()) return full;
    } catch {
      // fall through
    }
    throw new DeltaError(ErrorCode.COMMAND_NOT_FOUND, `command not found or not executable: ${cmd}`);
  }
  const found = which(cmd, pathVar, cwd);
  if (!found) throw new DeltaError(ErrorCode.COMMAND_NOT_FOUND, `command not found: ${cmd}`);
  return found;
}

/** A fresh session directory (mkdir fails if the id were ever taken). */
function claimSessionId(sessionsDir: string): string {
  for (;;) {
    const id = generateSessionId();
    try {
      mkdirSync(sessionDir(sessionsDir, id), { mode: 0o700 });
      return id;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
}

/** Claims a name atomically; a link left by a session that no longer exists is taken over. */
function claimName(sessionsDir: string, name: string, id: string): void {
  mkdirSync(namesDir(sessionsDir), { recursive: true, mode: 0o700 });
  const link = nameLinkPath(sessionsDir, name);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      symlinkSync(id, link);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let owner = "";
    try {
      owner = readlinkSync(link);
    } catch {
      continue;
    }
    if (existsSync(sessionDir(sessionsDir, owner))) break;
    try {
      unlinkSync(link);
    } catch {
      // Someone else cleared it first.
    }
  }
  removeSessionFiles(sessionsDir, id, null);
  throw new DeltaError(ErrorCode.NAME_TAKEN, `the name ${JSON.stringify(name)} is already used by another session`);
}
