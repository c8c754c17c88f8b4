// The founding promise: a session outlives the command that started it — after that command
// exited, after its process group got SIGHUP, after it was killed with SIGKILL — and stays usable
// from new processes. Checked 10 s later (past the point where a PTY-lifecycle bug kills the
// child), and from other processes, as the post-mortem in ../shared demands.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { BIN, isAlive, procStat, Sandbox, waitFor } from "../helpers/sandbox.ts";
import { join } from "node:path";
import { readFileSync } from "node:fs";

const SURVIVAL_WAIT_MS = 10_000;

describe("sessions survive the command that started them", () => {
  const box = new Sandbox();
  const started: Record<string, { session_id: string; pid: number; holder_pid: number }> = {};

  /** Runs `start` from a shell in its own session (as an agent's tool call does); `then` says what happens to that shell. */
  async function startVia(label: string, then: "exit" | "sighup" | "sigkill"): Promise<void> {
    const out = join(box.dir, `${label}.json`);
    const script = then === "exit" ? `"${BIN}" start bash --norc -i > "${out}"` : `"${BIN}" start bash --norc -i > "${out}"; exec sleep 600`;
    const wrapper = Bun.spawn(["setsid", "bash", "-c", script], { env: box.env, stdio: ["ignore", "ignore", "ignore"] });
    box.track(wrapper.pid);
    await waitFor(`${label} start output`, () => {
      try {
        return readFileSync(out, "utf8").endsWith("\n");
      } catch {
        return false;
      }
    });
    const doc = JSON.parse(readFileSync(out, "utf8"));
    box.track(doc.pid, doc.holder_pid);
    started[label] = doc;
    if (then === "sighup") process.kill(-wrapper.pid, "SIGHUP");
    if (then === "sigkill") process.kill(-wrapper.pid, "SIGKILL");
    await wrapper.exited;
  }

  beforeAll(async () => {
    await startVia("exited", "exit");
    await startVia("hungup", "sighup");
    await startVia("killed", "sigkill");
    await Bun.sleep(SURVIVAL_WAIT_MS);
  }, 60_000);
  afterAll(() => box.dispose());

  for (const label of ["exited", "hungup", "killed"]) {
    test(`${label}: child and holder alive 10 s later, and usable from a new process`, async () => {
      const s = started[label]!;
      expect(isAlive(s.pid)).toBe(true);
      expect(isAlive(s.holder_pid)).toBe(true);
      const status = await box.run(["status", s.session_id]);
      expect(status.code).toBe(0);
      expect(status.json.status).toBe("running");
      expect(status.json.alive).toBe(true);
      const token = `tok${label}${Date.now()}`;
      expect((await box.run(["write", s.session_id, `echo ${token}-$((6*7))\\n`])).code).toBe(0);
      const read = await box.run(["read", s.session_id, "--timeout", "5000", "--until", `${token}-42`]);
      expect(read.code).toBe(0);
      expect(read.stdout).toContain(`${token}-42`);
    });
  }

  test("the holder is not the CLI's child and leads its own session; the child has the PTY as controlling terminal", () => {
    const s = started.exited!;
    const holder = procStat(s.holder_pid)!;
    expect(holder.sid).toBe(s.holder_pid);
    const child = procStat(s.pid)!;
    expect(child.ppid).toBe(s.holder_pid);
    expect(child.sid).toBe(s.pid);
    expect(readFileSync(`/proc/${s.pid}/cmdline`, "utf8").split("\0")[0]).toBe("bash");
  });
});

describe("long-term stability", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("a session stays alive and usable for 60 s, checked from new processes along the way", async () => {
    const s = await box.start(["bash", "--norc", "-i"]);
    for (let i = 1; i <= 6; i++) {
      await Bun.sleep(10_000);
      expect(isAlive(s.pid)).toBe(true);
      expect(isAlive(s.holder_pid)).toBe(true);
      const token = `stable${i}x`;
      await box.run(["write", s.session_id, `echo ${token}$((i=${i}*2))\\n`]);
      const read = await box.run(["read", s.session_id, "--timeout", "5000", "--until", `${token}${i * 2}`]);
      expect(read.stdout).toContain(`${token}${i * 2}`);
    }
  }, 90_000);
});

describe("environment that must not change the binary's behaviour", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("Bun variables in the caller's environment (BUN_FEATURE_FLAG_NO_ORPHANS, BUN_OPTIONS) do not kill the holder", async () => {
    const s = await box.start(["sleep", "600"], { env: { BUN_FEATURE_FLAG_NO_ORPHANS: "1", BUN_OPTIONS: "--smol" } });
    await Bun.sleep(SURVIVAL_WAIT_MS);
    expect(isAlive(s.holder_pid)).toBe(true);
    expect(isAlive(s.pid)).toBe(true);
    const env = readFileSync(`/proc/${s.pid}/environ`, "utf8").split("\0");
    expect(env.some((e) => e.startsWith("BUN_FEATURE_FLAG_") || e.startsWith("BUN_OPTIONS=") || e.startsWith("BUN_BE_BUN="))).toBe(false);
    expect(env.some((e) => e.startsWith("DELTA_SESSIONS_HOLDER_CONFIG="))).toBe(false);
    expect(env).toContain("TERM=xterm-256color");
  }, 30_000);

  test("a .env and bunfig.toml in the working directory are ignored", async () => {
    const work = join(box.dir, "work");
    require("node:fs").mkdirSync(work);
    await Bun.write(join(work, ".env"), "DELTA_SESSIONS_DIR=/nonexistent/elsewhere\nINJECTED=yes\n");
    await Bun.write(join(work, "bunfig.toml"), "[run]\nsmol = true\n");
    const s = await box.start(["sh", "-c", "echo injected=${INJECTED:-no}; sleep 600"], { cwd: work });
    const read = await box.run(["read", s.session_id, "--timeout", "5000", "--until", "injected="]);
    expect(read.stdout).toContain("injected=no");
    expect((await box.run(["list"])).json.map((x: any) => x.session_id)).toContain(s.session_id);
  });
});

test("the binary runs from its own path", async () => {
  const proc = Bun.spawn([BIN, "--version"], { stdout: "pipe" });
  expect((await new Response(proc.stdout).text()).trim()).toMatch(/^delta-sessions \d+\.\d+\.\d+/);
});
