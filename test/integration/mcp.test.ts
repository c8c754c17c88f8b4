// `delta-sessions mcp` driven by the MCP SDK's own client over stdio, against the compiled binary:
// tools and schemas, real programs (python3, bash), every error path, sessions outliving the
// server, limits, many calls through one server, and the server over ssh.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readlinkSync } from "node:fs";
import { BIN, Sandbox, isAlive, waitFor } from "../helpers/sandbox.ts";
import { McpSession } from "../helpers/mcp.ts";

const T = 60_000;

/** SPEC §11: each tool's arguments, exactly. */
const TOOL_ARGS: Record<string, string[]> = {
  start: ["command", "name", "cwd", "env", "cols", "rows", "wait", "timeout_ms", "screen", "end"],
  send: ["session", "text", "steps", "enter", "paste", "until", "timeout_ms", "screen", "end"],
  write: ["session", "text", "enter", "paste"],
  keys: ["session", "keys"],
  read: ["session", "since", "peek", "all", "lines", "until", "until_input", "timeout_ms", "strip_ansi"],
  screen: ["session", "scrollback"],
  exec: ["session", "command", "timeout_ms", "end"],
  wait: ["session", "input", "timeout_ms"],
  list: [],
  status: ["session"],
  resize: ["session", "cols", "rows"],
  end: ["session", "sessions", "signal"],
};

/** Socket file descriptors a process holds (a holder: one per client connection, plus its listener). */
function socketCount(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")) n++;
    } catch {
      // Closed meanwhile.
    }
  }
  return n;
}

/** Children of a process (all its threads'). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const text = require("node:fs").readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8") as string;
      out.push(...text.trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
      // Thread gone.
    }
  }
  return out;
}

describe("mcp server", () => {
  let box: Sandbox;
  let mcp: McpSession;
  beforeAll(async () => {
    box = new Sandbox();
    mcp = await McpSession.open(box);
  });
  afterAll(async () => {
    await mcp?.close();
    await box.dispose();
  });

  /** start through the server, remembering the pids for the sandbox's clean-up. */
  async function start(args: Record<string, unknown>): Promise<any> {
    const doc = await mcp.ok("start", args);
    box.track(doc.pid, doc.holder_pid);
    return doc;
  }

  test("lists the tools of SPEC §11 with exactly their arguments, each described", async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(Object.keys(TOOL_ARGS).sort());
    for (const t of tools) {
      expect(t.inputSchema.type).toBe("object");
      expect(Object.keys(t.inputSchema.properties ?? {}).sort()).toEqual([...TOOL_ARGS[t.name]!].sort());
      expect(t.description!.length).toBeGreaterThan(60);
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get("exec")!.inputSchema.required).toEqual(["session", "command"]);
    expect((byName.get("start")!.inputSchema.properties as any).command.type).toBe("array");
    expect((byName.get("keys")!.inputSchema.properties as any).keys.items.type).toBe("string");
    // The choice between them is explained to the model.
    expect(byName.get("exec")!.description).toContain("shell");
    expect(byName.get("send")!.description).toContain("REPL");
    expect(byName.get("screen")!.description).toContain("full-screen");
    expect(byName.get("read")!.description).toContain("next_offset");
  });

  test(
    "python: start, send, screen, status, end; the CLI sees the same session",
    async () => {
      const started = await start({ command: ["python3", "-q"], name: "py" });
      expect(started.status).toBe("running");
      expect(started.reason).toBe("input");
      expect(started.output).toContain(">>>");
      const cli = await box.run(["status", "py", "--json"]);
      expect(cli.json.session_id).toBe(started.session_id);
      expect(cli.json.status).toBe("running");

      const reply = await mcp.call("send", { session: "py", text: "6 * 7", enter: true });
      expect(reply.isError).toBeFalsy();
      expect(reply.structuredContent.output).toContain("42");
      expect(reply.structuredContent.reason).toBe("input");
      expect(reply.structuredContent.waiting_for_input).toBe(true);
      // The reply is the program's answer, not the echo of what was typed.
      expect(reply.structuredContent.output).toBe("42\n>>> ");
      expect(reply.content[0]!.text).toContain("42");

      // Waiting for input, as a tool: a silent pause is not the end; the prompt after it is.
      await mcp.ok("write", { session: "py", text: "import time; time.sleep(1.5); print('late')", enter: true });
      const late = await mcp.ok("read", { session: "py", until_input: true, timeout_ms: 20_000 });
      expect(late.reason).toBe("input");
      expect(late.output).toContain("late\n>>> ");
      expect((await mcp.ok("wait", { session: "py", input: true, timeout_ms: 5_000 })).reason).toBe("input");

      const text = "print('é\\tx' + chr(0x263a))";
      const sent = await mcp.ok("send", { session: started.session_id, text, enter: true });
      expect(sent.output).toContain("é\tx☺\n");

      const screen = await mcp.ok("screen", { session: "py" });
      expect(screen.rows).toBe(30);
      expect(screen.lines.length).toBe(30);
      expect(screen.lines).toContain("42");
      expect(screen.lines[screen.cursor.row]).toBe(">>>");

      const status = await mcp.ok("status", { session: "py" });
      expect(status.session_id).toBe(started.session_id);
      expect(status.alive).toBe(true);
      expect(status.command).toEqual(["python3", "-q"]);

      const listed = await box.run(["list"]);
      expect(listed.json.map((s: any) => s.session_id)).toContain(started.session_id);
      // The CLI writes; the server reads it.
      expect((await box.run(["write", "py", "--enter", "'from the cli'"])).code).toBe(0);
      const read = await mcp.ok("read", { session: "py", until: "from the cli'\\n", timeout_ms: 10_000 });
      expect(read.output).toContain("from the cli");
      expect(read.reason).toBe("match");

      const end = await mcp.ok("end", { session: "py" });
      expect(end.status).toBe("terminated");
      expect(end.session_id).toBe(started.session_id);
      expect((await box.run(["status", started.session_id])).json.code).toBe("SESSION_NOT_FOUND");
    },
    T,
  );

  test(
    "exec: exit codes, output, and state persisting across calls",
    async () => {
      const sh = await start({ command: ["bash", "--norc", "-i"], env: { PS1: "$ " } });
      const id = sh.session_id;
      const r1 = await mcp.ok("exec", { session: id, command: "cd /tmp && export GREETING=hi && f() { echo \"f:$1\"; }; (exit 3)" });
      expect(r1.exit_code).toBe(3);
      expect(r1.timed_out).toBe(false);
      const r2 = await mcp.ok("exec", { session: id, command: 'pwd; echo "$GREETING"; f x; ls /nonexistent-dir' });
      expect(r2.output).toBe("/tmp\nhi\nf:x\nls: cannot access '/nonexistent-dir': No such file or directory\n");
      expect(r2.exit_code).toBe(2);
      const r3 = await mcp.ok("exec", { session: id, command: "printf 'a\\nb\\n'" });
      expect(r3).toMatchObject({ output: "a\nb\n", exit_code: 0, signal: null, timed_out: false });
      // exec in a program that is not a shell: the CLI's code.
      const py = await start({ command: ["python3", "-q"] });
      const bad = await mcp.call("exec", { session: py.session_id, command: "echo hi" });
      expect(bad.isError).toBe(true);
      expect(bad.structuredContent.code).toBe("EXEC_UNSUPPORTED");
      await mcp.ok("end", { session: py.session_id });
      await mcp.ok("end", { session: id });
    },
    T,
  );

  test(
    "errors are results with isError and the CLI's code, and the server keeps serving",
    async () => {
      const sh = await start({ command: ["bash", "--norc", "-i"] });
      const expectError = async (name: string, args: Record<string, unknown>, code: string) => {
        const r = await mcp.call(name, args);
        expect(r.isError).toBe(true);
        expect(r.structuredContent.code).toBe(code);
        expect(typeof r.structuredContent.error).toBe("string");
        expect(r.content[0]!.text).toContain(code);
        return r;
      };
      await expectError("read", { session: 42 }, "INVALID_ARGUMENT");
      await expectError("resize", { session: sh.session_id, cols: "wide", rows: 10 }, "INVALID_ARGUMENT");
      await expectError("read", { session: sh.session_id, bogus: true }, "INVALID_ARGUMENT");
      await expectError("keys", { session: sh.session_id, keys: ["enter", "ctrl+nothing"] }, "INVALID_KEY");
      await expectError("read", { session: sh.session_id, until: "([a-z" }, "INVALID_ARGUMENT");
      await expectError("send", { session: sh.session_id, text: "x", until: "*" }, "INVALID_ARGUMENT");
      await expectError("status", { session: "no-such-session" }, "SESSION_NOT_FOUND");
      await expectError("write", { session: "../etc", text: "x" }, "INVALID_ARGUMENT");
      await expectError("start", { command: ["no-such-program-xyz"] }, "COMMAND_NOT_FOUND");
      await expectError("end", { session: sh.session_id, signal: "NOPE" }, "INVALID_ARGUMENT");
      // Nothing of the refused keys was typed.
      const peek = await mcp.ok("read", { session: sh.session_id, all: true, peek: true });
      expect(peek.output).not.toContain("ctrl");
      // An unknown tool is a JSON-RPC error, as the protocol says.
      await expect(mcp.call("no_such_tool", {})).rejects.toThrow(/unknown tool/);

      // Malformed lines written straight to the server's stdin (the replies, with id null, are
      // checked byte by byte in the next test: this client drops them as unknown).
      mcp.process.stdin!.write("this is not json\n");
      mcp.process.stdin!.write('{"jsonrpc":"2.0","method":42}\n');
      await waitFor("the server to log the malformed lines", () => mcp.stderrChunks.join("").split("malformed input line").length === 3);

      // Still serving, the session untouched.
      const ok = await mcp.ok("exec", { session: sh.session_id, command: "echo still here" });
      expect(ok.output).toBe("still here\n");
      const exited = await start({ command: ["true"], wait: false });
      await mcp.ok("wait", { session: exited.session_id });
      await expectError("write", { session: exited.session_id, text: "x" }, "SESSION_EXITED");
      expect(mcp.stderrChunks.join("")).toContain("serving on stdio");
    },
    T,
  );

  test(
    "a malformed JSON-RPC line gets its error reply (id null) and the server goes on",
    async () => {
      const proc = Bun.spawn([BIN, "mcp"], { env: box.env, cwd: box.dir, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
      const lines: any[] = [];
      const reading = (async () => {
        let buf = "";
        for await (const chunk of proc.stdout) {
          buf += new TextDecoder().decode(chunk);
          let nl: number;
          while ((nl = buf.indexOf("\n")) >= 0) {
            lines.push(JSON.parse(buf.slice(0, nl)));
            buf = buf.slice(nl + 1);
          }
        }
      })();
      const init = { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "0" } };
      proc.stdin.write("{not json\n");
      proc.stdin.write('{"jsonrpc":"2.0","id":1,"method":"initialize","params":' + JSON.stringify(init) + "}\n");
      proc.stdin.write('["jsonrpc", 2]\n');
      proc.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
      proc.stdin.write('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"status","arguments":{"session":"nope"}}}\n');
      proc.stdin.flush();
      await waitFor("four replies", () => lines.length >= 4);
      // Replies to requests may come after later error replies (requests are handled asynchronously).
      const errors = lines.filter((l) => l.id === null);
      expect(errors.map((l) => [l.jsonrpc, l.error.code])).toEqual([["2.0", -32700], ["2.0", -32600]]);
      expect(lines.find((l) => l.id === 1)).toMatchObject({ result: { serverInfo: { name: "delta-sessions" } } });
      expect(lines.find((l) => l.id === 2)).toMatchObject({ result: { isError: true, structuredContent: { code: "SESSION_NOT_FOUND" } } });
      proc.stdin.end();
      expect(await proc.exited).toBe(0);
      await reading;
      // stdout carried JSON-RPC only; the logs went to stderr.
      expect(await new Response(proc.stderr).text()).toContain("malformed input line");
    },
    T,
  );

  test(
    "hundreds of calls through one server: no process per call, holder connections reused",
    async () => {
      const py = await start({ command: ["python3", "-q"] });
      const id = py.session_id;
      const holderSocketsBefore = socketCount(py.holder_pid);
      const serverSocketsBefore = socketCount(mcp.pid);
      // The holders that start launched stay the server's children (detached, in their own sessions).
      const holders = new Set(childrenOf(mcp.pid));
      const children = new Set<number>();
      const watch = setInterval(() => childrenOf(mcp.pid).forEach((c) => holders.has(c) || children.add(c)), 2);
      for (let i = 0; i < 100; i++) {
        await mcp.ok("write", { session: id, text: "x" });
        await mcp.ok("screen", { session: id });
        await mcp.ok("status", { session: id });
      }
      clearInterval(watch);
      expect([...children]).toEqual([]);
      expect(childrenOf(mcp.pid).filter((c) => !holders.has(c))).toEqual([]);
      // 300 calls, at most the pool's connections more than before.
      expect(socketCount(py.holder_pid)).toBeLessThanOrEqual(holderSocketsBefore + 2);
      expect(socketCount(mcp.pid)).toBeLessThanOrEqual(serverSocketsBefore + 2);
      // Every character arrived, in order: the program's echo of the last ones may still be on its
      // way when the last write returns, so the screen is waited for, not read once.
      const want = ">>> " + "x".repeat(100);
      let first = "";
      await waitFor("all 100 characters on the screen", async () => {
        first = (await mcp.ok("screen", { session: id })).lines[0];
        return first === want || first.length > want.length;
      });
      expect(first).toBe(want);
      await mcp.ok("end", { session: id });
    },
    T,
  );
});

describe("mcp limits", () => {
  let box: Sandbox;
  let mcp: McpSession;
  beforeAll(async () => {
    box = new Sandbox();
    mcp = await McpSession.open(box, ["--max-wait-ms", "400", "--max-output-bytes", "1000"]);
  });
  afterAll(async () => {
    await mcp?.close();
    await box.dispose();
  });

  test(
    "waits are clamped and end with reason timeout and the output so far",
    async () => {
      const sh = await mcp.ok("start", { command: ["bash", "--norc", "-i"] });
      box.track(sh.pid, sh.holder_pid);
      const id = sh.session_id;
      let t0 = Date.now();
      const r = await mcp.ok("read", { session: id, until: "never-printed", timeout_ms: 600_000 });
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(r).toMatchObject({ timed_out: true, reason: "timeout", matched: false });
      const w = await mcp.ok("wait", { session: id });
      expect(w).toMatchObject({ reason: "timeout", status: "running" });
      t0 = Date.now();
      const e = await mcp.ok("exec", { session: id, command: "echo begun; sleep 30; echo done" });
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(e.timed_out).toBe(true);
      expect(e.output).toBe("begun\n");
      // The command keeps running; Ctrl-C brings the shell back.
      await mcp.ok("keys", { session: id, keys: ["ctrl+c"] });
      await waitFor("exec to be possible again", async () => !(await mcp.call("exec", { session: id, command: "true" })).isError);
      // A program that keeps printing never waits for input: send ends at the clamp.
      const s = await mcp.ok("send", { session: id, text: "while :; do echo tick; sleep 0.05; done", enter: true, timeout_ms: 60_000 });
      expect(s.reason).toBe("timeout");
      expect(s.output).toContain("tick");
      await mcp.ok("keys", { session: id, keys: ["ctrl+c"] });
      await mcp.ok("end", { session: id });
    },
    T,
  );

  test(
    "output is capped; the offsets continue it exactly",
    async () => {
      const sh = await mcp.ok("start", { command: ["bash", "--norc", "-i"] });
      box.track(sh.pid, sh.holder_pid);
      const id = sh.session_id;
      const e = await mcp.ok("exec", { session: id, command: "seq 1 2000" });
      expect(e.truncated).toBe(true);
      expect(e.output.endsWith("1999\n2000\n")).toBe(true);
      expect(Buffer.byteLength(e.output)).toBeLessThanOrEqual(1000);
      expect(e.omitted_bytes).toBe(Array.from({ length: 2000 }, (_, i) => `${i + 1}\n`).join("").length - Buffer.byteLength(e.output));

      // Read all of it in pieces, raw, following next_offset.
      const whole = (await box.run(["read", id, "--all", "--peek"])).stdout;
      let since = (await mcp.ok("read", { session: id, all: true, peek: true, strip_ansi: false })).offset;
      let collected = "";
      for (let i = 0; i < 100; i++) {
        const part = await mcp.ok("read", { session: id, since, strip_ansi: false });
        collected += part.output;
        since = part.next_offset;
        if (!part.truncated) break;
        expect(Buffer.byteLength(part.output)).toBeLessThanOrEqual(1000);
      }
      expect(collected).toBe(whole);

      // A screen larger than the cap loses its oldest lines.
      const screen = await mcp.ok("screen", { session: id, scrollback: 500 });
      expect(screen.truncated).toBe(true);
      expect(screen.lines.join("\n").length).toBeLessThanOrEqual(1000);
      await mcp.ok("end", { session: id });
    },
    T,
  );
});

describe("sessions outlive the server", () => {
  let box: Sandbox;
  beforeAll(() => {
    box = new Sandbox();
  });
  afterAll(async () => {
    await box.dispose();
  });

  test(
    "stdin closing ends the server; the session stays for the CLI and a second server",
    async () => {
      const first = await McpSession.open(box);
      const doc = await first.ok("start", { command: ["python3", "-q"], name: "keeper" });
      box.track(doc.pid, doc.holder_pid);
      await first.ok("send", { session: "keeper", text: "kept = 'state'", enter: true });
      const proc = first.process;
      const exited = new Promise<[number | null, string | null]>((resolve) => proc.once("exit", (code, signal) => resolve([code, signal])));
      proc.stdin!.end();
      // Ended by stdin closing (the SDK would send SIGTERM only after 2 s).
      expect(await exited).toEqual([0, null]);
      await first.close();
      expect(isAlive(doc.holder_pid)).toBe(true);
      expect((await box.run(["status", "keeper", "--json"])).json.status).toBe("running");

      const second = await McpSession.open(box);
      const r = await second.ok("send", { session: "keeper", text: "print(kept)", enter: true });
      expect(r.output).toContain("state");
      const listed = await second.ok("list");
      expect(listed.sessions.map((s: any) => s.name)).toEqual(["keeper"]);
      await second.close();
      expect((await box.run(["end", "keeper"])).json.status).toBe("terminated");
    },
    T,
  );
});

describe("mcp capped replies and input waits", () => {
  let box: Sandbox;
  let mcp: McpSession;
  let short: McpSession;
  const CAP = 1000;
  beforeAll(async () => {
    box = new Sandbox();
    mcp = await McpSession.open(box, ["--max-output-bytes", String(CAP)]);
    short = await McpSession.open(box, ["--max-wait-ms", "400"]);
  });
  afterAll(async () => {
    await mcp?.close();
    await short?.close();
    await box.dispose();
  });

  async function start(server: McpSession, args: Record<string, unknown>): Promise<any> {
    const doc = await server.ok("start", args);
    box.track(doc.pid, doc.holder_pid);
    return doc;
  }

  /** Everything from `since` on, following next_offset through capped reads. */
  async function readWhole(session: string, since: number): Promise<string> {
    let text = "";
    for (let i = 0; i < 100; i++) {
      const part = await mcp.ok("read", { session, since });
      expect(Buffer.byteLength(part.output)).toBeLessThanOrEqual(CAP);
      text += part.output;
      if (!part.truncated) return text;
      since = part.next_offset;
    }
    throw new Error("read never came to the end");
  }

  const numbers = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}`).join("\n") + "\n";
  const PRINT_800 = "print('\\n'.join(str(i) for i in range(1, 801)))";

  test(
    "a start reply over the cap keeps its end; read from its offset gives all of it",
    async () => {
      const py = await start(mcp, { command: ["python3", "-q", "-i", "-c", PRINT_800] });
      const whole = numbers(800) + ">>> ";
      expect(py.reason).toBe("input");
      expect(py.truncated).toBe(true);
      expect(py.output.endsWith("799\n800\n>>> ")).toBe(true);
      expect(Buffer.byteLength(py.output)).toBeLessThanOrEqual(CAP);
      expect(py.omitted_bytes).toBe(Buffer.byteLength(whole) - Buffer.byteLength(py.output));
      expect(await readWhole(py.session_id, py.offset)).toBe(whole);
      await mcp.ok("end", { session: py.session_id });
    },
    T,
  );

  test(
    "a send reply over the cap keeps its end; read from its offset gives all of it; screen: true adds the screen",
    async () => {
      const py = await start(mcp, { command: ["python3", "-q"] });
      const id = py.session_id;
      const r = await mcp.ok("send", { session: id, text: PRINT_800, enter: true });
      const reply = numbers(800) + ">>> ";
      expect(r).toMatchObject({ reason: "input", truncated: true });
      expect(r.output.endsWith("799\n800\n>>> ")).toBe(true);
      expect(Buffer.byteLength(r.output)).toBeLessThanOrEqual(CAP);
      expect(r.omitted_bytes).toBe(Buffer.byteLength(reply) - Buffer.byteLength(r.output));
      // From the reply's offset: the echo of the text, then the whole reply.
      expect(await readWhole(id, r.offset)).toBe(`${PRINT_800}\n${reply}`);

      const s = await mcp.ok("send", { session: id, text: "6 * 7", enter: true, screen: true });
      expect(s).toMatchObject({ reason: "input", output: "42\n>>> " });
      expect(s.truncated).toBeUndefined();
      expect(s.screen.lines.length).toBe(30);
      expect(s.screen.lines.slice(-3)).toEqual([">>> 6 * 7", "42", ">>>"]);
      expect(s.screen.cursor).toEqual({ row: 29, col: 4 });
      await mcp.ok("end", { session: id });
    },
    T,
  );

  test(
    "wait with input: reason input once python waits, timeout (clamped) while sleep runs; read until_input",
    async () => {
      const py = await start(mcp, { command: ["python3", "-q"], wait: false });
      const w = await mcp.ok("wait", { session: py.session_id, input: true, timeout_ms: 30_000 });
      expect(w).toMatchObject({ reason: "input", status: "running" });

      await mcp.ok("write", { session: py.session_id, text: "import time; time.sleep(0.3); print('done')", enter: true });
      const r = await mcp.ok("read", { session: py.session_id, until_input: true, timeout_ms: 30_000 });
      expect(r.reason).toBe("input");
      // From the read cursor: wait does not consume, so the first prompt is there too.
      expect(r.output).toBe(">>> import time; time.sleep(0.3); print('done')\ndone\n>>> ");
      await mcp.ok("end", { session: py.session_id });

      const sleeper = await start(short, { command: ["sleep", "30"], wait: false });
      const t0 = Date.now();
      const s = await short.ok("wait", { session: sleeper.session_id, input: true, timeout_ms: 600_000 });
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(s).toMatchObject({ reason: "timeout", status: "running" });
      await short.ok("end", { session: sleeper.session_id });
    },
    T,
  );
});
