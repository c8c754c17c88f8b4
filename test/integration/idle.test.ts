// An idle session costs nothing: its holder has no timer, so its main thread never wakes up, and
// the settings that make it so never reach the program in the session.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { Sandbox, waitFor } from "../helpers/sandbox.ts";

/** Context switches of a process's main thread: each wake-up from its event loop counts one. */
function mainThreadSwitches(pid: number): number {
  const status = readFileSync(`/proc/${pid}/task/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1]);
  return field("voluntary_ctxt_switches") + field("nonvoluntary_ctxt_switches");
}

function environ(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
}

describe("idle holders", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("a few seconds after its last output the holder's main thread stops waking up", async () => {
    const s = await box.start(["bash", "--norc", "--noprofile", "-i"]);
    await box.run(["write", s.session_id, "echo idle$((6*7))\\n"]);
    expect((await box.run(["read", s.session_id, "--timeout", "5000", "--until", "idle42"])).code).toBe(0);
    // Bun's own GC timer would wake the holder every second for at least 5 s after activity;
    // the holder instead collects once, 3 s after its session fell quiet.
    await Bun.sleep(4000);
    const before = mainThreadSwitches(s.holder_pid);
    await Bun.sleep(5000);
    expect(mainThreadSwitches(s.holder_pid) - before).toBe(0);
    // Still alive and answering.
    expect((await box.run(["read", s.session_id, "--all", "--peek"])).stdout).toContain("idle42");
  }, 30_000);

  test("the holder's runtime setting is not passed on to the program; the caller's value is", async () => {
    const plain = await box.start(["sleep", "600"]);
    const withValue = await box.start(["sleep", "600"], { env: { BUN_GC_TIMER_DISABLE: "7" } });
    await waitFor("children running", () => environ(plain.pid).length > 1 && environ(withValue.pid).length > 1);
    expect(environ(plain.holder_pid)).toContain("BUN_GC_TIMER_DISABLE=1");
    expect(environ(plain.pid).some((e) => e.startsWith("BUN_GC_TIMER_DISABLE="))).toBe(false);
    expect(environ(withValue.pid)).toContain("BUN_GC_TIMER_DISABLE=7");
  });
});
