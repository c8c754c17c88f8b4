// --host: commands on "another machine" through OpenSSH. Throwaway sshds on loopback ports, each
// giving the same user a home of its own (sshd_config SetEnv HOME=…): one where delta-sessions is
// in ~/.local/bin, one where it is not (install-remote puts it there), one for docs/remote.md's
// examples; and, where the test may add one, a second account reached as USER@HOST. The ssh
// client options come in through --ssh-option. Skipped, with the reason, where sshd cannot run.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { BIN, isAlive, Sandbox, waitFor } from "../helpers/sandbox.ts";
import { findConsoleBlocks, runConsoleBlock } from "../helpers/doc-examples.ts";
import { McpSession } from "../helpers/mcp.ts";
import { PtyProgram } from "../helpers/pty-program.ts";
import { TestSshd, whySshdCannotRun } from "../helpers/sshd.ts";
import { buildFlags } from "../../scripts/build.ts";

const whyNot = whySshdCannotRun();
if (whyNot) console.warn(`skipping the --host tests: ${whyNot}`);

const box = new Sandbox();
/** A machine where delta-sessions is installed, and one where it is not (yet). */
const machines = {
  ready: { home: join(box.dir, "home-ready"), runtime: join(box.dir, "rrun-ready"), sshd: null as TestSshd | null },
  bare: { home: join(box.dir, "home-bare"), runtime: join(box.dir, "rrun-bare"), sshd: null as TestSshd | null },
  /** docs/remote.md's build-box: bare at first, as the examples show it. */
  docs: { home: join(box.dir, "home-docs"), runtime: join(box.dir, "rrun-docs"), sshd: null as TestSshd | null },
};
type Machine = (typeof machines)[keyof typeof machines];

function hostArgs(m: Machine): string[] {
  return ["--host", `localhost:${m.sshd!.port}`, ...m.sshd!.clientOptions().flatMap((o) => ["--ssh-option", o])];
}

/** The call as an agent makes it, on machine `m`. */
function onHost(m: Machine, args: string[], opts: Parameters<Sandbox["run"]>[1] = {}) {
  return box.run([...hostArgs(m), ...args], opts);
}

/** The shared ssh connections this test's calls opened (ssh -O check on each control socket). */
function masters(): Array<{ pid: number; argv: string[] }> {
  const dir = join(box.runtimeDir, "ssh");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ctl"))
    .flatMap((f) => {
      const r = Bun.spawnSync(["ssh", "-o", `ControlPath=${join(dir, f)}`, "-O", "check", "localhost"], { stderr: "pipe", stdout: "pipe" });
      const found = /pid=(\d+)/.exec(r.stderr.toString());
      if (r.exitCode !== 0 || !found) return [];
      const pid = Number(found[1]);
      return [{ pid, argv: readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0") }];
    });
}

/** The shared ssh connection's PID for `m` (its command line names the machine's port), or null. */
function masterPid(m: Machine): number | null {
  return masters().find(({ argv }) => argv[argv.indexOf("-p") + 1] === String(m.sshd!.port))?.pid ?? null;
}

/** PIDs of the remote servers running on `m` (their PID files in its runtime directory). */
function serverPids(m: { runtime: string }): number[] {
  if (!existsSync(m.runtime)) return [];
  return readdirSync(m.runtime)
    .filter((f) => /^remote-.*\.pid$/.test(f))
    .map((f) => Number(readFileSync(join(m.runtime, f), "utf8").trim()))
    .filter((pid) => pid > 0 && isAlive(pid));
}

/** A bash session named `name` on `m`, ended by the sandbox whatever happens. */
async function startShell(m: Machine, name: string): Promise<{ session_id: string; pid: number; holder_pid: number }> {
  const st = await onHost(m, ["start", "--name", name, "--", "bash", "--norc", "-i"]);
  if (st.code !== 0) throw new Error(`start failed on ${m.home}: ${st.stdout}`);
  box.track(st.json.pid, st.json.holder_pid);
  return st.json;
}

function kill(pid: number | null): void {
  if (pid === null) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

beforeAll(async () => {
  if (whyNot) return;
  mkdirSync(join(machines.ready.home, ".local", "bin"), { recursive: true });
  copyFileSync(BIN, join(machines.ready.home, ".local", "bin", "delta-sessions"));
  mkdirSync(machines.bare.home, { recursive: true });
  mkdirSync(machines.docs.home, { recursive: true });
  for (const [name, m] of Object.entries(machines)) {
    // No delta-sessions on this PATH: the remote side finds it in ~/.local/bin or not at all.
    m.sshd = new TestSshd(join(box.dir, `sshd-${name}`), { HOME: m.home, PATH: "/usr/bin:/bin", DELTA_SESSIONS_RUNTIME_DIR: m.runtime, SHELL: "/bin/bash" });
    await m.sshd.start();
  }
});

afterAll(async () => {
  for (const m of Object.values(machines)) {
    if (!m.sshd) continue;
    const remoteEnv = { DELTA_SESSIONS_DIR: join(m.home, ".sessions"), DELTA_SESSIONS_RUNTIME_DIR: m.runtime };
    if (existsSync(join(m.home, ".sessions"))) await box.run(["end", "--all", "--grace", "500"], { env: remoteEnv });
    for (const pid of serverPids(m)) kill(pid);
  }
  for (const { pid } of masters()) kill(pid);
  for (const m of Object.values(machines)) m.sshd?.stop();
  await box.dispose();
});

describe.skipIf(whyNot !== null)("--host over ssh", () => {
  test("start, send, write, exec, read, screen, status and end run there, with the same documents and exit codes", async () => {
    const m = machines.ready;
    const sh = await onHost(m, ["start", "--name", "sh", "--", "bash", "--norc", "-i"]);
    expect(sh.code).toBe(0);
    box.track(sh.json.pid, sh.json.holder_pid);
    // Sessions live in the remote user's home: ~/.sessions.
    expect(existsSync(join(m.home, ".sessions", sh.json.session_id, "metadata.json"))).toBe(true);
    expect(sh.json.cwd).toBe(m.home);

    const ex = await onHost(m, ["exec", "sh", "echo $((6 * 7)); (exit 3)"]);
    expect(ex.code).toBe(3);
    expect(ex.stdout).toBe("42\n");

    const py = await onHost(m, ["start", "--name", "py", "--", "python3", "-q"]);
    box.track(py.json.pid, py.json.holder_pid);
    const sent = await onHost(m, ["send", "py", "print(6 * 7)", "--enter"]);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain("42");
    const sentJson = await onHost(m, ["send", "py", "--json", "--enter", "print(7 * 7)"]);
    expect(sentJson.json).toMatchObject({ session_id: py.json.session_id, reason: "input", waiting_for_input: true });
    expect(sentJson.json.output).toContain("49");
    // write with no TEXT reads stdin: the remote command asks for it, the caller sends it.
    const written = await onHost(m, ["write", "py", "--enter"], { stdin: "print('from' + ' stdin')" });
    expect(written.json).toMatchObject({ status: "sent", bytes: 25 });
    const read = await onHost(m, ["read", "py", "--until", "from stdin", "--timeout", "20000"]);
    expect(read.code).toBe(0);
    expect(read.stdout).toContain("from stdin");
    const screen = await onHost(m, ["read", "py", "--screen", "--json"]);
    expect(screen.json.lines.join("\n")).toContain("from stdin");

    const status = await onHost(m, ["status", "py"]);
    expect(status.json).toMatchObject({ session_id: py.json.session_id, status: "running" });
    const listed = await onHost(m, ["list"]);
    expect(listed.json.map((s: { name: string }) => s.name).sort()).toEqual(["py", "sh"]);
    // Global options go before or after the command name, --host and --ssh-option too.
    expect((await box.run(["list", ...hostArgs(m)])).json).toEqual(listed.json);
    // The local sessions directory is not the remote one.
    expect((await box.run(["list"])).json).toEqual([]);

    // The program's and delta-sessions' errors come through unchanged, exit codes included.
    const missing = await onHost(m, ["status", "nosuch"]);
    expect(missing.code).toBe(1);
    expect(missing.json.code).toBe("SESSION_NOT_FOUND");
    expect(missing.stderr).toStartWith("delta-sessions: ");
    expect((await onHost(m, ["exec", "nosuch", "true"])).code).toBe(125);
    const timeout = await onHost(m, ["read", "py", "--until", "never-printed", "--timeout", "300"]);
    expect(timeout.code).toBe(124);
    expect((await onHost(m, ["resize", "py", "0", "5"])).code).toBe(2);

    expect((await onHost(m, ["end", "py"])).json).toMatchObject({ session_id: py.json.session_id });
    expect((await onHost(m, ["end", "sh"])).json).toMatchObject({ session_id: sh.json.session_id });
    expect((await onHost(m, ["list"])).json).toEqual([]);
  }, 120_000);

  test("calls after the first open no ssh session: one remote server answers them all", async () => {
    const m = machines.ready;
    expect((await onHost(m, ["list"])).code).toBe(0);
    const sessions = m.sshd!.sessionsStarted();
    const servers = serverPids(m);
    expect(servers.length).toBe(1);
    await startShell(m, "counted");
    for (let i = 0; i < 5; i++) expect((await onHost(m, ["exec", "counted", `echo call-${i}`])).stdout).toBe(`call-${i}\n`);
    expect((await onHost(m, ["end", "counted"])).code).toBe(0);
    expect(m.sshd!.sessionsStarted()).toBe(sessions);
    expect(serverPids(m)).toEqual(servers);
  }, 120_000);

  test("sessions outlive the ssh connection; a killed connection or remote server is replaced on the next call", async () => {
    const m = machines.ready;
    await startShell(m, "survivor");
    expect((await onHost(m, ["exec", "survivor", "X=kept"])).code).toBe(0);

    const master = masterPid(m);
    expect(master).not.toBeNull();
    kill(master);
    await waitFor("the ssh connection to end", () => !isAlive(master!));
    expect((await onHost(m, ["exec", "survivor", "echo $X"])).stdout).toBe("kept\n");
    const newMaster = masterPid(m);
    expect(newMaster).not.toBeNull();
    expect(newMaster).not.toBe(master);

    const [server] = serverPids(m);
    kill(server!);
    await waitFor("the remote server to end", () => !isAlive(server!));
    expect((await onHost(m, ["exec", "survivor", "echo $X again"])).stdout).toBe("kept again\n");
    expect(serverPids(m)).toHaveLength(1);
    expect(serverPids(m)[0]).not.toBe(server);
    expect((await onHost(m, ["end", "survivor"])).code).toBe(0);
  }, 120_000);

  test("concurrent first calls set up one shared connection and one remote server", async () => {
    const m = machines.ready;
    await startShell(m, "crowd");
    for (const pid of [masterPid(m), ...serverPids(m)]) {
      kill(pid);
      if (pid !== null) await waitFor("the connection and the server to end", () => !isAlive(pid));
    }
    const results = await Promise.all([0, 1, 2, 3].map((i) => onHost(m, ["exec", "crowd", `echo crowd-${i}`])));
    expect(results.map((r) => r.stdout)).toEqual(["crowd-0\n", "crowd-1\n", "crowd-2\n", "crowd-3\n"]);
    expect(serverPids(m)).toHaveLength(1);
    const port = String(m.sshd!.port);
    expect(masters().filter(({ argv }) => argv[argv.indexOf("-p") + 1] === port)).toHaveLength(1);
    expect((await onHost(m, ["end", "crowd"])).code).toBe(0);
  }, 120_000);

  test("read --follow streams output as it comes", async () => {
    const m = machines.ready;
    await startShell(m, "talker");
    await onHost(m, ["read", "talker", "--wait", "--timeout", "10000"]);
    const follow = Bun.spawn([BIN, ...hostArgs(m), "read", "talker", "--follow"], { env: box.env, cwd: box.dir, stdout: "pipe", stderr: "pipe" });
    let seen = "";
    const reader = (async () => {
      for await (const chunk of follow.stdout) seen += new TextDecoder().decode(chunk);
    })();
    await onHost(m, ["write", "talker", "echo first-$((1 + 1))\\r"]);
    await waitFor("the first line through --follow", () => seen.includes("first-2"), 20_000);
    await onHost(m, ["write", "talker", "exit\\r"]);
    expect(await follow.exited).toBe(0);
    await reader;
  }, 120_000);

  test("a caller that goes away during a call does not take the remote server down", async () => {
    const m = machines.ready;
    await startShell(m, "left");
    const servers = serverPids(m);
    const follow = Bun.spawn([BIN, ...hostArgs(m), "read", "left", "--follow"], { env: box.env, cwd: box.dir, stdout: "pipe", stderr: "ignore" });
    let seen = "";
    void (async () => {
      for await (const chunk of follow.stdout) seen += new TextDecoder().decode(chunk);
    })();
    await onHost(m, ["write", "left", "echo one-$((0 + 1))\\r"]);
    await waitFor("output through --follow", () => seen.includes("one-1"), 20_000);
    follow.kill("SIGKILL");
    await follow.exited;
    // The server's writes to the caller now fail: the call ends there, the server carries on.
    await onHost(m, ["write", "left", "echo two-$((1 + 1))\\r"]);
    expect((await onHost(m, ["exec", "left", "echo three"])).stdout).toBe("three\n");
    expect(serverPids(m)).toEqual(servers);
    expect((await onHost(m, ["end", "left"])).code).toBe(0);
    expect(serverPids(m)).toEqual(servers);
  }, 120_000);

  test("attach --host is interactive (ssh -t)", async () => {
    const m = machines.ready;
    await startShell(m, "people");
    const term = new PtyProgram([BIN, ...hostArgs(m), "attach", "people"], box.env);
    try {
      await waitFor("the attached screen", () => term.output.includes("bash-"), 20_000);
      term.write("echo attached-$((2 + 3))\r");
      await waitFor("the command's output in the terminal", () => term.output.includes("attached-5"), 20_000);
      term.write("\x1c");
      await waitFor("attach to end on Ctrl-\\", () => term.exited(), 20_000);
    } finally {
      term.dispose();
    }
    expect((await onHost(m, ["exec", "people", "echo still-here"])).stdout).toBe("still-here\n");
    await onHost(m, ["end", "people"]);
  }, 120_000);

  test("mcp --host serves the remote machine's sessions", async () => {
    const m = machines.ready;
    const mcp = await McpSession.open(box, [], { command: BIN, commandArgs: [...hostArgs(m), "mcp"] });
    try {
      const sh = await mcp.ok("start", { command: ["bash", "--norc", "-i"], name: "by-mcp" });
      box.track(sh.pid, sh.holder_pid);
      expect(await mcp.ok("exec", { session: "by-mcp", command: "echo $((6 * 7)); (exit 4)" })).toMatchObject({ output: "42\n", exit_code: 4 });
    } finally {
      await mcp.close();
    }
    expect(existsSync(join(m.home, ".sessions"))).toBe(true);
    expect((await onHost(m, ["status", "by-mcp"])).json.status).toBe("running");
    await onHost(m, ["end", "by-mcp"]);
  }, 120_000);

  test("a closed port is HOST_UNREACHABLE, exec's exit code stays 125", async () => {
    const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = probe.port;
    probe.stop(true);
    const opts = machines.ready.sshd!.clientOptions().flatMap((o) => ["--ssh-option", o]);
    const r = await box.run(["--host", `localhost:${port}`, ...opts, "list"]);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ code: "HOST_UNREACHABLE", host: `localhost:${port}` });
    expect(r.json.error).toContain("refused");
    const ex = await box.run(["--host", `localhost:${port}`, ...opts, "exec", "x", "true"]);
    expect(ex.code).toBe(125);
    expect(ex.json.code).toBe("HOST_UNREACHABLE");
  }, 60_000);

  test("bad --host and --ssh-option values are usage errors", async () => {
    expect((await box.run(["--host", "-oProxyCommand=x", "list"])).json.code).toBe("INVALID_ARGUMENT");
    expect((await box.run(["--host", "h:99999", "list"])).json.code).toBe("INVALID_ARGUMENT");
    expect((await box.run(["--host", "h", "--ssh-option", "novalue", "list"])).json.code).toBe("INVALID_ARGUMENT");
    expect((await box.run(["--host"])).code).toBe(2);
    // $DELTA_SESSIONS_HOST is the default host.
    expect((await box.run(["list"], { env: { DELTA_SESSIONS_HOST: "-bad" } })).json.code).toBe("INVALID_ARGUMENT");
  });

  test("a machine without delta-sessions: REMOTE_NOT_INSTALLED with the fix; install-remote; another version is refused", async () => {
    const m = machines.bare;
    const missing = await onHost(m, ["list"]);
    expect(missing.code).toBe(1);
    expect(missing.json).toMatchObject({ code: "REMOTE_NOT_INSTALLED", fix: `delta-sessions install-remote localhost:${m.sshd!.port}` });

    const version = (await box.run(["--version"])).stdout.trim();
    const opts = m.sshd!.clientOptions().flatMap((o) => ["--ssh-option", o]);
    const installed = await box.run([...opts, "install-remote", `localhost:${m.sshd!.port}`]);
    expect(installed.code).toBe(0);
    expect(installed.json).toMatchObject({ status: "installed", path: join(m.home, ".local", "bin", "delta-sessions"), version, platform: `linux-${process.arch}` });
    expect((await onHost(m, ["list"])).json).toEqual([]);

    // The same program built as another version: install-remote says so, and so does every call
    // once the server of the right version is gone.
    const other = join(box.dir, "other", "delta-sessions");
    const build = Bun.spawnSync(
      [process.execPath, "build", ...buildFlags(), "--define", 'DELTA_SESSIONS_VERSION="0.0.0-other"', "--define", 'DELTA_SESSIONS_COMMIT=""', join(import.meta.dir, "../../src/main.ts"), "--outfile", other],
      { stdout: "ignore", stderr: "pipe" },
    );
    expect(build.stderr.toString()).not.toContain("error");
    const wrong = await box.run([...opts, "install-remote", "--binary", other, `localhost:${m.sshd!.port}`]);
    expect(wrong.code).toBe(1);
    expect(wrong.json).toMatchObject({ code: "REMOTE_VERSION_MISMATCH", local_version: version, remote_version: "delta-sessions 0.0.0-other" });
    for (const pid of serverPids(m)) {
      kill(pid);
      await waitFor("the remote server to end", () => !isAlive(pid));
    }
    const refused = await onHost(m, ["list"]);
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ code: "REMOTE_VERSION_MISMATCH", remote_version: "delta-sessions 0.0.0-other" });
    expect(refused.json.error).toContain("install-remote");
    // Put the right one back: the other version's server, if any, idles out; end it now.
    expect((await box.run([...opts, "install-remote", `localhost:${m.sshd!.port}`])).code).toBe(0);
    expect((await onHost(m, ["list"])).json).toEqual([]);
  }, 180_000);
});

// A second account, made for the test (root only) and removed after: --host USER@HOST logs in as
// it, install-remote puts the binary in its home, and its sessions run as it.
const OTHER = `dsrem${process.pid}`;
const whyNoOther = whyNot ?? (process.getuid?.() !== 0 ? "needs root to add a user" : !Bun.which("useradd") ? "useradd is not installed" : null);

describe.skipIf(whyNoOther !== null)(`another user on the machine${whyNoOther ? ` (skipped: ${whyNoOther})` : ""}`, () => {
  const home = join(box.dir, "home-other");
  const runtime = join(box.dir, "rrun-other");
  let sshd: TestSshd | null = null;
  let uid = 0;
  let target = "";
  let opts: string[] = [];

  beforeAll(async () => {
    // No password, but not locked ("!"): sshd refuses a locked account even its keys.
    const add = Bun.spawnSync(["useradd", "--password", "*", "--no-create-home", "--home-dir", home, "--user-group", "--shell", "/bin/sh", OTHER], { stderr: "pipe" });
    if (add.exitCode !== 0) throw new Error(`useradd: ${add.stderr.toString()}`);
    uid = Number(Bun.spawnSync(["id", "-u", OTHER], { stdout: "pipe" }).stdout.toString().trim());
    // The sandbox around the home must let the user through.
    chmodSync(box.dir, 0o755);
    sshd = new TestSshd(join(box.dir, "sshd-other"), { PATH: "/usr/bin:/bin", DELTA_SESSIONS_RUNTIME_DIR: runtime }, "%h/.ssh/authorized_keys");
    mkdirSync(runtime, { mode: 0o700 });
    Bun.spawnSync(["chown", `${OTHER}:${OTHER}`, runtime]);
    mkdirSync(join(home, ".ssh"), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, ".ssh", "authorized_keys"), readFileSync(`${sshd.userKey}.pub`), { mode: 0o600 });
    Bun.spawnSync(["chown", "-R", `${OTHER}:${OTHER}`, home]);
    await sshd.start();
    target = `${OTHER}@localhost:${sshd.port}`;
    opts = sshd.clientOptions().flatMap((o) => ["--ssh-option", o]);
  });

  afterAll(async () => {
    if (sshd) {
      await box.run(["--host", target, ...opts, "end", "--all", "--grace", "500"]);
      for (const pid of serverPids({ runtime })) kill(pid);
      for (const { pid, argv } of masters()) if (argv[argv.indexOf("-p") + 1] === String(sshd.port)) kill(pid);
      sshd.stop();
    }
    // userdel refuses while the user has processes: every one was ended above, and the last
    // holder's exit status may still wait for init to collect it.
    if (uid > 0) await waitFor(`${OTHER}'s processes to be gone`, () => Bun.spawnSync(["pgrep", "-u", String(uid)]).exitCode === 1, 30_000);
    const del = Bun.spawnSync(["userdel", OTHER], { stderr: "pipe" });
    if (del.exitCode !== 0) throw new Error(`userdel ${OTHER}: ${del.stderr.toString()}`);
  });

  test("install-remote USER@HOST, then sessions run as that user in its home", async () => {
    const installed = await box.run([...opts, "install-remote", target]);
    expect(installed.json).toMatchObject({ status: "installed", path: join(home, ".local", "bin", "delta-sessions") });
    const st = await box.run(["--host", target, ...opts, "start", "--name", "theirs", "--", "bash", "--norc", "-i"]);
    expect(st.code).toBe(0);
    box.track(st.json.pid, st.json.holder_pid);
    expect(st.json.cwd).toBe(home);
    for (const pid of [st.json.pid, st.json.holder_pid]) expect(statSync(`/proc/${pid}`).uid).toBe(uid);
    expect((await box.run(["--host", target, ...opts, "exec", "theirs", "id -un"])).stdout).toBe(`${OTHER}\n`);
    // Its sessions are its own: root's machines' sessions are not among them.
    expect((await box.run(["--host", target, ...opts, "list"])).json.map((s: { name: string }) => s.name)).toEqual(["theirs"]);
    expect((await box.run(["--host", target, ...opts, "end", "theirs"])).code).toBe(0);
  }, 120_000);
});

test.skipIf(whyNot !== null)("the console examples of docs/remote.md, with build-box in an ssh config", async () => {
  const m = machines.docs;
  // The user's ssh configuration names the machine: here a config file given to the real ssh.
  const config = join(box.dir, "ssh_config");
  writeFileSync(
    config,
    ["Host build-box", "  HostName 127.0.0.1", `  Port ${m.sshd!.port}`, ...m.sshd!.clientOptions().map((o) => `  ${o.replace("=", " ")}`), ""].join("\n"),
  );
  const wrapperDir = join(box.dir, "ssh-with-config");
  mkdirSync(wrapperDir);
  writeFileSync(join(wrapperDir, "ssh"), `#!/bin/sh\nexec ${Bun.which("ssh")} -F ${config} "$@"\n`, { mode: 0o755 });
  const cwd = join(box.dir, "demo-remote");
  mkdirSync(cwd);
  const env = { ...box.env, PATH: `${wrapperDir}:${dirname(BIN)}:${process.env.PATH}` };
  const doc = resolve(import.meta.dir, "../../docs/remote.md");
  const blocks = findConsoleBlocks("docs/remote.md", readFileSync(doc, "utf8"));
  expect(blocks.length).toBeGreaterThan(2);
  for (const block of blocks) {
    const drift = await runConsoleBlock(block, { cwd, env, dirs: { [m.home]: "/home/me", [cwd]: "/tmp/demo" } });
    if (drift) expect({ line: block.line, command: drift.command, printed: drift.printed }).toEqual({ line: block.line, command: drift.command, printed: drift.shown });
  }
}, 180_000);

/** Why containers cannot be tested here, or null: a docker engine and a Debian image are needed. */
function whyNoDocker(): string | null {
  if (!Bun.which("docker")) return "docker is not installed";
  const info = Bun.spawnSync(["docker", "info"], { stdout: "ignore", stderr: "pipe" });
  if (info.exitCode !== 0) return `no docker engine answers here (${info.stderr.toString().trim().split("\n").pop()})`;
  const image = Bun.spawnSync(["docker", "image", "inspect", DOCKER_IMAGE], { stdout: "ignore", stderr: "ignore" });
  if (image.exitCode !== 0) return `the image ${DOCKER_IMAGE} is not here (docker pull ${DOCKER_IMAGE})`;
  return null;
}
const DOCKER_IMAGE = "debian:bookworm-slim";
const whyNotDocker = whyNoDocker();
if (whyNotDocker) console.warn(`skipping the docker:NAME test: ${whyNotDocker}`);

test.skipIf(!Bun.which("docker") || whyNotDocker === null)("docker:NAME without a docker engine is HOST_UNREACHABLE", async () => {
  const r = await box.run(["--host", "docker:no-such-container", "list"]);
  expect(r.code).toBe(1);
  expect(r.json).toMatchObject({ code: "HOST_UNREACHABLE", host: "docker:no-such-container" });
});

test.skipIf(whyNotDocker !== null)("docker:NAME: install-remote, then sessions run in the container", async () => {
  const name = `ds-test-${process.pid}`;
  const run = Bun.spawnSync(["docker", "run", "-d", "--rm", "--name", name, DOCKER_IMAGE, "sleep", "600"], { stderr: "pipe" });
  expect(run.exitCode).toBe(0);
  try {
    expect((await box.run(["--host", `docker:${name}`, "list"])).json.code).toBe("REMOTE_NOT_INSTALLED");
    const installed = await box.run(["install-remote", `docker:${name}`]);
    expect(installed.json).toMatchObject({ status: "installed", path: "/root/.local/bin/delta-sessions" });
    const st = await box.run(["--host", `docker:${name}`, "start", "--name", "in-box", "--", "bash", "--norc", "-i"]);
    expect(st.code).toBe(0);
    const ex = await box.run(["--host", `docker:${name}`, "exec", "in-box", "echo $((6 * 7)); (exit 5)"]);
    expect(ex).toMatchObject({ code: 5, stdout: "42\n" });
    expect((await box.run(["--host", `docker:${name}`, "end", "in-box"])).code).toBe(0);
  } finally {
    Bun.spawnSync(["docker", "rm", "-f", name], { stdout: "ignore", stderr: "ignore" });
  }
}, 180_000);
