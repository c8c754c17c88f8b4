// Under pressure (SPEC §15): `list` never fails because one session's holder goes away during the
// call, and a session that `end` is stopping is never shown as crashed. Both are races: many
// sessions exit or are ended while several clients list and ask for status at once.
import { afterAll, describe, expect, test } from "bun:test";
import { Sandbox } from "../helpers/sandbox.ts";

const sb = new Sandbox();
afterAll(() => sb.dispose());

/** Runs `fn` in `n` loops at once until `done()` says stop; returns every result. */
async function hammer<T>(n: number, done: () => boolean, fn: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (!done()) results.push(await fn());
    }),
  );
  return results;
}

describe("list while programs exit", () => {
  test("every list succeeds and shows exited sessions with their exit code", async () => {
    // Programs that exit one after another over a few seconds, while lists run.
    const sessions = await Promise.all(
      Array.from({ length: 16 }, (_, i) => sb.start(["bash", "-c", `read -t ${(1 + i * 0.25).toFixed(2)}; exit 7`])),
    );
    const ids = new Set(sessions.map((s) => s.session_id));
    let allExited = false;
    const lists = hammer(3, () => allExited, async () => {
      const r = await sb.run(["list"]);
      if (r.code === 0 && r.json.filter((e: { session_id: string; status: string }) => ids.has(e.session_id) && e.status === "exited").length === ids.size) allExited = true;
      return r;
    });
    const deadline = Date.now() + 60_000;
    const watchdog = (async () => {
      while (!allExited && Date.now() < deadline) await Bun.sleep(100);
      allExited = true;
    })();
    const results = await lists;
    await watchdog;
    for (const r of results) {
      expect({ code: r.code, stdout: r.stdout.slice(0, 300) }).toMatchObject({ code: 0 });
      for (const e of r.json as Array<{ session_id: string; status: string; exit_code: number | null }>) {
        if (!ids.has(e.session_id)) continue;
        expect(["running", "exited"]).toContain(e.status);
        if (e.status === "exited") expect(e.exit_code).toBe(7);
      }
    }
    const last = (await sb.run(["list"])).json.filter((e: { session_id: string }) => ids.has(e.session_id));
    expect(last.map((e: { status: string }) => e.status)).toEqual(Array(ids.size).fill("exited"));
    await sb.run(["end", "--all"]);
  }, 120_000);
});

describe("ending is not crashing", () => {
  test("list and status never show a session that end is stopping as crashed", async () => {
    const sessions = await Promise.all(Array.from({ length: 12 }, () => sb.start(["bash", "--norc", "--noprofile"])));
    let ended = false;
    const seen: Array<{ via: string; status: string; code: number }> = [];
    const listing = hammer(2, () => ended, async () => {
      const r = await sb.run(["list"]);
      expect({ code: r.code, stdout: r.stdout.slice(0, 300) }).toMatchObject({ code: 0 });
      for (const e of r.json as Array<{ status: string }>) seen.push({ via: "list", status: e.status, code: 0 });
    });
    const statuses = hammer(1, () => ended, async () => {
      for (const s of sessions) {
        const r = await sb.run(["status", s.session_id]);
        // Once it is gone it is not found; until then it is as it was.
        if (r.code === 0) seen.push({ via: "status", status: r.json.status, code: 0 });
        else expect(r.json.code).toBe("SESSION_NOT_FOUND");
      }
    });
    // Ended one after another, so that every moment of an end meets some list.
    for (const s of sessions) {
      const r = await sb.run(["end", s.session_id, "--grace", "1000"]);
      expect(r.json).toMatchObject({ status: "terminated" });
    }
    ended = true;
    await Promise.all([listing, statuses]);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((s) => s.status === "crashed" || s.status === "unresponsive")).toEqual([]);
  }, 120_000);
});
