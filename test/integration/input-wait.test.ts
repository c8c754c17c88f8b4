// Input-wait detection against real programs in a real PTY, observed from their parent (as the
// holder observes its session's program): REPLs, debuggers, editors, shells and password prompts
// at their prompts are waiting; programs that sleep, compute, wait for a child, a pipe or a socket
// are not, however long they are silent.
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspectForeground, type ForegroundView } from "../../src/holder/input-wait/inspect.ts";
import { PtyProgram } from "../helpers/pty-program.ts";
import { procStat, waitFor } from "../helpers/sandbox.ts";

const linux = process.platform === "linux" && existsSync("/proc/self/stat");
const TEST_MS = 60_000;
const START_MS = 30_000;
/** Samples of a silent program that must all say "not waiting" (taken 20 ms apart). */
const QUIET_SAMPLES = 25;

const programs: PtyProgram[] = [];
const scratch: string[] = [];
afterEach(() => {
  for (const p of programs.splice(0)) p.dispose();
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function run(argv: string[], env?: Record<string, string>): PtyProgram {
  const p = new PtyProgram(argv, env);
  programs.push(p);
  return p;
}

/** Waits until the program waits for input, and stays so (a prompt is not a passing moment). */
async function expectWaiting(p: PtyProgram, what: string): Promise<ForegroundView> {
  await waitFor(`${what} to wait for input (output so far: ${JSON.stringify(p.output.slice(-200))})`, () => inspectForeground(p.pid).waiting === true, START_MS);
  for (let i = 0; i < 5; i++) {
    expect(inspectForeground(p.pid).waiting).toBe(true);
    await Bun.sleep(10);
  }
  return inspectForeground(p.pid);
}

/** Every sample over about half a second says the program is not waiting (and can tell). */
async function expectNotWaiting(p: PtyProgram): Promise<ForegroundView> {
  let last = inspectForeground(p.pid);
  for (let i = 0; i < QUIET_SAMPLES; i++) {
    last = inspectForeground(p.pid);
    expect(last.waiting).toBe(false);
    await Bun.sleep(20);
  }
  return last;
}

/** Waits until a live descendant named `comm` sleeps (it has reached the call under test). */
async function waitForSleeping(p: PtyProgram, comm: string): Promise<number> {
  let pid = 0;
  await waitFor(`${comm} asleep under the program`, () => {
    const found = p.processes().find((q) => q.comm === comm && q.state === "S");
    pid = found?.pid ?? 0;
    return pid > 0;
  }, START_MS);
  return pid;
}

const py = (...lines: string[]): string[] => ["python3", "-c", lines.join("\n")];

describe.skipIf(!linux)("inspectForeground: waiting for input", () => {
  // The command as the kernel names it: python3 may be exec'ed as python3.12 by a distribution's shim.
  const cases: Array<{ name: string; argv: string[]; command: RegExp }> = [
    { name: "python3 REPL (pselect on fd 0)", argv: ["python3", "-q"], command: /^python3(\.\d+)?$/ },
    { name: "node REPL (epoll on a dup of the terminal, helper threads in futex)", argv: ["node"], command: /^node$/ },
    { name: "gdb (poll on several fds)", argv: ["gdb", "-q", "-nx"], command: /^gdb$/ },
    { name: "sqlite3", argv: ["sqlite3"], command: /^sqlite3$/ },
    { name: "vim", argv: ["vim", "-u", "NONE", "-i", "NONE", "-N"], command: /^vim$/ },
    { name: "getpass (its own fd on /dev/tty)", argv: py("import getpass", "getpass.getpass('Password: ')"), command: /^python3(\.\d+)?$/ },
    { name: "bash at its prompt", argv: ["bash", "--norc", "--noprofile", "-i"], command: /^bash$/ },
    { name: "sh (dash) at its prompt", argv: ["dash", "-i"], command: /^dash$/ },
    { name: "zsh at its prompt", argv: ["zsh", "-f", "-i"], command: /^zsh$/ },
    { name: "fish at its prompt", argv: ["fish", "--no-config"], command: /^fish$/ },
    { name: "bash read -p", argv: ["bash", "--norc", "-c", "read -p 'Name? ' x"], command: /^bash$/ },
    {
      name: "input() with a helper thread parked on a lock",
      argv: py("import threading", "e = threading.Event()", "threading.Thread(target=e.wait, daemon=True).start()", "input('> ')"),
      command: /^python3(\.\d+)?$/,
    },
  ];
  for (const c of cases) {
    test(
      c.name,
      async () => {
        const p = run(c.argv);
        const view = await expectWaiting(p, c.name);
        expect(view.method).toBe("kernel");
        expect(view.foreground?.pid).toBe(p.pid);
        expect(view.foreground?.command).toMatch(c.command);
      },
      TEST_MS,
    );
  }
});

describe.skipIf(!linux)("inspectForeground: not waiting, however long silent", () => {
  test(
    "sleep 30",
    async () => {
      const p = run(["sleep", "30"]);
      await waitForSleeping(p, "sleep");
      const view = await expectNotWaiting(p);
      expect(view.foreground).toEqual({ pid: p.pid, command: "sleep" });
    },
    TEST_MS,
  );

  test(
    "a busy loop",
    async () => {
      const p = run(["sh", "-c", "echo READY; while :; do :; done"]);
      await waitFor("READY", () => p.output.includes("READY"), START_MS);
      await expectNotWaiting(p);
    },
    TEST_MS,
  );

  test(
    "a read from a pipe (sleep 100 | cat)",
    async () => {
      const p = run(["sh", "-c", "sleep 100 | cat"]);
      await waitForSleeping(p, "cat");
      await waitForSleeping(p, "sleep");
      const view = await expectNotWaiting(p);
      expect(view.foreground).toEqual({ pid: p.pid, command: "sh" });
    },
    TEST_MS,
  );

  test(
    "a select on a socket",
    async () => {
      const p = run(py("import socket, select", "a, b = socket.socketpair()", "print('READY', flush=True)", "select.select([a], [], [])"));
      await waitFor("READY", () => p.output.includes("READY"), START_MS);
      await waitForSleeping(p, "python3");
      await expectNotWaiting(p);
    },
    TEST_MS,
  );

  test(
    "a poll on a socket that has the terminal in its set, but not for reading",
    async () => {
      const p = run(
        py("import socket, select, sys", "a, b = socket.socketpair()", "q = select.poll()", "q.register(a, select.POLLIN)", "q.register(sys.stdout, 0)", "print('READY', flush=True)", "q.poll()"),
      );
      await waitFor("READY", () => p.output.includes("READY"), START_MS);
      await waitForSleeping(p, "python3");
      await expectNotWaiting(p);
    },
    TEST_MS,
  );

  test(
    "input() while another thread computes (something is runnable)",
    async () => {
      const p = run(py("import threading", "threading.Thread(target=lambda: [0 for _ in iter(int, 1)], daemon=True).start()", "input('> ')"));
      await waitFor("the prompt", () => p.output.includes(">"), START_MS);
      await expectNotWaiting(p);
    },
    TEST_MS,
  );

  test(
    "interactive bash waiting for its foreground job (sleep 100)",
    async () => {
      const p = run(["bash", "--norc", "--noprofile", "-i"]);
      await expectWaiting(p, "bash");
      p.write("sleep 100\r");
      const sleepPid = await waitForSleeping(p, "sleep");
      const view = await expectNotWaiting(p);
      expect(view.foreground).toEqual({ pid: sleepPid, command: "sleep" });
    },
    TEST_MS,
  );

  test(
    "non-interactive bash waiting for its child in the same group",
    async () => {
      const p = run(["bash", "--norc", "-c", "sleep 100; echo done"]);
      await waitForSleeping(p, "sleep");
      const view = await expectNotWaiting(p);
      expect(view.foreground).toEqual({ pid: p.pid, command: "bash" });
    },
    TEST_MS,
  );

  test(
    "progress with pauses, then a question",
    async () => {
      const home = makeScratch();
      const q = run(
        py(
          "import os, sys, time",
          `gate = ${JSON.stringify(join(home, "go"))}`,
          "while not os.path.exists(gate):",
          "    print('.', end='', flush=True)",
          "    time.sleep(0.05)",
          "answer = input('Continue? ')",
        ),
      );
      await waitFor("progress dots", () => q.output.includes("..."), START_MS);
      await expectNotWaiting(q);
      writeFileSync(join(home, "go"), "");
      await expectWaiting(q, "the question");
      expect(q.output).toContain("Continue? ");
    },
    TEST_MS,
  );
});

/** A prompt whose program started a busy worker in its own process group (no job control, as
 *  fish does with its completion generator): `output` says where the worker's stdout and stderr go. */
function promptBesideWorker(output: "devnull" | "terminal" | "pipe"): PtyProgram {
  const where = { devnull: "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL", terminal: "", pipe: "stdout=subprocess.PIPE, stderr=subprocess.STDOUT" }[output];
  const script = [
    "import subprocess",
    `w = subprocess.Popen(["sh", "-c", "while :; do :; done"]${where ? ", " + where : ""})`,
    "input('name? ')",
  ].join("\n");
  return run(["python3", "-c", script]);
}

describe.skipIf(!linux)("inspectForeground: work that cannot reach the screen", () => {
  test(
    "a prompt beside a busy worker writing to /dev/null waits for input",
    async () => {
      const p = promptBesideWorker("devnull");
      await waitFor("the prompt", () => p.output.includes("name? "), START_MS);
      await waitFor("the worker running", () => p.processes().some((q) => q.comm === "sh" && q.state === "R"), START_MS);
      await expectWaiting(p, "python beside its /dev/null worker");
    },
    TEST_MS,
  );

  for (const output of ["terminal", "pipe"] as const) {
    test(
      `a prompt beside a busy worker writing to the ${output} does not`,
      async () => {
        const p = promptBesideWorker(output);
        await waitFor("the prompt", () => p.output.includes("name? "), START_MS);
        await waitFor("the worker", () => p.processes().some((q) => q.comm === "sh"), START_MS);
        await expectNotWaiting(p);
      },
      TEST_MS,
    );
  }
});

describe.skipIf(!linux)("inspectForeground: transitions and the foreground", () => {
  test(
    "python3: waiting, then sleeping in a command, then waiting again after Ctrl-C",
    async () => {
      const p = run(["python3", "-q"]);
      await expectWaiting(p, "python3");
      p.write("import time; time.sleep(60)\r");
      await waitFor("the sleep to start", () => p.output.includes("time.sleep(60)") && inspectForeground(p.pid).waiting === false, START_MS);
      await expectNotWaiting(p);
      p.write("\x03");
      await waitFor("KeyboardInterrupt", () => p.output.includes("KeyboardInterrupt"), START_MS);
      await expectWaiting(p, "python3 after the interrupt");
    },
    TEST_MS,
  );

  test(
    "bash running python3: python3 is the foreground",
    async () => {
      const p = run(["bash", "--norc", "--noprofile", "-i"]);
      await expectWaiting(p, "bash");
      p.write("python3 -q\r");
      await waitFor("python3 in the foreground, waiting", () => {
        const v = inspectForeground(p.pid);
        return v.waiting === true && /^python3/.test(v.foreground?.command ?? "");
      }, START_MS);
      const view = inspectForeground(p.pid);
      expect(view.foreground!.pid).not.toBe(p.pid);
      expect(procStat(view.foreground!.pid)!.ppid).toBe(p.pid);
      p.write("exit()\r");
      await waitFor("bash in the foreground again", () => inspectForeground(p.pid).foreground?.pid === p.pid, START_MS);
      await expectWaiting(p, "bash again");
    },
    TEST_MS,
  );

  test(
    "a command name longer than the kernel keeps is told in full (argv[0])",
    async () => {
      const home = makeScratch();
      const link = join(home, "sleep-for-a-very-long-time");
      symlinkSync(Bun.which("sleep")!, link);
      const p = run([link, "30"]);
      await waitForSleeping(p, "sleep-for-a-ver");
      const view = await expectNotWaiting(p);
      expect(view.foreground).toEqual({ pid: p.pid, command: "sleep-for-a-very-long-time" });
    },
    TEST_MS,
  );

  test(
    "a program that has exited cannot be told",
    async () => {
      const p = run(["sh", "-c", "exit 0"]);
      await waitFor("the exit", () => p.exited(), START_MS);
      expect(inspectForeground(p.pid)).toEqual({ waiting: null, foreground: null, method: "kernel" });
    },
    TEST_MS,
  );
});

describe.skipIf(!linux)("inspectForeground: cost per call", () => {
  const cases: Array<[string, string[]]> = [
    ["python3", ["python3", "-q"]],
    ["node", ["node"]],
    ["gdb", ["gdb", "-q", "-nx"]],
  ];
  for (const [name, argv] of cases) {
    test(
      name,
      async () => {
        const p = run(argv);
        await expectWaiting(p, name);
        const micros: number[] = [];
        for (let i = 0; i < 300; i++) {
          const t0 = Bun.nanoseconds();
          const v = inspectForeground(p.pid);
          micros.push((Bun.nanoseconds() - t0) / 1000);
          expect(v.waiting).toBe(true);
        }
        micros.sort((a, b) => a - b);
        const median = micros[micros.length >> 1]!;
        console.log(`inspectForeground ${name}: median ${median.toFixed(0)} µs, p90 ${micros[Math.floor(micros.length * 0.9)]!.toFixed(0)} µs`);
        // Loose bound: catches a regression to scanning all of /proc or similar, not load.
        expect(median).toBeLessThan(5_000);
      },
      TEST_MS,
    );
  }
});

/** A scratch directory, removed after the test. */
function makeScratch(): string {
  const dir = mkdtempSync("/tmp/ds-input-wait-");
  scratch.push(dir);
  return dir;
}
