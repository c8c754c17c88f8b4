// SPEC §10 against the compiled binary and real programs: send with REPLs, prompts, passwords,
// vim; start --wait; wait --input and status.waiting_for_input both ways; the echo in no reply.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { Sandbox } from "../helpers/sandbox.ts";

/** Per-test limit: every wait inside has its own shorter deadline. */
const T = 60_000;

let box: Sandbox;
beforeAll(() => {
  box = new Sandbox();
});
afterAll(async () => {
  await box.dispose();
});

async function startWait(args: string[]): Promise<any> {
  const r = await box.run(["start", "--wait", "--timeout", "20000", ...args]);
  if (r.code !== 0) throw new Error(`start --wait failed (${r.code}): ${r.stdout} ${r.stderr}`);
  box.track(r.json.pid, r.json.holder_pid);
  return r.json;
}

async function send(id: string, ...args: string[]): Promise<{ code: number; doc: any; ms: number }> {
  const t0 = performance.now();
  const r = await box.run(["send", id, "--json", ...args]);
  const ms = performance.now() - t0;
  if (r.code !== 0 && r.code !== 124) throw new Error(`send failed (${r.code}): ${r.stdout} ${r.stderr}`);
  return { code: r.code, doc: r.json, ms };
}

describe.skipIf(!Bun.which("python3"))("send to python", () => {
  test(
    "an assignment, then a print; a def, then a call",
    async () => {
      const s = await startWait(["python3", "-q"]);
      expect(s.reason).toBe("input");
      expect(s.output).toEndWith(">>> ");
      const a = await send(s.session_id, "x = 6 * 7", "--enter");
      expect(a.doc.reason).toBe("input");
      expect(a.doc.output).toBe(">>> ");
      const p = await send(s.session_id, "print(x)", "--enter");
      expect(p.doc.output).toBe("42\n>>> ");
      expect(p.doc.waiting_for_input).toBe(true);
      const d = await send(s.session_id, "def twice(a):\\r    return a * 2\\r\\r");
      expect(d.doc.reason).toBe("input");
      expect(d.doc.output).not.toContain("return");
      expect(d.doc.output).not.toContain("twice");
      expect(d.doc.output).toEndWith(">>> ");
      const c = await send(s.session_id, "twice(21)", "--enter");
      expect(c.doc.output).toBe("42\n>>> ");
      // send advanced the default reader past what it returned.
      const rest = await box.run(["read", s.session_id]);
      expect(rest.stdout).toBe("");
    },
    T,
  );

  test(
    "a password prompt: the reply does not contain the password",
    async () => {
      const s = await startWait(["python3", "-c", "import getpass; p = getpass.getpass('Password: '); print('length', len(p))"]);
      expect(s.output).toBe("Password: ");
      const r = await send(s.session_id, "hunter2", "--enter");
      expect(r.doc.reason).toBe("exit");
      expect(r.doc.output).toContain("length 7");
      expect(r.doc.output).not.toContain("hunter2");
    },
    T,
  );

  test(
    "the program exiting during send: reason exit and its exit code",
    async () => {
      const s = await startWait(["python3", "-q"]);
      const r = await send(s.session_id, "import sys; print('bye'); sys.exit(3)", "--enter");
      expect(r.code).toBe(0);
      expect(r.doc).toMatchObject({ reason: "exit", status: "exited", exit_code: 3, waiting_for_input: null });
      expect(r.doc.output).toBe("bye\n");
    },
    T,
  );

  test(
    "--timeout: exit 124, reason timeout, the reply so far; the program keeps running",
    async () => {
      const s = await startWait(["python3", "-q"]);
      const r = await send(s.session_id, "import time; print('before'); time.sleep(30)", "--enter", "--timeout", "800");
      expect(r.code).toBe(124);
      expect(r.doc.reason).toBe("timeout");
      expect(r.doc.output).toBe("before\n");
      expect(r.doc.waiting_for_input).toBe(false);
      const st = await box.run(["status", s.session_id, "--json"]);
      expect(st.json).toMatchObject({ status: "running", waiting_for_input: false, input_wait: "kernel" });
    },
    T,
  );
});

describe.skipIf(!Bun.which("node"))("send to node", () => {
  test(
    "a declaration, then an expression",
    async () => {
      const s = await startWait(["node"]);
      expect(s.output).toContain("> ");
      await send(s.session_id, "let y = 41", "--enter");
      const r = await send(s.session_id, "y + 1", "--enter");
      expect(r.doc.reason).toBe("input");
      expect(r.doc.output).toStartWith("42\n");
      expect(r.doc.output).not.toContain("y + 1");
    },
    T,
  );
});

describe.skipIf(!Bun.which("gdb"))("send to gdb", () => {
  test(
    "print",
    async () => {
      const s = await startWait(["gdb", "-q", "-nx"]);
      expect(s.output).toBe("(gdb) ");
      const r = await send(s.session_id, "print 6*7", "--enter");
      expect(r.doc.output).toBe("$1 = 42\n(gdb) ");
    },
    T,
  );

  test.skipIf(!Bun.which("cc"))(
    "a commands block, line by line",
    async () => {
      const src = join(box.dir, "prog.c");
      writeFileSync(src, "#include <stdio.h>\nint add(int a, int b) { return a + b; }\nint main(void) { printf(\"%d\\n\", add(2, 3)); return 0; }\n");
      const exe = join(box.dir, "prog");
      const cc = Bun.spawnSync(["cc", "-g", "-O0", "-o", exe, src]);
      expect(cc.exitCode).toBe(0);
      const s = await startWait(["gdb", "-q", "-nx", exe]);
      expect(s.output).toContain("(gdb) ");
      await send(s.session_id, "break add", "--enter");
      const block = await send(s.session_id, "commands 1\\rsilent\\rprint a + b\\rcontinue\\rend\\r");
      expect(block.doc.reason).toBe("input");
      expect(block.doc.output).toEndWith("(gdb) ");
      const run = await send(s.session_id, "run", "--enter");
      expect(run.doc.output).toContain("$1 = 5");
      expect(run.doc.output).toContain("exited normally");
    },
    T,
  );
});

describe.skipIf(!Bun.which("sqlite3"))("send to sqlite3", () => {
  test(
    "create, insert, select",
    async () => {
      const s = await startWait(["sqlite3"]);
      expect(s.output).toEndWith("sqlite> ");
      expect((await send(s.session_id, "create table t(a, b);", "--enter")).doc.output).toBe("sqlite> ");
      expect((await send(s.session_id, "insert into t values (1, 'one');", "--enter")).doc.output).toBe("sqlite> ");
      const r = await send(s.session_id, "select * from t;", "--enter");
      expect(r.doc.output).toBe("1|one\nsqlite> ");
    },
    T,
  );
});

describe("prompts", () => {
  test(
    "a question asked after 1.5 s of silence is not answered early",
    async () => {
      const t0 = performance.now();
      const s = await startWait(["bash", "-c", "sleep 1.5; read -p 'Continue? ' x; echo \"got $x\""]);
      expect(performance.now() - t0).toBeGreaterThan(1400);
      expect(s.reason).toBe("input");
      expect(s.output).toBe("Continue? ");
      const r = await send(s.session_id, "yes", "--enter");
      expect(r.doc).toMatchObject({ reason: "exit", output: "got yes\n", exit_code: 0 });
    },
    T,
  );

  test(
    "an installer with four questions in 6 calls: start --wait, 4 x send, end",
    async () => {
      const script = join(box.dir, "install.sh");
      writeFileSync(
        script,
        [
          "#!/bin/bash",
          "read -p 'Your name: ' name",
          "read -p \"Install for $name? [y/n] \" yn",
          "read -s -p 'Password: ' pw; echo",
          "printf 'Installing'; for i in 1 2 3 4 5; do sleep 0.3; printf .; done; echo",
          "read -p 'Start the service now? [y/n] ' svc",
          "echo \"done: $name $yn ${#pw} $svc\"",
          "",
        ].join("\n"),
      );
      chmodSync(script, 0o755);
      const s = await startWait([script]);
      expect(s.output).toBe("Your name: ");
      expect((await send(s.session_id, "Ann", "--enter")).doc.output).toBe("Install for Ann? [y/n] ");
      expect((await send(s.session_id, "y", "--enter")).doc.output).toBe("Password: ");
      const pw = await send(s.session_id, "hunter2", "--enter");
      expect(pw.doc.output).toBe("\nInstalling.....\nStart the service now? [y/n] ");
      const last = await send(s.session_id, "n", "--enter");
      expect(last.doc).toMatchObject({ reason: "exit", output: "done: Ann y 7 n\n", exit_code: 0 });
      expect((await box.run(["end", s.session_id])).code).toBe(0);
    },
    T,
  );

  test(
    "--until with the pattern inside the typed command waits for the real output",
    async () => {
      const s = await startWait(["bash", "--norc", "-i"]);
      const t0 = performance.now();
      const r = await send(s.session_id, "sleep 1; echo DONE_X", "--enter", "--until", "DONE_X");
      expect(performance.now() - t0).toBeGreaterThan(900);
      expect(r.doc.reason).toBe("match");
      expect(r.doc.output).not.toContain("sleep 1");
      expect(r.doc.output).toContain("DONE_X\n");
      // The README's claim: read --since the write's offset --until never matches the echo.
      const w = await box.run(["write", s.session_id, "sleep 1; echo DONE_Y\\n"]);
      const t1 = performance.now();
      const rd = await box.run(["read", s.session_id, "--since", String(w.json.offset), "--until", "DONE_Y", "--timeout", "10000", "--json"]);
      expect(performance.now() - t1).toBeGreaterThan(800);
      expect(rd.json).toMatchObject({ matched: true, reason: "match" });
    },
    T,
  );
});

describe.skipIf(!Bun.which("vim"))("vim", () => {
  test(
    "an edit checked with send --screen",
    async () => {
      const file = join(box.dir, "notes.txt");
      const s = await startWait(["vim", "-u", "NONE", "-N", "-n", file]);
      expect(s.reason).toBe("input");
      // No ESC at the end: vim would wait (timeoutlen) for the rest of a key sequence, which is a
      // wait for input too. The ESC goes with the next command (docs/agents.md).
      const r = await box.run(["send", s.session_id, "iHello from send", "--screen", "--json"]);
      expect(r.code).toBe(0);
      expect(r.json.reason).toBe("input");
      expect(r.json.screen.lines[0]).toBe("Hello from send");
      expect(r.json.screen.lines.at(-1)).toContain("-- INSERT --");
      const plain = await box.run(["send", s.session_id, "--screen", "--json", "\\e:wq\\r"]);
      expect(plain.code).toBe(0);
      expect(plain.json.output).not.toContain(":wq");
      // vim may still wait a moment for the terminal's answers to its queries before it exits.
      const w = await box.run(["wait", s.session_id, "--timeout", "10000"]);
      expect(w.json).toMatchObject({ status: "exited", exit_code: 0 });
      expect(readFileSync(file, "utf8")).toBe("Hello from send\n");
    },
    T,
  );
});

describe("waiting for input, both ways", () => {
  const CASES: Array<{ name: string; cmd: string[]; waiting: boolean; need: string }> = [
    { name: "python at its prompt", cmd: ["python3", "-q"], waiting: true, need: "python3" },
    { name: "bash at its prompt", cmd: ["bash", "--norc", "-i"], waiting: true, need: "bash" },
    { name: "read -p", cmd: ["bash", "-c", "read -p 'q? ' x"], waiting: true, need: "bash" },
    { name: "sleep", cmd: ["sleep", "30"], waiting: false, need: "sleep" },
    { name: "a busy loop", cmd: ["python3", "-c", "while True: pass"], waiting: false, need: "python3" },
    { name: "a read from a pipe", cmd: ["bash", "-c", "sleep 30 | cat"], waiting: false, need: "bash" },
  ];
  for (const c of CASES) {
    test.skipIf(!Bun.which(c.need))(
      c.name,
      async () => {
        const s = await box.start(c.cmd);
        const w = await box.run(["wait", s.session_id, "--input", "--timeout", c.waiting ? "20000" : "1500"]);
        if (c.waiting) {
          expect(w.code).toBe(0);
          expect(w.json).toMatchObject({ reason: "input", status: "running" });
        } else {
          expect(w.code).toBe(124);
          expect(w.json.code).toBe("TIMEOUT");
        }
        const st = await box.run(["status", s.session_id, "--json"]);
        expect(st.json.waiting_for_input).toBe(c.waiting);
        expect(st.json.input_wait).toBe("kernel");
        expect(st.json.foreground.pid).toBeGreaterThan(0);
        await box.run(["end", s.session_id, "--grace", "500"]);
      },
      T,
    );
  }

  test(
    "read --until-input ends at the prompt, not at a pause in the output",
    async () => {
      const s = await box.start(["bash", "-c", "printf working; sleep 0.6; printf ' more'; sleep 0.6; read -p ' ready? ' x"]);
      const r = await box.run(["read", s.session_id, "--until-input", "--timeout", "20000", "--json"]);
      expect(r.code).toBe(0);
      expect(r.json.reason).toBe("input");
      expect(r.json.output).toBe("working more ready? ");
      const st = await box.run(["wait", s.session_id, "--input", "--timeout", "5000"]);
      expect(st.json.reason).toBe("input");
    },
    T,
  );
});
