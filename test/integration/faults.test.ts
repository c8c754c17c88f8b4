// The failure model (docs/reliability.md, "Faults"): what happens when the holder, the program,
// the socket, the metadata or the file system fail, checked from separate processes after the
// fact. Each test names the line of the failure model it proves.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findProcesses, isGone, makeStaleSocket, sh, whyNoMount } from "../helpers/proc.ts";
import { Sandbox, waitFor } from "../helpers/sandbox.ts";

const sockOf = (box: Sandbox, id: string) => join(box.runtimeDir, `${id}.sock`);
const sessionDirs = (box: Sandbox) => (existsSync(box.sessionsDir) ? readdirSync(box.sessionsDir).filter((f) => f.startsWith("sess_")) : []);
const sockets = (box: Sandbox) => (existsSync(box.runtimeDir) ? readdirSync(box.runtimeDir) : []);

describe("F1 holder killed with SIGKILL", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("the program gets SIGHUP and goes; every command reports the crash; end and cleanup remove it", async () => {
    const marker = join(box.dir, "hup-marker");
    // The program records the hangup it gets when the holder's PTY master disappears.
    const s = await box.start(["bash", "--norc", "-c", `trap 'echo got-SIGHUP > ${marker}; exit 0' HUP; echo ready; while :; do sleep 0.05; done`]);
    await box.run(["read", s.session_id, "--timeout", "5000", "--until", "ready"]);
    process.kill(s.holder_pid, "SIGKILL");
    await waitFor("holder gone", () => isGone(s.holder_pid));
    await waitFor("program gone", () => isGone(s.pid));
    await waitFor("hangup recorded", () => existsSync(marker));
    expect(readFileSync(marker, "utf8").trim()).toBe("got-SIGHUP");

    const status = await box.run(["status", s.session_id]);
    expect(status.code).toBe(0);
    expect(status.json).toMatchObject({ status: "crashed", alive: false });
    for (const args of [["read"], ["read", "--screen"], ["write", "x"], ["write-key", "enter"], ["resize", "80", "24"], ["wait"]]) {
      const [cmd, ...rest] = args;
      const r = await box.run([cmd!, s.session_id, ...rest]);
      expect({ args, code: r.code, json: r.json.code }).toEqual({ args, code: 1, json: "HOLDER_UNREACHABLE" });
      expect(r.stderr).toContain("crashed");
    }
    // end removes a crashed session (with its socket) like cleanup does.
    const end = await box.run(["end", s.session_id]);
    expect(end.code).toBe(0);
    expect(end.json).toMatchObject({ status: "terminated", session_id: s.session_id, exit_code: null, signal: null });
    expect(sessionDirs(box)).toEqual([]);
    expect(sockets(box)).toEqual([]);
  });

  test("a crashed session is still crashed 10 s later, and cleanup leaves nothing behind", async () => {
    const s = await box.start(["sleep", "600"]);
    process.kill(s.holder_pid, "SIGKILL");
    await waitFor("program gone", () => isGone(s.pid));
    await Bun.sleep(10_000);
    expect((await box.run(["list"])).json.find((x: any) => x.session_id === s.session_id)?.status).toBe("crashed");
    const cleanup = await box.run(["cleanup"]);
    expect(cleanup.json).toEqual({ cleaned: [s.session_id], remaining: [] });
    expect(sessionDirs(box)).toEqual([]);
    expect(sockets(box)).toEqual([]);
  }, 30_000);
});

describe("F1b machine crash (holder, program and the runtime directory's contents all gone)", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("the session shows as crashed, commands say so, cleanup removes it", async () => {
    const s = await box.start(["sleep", "600"]);
    process.kill(s.holder_pid, "SIGKILL");
    process.kill(s.pid, "SIGKILL");
    await waitFor("both gone", () => isGone(s.holder_pid) && isGone(s.pid));
    // A reboot empties /run/user and /tmp: the socket is gone too.
    require("node:fs").unlinkSync(sockOf(box, s.session_id));
    expect((await box.run(["status", s.session_id])).json).toMatchObject({ status: "crashed", alive: false });
    const read = await box.run(["read", s.session_id]);
    expect(read.json.code).toBe("HOLDER_UNREACHABLE");
    expect(read.stderr).toContain("is gone; 'delta-sessions cleanup' removes it");
    expect((await box.run(["cleanup"])).json).toEqual({ cleaned: [s.session_id], remaining: [] });
    expect(sessionDirs(box)).toEqual([]);
  });
});

describe("F1c holder frozen (SIGSTOP)", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("commands fail in bounded time instead of hanging, cleanup spares it, and it carries on after SIGCONT", async () => {
    const s = await box.start(["cat"]);
    process.kill(s.holder_pid, "SIGSTOP");
    try {
      const t0 = Date.now();
      const w = await box.run(["write", s.session_id, "frozen?"]);
      expect(Date.now() - t0).toBeLessThan(8_000);
      expect(w.code).toBe(1);
      expect(w.json.code).toBe("HOLDER_UNREACHABLE");
      expect(w.stderr).toContain("does not answer");
      // Not crashed: the holder exists (SPEC §3a "Status values"), so nobody should end it for dead.
      const status = await box.run(["status", s.session_id]);
      expect(status.json).toMatchObject({ status: "unresponsive", alive: true, holder_pid: s.holder_pid });
      expect((await box.run(["list"])).json.find((x: any) => x.session_id === s.session_id)).toMatchObject({ status: "unresponsive" });
      expect((await box.run(["cleanup"])).json.remaining).toEqual([s.session_id]);
    } finally {
      process.kill(s.holder_pid, "SIGCONT");
    }
    expect((await box.run(["status", s.session_id])).json.status).toBe("running");
    const w = await box.run(["write", s.session_id, "thawed\\n"]);
    expect((await box.run(["read", s.session_id, "--since", String(w.json.offset), "--timeout", "5000", "--until", "thawed"])).stdout).toContain("thawed");
  }, 30_000);

  test("end still ends a stopped holder's session: it is resumed and ends its program properly", async () => {
    const s = await box.start(["sleep", "600"]);
    process.kill(s.holder_pid, "SIGSTOP");
    const end = await box.run(["end", s.session_id]);
    expect(end.json).toMatchObject({ status: "terminated", session_id: s.session_id, signal: "SIGHUP" });
    await waitFor("holder and program gone", () => isGone(s.holder_pid) && isGone(s.pid));
    expect(sessionDirs(box)).not.toContain(s.session_id);
  }, 30_000);
});

describe("F2 holder gets SIGTERM", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("the program's whole process group ends, the final state is stored, output stays readable", async () => {
    // A background job in the program's group must go too.
    const s = await box.start(["sh", "-c", "sleep 4242.25 & echo bg=$!; echo term-test-ready; wait"]);
    const first = await box.run(["read", s.session_id, "--peek", "--timeout", "5000", "--until", "term-test-ready"]);
    const bgPid = Number(/bg=(\d+)/.exec(first.stdout)![1]);
    expect(isGone(bgPid)).toBe(false);
    process.kill(s.holder_pid, "SIGTERM");
    await waitFor("holder gone", () => isGone(s.holder_pid));
    expect(isGone(s.pid)).toBe(true);
    expect(isGone(bgPid)).toBe(true);
    expect(findProcesses(["sleep", "4242.25"])).toEqual([]);

    const status = await box.run(["status", s.session_id]);
    expect(status.json).toMatchObject({ status: "exited", alive: false, exit_code: null, signal: "SIGHUP" });
    const read = await box.run(["read", s.session_id, "--all", "--json"]);
    expect(read.json.output).toContain("term-test-ready");
    expect(read.json).toMatchObject({ status: "exited", signal: "SIGHUP" });
    expect((await box.run(["wait", s.session_id])).json).toMatchObject({ status: "exited", signal: "SIGHUP" });
    expect(existsSync(sockOf(box, s.session_id))).toBe(false);
    expect(readFileSync(join(box.sessionsDir, s.session_id, "holder.log"), "utf8")).toContain("SIGTERM");
  });
});

describe("F3 the program is killed by a signal", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  for (const signal of ["SIGKILL", "SIGTERM", "SIGSEGV"] as const) {
    test(`${signal}: reported by name with exit_code null, by wait, status, list and read`, async () => {
      const s = await box.start(["sleep", "600"]);
      process.kill(s.pid, signal);
      const wait = await box.run(["wait", s.session_id, "--timeout", "10000"]);
      expect(wait.json).toEqual({ session_id: s.session_id, status: "exited", exit_code: null, signal });
      expect((await box.run(["status", s.session_id])).json).toMatchObject({ status: "exited", exit_code: null, signal });
      expect((await box.run(["list"])).json.find((x: any) => x.session_id === s.session_id)).toMatchObject({ status: "exited", exit_code: null });
      expect((await box.run(["read", s.session_id, "--json"])).json).toMatchObject({ status: "exited", exit_code: null, signal });
      const write = await box.run(["write", s.session_id, "x"]);
      expect(write.code).toBe(1);
      expect(write.json.code).toBe("SESSION_EXITED");
      expect(write.stderr).toContain(signal);
    });
  }
});

describe("F4 a socket file with no listener", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("is never taken for a live session, and cleanup removes it", async () => {
    // A session whose holder died and left its socket, and then something bound the same path.
    const s = await box.start(["sleep", "600"]);
    process.kill(s.holder_pid, "SIGKILL");
    await waitFor("holder gone", () => isGone(s.holder_pid));
    require("node:fs").unlinkSync(sockOf(box, s.session_id));
    makeStaleSocket(sockOf(box, s.session_id));
    expect(statSync(sockOf(box, s.session_id)).isSocket()).toBe(true);
    const status = await box.run(["status", s.session_id]);
    expect(status.json.status).toBe("crashed");
    const write = await box.run(["write", s.session_id, "hello"]);
    expect(write.json.code).toBe("HOLDER_UNREACHABLE");

    // Orphan sockets of no known session: an old one goes, a fresh one (a holder may be starting) stays.
    const old = join(box.runtimeDir, "sess_0123456789ab.sock");
    const fresh = join(box.runtimeDir, "sess_ba9876543210.sock");
    makeStaleSocket(old);
    makeStaleSocket(fresh);
    const past = new Date(Date.now() - 60_000);
    utimesSync(old, past, past);
    const cleanup = await box.run(["cleanup"]);
    expect(cleanup.json).toEqual({ cleaned: [s.session_id], remaining: [] });
    expect(existsSync(sockOf(box, s.session_id))).toBe(false);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  test("a socket that accepts but never greets is reported unreachable in bounded time, and cleanup spares it", async () => {
    const s = await box.start(["sleep", "600"]);
    process.kill(s.holder_pid, "SIGKILL");
    await waitFor("holder gone", () => isGone(s.holder_pid));
    require("node:fs").unlinkSync(sockOf(box, s.session_id));
    const silent = Bun.listen({ unix: sockOf(box, s.session_id), socket: { data() {} } });
    try {
      const t0 = Date.now();
      const status = await box.run(["status", s.session_id]);
      expect(status.json.status).toBe("crashed");
      expect(Date.now() - t0).toBeLessThan(9_000);
      const cleanup = await box.run(["cleanup"]);
      expect(cleanup.json.remaining).toContain(s.session_id);
      expect(sessionDirs(box)).toContain(s.session_id);
    } finally {
      silent.stop(true);
    }
  }, 30_000);
});

describe("F5 the socket file is deleted under a live holder", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("SIGUSR1 makes the holder re-create it (0600), and the session carries on", async () => {
    const s = await box.start(["bash", "--norc", "-i"]);
    await box.run(["write", s.session_id, "echo before$((1+1))\\n"]);
    await box.run(["read", s.session_id, "--timeout", "5000", "--until", "before2"]);
    require("node:fs").unlinkSync(sockOf(box, s.session_id));
    const lost = await box.run(["write", s.session_id, "x"]);
    expect(lost.code).toBe(1);
    expect(lost.json.code).toBe("HOLDER_UNREACHABLE");
    expect(lost.stderr).toContain(`kill -USR1 ${s.holder_pid}`);
    expect((await box.run(["status", s.session_id])).json).toMatchObject({ status: "unresponsive", alive: true });
    // cleanup must not throw away a session whose holder still runs.
    expect((await box.run(["cleanup"])).json.remaining).toContain(s.session_id);

    process.kill(s.holder_pid, "SIGUSR1");
    await waitFor("socket back", () => existsSync(sockOf(box, s.session_id)));
    expect(statSync(sockOf(box, s.session_id)).mode & 0o777).toBe(0o600);
    const status = await box.run(["status", s.session_id]);
    expect(status.json).toMatchObject({ status: "running", holder_pid: s.holder_pid, pid: s.pid });
    await box.run(["write", s.session_id, "echo after$((2+2))\\n"]);
    const read = await box.run(["read", s.session_id, "--timeout", "5000", "--until", "after4"]);
    expect(read.stdout).toContain("after4");
    expect(readFileSync(join(box.sessionsDir, s.session_id, "holder.log"), "utf8")).toContain("socket re-created on SIGUSR1");
  });

  test("end of a session whose socket is gone brings the socket back and ends the holder properly", async () => {
    const s = await box.start(["sleep", "600"]);
    require("node:fs").unlinkSync(sockOf(box, s.session_id));
    const end = await box.run(["end", s.session_id]);
    expect(end.json).toMatchObject({ status: "terminated", signal: "SIGHUP" });
    await waitFor("holder and program gone", () => isGone(s.holder_pid) && isGone(s.pid));
    expect(sessionDirs(box)).not.toContain(s.session_id);
    expect(existsSync(sockOf(box, s.session_id))).toBe(false);
  });
});

describe("F6 a reused PID in the metadata", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("is never taken for the holder: identity is asked over the socket", async () => {
    const s = await box.start(["sleep", "600"]);
    // An unrelated live process now owns the PIDs the metadata names.
    const impostor = Bun.spawn(["sleep", "4242.5"]);
    box.track(impostor.pid);
    const metaPath = join(box.sessionsDir, s.session_id, "metadata.json");
    const meta = JSON.parse(readFileSync(metaPath, "utf8"));
    writeFileSync(metaPath, JSON.stringify({ ...meta, holder_pid: impostor.pid, pid: impostor.pid }));
    // While the real holder answers, the session is running whatever the metadata says.
    expect((await box.run(["status", s.session_id])).json.status).toBe("running");

    process.kill(s.holder_pid, "SIGKILL");
    await waitFor("holder gone", () => isGone(s.holder_pid));
    const status = await box.run(["status", s.session_id]);
    expect(status.json).toMatchObject({ status: "crashed", alive: false, holder_pid: impostor.pid });
    expect((await box.run(["read", s.session_id])).json.code).toBe("HOLDER_UNREACHABLE");
    // Neither end nor cleanup touches the process that merely has the recorded PID.
    expect((await box.run(["end", s.session_id])).code).toBe(0);
    expect(isGone(impostor.pid)).toBe(false);
    expect(impostor.exitCode).toBeNull();
    impostor.kill("SIGKILL");
  });
});

describe("F7 the sessions directory cannot be written", () => {
  const box = new Sandbox();
  const noMount = whyNoMount(box.dir);
  afterAll(() => box.dispose());

  test("a file where the sessions directory should be: clear IO_ERROR, nothing created", async () => {
    const file = join(box.dir, "not-a-dir");
    writeFileSync(file, "x");
    for (const dir of [file, join(file, "sub")]) {
      const r = await box.run(["start", "sleep", "4242.75"], { env: { DELTA_SESSIONS_DIR: dir } });
      expect(r.code).toBe(1);
      expect(r.json.code).toBe("IO_ERROR");
      expect(r.stderr).toMatch(/not a directory/);
      expect(r.json.error).toContain(file);
    }
    expect(readFileSync(file, "utf8")).toBe("x");
    expect(findProcesses(["sleep", "4242.75"])).toEqual([]);
    expect(sockets(box)).toEqual([]);
  });

  describe.skipIf(noMount !== null)(`on real mounts${noMount ? ` (skipped: ${noMount})` : ""}`, () => {
    const mounts: string[] = [];
    const mount = (...args: string[]) => {
      const r = sh(["mount", ...args]);
      if (r.code !== 0) throw new Error(`mount ${args.join(" ")}: ${r.out}`);
      mounts.push(args[args.length - 1]!);
    };
    afterAll(() => {
      for (const m of mounts.reverse()) sh(["umount", "-l", m]);
    });

    test("read-only file system: start fails with a clear error and leaves nothing", async () => {
      const ro = join(box.dir, "ro");
      mkdirSync(ro);
      mount("--bind", ro, ro);
      mount("-o", "remount,bind,ro", ro);
      const dir = join(ro, "sessions");
      const r = await box.run(["start", "sleep", "4242.75"], { env: { DELTA_SESSIONS_DIR: dir } });
      expect(r.code).toBe(1);
      expect(r.json).toMatchObject({ code: "IO_ERROR" });
      expect(r.stderr).toContain("read-only file system");
      expect(existsSync(dir)).toBe(false);
      expect(findProcesses(["sleep", "4242.75"])).toEqual([]);
      expect(sockets(box)).toEqual([]);
      // Read-only commands still work there.
      const list = await box.run(["list"], { env: { DELTA_SESSIONS_DIR: dir } });
      expect(list.json).toEqual([]);
    });

    test("full file system: start fails with a clear error, no half-written metadata, no socket, no program", async () => {
      const full = join(box.dir, "full");
      mkdirSync(full);
      mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", full);
      const dir = join(full, "sessions");
      mkdirSync(dir, { mode: 0o700 });
      writeFileSync(join(dir, ".gitignore"), "*\n");
      // Fill it to the last byte.
      sh(["dd", "if=/dev/zero", `of=${join(full, "filler")}`, "bs=4k"]);
      const r = await box.run(["start", "sleep", "4242.75"], { env: { DELTA_SESSIONS_DIR: dir } });
      expect(r.code).toBe(1);
      expect(r.json.code).toBe("IO_ERROR");
      expect(r.stderr).toContain("no space left on device");
      expect(readdirSync(dir)).toEqual([".gitignore"]);
      expect(findProcesses(["sleep", "4242.75"])).toEqual([]);
      expect(sockets(box)).toEqual([]);
    });

    test("the file system turns read-only or full while sessions run: no output is lost, the holder keeps it until end", async () => {
      for (const kind of ["read-only", "full"] as const) {
        const base = join(box.dir, `late-${kind}`);
        mkdirSync(base);
        if (kind === "full") mount("-t", "tmpfs", "-o", "size=256k", "tmpfs", base);
        else mount("--bind", base, base);
        const env = { DELTA_SESSIONS_DIR: join(base, "sessions") };
        const s = await box.start(["sh", "-c", "read line; echo got-$line; exit 7"], { env });
        if (kind === "full") sh(["dd", "if=/dev/zero", `of=${join(base, "filler")}`, "bs=4k"]);
        else mount("-o", "remount,bind,ro", base);
        await box.run(["write", s.session_id, "late\\n"], { env });
        // The program exits; its final state cannot be written, so the holder keeps serving it.
        const wait = await box.run(["wait", s.session_id, "--timeout", "10000"], { env });
        expect(wait.json).toMatchObject({ status: "exited", exit_code: 7 });
        await Bun.sleep(1_000);
        expect(isGone(s.holder_pid)).toBe(false);
        const read = await box.run(["read", s.session_id, "--all", "--json"], { env });
        expect(read.json.output).toContain("got-late");
        expect((await box.run(["status", s.session_id], { env })).json).toMatchObject({ status: "exited", exit_code: 7 });
        // Once the file system is back, cleanup takes the exited session like any other.
        if (kind === "full") require("node:fs").unlinkSync(join(base, "filler"));
        else mount("-o", "remount,bind,rw", base);
        const cleanup = await box.run(["cleanup"], { env });
        expect(cleanup.json.cleaned).toContain(s.session_id);
        await waitFor("holder gone", () => isGone(s.holder_pid));
        expect(existsSync(join(base, "sessions", s.session_id))).toBe(false);
      }
    });
  });
});

describe("F8 two starts with the same name at once", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  async function race(n: number, marker: string): Promise<void> {
    const results = await Promise.all(Array.from({ length: n }, () => box.run(["start", "--name", "same", "sleep", marker])));
    const winners = results.filter((r) => r.code === 0);
    const losers = results.filter((r) => r.code !== 0);
    expect(winners.length).toBe(1);
    for (const l of losers) {
      expect(l.code).toBe(1);
      expect(l.json.code).toBe("NAME_TAKEN");
    }
    const won = winners[0]!.json;
    box.track(won.pid, won.holder_pid);
    // The losers left nothing: one session directory, one socket, one program.
    expect(sessionDirs(box)).toEqual([won.session_id]);
    expect(sockets(box)).toEqual([`${won.session_id}.sock`]);
    expect(findProcesses(["sleep", marker])).toEqual([won.pid]);
    expect((await box.run(["status", "same"])).json.session_id).toBe(won.session_id);
    expect((await box.run(["end", "same"])).code).toBe(0);
  }

  test("exactly one of two wins, five rounds", async () => {
    for (let round = 0; round < 5; round++) await race(2, "4243.1");
  }, 60_000);

  test("exactly one of eight wins", async () => {
    await race(8, "4243.2");
  });

  test("exactly one of eight wins when a stale name link (its session removed by hand) is taken over", async () => {
    mkdirSync(join(box.sessionsDir, ".names"), { recursive: true });
    for (let round = 0; round < 3; round++) {
      require("node:fs").symlinkSync("sess_000000000000", join(box.sessionsDir, ".names", "same"));
      await race(8, "4243.3");
    }
  }, 60_000);
});

describe("F9 a start killed before its holder was ready", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("cleanup removes an old session directory without metadata, and spares a fresh one", async () => {
    await box.start(["sleep", "600"]);
    const old = join(box.sessionsDir, "sess_00000000dead");
    const fresh = join(box.sessionsDir, "sess_00000000beef");
    mkdirSync(old, { mode: 0o700 });
    mkdirSync(fresh, { mode: 0o700 });
    const past = new Date(Date.now() - 10 * 60_000);
    utimesSync(old, past, past);
    const cleanup = await box.run(["cleanup"]);
    expect(cleanup.json.cleaned).toEqual(["sess_00000000dead"]);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  test("a start whose CLI is killed at once still yields a complete, listed, usable session", async () => {
    const proc = Bun.spawn([require("../helpers/sandbox.ts").BIN, "start", "sleep", "4243.4"], { env: box.env, cwd: box.dir, stdout: "ignore", stderr: "ignore" });
    await waitFor("program spawned", () => findProcesses(["sleep", "4243.4"]).length === 1);
    proc.kill("SIGKILL");
    await proc.exited;
    await waitFor("session listed", async () => (await box.run(["list"])).json.some((x: any) => x.command[1] === "4243.4"));
    const entry = (await box.run(["list"])).json.find((x: any) => x.command[1] === "4243.4");
    box.track(entry.pid, entry.holder_pid);
    expect(entry.status).toBe("running");
    expect((await box.run(["end", entry.session_id])).code).toBe(0);
  });
});
