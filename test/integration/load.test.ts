// Load (docs/reliability.md, "Load"): many clients on one session, many sessions at once, and a
// program that floods output while clients read. Each test always runs in a shorter form that
// still proves its point; DELTA_SESSIONS_LONG_TESTS=1 runs the full lengths (30 s, 60 s). The
// figures measured are printed (they go into the report).
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { findProcesses, isGone, vmRssKb } from "../helpers/proc.ts";
import { BIN, Sandbox, waitFor } from "../helpers/sandbox.ts";

const LONG = process.env.DELTA_SESSIONS_LONG_TESTS === "1";
const CLIENTS = 50;
const CLIENT_SECONDS = LONG ? 30 : 6;
const SESSIONS = 200;
const FLOOD_SECONDS = LONG ? 60 : 20;

describe(`${CLIENTS} clients on one session for ${CLIENT_SECONDS} s`, () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("every client's every line comes back exactly once, intact; no errors", async () => {
    // A program that gives back every line it gets, marked as its own: raw mode, no echo, no CR/LF
    // translation. (Output identical to the input would be taken for the terminal's echo, which a
    // read --until never matches: see docs/agents.md.)
    const s = await box.start(["--buffer-size", String(64 * 1024 * 1024), "sh", "-c", "stty raw -echo; echo echo-ready; exec sed -u 's/^/got:/'"]);
    await box.run(["read", s.session_id, "--timeout", "5000", "--until", "echo-ready"]);
    const written: string[] = [];
    const errors: string[] = [];
    let ops = 0;
    const deadline = Date.now() + CLIENT_SECONDS * 1000;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let n = 0; Date.now() < deadline; n++) {
          const line = `client-${String(c).padStart(2, "0")}-line-${String(n).padStart(5, "0")}-${"abcdefghij".repeat(3)}`;
          const w = await box.run(["write", s.session_id, `${line}\\n`]);
          if (w.code !== 0) {
            errors.push(`write ${line}: ${w.stdout} ${w.stderr}`);
            continue;
          }
          written.push(line);
          // Each client reads its own line back from the offset its write was delivered at.
          const r = await box.run(["read", s.session_id, "--since", String(w.json.offset), "--timeout", "20000", "--until", `got:${line}\\n`, "--json"]);
          if (r.code !== 0 || !r.json.matched) errors.push(`read ${line}: ${r.stdout.slice(0, 200)} ${r.stderr}`);
          ops++;
        }
      }),
    );
    const seconds = (Date.now() - t0) / 1000;
    // The whole output, once more: every line written is there exactly once and nothing else is.
    const all = await box.run(["read", s.session_id, "--all", "--json"]);
    expect(all.json.dropped_bytes).toBe(0);
    const lines = all.json.output.split("\n").filter((l: string) => l.startsWith("got:")).map((l: string) => l.slice("got:".length));
    const counts = new Map<string, number>();
    for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
    const missing = written.filter((l) => !counts.has(l));
    const doubled = [...counts].filter(([, n]) => n > 1).map(([l]) => l);
    const unknown = lines.filter((l: string) => !written.includes(l));
    console.log(`${CLIENTS} clients, ${seconds.toFixed(1)} s: ${ops} write+read round trips (${(ops / seconds).toFixed(1)}/s, ${((ops * 2) / seconds).toFixed(1)} CLI calls/s), ${errors.length} errors, ${missing.length} lost, ${doubled.length} doubled, ${unknown.length} corrupted`);
    expect(errors).toEqual([]);
    expect({ missing, doubled, unknown }).toEqual({ missing: [], doubled: [], unknown: [] });
    expect(ops).toBeGreaterThan(CLIENTS);
    expect(lines.length).toBe(written.length);
  }, (CLIENT_SECONDS + 60) * 1000);
});

describe(`${SESSIONS} sessions started at once`, () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("all reach running, all are usable, all end cleanly", async () => {
    const t0 = Date.now();
    const durations: number[] = [];
    const results = await Promise.all(
      Array.from({ length: SESSIONS }, async () => {
        const r = await box.run(["start", "sh", "-c", "echo up; exec sleep 4245.5"]);
        durations.push(Date.now() - t0);
        return r;
      }),
    );
    const startSeconds = (Date.now() - t0) / 1000;
    durations.sort((a, b) => a - b);
    const failed = results.filter((r) => r.code !== 0).map((r) => r.stdout + r.stderr);
    const docs = results.filter((r) => r.code === 0).map((r) => r.json);
    for (const d of docs) box.track(d.pid, d.holder_pid);
    expect(failed).toEqual([]);
    expect(new Set(docs.map((d) => d.session_id)).size).toBe(SESSIONS);

    // Seen from a new process: every one of them is running and answers.
    const list = await box.run(["list"]);
    expect(list.json.length).toBe(SESSIONS);
    expect(list.json.filter((x: any) => x.status === "running").length).toBe(SESSIONS);
    expect(findProcesses(["sleep", "4245.5"]).length).toBe(SESSIONS);
    const reads = await Promise.all(docs.map((d) => box.run(["read", d.session_id, "--timeout", "10000", "--until", "up"])));
    expect(reads.filter((r) => r.code !== 0 || !r.stdout.includes("up")).length).toBe(0);

    const t1 = Date.now();
    const ended = await box.run(["end", "--all", "--grace", "5000"]);
    const endSeconds = (Date.now() - t1) / 1000;
    expect(ended.code).toBe(0);
    expect(ended.json.sessions.length).toBe(SESSIONS);
    expect(ended.json.sessions.every((e: any) => e.status === "terminated" && e.signal === "SIGHUP")).toBe(true);
    await waitFor("every holder and program gone", () => docs.every((d) => isGone(d.pid) && isGone(d.holder_pid)), 30_000);
    expect(findProcesses(["sleep", "4245.5"])).toEqual([]);
    expect(readdirSync(box.sessionsDir).filter((f) => f.startsWith("sess_"))).toEqual([]);
    expect(readdirSync(box.runtimeDir)).toEqual([]);
    console.log(
      `${SESSIONS} sessions: all started (running) in ${startSeconds.toFixed(1)} s (median start returned after ${(durations[SESSIONS >> 1]! / 1000).toFixed(1)} s), all ended in ${endSeconds.toFixed(1)} s`,
    );
  }, 180_000);
});

describe(`a program flooding output for ${FLOOD_SECONDS} s while clients read`, () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("holder memory stays bounded, every reader keeps getting output and is told exactly what it missed", async () => {
    const s = await box.start(["bash", "-c", `read go; timeout -s INT ${FLOOD_SECONDS} yes "$(printf 'flood%.0s' {1..40})"; echo; echo flood-done`]);
    const FOLLOWERS = 3;
    // Followers stream everything (--follow) and count what they get and when.
    const followers = Array.from({ length: FOLLOWERS }, () => {
      const proc = Bun.spawn([BIN, "read", s.session_id, "--follow", "--peek"], { env: box.env, stdout: "pipe", stderr: "pipe" });
      const seen = { bytes: 0, arrivals: [] as number[] };
      const done = (async () => {
        for await (const chunk of proc.stdout) {
          seen.bytes += chunk.length;
          seen.arrivals.push(Date.now());
        }
        return { code: await proc.exited, stderr: await new Response(proc.stderr).text() };
      })();
      return { seen, done };
    });
    const rss: Array<[number, number]> = [];
    const sampler = setInterval(() => {
      const kb = vmRssKb(s.holder_pid);
      if (kb !== null) rss.push([Date.now(), kb]);
    }, 100);
    const baseKb = vmRssKb(s.holder_pid)!;
    const t0 = Date.now();
    await box.run(["write", s.session_id, "go\\n"]);
    // Meanwhile, one-shot clients come and go: status, --since readers, screen.
    let oneShots = 0;
    let slowestMs = 0;
    let finished = false;
    const followersDone = Promise.all(followers.map((f) => f.done)).then((r) => ((finished = true), r));
    while (!finished) {
      const q0 = Date.now();
      const st = await box.run(["status", s.session_id]);
      if (st.json.status !== "running") break;
      const since = Math.max(0, st.json.output_bytes - 4096);
      const r = await box.run(["read", s.session_id, "--since", String(since), "--json"]);
      if (r.json.status === "exited") break;
      expect({ code: r.code, out: r.stdout.slice(0, 300) }).toEqual({ code: 0, out: expect.any(String) });
      expect(r.json.offset).toBeGreaterThanOrEqual(since);
      expect((await box.run(["read", s.session_id, "--screen"])).code).toBe(0);
      slowestMs = Math.max(slowestMs, Date.now() - q0);
      oneShots += 3;
      await Bun.sleep(250);
    }
    const outcomes = await followersDone;
    clearInterval(sampler);
    const seconds = (Date.now() - t0) / 1000;
    const total = (await box.run(["status", s.session_id])).json.output_bytes as number;

    const peakKb = Math.max(...rss.map(([, kb]) => kb));
    const half = rss.length >> 1;
    const firstHalfPeak = Math.max(...rss.slice(0, half).map(([, kb]) => kb));
    const secondHalfPeak = Math.max(...rss.slice(half).map(([, kb]) => kb));
    const report = outcomes.map((o, i) => {
      const dropped = Number(/(\d+) bytes of output were dropped/.exec(o.stderr)?.[1] ?? 0);
      const gaps = followers[i]!.seen.arrivals.slice(1).map((t, j) => t - followers[i]!.seen.arrivals[j]!);
      return { code: o.code, bytes: followers[i]!.seen.bytes, dropped, longestGapMs: Math.max(0, ...gaps), stderr: o.stderr };
    });
    console.log(
      `flood ${seconds.toFixed(1)} s: ${(total / 1e6).toFixed(0)} MB output (${(total / 1e6 / FLOOD_SECONDS).toFixed(1)} MB/s); holder RSS ${(baseKb / 1024).toFixed(0)} MiB idle, peak ${(peakKb / 1024).toFixed(0)} MiB (first half ${(firstHalfPeak / 1024).toFixed(0)}, second half ${(secondHalfPeak / 1024).toFixed(0)}); ` +
        `followers ${report.map((r) => `${(r.bytes / 1e6).toFixed(0)} MB got + ${(r.dropped / 1e6).toFixed(0)} MB dropped, longest gap ${r.longestGapMs} ms`).join("; ")}; ${oneShots} one-shot calls, slowest trio ${slowestMs} ms`,
    );
    for (const r of report) {
      // Every reader ran to the end of the output, and what it did not get it was told about.
      expect({ code: r.code, stderr: r.stderr.replace(/.*bytes of output were dropped.*\n/, "") }).toEqual({ code: 0, stderr: "" });
      expect(r.bytes + r.dropped).toBe(total);
      // Nobody starved: output kept arriving.
      expect(r.bytes).toBeGreaterThan(total / 10);
      expect(r.longestGapMs).toBeLessThan(3_000);
    }
    // Bounded: under a fixed ceiling whatever flowed (1.4 GB in the 60 s run), and not growing.
    expect(total).toBeGreaterThan(100e6);
    expect(peakKb - baseKb).toBeLessThan(300 * 1024);
    expect(secondHalfPeak).toBeLessThan(firstHalfPeak * 1.5 + 50 * 1024);
    expect(slowestMs).toBeLessThan(5_000);
    expect(existsSync(join(box.runtimeDir, `${s.session_id}.sock`))).toBe(false);
  }, (FLOOD_SECONDS + 90) * 1000);
});
