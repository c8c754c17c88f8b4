// The ssh side of --host: one shared connection per destination (ControlMaster, its socket in a
// private 0700 directory under the runtime directory), commands run through it, and Unix-socket
// forwarding to the remote server. Every ssh here is OpenSSH's own client.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { withLockDir } from "./lock.ts";
import { join } from "node:path";
import { REMOTE_SETUP_LOCK_STALE_MS, SSH_CONNECT_TIMEOUT_S, SSH_CONTROL_PERSIST_S } from "../constants.ts";
import { DeltaError, ErrorCode } from "../errors.ts";
import { checkRuntimeDir, ensureRuntimeDir, resolveRuntimeDir } from "../paths.ts";
import { NOT_INSTALLED_MARK, NOT_INSTALLED_STATUS, remoteCommand, type RemoteTarget } from "./target.ts";

export type SshTarget = Extract<RemoteTarget, { kind: "ssh" }>;

/** ssh's own failures (connection, authentication) exit with this; the remote command's never do. */
const SSH_FAILURE_STATUS = 255;

export interface SshLink {
  target: SshTarget;
  /** --ssh-option values, first: ssh takes the first value it is given for an option. */
  options: readonly string[];
  /** The private directory holding the control sockets and forwarded sockets. */
  dir: string;
  /** Names this destination's files in `dir` (a hash of the destination and options). */
  key: string;
}

/** The private directory for control sockets: `<runtime dir>/ssh`, 0700, checked like its parent. */
export function sshDir(): string {
  const dir = join(ensureRuntimeDir(resolveRuntimeDir()), "ssh");
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  checkRuntimeDir(dir);
  return dir;
}

/** ssh with the user's options first, then ours (defaults they can override), then `extra`. */
export function sshArgv(link: SshLink, extra: readonly string[] = []): string[] {
  const { target } = link;
  return [
    "ssh",
    ...link.options.flatMap((o) => ["-o", o]),
    // No password or passphrase prompt: an agent could not answer it, and the call would hang.
    "-o", "BatchMode=yes",
    "-o", `ConnectTimeout=${SSH_CONNECT_TIMEOUT_S}`,
    "-o", "LogLevel=ERROR",
    "-o", `ControlPath=${controlPath(link)}`,
    ...(target.port !== undefined ? ["-p", String(target.port)] : []),
    ...(target.user !== undefined ? ["-l", target.user] : []),
    ...extra,
    "--",
    target.host,
  ];
}

/** The shared connection's socket. Named by our key, not ssh's %C: a stale one must be removed. */
export function controlPath(link: SshLink): string {
  return join(link.dir, `${link.key}.ctl`);
}

/** The shared connection's PID, or null when there is none. */
export function masterPid(link: SshLink): number | null {
  const r = Bun.spawnSync([...sshArgv(link, ["-O", "check"])], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) return null;
  const m = /pid=(\d+)/.exec(r.stderr.toString() + r.stdout.toString());
  return m ? Number(m[1]) : null;
}

/**
 * Runs `fn` (setting up the connection, the remote server, the forwarding) as the only caller for
 * this destination: concurrent first calls would each start a connection and a server, and the
 * losers' forwards would fail. A lock directory; one older than any setup is a dead caller's.
 */
export function withLinkLock<T>(link: SshLink, fn: () => Promise<T>): Promise<T> {
  return withLockDir(join(link.dir, `${link.key}.lock`), REMOTE_SETUP_LOCK_STALE_MS, fn);
}

/** Opens the shared connection in the background (call it under withLinkLock). Its stderr goes to
 *  a file: the backgrounded master keeps the descriptor it was given, so a pipe would never reach
 *  end of file. */
export async function startMaster(link: SshLink): Promise<void> {
  // A socket left by a connection that was killed: ssh would not bind over it, and would run
  // without sharing instead.
  rmSync(controlPath(link), { force: true });
  const log = join(link.dir, `${link.key}.log`);
  const fd = openSync(log, "w", 0o600);
  let code: number;
  try {
    const proc = Bun.spawn(
      sshArgv(link, ["-o", "ControlMaster=yes", "-o", `ControlPersist=${SSH_CONTROL_PERSIST_S}`, "-o", "StreamLocalBindUnlink=yes", "-N", "-f"]),
      { stdin: "ignore", stdout: "ignore", stderr: fd },
    );
    code = await proc.exited;
  } finally {
    closeSync(fd);
  }
  if (code !== 0) throw unreachable(link, readFileSync(log, "utf8"));
}

export interface RemoteRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs delta-sessions on the remote machine with `args` through the shared connection. */
export async function runRemote(link: SshLink, script: string, args: readonly string[], stdin?: Blob): Promise<RemoteRun> {
  const proc = Bun.spawn([...sshArgv(link, ["-o", "ControlMaster=no", "-T"]), remoteCommand(script, args)], {
    stdin: stdin ?? "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  checkRemoteRun(link, code, stderr);
  return { code, stdout, stderr };
}

/** Turns ssh's failure and a missing remote binary into their errors. */
export function checkRemoteRun(link: SshLink, code: number, stderr: string): void {
  if (code === SSH_FAILURE_STATUS) throw unreachable(link, stderr);
  if (code === NOT_INSTALLED_STATUS && stderr.includes(NOT_INSTALLED_MARK)) throw notInstalled(link.target.spec);
}

/** Asks the shared connection to forward `local` (a Unix socket here) to `remote` (one there). */
export async function forwardSocket(link: SshLink, local: string, remote: string): Promise<void> {
  const proc = Bun.spawn(sshArgv(link, ["-O", "forward", "-L", `${local}:${remote}`]), { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw unreachable(link, `cannot forward the remote server's socket: ${stderr}`);
}

export function unreachable(link: SshLink, why: string): DeltaError {
  const text = why.trim().split("\n").filter(Boolean).slice(-2).join("; ") || "ssh failed";
  return new DeltaError(ErrorCode.HOST_UNREACHABLE, `cannot reach ${link.target.spec} over ssh: ${text}`, { host: link.target.spec });
}

export function notInstalled(spec: string): DeltaError {
  return new DeltaError(
    ErrorCode.REMOTE_NOT_INSTALLED,
    `delta-sessions is not installed on ${spec} (not in ~/.local/bin nor on its PATH); install it with: delta-sessions install-remote ${spec}`,
    { host: spec, fix: `delta-sessions install-remote ${spec}` },
  );
}

export function versionMismatch(spec: string, local: string, remote: string): DeltaError {
  return new DeltaError(
    ErrorCode.REMOTE_VERSION_MISMATCH,
    `${spec} runs ${remote}, this is ${local}; install the matching one with: delta-sessions install-remote ${spec}`,
    { host: spec, local_version: local, remote_version: remote, fix: `delta-sessions install-remote ${spec}` },
  );
}
