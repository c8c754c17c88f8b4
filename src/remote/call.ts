// The calling side of --host: runs one CLI call on the other machine and relays its stdout,
// stderr, stdin and exit code. Over ssh, the call goes to the remote server through the shared
// connection's forwarded socket (about one round trip); the first call, or one after the
// connection or the server went away, sets them up again. attach and mcp get an ssh session of
// their own (a terminal, a stream without end). Containers run `docker exec -i` per call.
import { createHash } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { DeltaError, ErrorCode } from "../errors.ts";
import { base64ToBytes, bytesToBase64, LineDecoder } from "../protocol/codec.ts";
import { isTerminal } from "../cli/tty.ts";
import { writeStderr, writeStdout } from "../cli/output.ts";
import { checkRemoteRun, forwardSocket, masterPid, notInstalled, runRemote, sshArgv, sshDir, startMaster, versionMismatch, withLinkLock, type SshLink, type SshTarget } from "./ssh.ts";
import { containerArgv, NOT_INSTALLED_MARK, NOT_INSTALLED_STATUS, REMOTE_SCRIPT, remoteCommand, type RemoteTarget } from "./target.ts";
import { parseMessage, type ServerMessage } from "./wire.ts";

/** Commands that hold the terminal or stream without end: they get their own session. */
const OWN_SESSION_COMMANDS: Record<string, { tty: boolean }> = { attach: { tty: true }, mcp: { tty: false } };

export async function callRemote(target: RemoteTarget, sshOptions: readonly string[], command: string, argv: string[], version: string): Promise<number> {
  if (command === "serve") {
    // A page served there would listen on that machine's loopback, out of this browser's reach.
    throw new DeltaError(
      ErrorCode.USAGE,
      `serve does not run over --host: run it on ${target.spec} and forward its port, e.g. ssh -L 8080:127.0.0.1:8080 ${target.spec} delta-sessions serve --port 8080`,
    );
  }
  if (target.kind === "container") return callContainer(target, command, argv, version);
  const link = openLink(target, sshOptions, version);
  const own = OWN_SESSION_COMMANDS[command];
  if (own) {
    await ensureServer(link, version);
    return runOwnSession(link, own.tty, argv, version);
  }
  const local = join(link.dir, `${link.key}.sock`);
  const first = await callServer(local, argv, version, target.spec);
  if (first !== null) return first;
  await setUp(link, local, version);
  const again = await callServer(local, argv, version, target.spec);
  if (again === null) throw new DeltaError(ErrorCode.HOST_UNREACHABLE, `the delta-sessions server on ${target.spec} did not answer`, { host: target.spec });
  return again;
}

export function openLink(target: SshTarget, options: readonly string[], version: string): SshLink {
  const key = createHash("sha256").update(JSON.stringify([target.spec, options, version])).digest("hex").slice(0, 16);
  return { target, options, dir: sshDir(), key };
}

/** The shared connection (reopened when it is gone), the remote server, the forwarded socket. */
async function setUp(link: SshLink, local: string, version: string): Promise<void> {
  await withLinkLock(link, async () => {
    if (masterPid(link) === null) {
      // A socket forwarded by a connection that is gone: remove it, the new one forwards again.
      rmSync(local, { force: true });
      await startMaster(link);
    }
    const remote = await startServer(link, version);
    if (!existsSync(local)) await forwardSocket(link, local, remote);
  });
}

/** The shared connection, then the remote server: see startServer. */
export async function ensureServer(link: SshLink, version: string): Promise<string> {
  return withLinkLock(link, async () => {
    if (masterPid(link) === null) await startMaster(link);
    return startServer(link, version);
  });
}

/** Starts the remote server unless it runs; checks its version; returns its socket path there. */
async function startServer(link: SshLink, version: string): Promise<string> {
  const r = await runRemote(link, REMOTE_SCRIPT, ["--remote-server"]);
  const line = r.stdout.trim().split("\n").pop() ?? "";
  let report: { version?: unknown; socket?: unknown } | null = null;
  try {
    report = JSON.parse(line);
  } catch {
    report = null;
  }
  if (r.code !== 0 || typeof report?.socket !== "string" || typeof report.version !== "string") {
    // An old binary that does not know --remote-server answers with a usage error: another version.
    const remoteVersion = await remoteVersionOf(link);
    if (remoteVersion !== null && remoteVersion !== version) throw versionMismatch(link.target.spec, version, remoteVersion);
    throw new DeltaError(ErrorCode.HOST_UNREACHABLE, `cannot start delta-sessions on ${link.target.spec}: ${(r.stderr || r.stdout).trim().slice(0, 500)}`, { host: link.target.spec });
  }
  if (report.version !== version) throw versionMismatch(link.target.spec, version, report.version);
  return report.socket;
}

/** `delta-sessions --version` there, or null when it cannot tell. */
export async function remoteVersionOf(link: SshLink): Promise<string | null> {
  const r = await runRemote(link, REMOTE_SCRIPT, ["--version"]);
  return r.code === 0 ? r.stdout.trim() : null;
}

/**
 * One call through the forwarded socket. null when no server greeted (nothing was run): the
 * socket is missing, refused, or ssh found no server behind it.
 */
async function callServer(path: string, argv: string[], version: string, spec: string): Promise<number | null> {
  const terminal: [boolean, boolean] = [await isTerminal(1), await isTerminal(2)];
  return new Promise<number | null>((resolve, reject) => {
    const socket = connect(path);
    const decoder = new LineDecoder();
    let greeted = false;
    let settled = false;
    // Output is written in order: each write waits for the one before.
    let chain = Promise.resolve();
    const finish = (result: number | null | DeltaError) => {
      if (settled) return;
      settled = true;
      void chain.then(() => (result instanceof DeltaError ? reject(result) : resolve(result)));
      socket.destroy();
    };
    socket.on("error", () => finish(greeted ? lost(spec) : null));
    socket.on("close", () => finish(greeted ? lost(spec) : null));
    socket.on("connect", () => {
      socket.write(JSON.stringify({ type: "run", version, argv, terminal }) + "\n");
    });
    socket.on("data", (chunk: Buffer) => {
      for (const e of decoder.push(chunk)) {
        if (e.kind !== "line") continue;
        const msg = parseMessage<ServerMessage>(e.text, ["hello", "out", "stdin", "exit", "mismatch"]);
        if (!msg) return finish(new DeltaError(ErrorCode.PROTOCOL_ERROR, `unexpected reply from the server on ${spec}: ${e.text.slice(0, 200)}`));
        if (msg.type === "hello") greeted = true;
        else if (msg.type === "out") {
          const bytes = base64ToBytes(msg.data);
          chain = chain.then(() => (msg.fd === 2 ? writeStderr(new TextDecoder().decode(bytes)) : writeStdout(bytes)));
        } else if (msg.type === "stdin") {
          chain = chain.then(async () => {
            const data = new Uint8Array(await Bun.stdin.arrayBuffer());
            socket.write(JSON.stringify({ type: "stdin", data: bytesToBase64(data) }) + "\n");
          });
        } else if (msg.type === "exit") finish(msg.code);
        else finish(versionMismatch(spec, version, msg.version));
      }
    });
  });
}

function lost(spec: string): DeltaError {
  return new DeltaError(ErrorCode.HOST_UNREACHABLE, `the connection to ${spec} was lost during the call`, { host: spec });
}

/** attach (with a terminal: ssh -t) and mcp: their own ssh session through the shared connection. */
async function runOwnSession(link: SshLink, tty: boolean, argv: string[], version: string): Promise<number> {
  const proc = Bun.spawn([...sshArgv(link, ["-o", "ControlMaster=no", tty ? "-t" : "-T"]), remoteCommand(REMOTE_SCRIPT, ["--remote-exec", version, ...argv])], {
    stdio: ["inherit", "inherit", "inherit"],
  });
  const code = await proc.exited;
  checkRemoteRun(link, code, "");
  return code;
}

async function callContainer(target: Extract<RemoteTarget, { kind: "container" }>, command: string, argv: string[], version: string): Promise<number> {
  const tty = command === "attach";
  let proc;
  try {
    proc = Bun.spawn(containerArgv(target, REMOTE_SCRIPT, ["--remote-exec", version, ...argv], tty), { stdin: "inherit", stdout: "inherit", stderr: tty ? "inherit" : "pipe" });
  } catch (err) {
    throw new DeltaError(ErrorCode.HOST_UNREACHABLE, `cannot run ${target.engine}: ${(err as Error).message}`, { host: target.spec });
  }
  const stderr = proc.stderr instanceof ReadableStream ? await new Response(proc.stderr).text() : "";
  const code = await proc.exited;
  if (code === NOT_INSTALLED_STATUS && stderr.includes(NOT_INSTALLED_MARK)) throw notInstalled(target.spec);
  // docker exec's own failures (no daemon, no such container) exit 125 without our "delta-sessions:" prefix.
  if ((code === 125 || code === 126 || code === 1) && stderr !== "" && !stderr.includes("delta-sessions")) {
    throw new DeltaError(ErrorCode.HOST_UNREACHABLE, `cannot reach ${target.spec}: ${stderr.trim().split("\n").pop()}`, { host: target.spec });
  }
  if (stderr) await writeStderr(stderr);
  return code;
}
