// The `remote` group: what a call costs over --host (SPEC §14), against the same call made
// locally, on a throwaway sshd on loopback (so the network's round trip is nearly nothing and
// what is left is delta-sessions' and OpenSSH's own cost). Figures: the first call (opens the
// shared ssh connection and starts the remote server), later calls, and, for comparison, what
// --host avoids: a new ssh session per call through the same shared connection.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TestSshd, whySshdCannotRun } from "../../test/helpers/sshd.ts";
import type { Settings } from "./figures.ts";
import { isAlive, runOk, runTimed, waitUntil } from "./proc.ts";
import { fmt, percentile, summarize, type Stats } from "./stats.ts";

export const REMOTE_START = "<!-- remote:start (written by `bun scripts/bench.ts --only remote`; the rest of the file is left as it is) -->";
export const REMOTE_END = "<!-- remote:end -->";

export interface RemoteRow {
  call: string;
  local: Stats;
  remote: Stats;
  remoteP90: number;
  sshSession: Stats;
}

export interface RemoteResults {
  first: Stats;
  rows: RemoteRow[];
  loadAverage: number[];
  sshVersion: string;
}

export async function measureRemote(settings: Settings, bin: string, work: string): Promise<RemoteResults | null> {
  const why = whySshdCannotRun();
  if (why) {
    settings.log(`remote: skipped (${why})`);
    return null;
  }
  const dir = join(work, "remote");
  const home = join(dir, "home");
  const remoteRun = join(dir, "rrun");
  mkdirSync(join(home, ".local", "bin"), { recursive: true });
  copyFileSync(bin, join(home, ".local", "bin", "delta-sessions"));
  const sshd = new TestSshd(join(dir, "sshd"), { HOME: home, PATH: "/usr/bin:/bin", DELTA_SESSIONS_RUNTIME_DIR: remoteRun, SHELL: "/bin/bash" });
  await sshd.start();
  const local = { DELTA_SESSIONS_DIR: join(dir, "local-sessions"), DELTA_SESSIONS_RUNTIME_DIR: join(dir, "local-run") };
  const env = { ...(process.env as Record<string, string>), ...local };
  const host = ["--host", `localhost:${sshd.port}`, ...sshd.clientOptions().flatMap((o) => ["--ssh-option", o])];
  const onHost = (args: string[]) => runOk([bin, ...host, ...args], { env });
  const atHome = (args: string[]) => runOk([bin, ...args], { env });
  const ctlDir = join(local.DELTA_SESSIONS_RUNTIME_DIR, "ssh");
  const masters = () => (existsSync(ctlDir) ? readdirSync(ctlDir) : []).filter((f) => f.endsWith(".ctl")).map((f) => join(ctlDir, f));
  const masterPid = (): number | null => {
    for (const ctl of masters()) {
      const m = /pid=(\d+)/.exec(Bun.spawnSync(["ssh", "-o", `ControlPath=${ctl}`, "-O", "check", "x"], { stderr: "pipe" }).stderr.toString());
      if (m) return Number(m[1]);
    }
    return null;
  };
  const serverPids = () =>
    (existsSync(remoteRun) ? readdirSync(remoteRun) : [])
      .filter((f) => f.endsWith(".pid"))
      .map((f) => Number(readFileSync(join(remoteRun, f), "utf8")))
      .filter((p) => p > 0 && isAlive(p));
  const stopAll = async () => {
    for (const pid of [masterPid(), ...serverPids()]) if (pid !== null) process.kill(pid, "SIGKILL");
    await waitUntil(() => masterPid() === null && serverPids().length === 0, 10_000);
  };
  try {
    settings.log("remote: first calls (no shared connection, no remote server)");
    const first: number[] = [];
    for (let i = 0; i < Math.max(3, settings.slowRuns >> 2); i++) {
      await stopAll();
      first.push(onHost(["list"]).ms);
    }
    // A session on each side for the calls that need one.
    const remoteSession = JSON.parse(onHost(["start", "--name", "b", "--", "bash", "--norc", "-i"]).stdout).session_id as string;
    const localSession = JSON.parse(atHome(["start", "--name", "b", "--", "bash", "--norc", "-i"]).stdout).session_id as string;
    // The same call, as a new ssh session through the shared connection: what --host avoids.
    const ctl = masters()[0]!;
    const sshSession = (args: string[]) =>
      runOk(["ssh", "-o", `ControlPath=${ctl}`, "-p", String(sshd.port), "localhost", `cd && PATH=$HOME/.local/bin:$PATH delta-sessions ${args.map((a) => `'${a}'`).join(" ")}`], { env });
    const calls: Array<[string, string[]]> = [
      ["`list`", ["list"]],
      ["`status b`", ["status", "b"]],
      ["`exec b true`", ["exec", "b", "true"]],
    ];
    const rows: RemoteRow[] = [];
    for (const [call, args] of calls) {
      settings.log(`remote: ${call} local, over --host, as an ssh session`);
      const l: number[] = [];
      const r: number[] = [];
      const s: number[] = [];
      for (let i = 0; i < settings.warmup; i++) {
        atHome(args);
        onHost(args);
      }
      // Interleaved, so the machine's load moves all three alike.
      for (let i = 0; i < settings.runs; i++) {
        l.push(atHome(args).ms);
        r.push(onHost(args).ms);
        s.push(sshSession(args).ms);
      }
      rows.push({ call, local: summarize(l), remote: summarize(r), remoteP90: percentile(r, 90), sshSession: summarize(s) });
    }
    atHome(["end", localSession]);
    onHost(["end", remoteSession]);
    const version = Bun.spawnSync(["ssh", "-V"], { stderr: "pipe" }).stderr.toString().trim();
    return { first: summarize(first), rows, loadAverage: (await import("node:os")).loadavg(), sshVersion: version };
  } finally {
    // Whatever happened, no session outlives the benchmark: end them on both sides.
    runTimed([bin, "end", "--all", "--grace", "500"], { env });
    runTimed([bin, "end", "--all", "--grace", "500"], { env: { ...env, DELTA_SESSIONS_DIR: join(home, ".sessions"), DELTA_SESSIONS_RUNTIME_DIR: remoteRun } });
    await stopAll().catch(() => undefined);
    sshd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function renderRemoteSection(r: RemoteResults, date: string, quick: boolean): string {
  const row = (x: RemoteRow) =>
    `| ${x.call} | ${fmt(x.local.median)} ms | **${fmt(x.remote.median)} ms** (${fmt(x.remoteP90)}; ${fmt(x.remote.min)}–${fmt(x.remote.max)}) | ${fmt(x.remote.median - x.local.median)} ms | ${fmt(x.sshSession.median)} ms |`;
  return [
    REMOTE_START,
    "## Remote machines: a call over `--host` (SPEC §14)",
    "",
    `Generated by \`bun scripts/bench.ts${quick ? " --quick" : ""} --only remote\` on ${date} (${r.sshVersion}; load average`,
    `${r.loadAverage.map((x) => x.toFixed(1)).join("/")} at the end). The "remote" machine is a throwaway sshd on loopback, so the`,
    "network adds almost nothing: what is left is the cost of OpenSSH and delta-sessions themselves.",
    "Every figure is a separate CLI process timed from spawn to exit; the three columns were run in turn.",
    "",
    "| call | local | over `--host`: median (p90; min–max) | `--host` − local | a new ssh session per call |",
    "|---|---|---|---|---|",
    ...r.rows.map(row),
    "",
    `The first call to a machine opens the shared ssh connection and starts the remote server:`,
    `**${fmt(r.first.median)} ms** (median of ${r.first.runs}; ${fmt(r.first.min)}–${fmt(r.first.max)}). Later calls connect to the`,
    "forwarded socket of the remote server through that connection: no ssh session, no login shell,",
    "one exchange. The last column is what that avoids — the same command as `ssh host delta-sessions …`",
    "through the same shared connection: sshd starts the user's shell for it, and it runs a whole",
    "process there. Its rc files are empty here; a real account's (`pyenv init`, `nvm`) add their",
    "time to that column on every call, and to `--host` only on the first.",
    REMOTE_END,
  ].join("\n");
}
