// The remote ends' entry points: `--remote-server` (start the remote server unless one answers,
// print where it listens) and `--remote-exec VERSION ARGS…` (one CLI call, after checking that
// the caller runs the same version: attach, mcp and containers use it).
import { createHash } from "node:crypto";
import { closeSync, rmSync, writeSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { REMOTE_SERVER_READY_TIMEOUT_MS, REMOTE_SETUP_LOCK_STALE_MS } from "../constants.ts";
import { DeltaError, ErrorCode } from "../errors.ts";
import { ensureRuntimeDir, resolveRuntimeDir } from "../paths.ts";
import { withLockDir } from "./lock.ts";
import { pidFileOf, serveRemote } from "./server.ts";

/** The server's socket: per version, so a new binary never talks to an old server. */
function serverSocketPath(version: string): string {
  const tag = createHash("sha256").update(version).digest("hex").slice(0, 12);
  return join(ensureRuntimeDir(resolveRuntimeDir()), `remote-${tag}.sock`);
}

/** Prints {"version","socket","pid"} once a server answers on the socket, starting one if needed. */
export async function launchRemoteServer(version: string): Promise<number> {
  const socket = serverSocketPath(version);
  // One launcher at a time per socket: two would each start a server, the second taking the name.
  await withLockDir(socket.replace(/\.sock$/, ".lock"), REMOTE_SETUP_LOCK_STALE_MS, async () => {
    if (await answers(socket)) return;
    rmSync(socket, { force: true });
    await spawnServer(socket);
  });
  const pid = Number((await Bun.file(pidFileOf(socket)).text().catch(() => "")).trim()) || null;
  process.stdout.write(JSON.stringify({ version, socket, pid }) + "\n");
  return 0;
}

/** True when a server greets on the socket. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(REMOTE_SERVER_READY_TIMEOUT_MS, () => done(false));
    s.once("data", () => done(true));
    s.once("error", () => done(false));
    s.once("close", () => done(false));
  });
}

/** Starts `--remote-serve SOCKET` detached (own session, stdio on /dev/null); waits for its report on fd 3. */
async function spawnServer(socket: string): Promise<void> {
  const compiled = Bun.main.startsWith("/$bunfs/") || Bun.main.startsWith("B:/~BUN/");
  const self = compiled ? [process.execPath] : [process.execPath, Bun.main];
  const proc = Bun.spawn([...self, "--remote-serve", socket], { cwd: process.cwd(), stdio: ["ignore", "ignore", "ignore", "pipe"], detached: true });
  const fd = proc.stdio[3] as unknown as number;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve("timeout"), REMOTE_SERVER_READY_TIMEOUT_MS)));
  const report = (await Promise.race([Bun.file(fd).text(), timeout])).trim();
  clearTimeout(timer);
  proc.unref();
  if (report !== "ready") throw new DeltaError(ErrorCode.SPAWN_FAILED, `the remote server did not start: ${report || "it exited"}`);
}

/** `--remote-serve SOCKET`: the server itself; reports "ready" (or why not) on fd 3. */
export async function runRemoteServer(socket: string, version: string): Promise<number> {
  const report = (text: string) => {
    try {
      writeSync(3, text + "\n");
      // The launcher reads to end of file.
      closeSync(3);
    } catch {
      // Nobody waits for the report.
    }
  };
  return serveRemote(socket, version, (error) => report(error ?? "ready"));
}

/** `--remote-exec VERSION ARGS…`: one CLI call, refused when the caller runs another version. */
export async function remoteExec(expected: string | undefined, argv: string[], version: string): Promise<number> {
  if (expected !== version) {
    const { printError } = await import("../cli/output.ts");
    const err = new DeltaError(ErrorCode.REMOTE_VERSION_MISMATCH, `this machine runs ${version}, the caller ${expected ?? "(unknown)"}`, {
      local_version: expected ?? null,
      remote_version: version,
    });
    await printError(err);
    return err.exitCode;
  }
  const { runCli } = await import("../cli/run.ts");
  return runCli(argv, version, true);
}
