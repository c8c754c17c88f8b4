// send's latency after the program starts waiting (SPEC §7/§10): a program that sleeps 0.5 s and
// then asks; each send's wall time minus the 0.5 s. Also the holder's CPU while the session sits
// at its prompt afterwards (idle: no timers). Run: bun scripts/bench/send-latency.ts [runs]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const BIN = resolve(import.meta.dir, "../../dist/delta-sessions");
const runs = Number(process.argv[2] ?? 25);
const dir = mkdtempSync("/tmp/ds-send-bench-");
const env = { ...process.env, DELTA_SESSIONS_DIR: join(dir, "s"), DELTA_SESSIONS_RUNTIME_DIR: join(dir, "r") } as Record<string, string>;
delete env.XDG_RUNTIME_DIR;

function run(args: string[]): { code: number; out: string } {
  const p = Bun.spawnSync([BIN, ...args], { env, stdout: "pipe", stderr: "pipe" });
  return { code: p.exitCode ?? -1, out: p.stdout.toString() };
}

/** CPU time the process has used, in ms (schedstat: nanoseconds on the CPU). */
function cpuMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const program = ["python3", "-c", "import time\nwhile True:\n    time.sleep(0.5)\n    input('ask? ')"];
const started = JSON.parse(run(["start", "--wait", ...program]).out);
try {
  const lat: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = run(["send", started.session_id, "--json", "x", "--enter"]);
    const ms = performance.now() - t0;
    if (r.code !== 0 || JSON.parse(r.out).reason !== "input") throw new Error(`send failed: ${r.out}`);
    lat.push(ms - 500);
  }
  const floor: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    run(["--version"]);
    floor.push(performance.now() - t0);
  }
  console.log(`send after the wait: median ${median(lat).toFixed(1)} ms, min ${Math.min(...lat).toFixed(1)}, max ${Math.max(...lat).toFixed(1)} (n=${runs}); CLI floor (--version) median ${median(floor).toFixed(1)} ms`);
  // Idle: the session at its prompt, nobody waiting.
  const secs = 10;
  await Bun.sleep(3500); // past the holder's one collection after activity (QUIET_GC_DELAY_MS)
  const before = cpuMs(started.holder_pid);
  await Bun.sleep(secs * 1000);
  const used = (cpuMs(started.holder_pid) - before) / secs;
  console.log(`idle holder at the prompt: ${used.toFixed(3)} ms CPU per second over ${secs} s`);
} finally {
  run(["end", started.session_id, "--grace", "200"]);
  rmSync(dir, { recursive: true, force: true });
}
