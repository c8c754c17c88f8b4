// MCP conventions (SPEC §17) against the compiled binary: tools/list carries annotations and output
// schemas; every tool's results, failures included, pass the SDK client's own check against its
// outputSchema (and the closed form, test/helpers/mcp.ts); `mcp --read-only` lists and serves only
// the read-only tools; and a client nobody here wrote, the MCP Inspector's CLI mode
// (@modelcontextprotocol/inspector-cli, a devDependency), lists and calls the tools.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { TOOL_HINTS } from "../../src/mcp/annotations.ts";
import { useMcpServer } from "../helpers/mcp.ts";
import { BIN, Sandbox, waitFor } from "../helpers/sandbox.ts";

const T = 90_000;
const TOOLS = ["start", "send", "write", "keys", "read", "screen", "exec", "wait", "list", "status", "resize", "end"];
const READ_ONLY = ["list", "read", "screen", "status", "wait"];
const INSPECTOR = resolve(import.meta.dir, "../../node_modules/.bin/mcp-inspector-cli");

describe("annotations and output schemas through the SDK client", () => {
  const env = useMcpServer();

  test("tools/list: every tool has its title, annotations and an object outputSchema; the client holds a validator for each", async () => {
    const { mcp } = env;
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOLS].sort());
    for (const t of tools) {
      expect({ name: t.name, title: t.title, annotations: t.annotations }).toEqual({ name: t.name, title: TOOL_HINTS[t.name]!.title, annotations: { ...TOOL_HINTS[t.name]! } });
      expect(t.outputSchema?.type).toBe("object");
      // The validator the client checks each result with: it refuses what the tool does not return.
      const validate = (mcp.client as unknown as { getToolOutputValidator(n: string): ((doc: unknown) => { valid: boolean }) | undefined }).getToolOutputValidator(t.name);
      expect({ name: t.name, bogus: validate?.({ bogus: 1 }).valid }).toEqual({ name: t.name, bogus: false });
    }
    expect(tools.filter((t) => t.annotations?.readOnlyHint).map((t) => t.name).sort()).toEqual(READ_ONLY);
    expect(tools.find((t) => t.name === "end")!.annotations!.destructiveHint).toBe(true);
  });

  test(
    "every tool, succeeding and failing, returns what its outputSchema declares",
    async () => {
      const { mcp, box } = env;
      const seen = new Map<string, Set<string>>();
      async function call(name: string, args: Record<string, unknown>, expectCode?: string): Promise<any> {
        // The SDK client throws when structuredContent does not match the tool's outputSchema, and
        // the helper checks the closed form of the schema as well.
        const r = await mcp.call(name, args);
        if (expectCode === undefined) {
          expect({ name, isError: r.isError ?? false, text: r.content[0]?.text }).toMatchObject({ name, isError: false });
        } else {
          expect({ name, isError: r.isError, code: r.structuredContent.code }).toEqual({ name, isError: true, code: expectCode });
        }
        const kinds = seen.get(name) ?? new Set();
        kinds.add(expectCode === undefined ? "ok" : "error");
        seen.set(name, kinds);
        return r.structuredContent;
      }

      const sh = await call("start", { command: ["bash", "--norc", "-i"], name: "conv-sh", env: { PS1: "$ " } });
      box.track(sh.pid, sh.holder_pid);
      expect(sh.reason).toBe("input");
      const quick = await call("start", { command: ["true"], wait: false });
      box.track(quick.pid, quick.holder_pid);
      await call("start", { command: ["no-such-program-xyz"] }, "COMMAND_NOT_FOUND");
      await call("start", { command: ["bash"], name: "conv-sh" }, "NAME_TAKEN");

      const ex = await call("exec", { session: "conv-sh", command: "echo via-exec; (exit 3)" });
      expect({ output: ex.output, exit_code: ex.exit_code }).toEqual({ output: "via-exec\n", exit_code: 3 });
      await call("exec", { session: "sess_000000000000", command: "true" }, "SESSION_NOT_FOUND");

      const reply = await call("send", { session: "conv-sh", text: "echo typed-$((6*7))", enter: true, screen: true });
      expect(reply.output).toContain("typed-42");
      await call("send", { session: "conv-sh", text: "x", until: "(" }, "INVALID_ARGUMENT");

      const written = await call("write", { session: "conv-sh", text: "echo written-line\r" });
      const read = await call("read", { session: "conv-sh", since: written.offset, until: "written-line\\r?\\n", timeout_ms: 20_000 });
      expect(read.output).toContain("written-line");
      await call("write", { session: "nobody" }, "INVALID_ARGUMENT");
      await call("read", { session: "nobody" }, "SESSION_NOT_FOUND");

      await call("keys", { session: "conv-sh", keys: ["ctrl+u"] });
      await call("keys", { session: "conv-sh", keys: ["no-such-key"] }, "INVALID_KEY");

      const screen = await call("screen", { session: "conv-sh", scrollback: 5 });
      expect(screen.lines.join("\n")).toContain("written-line");
      await call("screen", { session: "conv-sh", scrollback: -1 }, "INVALID_ARGUMENT");

      const w = await call("wait", { session: "conv-sh", input: true, timeout_ms: 20_000 });
      expect(w.reason).toBe("input");
      await call("wait", { session: "nobody" }, "SESSION_NOT_FOUND");

      const st = await call("status", { session: "conv-sh" });
      expect(st.status).toBe("running");
      await call("status", {}, "INVALID_ARGUMENT");

      expect((await call("resize", { session: "conv-sh", cols: 100, rows: 40 })).cols).toBe(100);
      await call("resize", { session: "conv-sh", cols: 0, rows: 40 }, "INVALID_ARGUMENT");

      // An exited session: its documents (status, wait, read, screen from what it left) conform too.
      await waitFor("the quick program to exit", async () => (await call("status", { session: quick.session_id })).status === "exited", 30_000);
      expect((await call("wait", { session: quick.session_id })).reason).toBe("exit");
      await call("read", { session: quick.session_id, all: true });
      await call("screen", { session: quick.session_id });
      await call("send", { session: quick.session_id, text: "x" }, "SESSION_EXITED");

      const listed = await call("list", {});
      expect(listed.sessions.map((s: { name: string | null }) => s.name)).toContain("conv-sh");
      await call("list", { extra: 1 }, "INVALID_ARGUMENT");

      expect((await call("end", { session: "conv-sh" })).status).toBe("terminated");
      await call("end", { session: "conv-sh" }, "SESSION_NOT_FOUND");
      await call("end", { session: quick.session_id });

      // Every tool was seen both ways.
      expect([...seen.entries()].map(([n, k]) => [n, [...k].sort()]).sort()).toEqual(TOOLS.map((n) => [n, ["error", "ok"]]).sort());
    },
    T,
  );
});

describe("mcp --read-only", () => {
  let id = "";
  const env = useMcpServer(["--read-only"], async (box) => {
    id = (await box.start(["--name", "driven", "bash", "--norc", "-i"])).session_id;
  });

  test("lists only list, status, screen, read and wait, and tells the model it watches", async () => {
    const { mcp: watcher } = env;
    const { tools } = await watcher.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(READ_ONLY);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true && t.outputSchema !== undefined)).toBe(true);
    expect(watcher.client.getInstructions()).toContain("read-only");
    // A name it does not serve at all is the protocol's unknown-tool error, naming only what it serves.
    await expect(watcher.call("no_such_tool", {})).rejects.toThrow("the tools are read, screen, wait, list, status");
  });

  test(
    "every tool that acts is refused with READ_ONLY and the session is untouched",
    async () => {
      const { mcp: watcher, box } = env;
      const before = await box.run(["read", id, "--all", "--peek", "--json"]);
      const calls: Array<[string, Record<string, unknown>]> = [
        ["start", { command: ["true"] }],
        ["send", { session: id, text: "echo nope", enter: true }],
        ["write", { session: id, text: "echo nope\r" }],
        ["keys", { session: id, keys: ["ctrl+c"] }],
        ["exec", { session: id, command: "echo nope" }],
        ["resize", { session: id, cols: 50, rows: 10 }],
        ["end", { session: id }],
      ];
      for (const [name, args] of calls) {
        const r = await watcher.call(name, args);
        expect({ name, isError: r.isError, code: r.structuredContent.code }).toEqual({ name, isError: true, code: "READ_ONLY" });
        expect(r.structuredContent.error).toContain("read-only");
      }
      const after = await box.run(["status", id, "--json"]);
      expect({ status: after.json.status, cols: after.json.cols }).toEqual({ status: "running", cols: 120 });
      // Nothing was typed: the output is what it was.
      expect((await box.run(["read", id, "--all", "--peek", "--json"])).json.next_offset).toBe(before.json.next_offset);
      expect((await box.run(["list"])).json.length).toBe(1);
    },
    T,
  );

  test(
    "read is a peek: the output stays for the session's driver; peek: false is refused",
    async () => {
      const { mcp: watcher, box } = env;
      // The driver consumes everything so far, then types.
      await box.run(["read", id]);
      const typed = await box.run(["write", id, "echo watched-$((2+3))\\r"]);
      expect(typed.code).toBe(0);
      const seen = await watcher.ok("read", { session: id, until: "watched-5", timeout_ms: 30_000 });
      expect(seen.output).toContain("watched-5");
      // The watcher's read did not move the default reader: the driver's next read still gets it.
      const driver = await box.run(["read", id, "--json"]);
      expect(driver.json.output).toContain("watched-5");
      const refused = await watcher.call("read", { session: id, peek: false });
      expect({ isError: refused.isError, code: refused.structuredContent.code }).toEqual({ isError: true, code: "READ_ONLY" });
      // The other read-only tools serve as usual.
      expect((await watcher.ok("status", { session: "driven" })).session_id).toBe(id);
      expect((await watcher.ok("screen", { session: id })).lines.join("\n")).toContain("watched-5");
      expect((await watcher.ok("wait", { session: id, input: true, timeout_ms: 20_000 })).reason).toBe("input");
      expect((await watcher.ok("list")).sessions.map((s: { session_id: string }) => s.session_id)).toEqual([id]);
    },
    T,
  );
});

describe("a third-party client: the MCP Inspector's CLI mode", () => {
  let box: Sandbox;
  beforeAll(() => {
    box = new Sandbox();
  });
  afterAll(() => box?.dispose());

  /** One inspector run: it starts `delta-sessions mcp …` itself, makes one request, prints the result. */
  async function inspect(serverArgs: string[], method: string[]): Promise<any> {
    const proc = Bun.spawn([INSPECTOR, "--cli", "-e", `DELTA_SESSIONS_RUNTIME_DIR=${box.runtimeDir}`, BIN, "mcp", "--sessions-dir", box.sessionsDir, ...serverArgs, ...method], {
      cwd: box.dir,
      env: box.env,
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect({ method, code, err: code === 0 ? "" : err }).toEqual({ method, code: 0, err: "" });
    return JSON.parse(out);
  }

  test(
    "tools/list shows annotations and output schemas; tools/call starts, runs and ends a session",
    async () => {
      const call = (tool: string, args: string[], serverArgs: string[] = []) =>
        inspect(serverArgs, ["--method", "tools/call", "--tool-name", tool, ...args.flatMap((a) => ["--tool-arg", a])]);
      // Each run starts a node process and a server: the independent ones run side by side.
      const [listed, watched, started] = await Promise.all([
        inspect([], ["--method", "tools/list"]),
        // Read-only: the same client sees five tools.
        inspect(["--read-only"], ["--method", "tools/list"]),
        call("start", ['command=["bash","--norc","-i"]', "name=insp"]),
      ]);
      expect(started.isError ?? false).toBe(false);
      box.track(started.structuredContent.pid, started.structuredContent.holder_pid);
      expect(listed.tools.map((t: { name: string }) => t.name).sort()).toEqual([...TOOLS].sort());
      for (const t of listed.tools) {
        expect({ name: t.name, annotations: t.annotations }).toEqual({ name: t.name, annotations: { ...TOOL_HINTS[t.name]! } });
        expect(t.outputSchema.type).toBe("object");
      }
      expect(watched.tools.map((t: { name: string }) => t.name).sort()).toEqual(READ_ONLY);
      const [ran, refused] = await Promise.all([call("exec", ["session=insp", "command=echo from-the-inspector"]), call("write", ["session=insp", "text=x"], ["--read-only"])]);
      expect(ran.structuredContent).toMatchObject({ output: "from-the-inspector\n", exit_code: 0 });
      expect({ isError: refused.isError, code: refused.structuredContent.code }).toEqual({ isError: true, code: "READ_ONLY" });
      const ended = await call("end", ["session=insp"]);
      expect(ended.structuredContent).toMatchObject({ status: "terminated", session_id: started.structuredContent.session_id });
    },
    // Node starting the inspector takes seconds on a loaded machine.
    240_000,
  );
});
