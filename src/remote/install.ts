// install-remote: copies the binary for the other machine's platform (this one when it matches,
// else a `npm run release` output) to ~/.local/bin there, then asks it for its version.
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { DeltaError, ErrorCode, invalidArgument } from "../errors.ts";
import { openLink } from "./call.ts";
import { masterPid, runRemote, startMaster, versionMismatch, withLinkLock, type RemoteRun } from "./ssh.ts";
import { containerArgv, REMOTE_SCRIPT, type RemoteTarget } from "./target.ts";

const PLATFORM_SCRIPT = `uname -s; uname -m; if ls /lib/ld-musl-* >/dev/null 2>&1; then echo musl; else echo gnu; fi`;
const COPY_SCRIPT =
  `set -e; d="$HOME/.local/bin"; mkdir -p "$d"; t="$d/.delta-sessions.$$"; cat > "$t"; chmod 755 "$t"; ` +
  `mv -f "$t" "$d/delta-sessions"; echo "$d/delta-sessions"`;

export interface InstallResult {
  status: "installed";
  host: string;
  path: string;
  version: string;
  platform: string;
  binary: string;
  bytes: number;
}

export async function installRemote(target: RemoteTarget, sshOptions: readonly string[], binary: string | undefined, version: string): Promise<InstallResult> {
  const run = await runnerFor(target, sshOptions, version);
  const probe = await run(PLATFORM_SCRIPT, []);
  if (probe.code !== 0) throw new DeltaError(ErrorCode.HOST_UNREACHABLE, `cannot tell the platform of ${target.spec}: ${probe.stderr.trim()}`, { host: target.spec });
  const platform = platformName(probe.stdout);
  const source = binary ?? findBinary(platform);
  if (!existsSync(source)) throw invalidArgument(`no such file: ${source}`);
  const copied = await run(COPY_SCRIPT, [], Bun.file(source));
  if (copied.code !== 0) throw new DeltaError(ErrorCode.IO_ERROR, `cannot copy the binary to ${target.spec}: ${copied.stderr.trim()}`);
  const check = await run(REMOTE_SCRIPT, ["--version"]);
  const remoteVersion = check.stdout.trim();
  if (check.code !== 0) throw new DeltaError(ErrorCode.SPAWN_FAILED, `the installed binary does not run on ${target.spec} (${platform}): ${check.stderr.trim()}`);
  if (remoteVersion !== version) throw versionMismatch(target.spec, version, remoteVersion);
  return { status: "installed", host: target.spec, path: copied.stdout.trim(), version: remoteVersion, platform, binary: source, bytes: statSync(source).size };
}

type Runner = (script: string, args: string[], stdin?: Blob) => Promise<RemoteRun>;

async function runnerFor(target: RemoteTarget, sshOptions: readonly string[], version: string): Promise<Runner> {
  if (target.kind === "ssh") {
    const link = openLink(target, sshOptions, version);
    await withLinkLock(link, async () => {
      if (masterPid(link) === null) await startMaster(link);
    });
    return (script, args, stdin) => runRemote(link, script, args, stdin);
  }
  return async (script, args, stdin) => {
    const proc = Bun.spawn(containerArgv(target, script, args), { stdin: stdin ?? "ignore", stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    if (code === 125) throw new DeltaError(ErrorCode.HOST_UNREACHABLE, `cannot reach ${target.spec}: ${stderr.trim()}`, { host: target.spec });
    return { code, stdout, stderr };
  };
}

/** `uname -s`, `uname -m` and the C library → the release target name (linux-x64, darwin-arm64, linux-arm64-musl…). */
export function platformName(probe: string): string {
  const [os = "", machine = "", libc = ""] = probe.trim().split("\n").map((l) => l.trim());
  const osName = os === "Darwin" ? "darwin" : os === "Linux" ? "linux" : os.toLowerCase();
  const arch = machine === "x86_64" || machine === "amd64" ? "x64" : machine === "aarch64" || machine === "arm64" ? "arm64" : machine;
  return `${osName}-${arch}${osName === "linux" && libc === "musl" ? "-musl" : ""}`;
}

function localPlatform(): string {
  const musl = process.platform === "linux" && Bun.spawnSync(["sh", "-c", "ls /lib/ld-musl-*"], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
  return `${process.platform}-${process.arch}${musl ? "-musl" : ""}`;
}

/** The running binary when the platforms match, else dist/release/delta-sessions-<platform>. */
function findBinary(platform: string): string {
  const compiled = Bun.main.startsWith("/$bunfs/");
  if (compiled && platform === localPlatform()) return process.execPath;
  const name = `delta-sessions-${platform}`;
  const candidates = [join(dirname(process.execPath), "release", name), join(process.cwd(), "dist", "release", name)];
  const found = candidates.find((c) => existsSync(c));
  if (found) return found;
  throw invalidArgument(`no delta-sessions binary for ${platform} here: build it with 'npm run release -- --targets ${platform}', or give --binary PATH`);
}
