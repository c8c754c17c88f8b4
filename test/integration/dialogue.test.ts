// SPEC §16 against the compiled binary and real programs: send with steps (a dialogue in one call),
// end in the same call, end of several sessions, start --wait --screen, and the same document from
// the CLI and the MCP server.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { McpSession } from "../helpers/mcp.ts";
import { isAlive, Sandbox, waitFor } from "../helpers/sandbox.ts";

/** Per-test limit: every wait inside has its own shorter deadline. */
const T = 90_000;

/**
 * An installer as people meet them: progress dots, a name, y/n, a silent pause before a password
 * prompt (getpass flushes whatever was typed ahead of it), more dots, then a level.
 */
const INSTALLER = `import getpass, sys, time
print("Preparing", end="", flush=True)
for _ in range(3):
    time.sleep(0.2); print(".", end="", flush=True)
print()
name = input("Your name: ")
ok = input(f"Install for {name}? [y/n] ")
if ok != "y":
    print("Cancelled."); sys.exit(3)
time.sleep(0.8)
pw = getpass.getpass("Password: ")
print("Installing", end="", flush=True)
for _ in range(3):
    time.sleep(0.2); print(".", end="", flush=True)
print()
level = input("Level (1-3): ")
print(f"Installed for {name} at level {level} ({len(pw)}-character password).")
`;

let box: Sandbox;
let installer: string;
beforeAll(() => {
  box = new Sandbox();
  installer = join(box.dir, "install.py");
  writeFileSync(installer, INSTALLER);
});
afterAll(async () => {
  await box.dispose();
});

async function startWait(...args: string[]): Promise<any> {
  const r = await box.run(["start", "--wait", "--timeout", "20000", ...args]);
  if (r.code !== 0) throw new Error(`start --wait failed (${r.code}): ${r.stdout} ${r.stderr}`);
  box.track(r.json.pid, r.json.holder_pid);
  return r.json;
}

async function send(id: string, ...args: string[]): Promise<{ code: number; doc: any }> {
  const r = await box.run(["send", id, "--json", ...args]);
  if (r.code !== 0 && r.code !== 124) throw new Error(`send failed (${r.code}): ${r.stdout} ${r.stderr}`);
  return { code: r.code, doc: r.json };
}

/** Nothing of the session is left: not listed, its holder gone, no socket, no directory. */
async function expectGone(s: { session_id: string; holder_pid: number }): Promise<void> {
  await waitFor("the holder to exit", () => !isAlive(s.holder_pid), 15_000);
  expect(existsSync(join(box.runtimeDir, `${s.session_id}.sock`))).toBe(false);
  expect(existsSync(join(box.sessionsDir, s.session_id))).toBe(false);
  const list = await box.run(["list"]);
  expect(list.json.map((x: any) => x.session_id)).not.toContain(s.session_id);
}

describe.skipIf(!Bun.which("python3"))("send with steps", () => {
  test(
    "an installer answered in one call: each step typed only once the program waits (getpass after a silent pause)",
    async () => {
      const s = await startWait("python3", installer);
      expect(s.output).toBe("Preparing...\nYour name: ");
      const r = await send(s.session_id, "Ann", "--then", "y", "--then", "hunter2", "--then", "2", "--enter", "--timeout", "20000");
      expect(r.code).toBe(0);
      expect(r.doc.steps).toEqual([
        { output: "Install for Ann? [y/n] ", reason: "input" },
        { output: "Password: ", reason: "input" },
        { output: "\nInstalling...\nLevel (1-3): ", reason: "input" },
        { output: "Installed for Ann at level 2 (7-character password).\n", reason: "exit" },
      ]);
      expect(r.doc.output).toBe(r.doc.steps.map((x: any) => x.output).join(""));
      expect(r.doc.output).not.toContain("hunter2");
      expect(r.doc.reason).toBe("exit");
      expect(r.doc.exit_code).toBe(0);
      expect(r.doc.stopped_at).toBeUndefined();
      // offset is where the first step was typed: the whole exchange reads from there.
      const whole = await box.run(["read", s.session_id, "--since", String(r.doc.offset), "--strip-ansi"]);
      expect(whole.stdout).toContain("Install for Ann?");
      expect(whole.stdout).toContain("Installed for Ann");
    },
    T,
  );

  test(
    "the same answers typed ahead in one text: getpass throws the rest away and the installer waits",
    async () => {
      const s = await startWait("python3", installer);
      const r = await send(s.session_id, "Ann\\ry\\rhunter2\\r2\\r", "--timeout", "20000");
      expect(r.doc.reason).toBe("input");
      expect(r.doc.output).toEndWith("Password: ");
      // Still at the password prompt: what was typed ahead of it is gone.
      const st = await box.run(["status", s.session_id]);
      expect(st.json.waiting_for_input).toBe(true);
      const next = await send(s.session_id, "pw", "--then", "3", "--enter");
      expect(next.doc.steps.at(-1).output).toBe("Installed for Ann at level 3 (2-character password).\n");
    },
    T,
  );

  test(
    "a dialogue that meets the program's exit stops there: which step, what reason",
    async () => {
      const s = await startWait("python3", installer);
      const r = await send(s.session_id, "--steps", JSON.stringify([{ text: "Bo" }, { text: "n" }, { text: "never typed" }, { text: "3" }]), "--enter");
      expect(r.code).toBe(0);
      expect(r.doc.steps).toEqual([
        { output: "Install for Bo? [y/n] ", reason: "input" },
        { output: "Cancelled.\n", reason: "exit" },
      ]);
      expect(r.doc.stopped_at).toBe(1);
      expect(r.doc.reason).toBe("exit");
      expect(r.doc.status).toBe("exited");
      expect(r.doc.exit_code).toBe(3);
    },
    T,
  );

  test(
    "an until pattern that also appears in the typed text matches only the program's output",
    async () => {
      const s = await startWait("python3", "-q");
      const r = await send(
        s.session_id,
        "--steps",
        JSON.stringify([{ text: "import time; time.sleep(0.5); print('READY')", until: "READY" }, { text: "print(6*7)" }]),
        "--enter",
      );
      expect(r.doc.steps.map((x: any) => x.reason)).toEqual(["match", "input"]);
      // The echo holds READY too: a match on it would have ended the step before python printed it
      // (the reply, echo taken out, would then hold no READY at all).
      expect(r.doc.steps[0].output).toContain("READY");
      expect(r.doc.steps[1].output).toContain("42\n");
      expect(r.doc.output).toEndWith(">>> ");
    },
    T,
  );

  test(
    "a step that times out stops the dialogue and leaves the session usable; the next step is never typed",
    async () => {
      const s = await startWait("python3", "-q");
      const steps = [{ text: "import time; time.sleep(2); print('SLEPT')", timeout_ms: 300 }, { text: "print('SECOND' * 2)" }];
      const r = await send(s.session_id, "--steps", JSON.stringify(steps), "--enter");
      expect(r.code).toBe(124);
      expect(r.doc.reason).toBe("timeout");
      expect(r.doc.stopped_at).toBe(0);
      expect(r.doc.steps).toHaveLength(1);
      expect(r.doc.status).toBe("running");
      const w = await box.run(["wait", s.session_id, "--input", "--timeout", "20000"]);
      expect(w.json.reason).toBe("input");
      const again = await send(s.session_id, "print(1+1)", "--enter");
      expect(again.doc.output).toBe("2\n>>> ");
      const all = await box.run(["read", s.session_id, "--all", "--strip-ansi"]);
      expect(all.stdout).toContain("SLEPT");
      expect(all.stdout).not.toContain("SECOND");
    },
    T,
  );

  test(
    "a regular expression's \\b arrives as typed (it is no longer backspace)",
    async () => {
      const s = await startWait("python3", "-q");
      const r = await send(s.session_id, `import re; print(re.findall(r"\\bcat\\b", "cat concat cat"))`, "--enter");
      expect(r.doc.output).toBe("['cat', 'cat']\n>>> ");
    },
    T,
  );

  test(
    "bad steps are refused before anything is typed",
    async () => {
      const s = await startWait("python3", "-q");
      for (const steps of ["[]", "{}", "[{}]", '[{"text":"a","keys":["enter"]}]', '[{"keys":["nosuchkey"]}]', '[{"text":"a","colour":1}]', "not json"]) {
        const r = await box.run(["send", s.session_id, "--steps", steps]);
        expect({ steps, code: r.code }).toEqual({ steps, code: 2 });
      }
      const both = await box.run(["send", s.session_id, "x", "--steps", '[{"text":"a"}]']);
      expect(both.code).toBe(2);
      // Had anything been typed, python would now answer with an error first.
      const next = await send(s.session_id, "print(1)", "--enter");
      expect(next.doc.output).toBe("1\n>>> ");
    },
    T,
  );
});

describe.skipIf(!Bun.which("python3"))("end in the same call", () => {
  test(
    "send --end: the reply, then no session, holder or socket",
    async () => {
      const s = await startWait("python3", "-q");
      const r = await send(s.session_id, "print(6*7)", "--enter", "--end");
      expect(r.doc.output).toBe("42\n>>> ");
      expect(r.doc.ended).toBe(true);
      expect(r.doc.status).toBe("exited");
      expect(r.doc.signal).toBe("SIGHUP");
      await expectGone(s);
    },
    T,
  );

  test(
    "a dialogue whose program exits, with --end: the program's own exit status, nothing left",
    async () => {
      const s = await startWait("python3", installer);
      const r = await send(s.session_id, "Ann", "--then", "y", "--then", "pw", "--then", "1", "--enter", "--end");
      expect(r.doc.steps.at(-1).reason).toBe("exit");
      expect(r.doc).toMatchObject({ ended: true, exit_code: 0, signal: null, status: "exited" });
      await expectGone(s);
    },
    T,
  );

  test(
    "start --wait --end and exec --end",
    async () => {
      const r = await box.run(["start", "--wait", "--end", "python3", "-c", "print('hello'); import sys; sys.exit(4)"]);
      expect(r.code).toBe(0);
      box.track(r.json.pid, r.json.holder_pid);
      expect(r.json).toMatchObject({ output: "hello\n", reason: "exit", ended: true, exit_code: 4, status: "exited" });
      await expectGone(r.json);

      const sh = await startWait("bash", "--norc", "--noprofile");
      const e = await box.run(["exec", sh.session_id, "--end", "echo", "done;", "false"]);
      expect(e.stdout).toBe("done\n");
      expect(e.code).toBe(1);
      await expectGone(sh);
      const sh2 = await startWait("bash", "--norc", "--noprofile");
      const j = await box.run(["exec", sh2.session_id, "--json", "--end", "echo ok"]);
      expect(j.json).toMatchObject({ output: "ok\n", exit_code: 0, ended: true });
      await expectGone(sh2);
    },
    T,
  );

  test(
    "end A B ends both; a wrong name among them ends none",
    async () => {
      const a = await startWait("--name", "end-a", "python3", "-q");
      const b = await startWait("--name", "end-b", "python3", "-q");
      const bad = await box.run(["end", "end-a", "nope", "end-b"]);
      expect(bad.code).toBe(1);
      expect(bad.json.code).toBe("SESSION_NOT_FOUND");
      expect(isAlive(a.holder_pid) && isAlive(b.holder_pid)).toBe(true);
      const r = await box.run(["end", "end-a", b.session_id]);
      expect(r.code).toBe(0);
      expect(r.json.status).toBe("terminated");
      expect(r.json.sessions.map((x: any) => x.session_id).sort()).toEqual([a.session_id, b.session_id].sort());
      await expectGone(a);
      await expectGone(b);
    },
    T,
  );
});

describe.skipIf(!Bun.which("vim"))("start --wait --screen", () => {
  test(
    "vim's first screen, rendered",
    async () => {
      const file = join(box.dir, "notes.txt");
      writeFileSync(file, "first line\n");
      const s = await startWait("--screen", "--rows", "10", "--cols", "60", "vim", "-u", "NONE", "-N", file);
      expect(s.reason).toBe("input");
      expect(s.screen.lines).toHaveLength(10);
      expect(s.screen.lines[0]).toBe("first line");
      expect(s.screen.lines[1]).toStartWith("~");
      expect(s.screen.cursor).toEqual({ row: 0, col: 0 });
    },
    T,
  );
});

describe.skipIf(!Bun.which("python3") || !Bun.which("vim"))("the MCP server", () => {
  let mcp: McpSession;
  beforeAll(async () => {
    mcp = await McpSession.open(box);
  });
  afterAll(async () => {
    await mcp?.close();
  });

  /** What differs between two runs of the same dialogue. */
  const comparable = (doc: any) => ({ ...doc, session_id: "ID", offset: "N", next_offset: "N" });

  test(
    "steps give the CLI's document; the text content names each step's reason",
    async () => {
      const steps = [{ text: "Ann" }, { text: "y" }, { text: "hunter2" }, { text: "2" }];
      const viaCli = await startWait("python3", installer);
      const cli = await send(viaCli.session_id, "--steps", JSON.stringify(steps), "--enter");
      const started = await mcp.ok("start", { command: ["python3", installer] });
      box.track(started.pid, started.holder_pid);
      const r = await mcp.call("send", { session: started.session_id, steps, enter: true });
      expect(r.isError).toBeFalsy();
      expect(comparable(r.structuredContent)).toEqual(comparable(cli.doc));
      expect(r.content[0]!.text).toContain("steps: input input input exit");
    },
    T,
  );

  test(
    "a vim edit: keys steps, the screen, and end in the same call",
    async () => {
      const file = join(box.dir, "edit.txt");
      writeFileSync(file, "old\n");
      const started = await mcp.ok("start", { command: ["vim", "-u", "NONE", "-N", file], rows: 8, cols: 40, screen: true });
      box.track(started.pid, started.holder_pid);
      expect(started.screen.lines[0]).toBe("old");
      const r = await mcp.ok("send", {
        session: started.session_id,
        steps: [{ keys: ["d", "d"] }, { text: "inew text" }, { keys: ["escape"] }, { text: ":wq", enter: true }],
        end: true,
      });
      expect(r.steps.map((x: any) => x.reason)).toEqual(["input", "input", "input", "exit"]);
      expect(r).toMatchObject({ ended: true, exit_code: 0, status: "exited" });
      expect(await Bun.file(file).text()).toBe("new text\n");
      await expectGone(started);
    },
    T,
  );

  test(
    "end with sessions: several at once; session and sessions are one or the other",
    async () => {
      const a = await mcp.ok("start", { command: ["python3", "-q"] });
      const b = await mcp.ok("start", { command: ["python3", "-q"] });
      box.track(a.pid, a.holder_pid, b.pid, b.holder_pid);
      const neither = await mcp.call("end", {});
      expect(neither.isError).toBe(true);
      expect(neither.structuredContent.code).toBe("INVALID_ARGUMENT");
      const r = await mcp.ok("end", { sessions: [a.session_id, b.session_id] });
      expect(r.sessions).toHaveLength(2);
      await expectGone(a);
      await expectGone(b);
    },
    T,
  );
});
