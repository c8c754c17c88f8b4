// The MCP server on "another machine": `ssh localhost delta-sessions mcp` as the server command,
// with an sshd this test starts on a free loopback port with a throwaway host key and user key.
// Skipped, with the reason, where sshd cannot run (not installed, or not allowed here).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, Sandbox, waitFor } from "../helpers/sandbox.ts";
import { McpSession } from "../helpers/mcp.ts";

const SSHD = "/usr/sbin/sshd";
const box = new Sandbox();
const sshDir = join(box.dir, "ssh");
let sshd: ReturnType<typeof Bun.spawn> | null = null;
let port = 0;

/** Keys and config; returns why sshd cannot run here, or null. */
function prepare(): string | null {
  for (const tool of [SSHD, "ssh", "ssh-keygen"]) if (!Bun.which(tool)) return `${tool} is not installed (apt-get install openssh-server)`;
  // sshd refuses to start without its privilege-separation directory (made by the package's service).
  if (!existsSync("/run/sshd")) {
    if (process.getuid?.() !== 0) return "/run/sshd is missing and only root may create it";
    mkdirSync("/run/sshd", { mode: 0o755 });
  }
  mkdirSync(sshDir, { mode: 0o700 });
  for (const key of ["host_key", "user_key"]) {
    const r = Bun.spawnSync(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", join(sshDir, key)]);
    if (r.exitCode !== 0) return `ssh-keygen failed: ${r.stderr.toString()}`;
  }
  writeFileSync(join(sshDir, "authorized_keys"), readFileSync(join(sshDir, "user_key.pub")), { mode: 0o600 });
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  port = probe.port;
  probe.stop(true);
  writeFileSync(
    join(sshDir, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${join(sshDir, "host_key")}`,
      `PidFile ${join(sshDir, "sshd.pid")}`,
      `AuthorizedKeysFile ${join(sshDir, "authorized_keys")}`,
      "StrictModes no",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "PermitRootLogin prohibit-password",
      "",
    ].join("\n"),
  );
  const check = Bun.spawnSync([SSHD, "-t", "-f", join(sshDir, "sshd_config")]);
  if (check.exitCode !== 0) return `sshd refuses its configuration: ${check.stderr.toString().trim()}`;
  return null;
}

const whyNot = prepare();
if (whyNot) console.warn(`skipping the MCP-over-ssh test: ${whyNot}`);

beforeAll(async () => {
  if (whyNot) return;
  sshd = Bun.spawn([SSHD, "-D", "-e", "-f", join(sshDir, "sshd_config")], { stdout: "ignore", stderr: process.env.MCP_TEST_STDERR === "inherit" ? "inherit" : "ignore" });
  await waitFor("sshd to listen", () =>
    Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {}, open(s) { s.end(); } } }).then(
      () => true,
      () => false,
    ),
  );
});

afterAll(async () => {
  if (sshd) process.kill(sshd.pid, "SIGTERM");
  await box.dispose();
});

test.skipIf(whyNot !== null)(
  "ssh localhost delta-sessions mcp: a session started over ssh is an ordinary local session",
  async () => {
    const remote = ["env", `DELTA_SESSIONS_DIR=${box.sessionsDir}`, `DELTA_SESSIONS_RUNTIME_DIR=${box.runtimeDir}`, "SHELL=/bin/bash", BIN, "mcp"];
    const mcp = await McpSession.open(box, [], {
      command: "ssh",
      commandArgs: ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-i", join(sshDir, "user_key"), "-p", String(port), "localhost", ...remote],
    });
    try {
      const sh = await mcp.ok("start", { command: ["bash", "--norc", "-i"], name: "over-ssh" });
      box.track(sh.pid, sh.holder_pid);
      const r = await mcp.ok("exec", { session: "over-ssh", command: "echo $((6 * 7)); (exit 4)" });
      expect(r).toMatchObject({ output: "42\n", exit_code: 4 });
      const local = await box.run(["status", "over-ssh", "--json"]);
      expect(local.json).toMatchObject({ session_id: sh.session_id, status: "running" });
    } finally {
      await mcp.close();
    }
    // The remote server ended with the connection; the session stays.
    expect((await box.run(["exec", "over-ssh", "echo", "after"])).stdout).toBe("after\n");
  },
  60_000,
);
