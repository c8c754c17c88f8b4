// The baseline tool's own scenarios and its agents' command lines, unchanged, against the binary.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, statSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isAlive, Sandbox, waitFor } from "../helpers/sandbox.ts";

describe("baseline scenarios", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("start / list / status / end", async () => {
    const s = await box.start(["bash", "--norc", "-i"]);
    expect(s.session_id).toMatch(/^sess_[0-9a-f]{12}$/);
    expect(s.status).toBe("running");
    expect(s.name).toBeNull();
    expect(s.command).toEqual(["bash", "--norc", "-i"]);
    expect(s.cols).toBe(120);
    expect(s.rows).toBe(30);
    expect(new Date(s.created_at).toISOString()).toBe(s.created_at);

    const list = await box.run(["list"]);
    expect(list.code).toBe(0);
    const entry = list.json.find((x: any) => x.session_id === s.session_id);
    expect(entry).toMatchObject({ status: "running", pid: s.pid, holder_pid: s.holder_pid, command: ["bash", "--norc", "-i"], exit_code: null });

    const status = await box.run(["status", s.session_id]);
    expect(status.json).toMatchObject({ session_id: s.session_id, status: "running", alive: true, pid: s.pid, holder_pid: s.holder_pid });
    for (const k of ["uptime_seconds", "output_bytes", "unread_bytes", "last_accessed_at", "cwd", "cols", "rows"]) expect(status.json).toHaveProperty(k);

    const end = await box.run(["end", s.session_id]);
    expect(end.code).toBe(0);
    expect(end.json).toMatchObject({ status: "terminated", session_id: s.session_id, signal: "SIGHUP" });
    await waitFor("child and holder gone", () => !isAlive(s.pid) && !isAlive(s.holder_pid));
    expect((await box.run(["list"])).json).toEqual([]);
    expect(readdirSync(box.runtimeDir).filter((f) => f.endsWith(".sock"))).toEqual([]);
    const again = await box.run(["status", s.session_id]);
    expect(again.code).toBe(1);
    expect(again.json.code).toBe("SESSION_NOT_FOUND");
  });

  test("write from three processes, then one read sees all three", async () => {
    const s = await box.start(["bash", "--norc", "-i"]);
    await Promise.all([1, 2, 3].map((i) => box.run(["write", s.session_id, `echo from-writer-${i}$((${i}+100))\\n`])));
    const read = await box.run(["read", s.session_id, "--timeout", "5000", "--until", "^(?=[\\s\\S]*from-writer-1101)(?=[\\s\\S]*from-writer-2102)(?=[\\s\\S]*from-writer-3103)"]);
    for (const i of [1, 2, 3]) expect(read.stdout).toContain(`from-writer-${i}${100 + i}`);
  });

  test("reconnect from another process: the default reader continues where it stopped", async () => {
    const s = await box.start(["bash", "--norc", "-i"]);
    await box.run(["write", s.session_id, "echo first$((1+1))\\n"]);
    expect((await box.run(["read", s.session_id, "--timeout", "5000", "--until", "first2"])).stdout).toContain("first2");
    await box.run(["write", s.session_id, "echo second$((2+1))\\n"]);
    const second = await box.run(["read", s.session_id, "--timeout", "5000", "--until", "second3"]);
    expect(second.stdout).toContain("second3");
    expect(second.stdout).not.toContain("first2");
  });

  test("kill -9 of the holder: status says crashed, the child got SIGHUP, cleanup removes session and socket", async () => {
    const s = await box.start(["bash", "--norc", "-i"]);
    process.kill(s.holder_pid, "SIGKILL");
    await waitFor("holder gone", () => !isAlive(s.holder_pid));
    await waitFor("child hung up", () => !isAlive(s.pid));
    const status = await box.run(["status", s.session_id]);
    expect(status.json.status).toBe("crashed");
    expect(status.json.alive).toBe(false);
    const list = await box.run(["list"]);
    expect(list.json.find((x: any) => x.session_id === s.session_id).status).toBe("crashed");
    const read = await box.run(["read", s.session_id]);
    expect(read.code).toBe(1);
    expect(read.json.code).toBe("HOLDER_UNREACHABLE");
    expect(existsSync(join(box.runtimeDir, `${s.session_id}.sock`))).toBe(true);
    const cleanup = await box.run(["cleanup"]);
    expect(cleanup.json.cleaned).toContain(s.session_id);
    expect(existsSync(join(box.sessionsDir, s.session_id))).toBe(false);
    expect(existsSync(join(box.runtimeDir, `${s.session_id}.sock`))).toBe(false);
  });

  test("an unknown id fails with SESSION_NOT_FOUND (exit 1) for every command", async () => {
    for (const args of [["status"], ["read"], ["write", "x"], ["write-key", "enter"], ["end"], ["wait"], ["resize", "80", "24"]]) {
      const [cmd, ...rest] = args;
      const r = await box.run([cmd!, "sess_000000000000", ...rest]);
      expect(r.code).toBe(1);
      expect(r.json.code).toBe("SESSION_NOT_FOUND");
      expect(r.stderr).toContain("no session");
    }
  });

  test("a command that exits at once keeps its output and exit code readable", async () => {
    const s = await box.start(["sh", "-c", "echo hello; exit 3"]);
    const wait = await box.run(["wait", s.session_id, "--timeout", "10000"]);
    expect(wait.json).toEqual({ session_id: s.session_id, status: "exited", exit_code: 3, signal: null });
    const read = await box.run(["read", s.session_id, "--json"]);
    expect(read.json.output).toBe("hello\r\n");
    expect(read.json.status).toBe("exited");
    expect(read.json.exit_code).toBe(3);
    const status = await box.run(["status", s.session_id]);
    expect(status.json).toMatchObject({ status: "exited", alive: false, exit_code: 3, signal: null, unread_bytes: 0 });
    const screen = await box.run(["read", s.session_id, "--screen"]);
    expect(screen.stdout.split("\n")[0]).toBe("hello");
    expect((await box.run(["list"])).json.find((x: any) => x.session_id === s.session_id)).toMatchObject({ status: "exited", exit_code: 3 });
    const write = await box.run(["write", s.session_id, "x"]);
    expect(write.code).toBe(1);
    expect(write.json.code).toBe("SESSION_EXITED");
    const end = await box.run(["end", s.session_id]);
    expect(end.json).toMatchObject({ status: "terminated", exit_code: 3, signal: null });
    expect(existsSync(join(box.sessionsDir, s.session_id))).toBe(false);
  });
});

describe("the baseline agent's command lines work unchanged", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("start bash -i, printf | write, read --timeout 1000, write-key ctrl+c, end, list", async () => {
    const s = await box.start(["bash", "-i"], { env: { HOME: box.dir, PS1: "$ " } });
    const w = await box.run(["write", s.session_id], { stdin: "echo ab''cd\\n" });
    expect(w.code).toBe(0);
    expect(w.json).toMatchObject({ status: "sent", bytes: 12, session_id: s.session_id });
    expect(typeof w.json.offset).toBe("number");
    let seen = "";
    await waitFor("echo output", async () => {
      seen += (await box.run(["read", s.session_id, "--timeout", "1000"])).stdout;
      return seen.includes("abcd");
    });
    const k = await box.run(["write-key", s.session_id, "ctrl+c"]);
    expect(k.json).toMatchObject({ status: "sent", key: "ctrl+c", keys: ["ctrl+c"], session_id: s.session_id });
    const list = await box.run(["list"]);
    expect(list.json.length).toBe(1);
    const end = await box.run(["end", s.session_id]);
    expect(end.json.status).toBe("terminated");
    expect((await box.run(["list"])).json).toEqual([]);
  });

  test("the sessions directory is private and kept out of git", async () => {
    await box.start(["sleep", "600"]);
    expect(statSync(box.sessionsDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(box.sessionsDir, ".gitignore"), "utf8")).toBe("*\n");
    expect(statSync(box.runtimeDir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(box.runtimeDir)) expect(statSync(join(box.runtimeDir, f)).mode & 0o777).toBe(0o600);
    for (const id of readdirSync(box.sessionsDir).filter((f) => f.startsWith("sess_"))) {
      expect(statSync(join(box.sessionsDir, id)).mode & 0o777).toBe(0o700);
      expect(statSync(join(box.sessionsDir, id, "metadata.json")).mode & 0o777).toBe(0o600);
    }
  });

  test("default sessions directory is ./.sessions", async () => {
    const work = join(box.dir, "proj");
    require("node:fs").mkdirSync(work);
    const s = await box.start(["sleep", "600"], { cwd: work, env: { DELTA_SESSIONS_DIR: undefined } });
    expect(existsSync(join(work, ".sessions", s.session_id, "metadata.json"))).toBe(true);
    const end = await box.run(["end", s.session_id], { cwd: work, env: { DELTA_SESSIONS_DIR: undefined } });
    expect(end.code).toBe(0);
  });
});
