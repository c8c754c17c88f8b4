// Every front end returns the same document for the same operation (SPEC §12): one sequence of
// operations — starts, interaction, reads, exec, waits, status, resize, list, errors, ends — run
// through the CLI (--json), the MCP server and the library (in Node and in Bun), each in its own
// sandbox, and the documents compared step by step, ids, pids, times and directories aside.
// One row per operation: a new operation (or a new form of one) is one more row in STEPS.
import { afterAll, describe, expect, test } from "bun:test";
import { McpSession } from "../helpers/mcp.ts";
import { jsonLines, runScript, type Runtime } from "../helpers/library.ts";
import { Sandbox } from "../helpers/sandbox.ts";

interface Step {
  name: string;
  /** The CLI's argv (its stdout is the document, whatever the exit code). */
  cli: string[];
  /** The MCP tool and its arguments. */
  mcp: [tool: string, args: Record<string, unknown>];
  /** The body of an async function of `m` (the SessionManager) and `s(name)` (a Session by name)
   *  that returns the document. */
  lib: string;
  /** The document inside the MCP result when it is not the result itself (a list is wrapped). */
  unwrapMcp?: (doc: any) => any;
}

const WAIT = "20000";
const DIALOGUE = [{ text: "a = 40 + 2", enter: true }, { keys: ["a", "enter"] }];
const SLEEPY = "import time; print('a-b-c'); time.sleep(3)";
// Patterns that match only once the text they end with is complete: where a match ends must not
// depend on how the output was cut into chunks.
const UNTIL_LINE = "b-c\\n";
const UNTIL_PROMPT = "^5\\n>>> ";
const STEPS: Step[] = [
  {
    name: "start python, waiting for its prompt",
    cli: ["start", "--wait", "--name", "py", "python3", "-q"],
    mcp: ["start", { command: ["python3", "-q"], name: "py", wait: true }],
    lib: `return (await m.start(["python3", "-q"], { name: "py", wait: true })).started;`,
  },
  {
    name: "start bash",
    cli: ["start", "--wait", "--name", "sh", "bash", "--norc", "-i"],
    mcp: ["start", { command: ["bash", "--norc", "-i"], name: "sh", wait: true }],
    lib: `return (await m.start(["bash", "--norc", "-i"], { name: "sh", wait: true })).started;`,
  },
  {
    name: "start a program that exits at once",
    cli: ["start", "--wait", "--name", "short", "sh", "-c", "echo bye; exit 3"],
    mcp: ["start", { command: ["sh", "-c", "echo bye; exit 3"], name: "short", wait: true }],
    lib: `return (await m.start(["sh", "-c", "echo bye; exit 3"], { name: "short", wait: true })).started;`,
  },
  {
    name: "send",
    cli: ["send", "py", "6 * 7", "--enter", "--json"],
    mcp: ["send", { session: "py", text: "6 * 7", enter: true }],
    lib: `return (await s("py")).send("6 * 7", { enter: true });`,
  },
  {
    name: "send with steps (a dialogue)",
    cli: ["send", "py", "--steps", JSON.stringify(DIALOGUE), "--json"],
    mcp: ["send", { session: "py", steps: DIALOGUE }],
    lib: `return (await s("py")).send([{ text: "a = 40 + 2", enter: true }, { keys: ["a", "enter"] }]);`,
  },
  {
    // The match comes while the program sleeps: whether it waits for input then is not a race.
    name: "send with until and the screen",
    cli: ["send", "py", SLEEPY, "--enter", "--until", UNTIL_LINE, "--screen", "--json"],
    mcp: ["send", { session: "py", text: SLEEPY, enter: true, until: UNTIL_LINE, screen: true }],
    lib: `return (await s("py")).send(${JSON.stringify(SLEEPY)}, { enter: true, until: ${JSON.stringify(UNTIL_LINE)}, screen: true });`,
  },
  {
    name: "read until input (after a send that ended at a match)",
    cli: ["read", "py", "--until-input", "--timeout", WAIT, "--strip-ansi", "--json"],
    mcp: ["read", { session: "py", until_input: true, timeout_ms: Number(WAIT) }],
    lib: `return (await s("py")).read({ untilInput: true, timeout: ${WAIT}, stripAnsi: true });`,
  },
  {
    name: "write",
    cli: ["write", "py", "x = 5", "--enter"],
    mcp: ["write", { session: "py", text: "x = 5", enter: true }],
    lib: `return (await s("py")).write("x = 5", { enter: true });`,
  },
  {
    name: "read until input",
    cli: ["read", "py", "--until-input", "--timeout", WAIT, "--strip-ansi", "--json"],
    mcp: ["read", { session: "py", until_input: true, timeout_ms: Number(WAIT) }],
    lib: `return (await s("py")).read({ untilInput: true, timeout: ${WAIT}, stripAnsi: true });`,
  },
  {
    name: "keys",
    cli: ["keys", "py", "x", "enter"],
    mcp: ["keys", { session: "py", keys: ["x", "enter"] }],
    lib: `return (await s("py")).keys("x", "enter");`,
  },
  {
    name: "read until a match",
    cli: ["read", "py", "--until", UNTIL_PROMPT, "--timeout", WAIT, "--strip-ansi", "--json"],
    mcp: ["read", { session: "py", until: UNTIL_PROMPT, timeout_ms: Number(WAIT) }],
    lib: `return (await s("py")).read({ until: ${JSON.stringify(UNTIL_PROMPT)}, timeout: ${WAIT}, stripAnsi: true });`,
  },
  {
    name: "read everything, without advancing",
    cli: ["read", "py", "--all", "--peek", "--strip-ansi", "--json"],
    mcp: ["read", { session: "py", all: true, peek: true }],
    lib: `return (await s("py")).read({ all: true, peek: true, stripAnsi: true });`,
  },
  {
    name: "screen",
    cli: ["read", "py", "--screen", "--json"],
    mcp: ["screen", { session: "py" }],
    lib: `return (await s("py")).screen();`,
  },
  {
    name: "exec",
    cli: ["exec", "sh", "--json", "echo hi; false"],
    mcp: ["exec", { session: "sh", command: "echo hi; false" }],
    // The library's exec also carries exitCode (SPEC §12), the same as exit_code.
    lib: `const { exitCode, ...doc } = await (await s("sh")).exec("echo hi; false");
if (exitCode !== doc.exit_code) throw new Error("exitCode " + exitCode + " is not exit_code " + doc.exit_code);
return doc;`,
  },
  {
    name: "wait for input",
    cli: ["wait", "sh", "--input", "--timeout", WAIT],
    mcp: ["wait", { session: "sh", input: true, timeout_ms: Number(WAIT) }],
    lib: `return (await s("sh")).wait({ input: true, timeout: ${WAIT} });`,
  },
  {
    name: "status",
    cli: ["status", "sh", "--json"],
    mcp: ["status", { session: "sh" }],
    lib: `return (await s("sh")).status();`,
  },
  {
    name: "resize",
    cli: ["resize", "py", "100", "40"],
    mcp: ["resize", { session: "py", cols: 100, rows: 40 }],
    lib: `return (await s("py")).resize(100, 40);`,
  },
  {
    name: "wait on an exited program",
    cli: ["wait", "short", "--input"],
    mcp: ["wait", { session: "short", input: true }],
    lib: `return (await s("short")).wait({ input: true });`,
  },
  {
    name: "status of an exited program",
    cli: ["status", "short", "--json"],
    mcp: ["status", { session: "short" }],
    lib: `return (await s("short")).status();`,
  },
  {
    name: "list",
    cli: ["list"],
    mcp: ["list", {}],
    lib: `return m.list();`,
    unwrapMcp: (doc) => doc.sessions,
  },
  {
    name: "error: no such session",
    cli: ["send", "nosuch", "hello", "--json"],
    mcp: ["send", { session: "nosuch", text: "hello" }],
    lib: `return (await s("nosuch")).send("hello");`,
  },
  {
    name: "error: unknown key",
    cli: ["keys", "py", "enter", "nokey"],
    mcp: ["keys", { session: "py", keys: ["enter", "nokey"] }],
    lib: `return (await s("py")).keys("enter", "nokey");`,
  },
  {
    name: "error: exec in a program that is not a shell",
    cli: ["exec", "py", "--json", "echo hi"],
    mcp: ["exec", { session: "py", command: "echo hi" }],
    lib: `return (await s("py")).exec("echo hi");`,
  },
  {
    name: "error: write to an exited session",
    cli: ["write", "short", "hello"],
    mcp: ["write", { session: "short", text: "hello" }],
    lib: `return (await s("short")).write("hello");`,
  },
  {
    name: "error: invalid regular expression",
    cli: ["send", "py", "1", "--until", "(", "--json"],
    mcp: ["send", { session: "py", text: "1", until: "(" }],
    lib: `return (await s("py")).send("1", { until: "(" });`,
  },
  {
    name: "start python to end in the same call",
    cli: ["start", "--wait", "--name", "py2", "python3", "-q"],
    mcp: ["start", { command: ["python3", "-q"], name: "py2", wait: true }],
    lib: `return (await m.start(["python3", "-q"], { name: "py2", wait: true })).started;`,
  },
  {
    name: "start bash to end in the same call",
    cli: ["start", "--wait", "--name", "sh2", "bash", "--norc", "-i"],
    mcp: ["start", { command: ["bash", "--norc", "-i"], name: "sh2", wait: true }],
    lib: `return (await m.start(["bash", "--norc", "-i"], { name: "sh2", wait: true })).started;`,
  },
  {
    name: "send, then end in the same call",
    cli: ["send", "py2", "6 * 7", "--enter", "--end", "--json"],
    mcp: ["send", { session: "py2", text: "6 * 7", enter: true, end: true }],
    lib: `return (await s("py2")).send("6 * 7", { enter: true, end: true });`,
  },
  {
    name: "exec, then end in the same call",
    cli: ["exec", "sh2", "--end", "--json", "echo bye; false"],
    mcp: ["exec", { session: "sh2", command: "echo bye; false", end: true }],
    lib: `const { exitCode, ...doc } = await (await s("sh2")).exec("echo bye; false", { end: true });
return doc;`,
  },
  {
    name: "end",
    cli: ["end", "py"],
    mcp: ["end", { session: "py" }],
    lib: `return (await s("py")).end();`,
  },
  {
    name: "end an exited session",
    cli: ["end", "short"],
    mcp: ["end", { session: "short" }],
    lib: `return (await s("short")).end();`,
  },
  {
    name: "end with a signal",
    cli: ["end", "sh", "--signal", "TERM"],
    mcp: ["end", { session: "sh", signal: "TERM" }],
    lib: `return (await s("sh")).end({ signal: "TERM" });`,
  },
  {
    name: "list, empty",
    cli: ["list"],
    mcp: ["list", {}],
    lib: `return m.list();`,
    unwrapMcp: (doc) => doc.sessions,
  },
];

/** What differs from run to run, or from sandbox to sandbox, and not from front end to front end. */
const ASIDE = new Set(["session_id", "pid", "holder_pid", "created_at", "last_accessed_at", "uptime_seconds", "duration_ms"]);

function normalise(doc: unknown, dir: string): unknown {
  const text = JSON.stringify(doc)
    .split(dir)
    .join("DIR")
    .replace(/sess_[0-9a-f]{12}/g, "sess_ID")
    // The JavaScript engine's own words (JavaScriptCore in Bun, V8 in Node).
    .replace(/(Invalid regular expression: )[^"]*/g, "$1…");
  return JSON.parse(text, (key, value) => (ASIDE.has(key) ? undefined : value));
}

async function throughCli(box: Sandbox): Promise<unknown[]> {
  const docs: unknown[] = [];
  for (const step of STEPS) {
    const r = await box.run(step.cli);
    if (step.cli[0] === "start" && r.code === 0) box.track(r.json.pid, r.json.holder_pid);
    docs.push(r.json);
  }
  return docs;
}

async function throughMcp(box: Sandbox): Promise<unknown[]> {
  const mcp = await McpSession.open(box);
  try {
    const docs: unknown[] = [];
    for (const step of STEPS) {
      const r = await mcp.call(step.mcp[0], step.mcp[1]);
      if (step.mcp[0] === "start" && !r.isError) box.track(r.structuredContent.pid, r.structuredContent.holder_pid);
      docs.push(!r.isError && step.unwrapMcp ? step.unwrapMcp(r.structuredContent) : r.structuredContent);
    }
    return docs;
  } finally {
    await mcp.close();
  }
}

async function throughLibrary(box: Sandbox, runtime: Runtime): Promise<unknown[]> {
  const bodies = STEPS.map((step) => `async () => {\n${step.lib}\n}`);
  const program = `import { SessionManager } from "delta-sessions";
const m = new SessionManager();
const sessions = new Map();
const s = async (name) => {
  if (!sessions.has(name)) sessions.set(name, await m.get(name));
  return sessions.get(name);
};
const steps = [${bodies.join(",\n")}];
for (const step of steps) {
  try {
    const doc = await step();
    console.log(JSON.stringify(doc ?? null));
  } catch (e) {
    if (!e.code) throw e;
    console.log(JSON.stringify({ error: e.message, code: e.code, ...(e.details ?? {}) }));
  }
}
`;
  const r = await runScript(box, runtime, program);
  if (r.code !== 0) throw new Error(`library program failed (${r.code}): ${r.stderr}`);
  return jsonLines(r.stdout);
}

describe("the same document from the CLI, the MCP server and the library", () => {
  const boxes: Sandbox[] = [];
  afterAll(async () => {
    for (const b of boxes) await b.dispose();
  });

  test("every operation, step by step", async () => {
    const frontEnds: Array<[name: string, run: (box: Sandbox) => Promise<unknown[]>]> = [
      ["cli", throughCli],
      ["mcp", throughMcp],
      ["library in node", (box) => throughLibrary(box, "node")],
      ["library in bun", (box) => throughLibrary(box, "bun")],
    ];
    const results: Record<string, unknown[]> = {};
    // One after another: the machine's load should not make one front end's sequence differ.
    for (const [name, run] of frontEnds) {
      const box = new Sandbox();
      boxes.push(box);
      results[name] = (await run(box)).map((doc) => normalise(doc, box.dir));
    }
    for (const [i, step] of STEPS.entries()) {
      const cli = results.cli![i];
      expect(cli).toBeDefined();
      for (const [name] of frontEnds.slice(1)) {
        expect({ step: step.name, via: name, doc: results[name]![i] }).toEqual({ step: step.name, via: name, doc: cli });
      }
    }
    // The sequence did what its names say (a front end that failed alike everywhere would agree).
    const byName = Object.fromEntries(STEPS.map((s, i) => [s.name, results.cli![i] as any]));
    expect(byName["send"].output).toBe("42\n>>> ");
    expect(byName["send with steps (a dialogue)"].steps).toEqual([
      { output: ">>> ", reason: "input" },
      { output: "42\n>>> ", reason: "input" },
    ]);
    expect(byName["send with until and the screen"]).toMatchObject({ output: "a-b-c\n", reason: "match", waiting_for_input: false });
    expect(byName["read until a match"]).toMatchObject({ output: "x\n5\n>>> ", reason: "match" });
    expect(byName["exec"]).toMatchObject({ output: "hi\n", exit_code: 1 });
    expect(byName["status"]).toMatchObject({ waiting_for_input: true, input_wait: "kernel", foreground: { command: "bash" } });
    expect(byName["wait on an exited program"]).toMatchObject({ status: "exited", exit_code: 3, reason: "exit" });
    expect(byName["error: no such session"].code).toBe("SESSION_NOT_FOUND");
    expect(byName["error: unknown key"].code).toBe("INVALID_KEY");
    expect(byName["error: exec in a program that is not a shell"].code).toBe("EXEC_UNSUPPORTED");
    expect(byName["error: write to an exited session"].code).toBe("SESSION_EXITED");
    expect(byName["error: invalid regular expression"].code).toBe("INVALID_ARGUMENT");
    expect(byName["list, empty"]).toEqual([]);
  }, 300_000);
});
