// The library (SPEC §12) as programs use it: dist/lib/index.js imported by separate Node and Bun
// processes that drive real programs (python3, bash, a short-lived sh), reconnect from a second
// process, stream output, and exit on their own when their work is done.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { jsonLines, LIB, RUNTIMES, runScript, type ScriptResult } from "../helpers/library.ts";
import { BIN, Sandbox } from "../helpers/sandbox.ts";

const T = 120_000;
const PRELUDE = `import { SessionManager } from "delta-sessions";
const m = new SessionManager();
const out = (x) => console.log(JSON.stringify(x));
`;

function ok(r: ScriptResult): any[] {
  if (r.killed || r.code !== 0) throw new Error(`program failed (code ${r.code}, killed ${r.killed}):\n${r.stdout}\n${r.stderr}`);
  return jsonLines(r.stdout);
}

for (const runtime of RUNTIMES) {
  describe(`library in ${runtime}`, () => {
    let box: Sandbox;
    beforeAll(() => {
      box = new Sandbox();
    });
    afterAll(() => box?.dispose());

    /** Runs a program body with `m` (a SessionManager) and `out` (prints one JSON line) defined. */
    const drive = (body: string) => runScript(box, runtime, PRELUDE + body);

    test("drives python: start --wait, send, write, keys, read, screen, status, resize, output(), end", async () => {
      const [started, reply, written, read, keys, afterKeys, screen, status, resized, streamed, ended, listed] = ok(
        await drive(
          `const s = await m.start(["python3", "-q"], { name: "py", wait: true, cols: 100, rows: 20 });
out(s.started);
out(await s.send("6 * 7", { enter: true }));
out(await s.write("x = 'typed'", { enter: true }));
out(await s.read({ untilInput: true, timeout: 20000, stripAnsi: true }));
out(await s.keys("x", "enter"));
out(await s.read({ until: "typed", timeout: 20000, stripAnsi: true }));
out(await s.screen());
await s.wait({ input: true, timeout: 20000 }); // status tells "waiting" once the program is back in its read
out(await s.status());
out(await s.resize(90, 25));
const chunks = [];
const stream = s.output();
await s.write("print('streamed ' * 3)", { enter: true });
for await (const c of stream) {
  chunks.push(c.text);
  if (chunks.join("").includes("streamed streamed streamed")) break;
}
out({ text: chunks.join(""), firstOffsetIsNumber: typeof (await s.status()).output_bytes === "number" });
out(await s.end());
out(await m.list());
`,
        ),
      );
      expect(started).toMatchObject({ name: "py", status: "running", command: ["python3", "-q"], cols: 100, rows: 20, output: ">>> ", reason: "input" });
      expect(reply).toMatchObject({ output: "42\n>>> ", reason: "input", waiting_for_input: true, status: "running" });
      expect(written).toMatchObject({ status: "sent", bytes: 12, session_id: started.session_id });
      expect(read).toMatchObject({ reason: "input", status: "running" });
      expect(read.output).toContain(">>> ");
      expect(keys).toMatchObject({ status: "sent", key: "x", keys: ["x", "enter"] });
      expect(afterKeys.output).toContain("'typed'");
      expect(screen.lines).toContain(">>> 6 * 7");
      expect(screen).toMatchObject({ cols: 100, rows: 20, alternate_screen: false });
      expect(status).toMatchObject({ status: "running", alive: true, waiting_for_input: true, input_wait: "kernel", foreground: { command: "python3" } });
      expect(resized).toEqual({ status: "resized", session_id: started.session_id, cols: 90, rows: 25 });
      expect(streamed.text).toContain("streamed streamed streamed");
      expect(ended).toMatchObject({ status: "terminated", session_id: started.session_id });
      expect(listed).toEqual([]);
    }, T);

    test("drives bash with exec and a short-lived program to its exit; exited and wait report it", async () => {
      const [first, cd, exitFail, waited, short, exited, shortWait, shortRead] = ok(
        await drive(
          `const sh = await m.start(["bash", "--norc", "-i"], { wait: true });
out(await sh.exec("echo one; echo two"));
out(await sh.exec("cd /tmp && pwd"));
out(await sh.exec("pwd; false"));
await sh.write("read answer", { enter: true });
out(await sh.wait({ input: true, timeout: 20000 }));
const short = await m.start(["sh", "-c", "echo bye; exit 3"]);
out({ id: short.id });
out(await short.exited);
out(await short.wait());
out(await short.read({ all: true, stripAnsi: true }));
await sh.end();
await short.end();
`,
        ),
      );
      expect(first).toMatchObject({ output: "one\ntwo\n", exit_code: 0, exitCode: 0, timed_out: false });
      expect(cd.output).toBe("/tmp\n");
      expect(exitFail).toMatchObject({ output: "/tmp\n", exit_code: 1, exitCode: 1 });
      expect(waited).toMatchObject({ status: "running", reason: "input" });
      expect(short.id).toMatch(/^sess_/);
      expect(exited).toEqual({ exitCode: 3, signal: null });
      expect(shortWait).toMatchObject({ session_id: short.id, status: "exited", exit_code: 3 });
      expect(shortRead).toMatchObject({ output: "bye\n", status: "exited", exit_code: 3 });
    }, T);

    test("a second process reconnects by name (get) and by id, and sees the first one's output", async () => {
      const [first] = ok(
        await runScript(
          box,
          runtime,
          `import { SessionManager } from "delta-sessions";
const m = new SessionManager();
const s = await m.start(["python3", "-q"], { name: "again", wait: true });
await s.send("secret = 41 + 1", { enter: true });
console.log(JSON.stringify({ id: s.id }));
`,
        ),
      );
      const [byName, byId, reply, ended] = ok(
        await drive(
          `const s = await m.get("again");
out({ id: s.id, name: s.name, started: s.started });
const t = await m.get(${JSON.stringify(first.id)});
out({ id: t.id, name: t.name });
out(await t.send("secret", { enter: true }));
out(await s.end());
`,
        ),
      );
      expect(byName).toEqual({ id: first.id, name: "again", started: null });
      expect(byId).toEqual({ id: first.id, name: "again" });
      expect(reply.output).toBe("42\n>>> ");
      expect(ended).toMatchObject({ status: "terminated", session_id: first.id });
    }, T);

    test("a program that holds sessions, a stream it never read and connections it used exits on its own", async () => {
      // Nothing awaits `exited` and the stream is never iterated; the pooled connections stay open
      // (the programs keep running): the process must end when its last line has run.
      const r = await runScript(
        box,
        runtime,
        `import { SessionManager } from "delta-sessions";
const m = new SessionManager();
const s = await m.start(["python3", "-q"], { name: "lingers", wait: true });
await s.send("1 + 1", { enter: true });
await s.status();
const stream = s.output();
const again = await m.get("lingers");
await again.screen();
const sh = await m.start(["bash", "--norc", "-i"], { name: "lingers-sh" });
await sh.write("echo hi", { enter: true });
console.log("done");
`,
        { deadlineMs: 30_000 },
      );
      expect({ killed: r.killed, code: r.code, stdout: r.stdout }).toEqual({ killed: false, code: 0, stdout: "done\n" });
      // The sessions are still there for anyone else.
      const list = await box.run(["list"]);
      expect(list.json.map((e: any) => [e.name, e.status]).sort()).toEqual([
        ["lingers", "running"],
        ["lingers-sh", "running"],
      ]);
      await box.run(["end", "lingers"]);
      await box.run(["end", "lingers-sh"]);
    }, T);

    test("errors are SessionErrors with the CLI's codes; option objects are checked", async () => {
      const r = ok(
        await runScript(
          box,
          runtime,
          `import { SessionManager, SessionError } from "delta-sessions";
const out = (x) => console.log(JSON.stringify(x));
const attempt = async (what, fn) => {
  try {
    await fn();
    out({ what, error: null });
  } catch (e) {
    out({ what, error: e.code, isSessionError: e instanceof SessionError, message: e.message });
  }
};
const m = new SessionManager();
const s = await m.start(["python3", "-q"], { wait: true });
await attempt("unknown option", () => s.send("1", { timout: 5 }));
await attempt("wrong type", () => s.send("1", { timeout: "5" }));
await attempt("read wrong type", () => s.read({ since: -1 }));
await attempt("start unknown", () => m.start(["true"], { colums: 80 }));
await attempt("start env type", () => m.start(["true"], { env: { A: 1 } }));
await attempt("manager option", async () => new SessionManager({ sessiondir: "x" }));
await attempt("output option", async () => s.output({ from: 0 }));
await attempt("not found", () => m.get("nosuch"));
await attempt("bad key", () => s.keys("enter", "nokey"));
await attempt("exec on python", () => s.exec("echo hi"));
await attempt("wait timeout", () => s.wait({ timeout: 300 }));
await attempt("bad name", () => m.start(["true"], { name: "a b" }));
await attempt("missing command", () => m.start(["no-such-program-here"]));
await s.end();
await attempt("after end", () => s.status());
`,
        ),
      );
      const codes = Object.fromEntries(r.map((e: any) => [e.what, e.error]));
      expect(codes).toEqual({
        "unknown option": "INVALID_ARGUMENT",
        "wrong type": "INVALID_ARGUMENT",
        "read wrong type": "INVALID_ARGUMENT",
        "start unknown": "INVALID_ARGUMENT",
        "start env type": "INVALID_ARGUMENT",
        "manager option": "INVALID_ARGUMENT",
        "output option": "INVALID_ARGUMENT",
        "not found": "SESSION_NOT_FOUND",
        "bad key": "INVALID_KEY",
        "exec on python": "EXEC_UNSUPPORTED",
        "wait timeout": "TIMEOUT",
        "bad name": "INVALID_ARGUMENT",
        "missing command": "COMMAND_NOT_FOUND",
        "after end": "SESSION_NOT_FOUND",
      });
      expect(r.every((e: any) => e.isSessionError === true)).toBe(true);
      expect(r.find((e: any) => e.what === "unknown option").message).toContain('unknown option "timout"');
      expect(r.find((e: any) => e.what === "wrong type").message).toContain("timeout must be");
    }, T);

    test("start finds the executable: bin, $DELTA_SESSIONS_BIN, the package's own, PATH; none is an error naming all four", async () => {
      // The bundle alone, away from the package's dist/delta-sessions, with no delta-sessions on PATH.
      const alone = join(mkdtempSync(join(box.dir, "alone-")), "lib");
      mkdirSync(alone);
      copyFileSync(LIB, join(alone, "index.js"));
      const program = `import { SessionManager } from "delta-sessions";
const opts = process.argv[2] ? { bin: process.argv[2] } : {};
try {
  const s = await new SessionManager(opts).start(["true"]);
  await s.end();
  console.log(JSON.stringify({ started: true }));
} catch (e) {
  console.log(JSON.stringify({ code: e.code, message: e.message }));
}
`;
      const env = { PATH: "/usr/bin:/bin", DELTA_SESSIONS_BIN: undefined };
      const [none] = ok(await runScript(box, runtime, program, { lib: join(alone, "index.js"), env }));
      expect(none.code).toBe("COMMAND_NOT_FOUND");
      for (const named of ["bin option", "$DELTA_SESSIONS_BIN", "dist/delta-sessions", "delta-sessions on PATH"]) expect(none.message).toContain(named);
      const [fromEnv] = ok(await runScript(box, runtime, program, { lib: join(alone, "index.js"), env: { ...env, DELTA_SESSIONS_BIN: BIN } }));
      expect(fromEnv).toEqual({ started: true });
      const [fromPath] = ok(await runScript(box, runtime, program, { lib: join(alone, "index.js"), env: { PATH: `${join(BIN, "..")}:/usr/bin:/bin` } }));
      expect(fromPath).toEqual({ started: true });
      const [own] = ok(await runScript(box, runtime, program, { env }));
      expect(own).toEqual({ started: true });
      const [badBin] = ok(await runScript(box, runtime, program.replace("process.argv[2]", `"/nonexistent/delta-sessions"`).replace("process.argv[2]", `"/nonexistent/delta-sessions"`)));
      expect(badBin.code).toBe("COMMAND_NOT_FOUND");
      expect(badBin.message).toContain("/nonexistent/delta-sessions");
    }, T);
  });
}
