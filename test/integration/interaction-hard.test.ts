// SPEC §10, the hard cases against real programs: line editors' echo (a long line the editor wraps,
// bracketed paste, zsh/fish redraws, python 3.13's whole-line redraws), multi-line input to the
// python REPLs of each version present, vim's brief poll before it exits, a question after a pause,
// and a program polling the terminal with a short time limit in a loop.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Sandbox } from "../helpers/sandbox.ts";

const T = 60_000;

let box: Sandbox;
let home: string;
beforeAll(() => {
  box = new Sandbox();
  home = join(box.dir, "home"); // fish keeps its history and settings here, not in the user's home
  mkdirSync(home, { recursive: true });
});
afterAll(async () => {
  await box.dispose();
});

async function startWait(args: string[]): Promise<any> {
  const r = await box.run(["start", "--wait", "--timeout", "20000", ...args], { env: { HOME: home } });
  if (r.code !== 0) throw new Error(`start --wait failed (${r.code}): ${r.stdout} ${r.stderr}`);
  box.track(r.json.pid, r.json.holder_pid);
  return r.json;
}

async function send(id: string, ...args: string[]): Promise<{ doc: any; ms: number }> {
  const t0 = performance.now();
  const r = await box.run(["send", id, "--json", "--timeout", "20000", ...args]);
  const ms = performance.now() - t0;
  if (r.code !== 0) throw new Error(`send failed (${r.code}): ${r.stdout} ${r.stderr}`);
  return { doc: r.json, ms };
}

/** A python of that minor version that runs here (PATH, then pyenv's versions), or null. */
function findPython(minor: number): string | null {
  const candidates = [Bun.which(`python3.${minor}`)];
  const pyenv = join(process.env.PYENV_ROOT ?? join(process.env.HOME ?? "/", ".pyenv"), "versions");
  try {
    for (const v of require("node:fs").readdirSync(pyenv) as string[]) {
      if (v.startsWith(`3.${minor}.`)) candidates.push(join(pyenv, v, "bin", `python3.${minor}`));
    }
  } catch {
    // no pyenv
  }
  for (const c of candidates) {
    if (!c) continue;
    const r = Bun.spawnSync([c, "-c", "import sys; print(sys.version_info[1])"]);
    if (r.exitCode === 0 && r.stdout.toString().trim() === String(minor)) return c;
  }
  return null;
}

// A command longer than two lines of a 40-column terminal; the pattern is in it, split so that only
// the command's output spells it.
const LONG = `echo ${"word".repeat(6)} ${"x".repeat(60)} LONG_""MARK`;

const SHELLS: Array<[string, string[]]> = [
  ["bash", ["bash", "--norc", "-i"]],
  ["zsh", ["zsh", "-f", "-i"]],
  ["fish", ["fish", "--no-config"]],
  ["fish (with its default highlighting and config)", ["fish"]],
];

for (const [name, cmd] of SHELLS) {
  describe.skipIf(!Bun.which(cmd[0]!))(`the echo of ${name} at 40 columns`, () => {
    test(
      "a 100-character command the editor wraps: no part of the echo in the reply; --until waits for the output",
      async () => {
        const s = await startWait(["--cols", "40", ...cmd]);
        const long = await send(s.session_id, LONG, "--enter");
        expect(long.doc.reason).toBe("input");
        expect(long.doc.output).toStartWith(`${"word".repeat(6)} ${"x".repeat(60)} LONG_MARK\n`);
        expect(long.doc.output).not.toContain("echo");
        expect(long.doc.output.split("LONG_MARK").length).toBe(2);
        const t0 = performance.now();
        const u = await send(s.session_id, `sleep 1; ${LONG}`, "--enter", "--until", "LONG_MARK|sleep|echo");
        expect(performance.now() - t0).toBeGreaterThan(900);
        expect(u.doc).toMatchObject({ reason: "match" });
        expect(u.doc.output).toStartWith(`${"word".repeat(6)} ${"x".repeat(60)} LONG_MARK`);
        await box.run(["wait", s.session_id, "--input", "--timeout", "10000"]);
        // Bracketed paste (bash 5.2, zsh and fish turn it on): the Enter goes after the paste.
        const p = await send(s.session_id, "--paste", "sleep 1; echo PASTED_''ONE", "--enter", "--until", "PASTED_ONE");
        expect(p.ms).toBeGreaterThan(900);
        expect(p.doc.reason).toBe("match");
        expect(p.doc.output).toStartWith("PASTED_ONE");
        expect(p.doc.output).not.toContain("echo");
        const after = await send(s.session_id, "echo after", "--enter");
        expect(after.doc.output).toStartWith("after\n");
        expect(after.doc.output).not.toContain("PASTED");
        await box.run(["end", s.session_id, "--grace", "500"]);
      },
      T,
    );
  });
}

const PYTHONS = [11, 12, 13].map((minor) => ({ minor, exe: findPython(minor) }));

for (const { minor, exe } of PYTHONS) {
  describe.skipIf(exe === null)(`python 3.${minor}'s REPL${exe === null ? " (not installed here)" : ""}`, () => {
    test(
      "a print, a def line by line and with --paste, --until on a pattern in the typed line",
      async () => {
        const s = await startWait([exe!, "-q"]);
        expect(s.output).toEndWith(">>> ");
        const p = await send(s.session_id, "print(6*7)", "--enter");
        expect(p.doc.reason).toBe("input");
        expect(p.doc.output).toStartWith("42\n");
        expect(p.doc.output).toEndWith(">>> ");
        expect(p.doc.output).not.toContain("print");
        // 3.13's REPL polls the terminal every 100 ms; it still counts as waiting, within ~0.1 s.
        expect(p.doc.waiting_for_input).toBe(true);
        // Line by line, ending with an empty line: works in every version; no echo in the reply.
        const d = await send(s.session_id, "def twice(a):\\r    return a * 2\\r\\r");
        expect(d.doc.reason).toBe("input");
        expect(d.doc.output).not.toContain("twice");
        expect(d.doc.output).toEndWith(">>> ");
        expect((await send(s.session_id, "twice(21)", "--enter")).doc.output).toStartWith("42\n");
        // As a bracketed paste, then Enter: works in every version (3.11 and 3.12 do not turn bracketed
        // paste on, so it is typed as plain text; 3.13 takes the block at once and draws it again
        // with its "... " prompts, which is then in the reply).
        const pd = await send(s.session_id, "--paste", "def thrice(a):\\r    return a * 3\\r", "--enter");
        expect(pd.doc.reason).toBe("input");
        expect(pd.doc.output).toEndWith(">>> ");
        if (minor < 13) expect(pd.doc.output).not.toContain("thrice");
        expect((await send(s.session_id, "thrice(14)", "--enter")).doc.output).toStartWith("42\n");
        const t0 = performance.now();
        const u = await send(s.session_id, "import time; time.sleep(1); print('PY_' + 'DONE')", "--enter", "--until", "PY_|DONE|sleep");
        expect(performance.now() - t0).toBeGreaterThan(900);
        expect(u.doc.reason).toBe("match");
        expect(u.doc.output).toStartWith("PY_");
        await box.run(["end", s.session_id, "--grace", "500"]);
      },
      T,
    );
  });
}

describe.skipIf(!Bun.which("gdb"))("gdb", () => {
  test(
    "a define block line by line runs as a block",
    async () => {
      const s = await startWait(["gdb", "-q", "-nx"]);
      const block = await send(s.session_id, "define sum2\\rprint $arg0 + $arg1\\rend\\r");
      expect(block.doc.reason).toBe("input");
      expect(block.doc.output).toEndWith("(gdb) ");
      const r = await send(s.session_id, "sum2 40 2", "--enter");
      expect(r.doc.output).toBe("$1 = 42\n(gdb) ");
    },
    T,
  );
});

describe.skipIf(!Bun.which("vim"))("vim's brief poll before it exits", () => {
  for (const vimrc of [["-u", "NONE"], ["-u", "DEFAULTS"]]) {
    test(
      `send '\\e:wq\\r' ends with reason exit (${vimrc.join(" ")})`,
      async () => {
        const file = join(box.dir, `wq-${vimrc[1]}.txt`);
        const s = await startWait(["vim", ...vimrc, "-N", "-n", file]);
        // The ESC at the end: vim waits a brief time limit for the rest of a key sequence; send
        // returns once it waits for keys without one (normal mode).
        const ins = await box.run(["send", s.session_id, "iHello\\e", "--screen", "--json"]);
        expect(ins.json.reason).toBe("input");
        expect(ins.json.screen.lines.at(-1)).not.toContain("-- INSERT --");
        const w = await send(s.session_id, ":wq\\r");
        expect(w.doc).toMatchObject({ reason: "exit", exit_code: 0 });
        expect(readFileSync(file, "utf8")).toBe("Hello\n");
      },
      T,
    );
  }
});

describe("a question after a pause, and short timed reads", () => {
  test(
    "a partial line, a silent pause, then the read: reported only once read begins",
    async () => {
      const t0 = performance.now();
      const s = await startWait(["bash", "-c", "printf 'Continue? '; sleep 1.5; read x; echo \"got $x\""]);
      expect(performance.now() - t0).toBeGreaterThan(1400);
      expect(s).toMatchObject({ reason: "input", output: "Continue? " });
      const r = await send(s.session_id, "yes", "--enter");
      expect(r.doc).toMatchObject({ reason: "exit", output: "got yes\n" });
    },
    T,
  );

  test(
    "read -t 0.2 in a loop printing dots: never waiting (each time limit ends in output)",
    async () => {
      const s = await box.start(["bash", "-c", "while :; do read -t 0.2 x && echo \"got $x\"; printf .; done"]);
      const w = await box.run(["wait", s.session_id, "--input", "--timeout", "2000"]);
      expect(w.code).toBe(124);
      const st = await box.run(["status", s.session_id, "--json"]);
      expect(st.json.waiting_for_input).toBe(false);
      // It does read the terminal: a line typed is taken.
      const r = await box.run(["send", s.session_id, "hi", "--enter", "--until", "got hi", "--json", "--timeout", "5000"]);
      expect(r.json.reason).toBe("match");
      await box.run(["end", s.session_id, "--grace", "500"]);
    },
    T,
  );

  test(
    "read -t 0.2 in a silent loop: waiting, once a time limit ran out with no output",
    async () => {
      const s = await box.start(["bash", "-c", "until read -t 0.2 x; do :; done; echo \"got $x\""]);
      const w = await box.run(["wait", s.session_id, "--input", "--timeout", "10000"]);
      expect(w.json.reason).toBe("input");
      const st = await box.run(["status", s.session_id, "--json"]);
      expect(st.json.waiting_for_input).toBe(true);
      const r = await box.run(["send", s.session_id, "hi", "--enter", "--json"]);
      expect(r.json).toMatchObject({ reason: "exit", output: "got hi\n" });
    },
    T,
  );

  test(
    "a single short timed read that runs out is not a question",
    async () => {
      const s = await box.start(["bash", "-c", "read -t 0.5 x; echo timed-out; sleep 30"]);
      const w = await box.run(["wait", s.session_id, "--input", "--timeout", "2500"]);
      expect(w.code).toBe(124);
      const out = await box.run(["read", s.session_id, "--timeout", "3000", "--until", "timed-out", "--json"]);
      expect(out.json.reason).toBe("match");
      await box.run(["end", s.session_id, "--grace", "500"]);
    },
    T,
  );
});
