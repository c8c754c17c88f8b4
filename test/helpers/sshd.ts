// A throwaway sshd on a free loopback port, with a host key and a user key made for the test.
// `env` is set in every session it starts (sshd_config SetEnv), HOME included: a test gives the
// "remote" user a home of its own. `whySshdCannotRun` says why sshd cannot run here, or null.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "./sandbox.ts";

export const SSHD = "/usr/sbin/sshd";

export function whySshdCannotRun(): string | null {
  for (const tool of [SSHD, "ssh", "ssh-keygen"]) if (!Bun.which(tool)) return `${tool} is not installed (apt-get install openssh-server)`;
  // sshd refuses to start without its privilege-separation directory (made by the package's service).
  if (!existsSync("/run/sshd")) {
    if (process.getuid?.() !== 0) return "/run/sshd is missing and only root may create it";
    mkdirSync("/run/sshd", { mode: 0o755 });
  }
  return null;
}

export class TestSshd {
  readonly port: number;
  readonly userKey: string;
  private proc: ReturnType<typeof Bun.spawn> | null = null;

  /** Writes keys and sshd_config under `dir`; throws when sshd refuses the configuration.
   *  `authorizedKeys`: where sshd looks for the user's keys (default: a file in `dir`, which only
   *  root can read; `%h/.ssh/authorized_keys` for another user, who then needs the key there). */
  constructor(readonly dir: string, env: Record<string, string> = {}, authorizedKeys?: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const key of ["host_key", "user_key"]) {
      const r = Bun.spawnSync(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", join(dir, key)]);
      if (r.exitCode !== 0) throw new Error(`ssh-keygen failed: ${r.stderr.toString()}`);
    }
    this.userKey = join(dir, "user_key");
    writeFileSync(join(dir, "authorized_keys"), readFileSync(join(dir, "user_key.pub")), { mode: 0o600 });
    const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    this.port = probe.port;
    probe.stop(true);
    // One SetEnv line: sshd keeps the first value of a keyword.
    const setEnv = Object.keys(env).length > 0 ? [`SetEnv ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(" ")}`] : [];
    writeFileSync(
      join(dir, "sshd_config"),
      [
        `Port ${this.port}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${join(dir, "host_key")}`,
        `PidFile ${join(dir, "sshd.pid")}`,
        `AuthorizedKeysFile ${authorizedKeys ?? join(dir, "authorized_keys")}`,
        "StrictModes no",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "PermitRootLogin prohibit-password",
        // "Starting session: …" for every session sshd starts: what a test counts.
        "LogLevel VERBOSE",
        ...setEnv,
        "",
      ].join("\n"),
    );
    const check = Bun.spawnSync([SSHD, "-t", "-f", join(dir, "sshd_config")]);
    if (check.exitCode !== 0) throw new Error(`sshd refuses its configuration: ${check.stderr.toString().trim()}`);
  }

  /** ssh options that reach this sshd as the current user without asking anything. */
  clientOptions(): string[] {
    return ["StrictHostKeyChecking=no", "UserKnownHostsFile=/dev/null", "BatchMode=yes", "LogLevel=ERROR", `IdentityFile=${this.userKey}`];
  }

  async start(): Promise<void> {
    this.proc = Bun.spawn([SSHD, "-D", "-E", this.logFile, "-f", join(this.dir, "sshd_config")], { stdout: "ignore", stderr: "ignore" });
    await waitFor("sshd to listen", () =>
      Bun.connect({ hostname: "127.0.0.1", port: this.port, socket: { data() {}, open(s) { s.end(); } } }).then(
        () => true,
        () => false,
      ),
    );
  }

  get logFile(): string {
    return join(this.dir, "sshd.log");
  }

  /** How many sessions (shells or commands) sshd has started so far. */
  sessionsStarted(): number {
    if (!existsSync(this.logFile)) return 0;
    return readFileSync(this.logFile, "utf8").split("\n").filter((l) => l.includes("Starting session:")).length;
  }

  stop(): void {
    if (this.proc) process.kill(this.proc.pid, "SIGTERM");
    this.proc = null;
  }
}
