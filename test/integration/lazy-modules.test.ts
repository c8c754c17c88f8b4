// zod and @xterm/headless load only where they are needed: zod never at run time (protocol lines,
// metadata and attach messages are checked against JSON Schemas built at bundle time), and
// @xterm/headless only in the holder (its screen). Measured two ways:
//   - in the compiled binary's processes, through Bun's inspector (the runtime's BUN_INSPECT, which
//     delta-sessions neither reads nor changes): zod leaves globalThis.__zod_globalConfig when it is
//     evaluated; a holder is checked after serving requests of every kind, attach included, and CLI
//     calls are checked as they exit;
//   - in the module graph of the same bundle (Bun's metafile), for what leaves no mark on
//     globalThis (@xterm/headless): no import, static or lazy, leads to it from those CLI commands.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { Inspector, inspectUrl } from "../helpers/inspector.ts";
import { BIN, Sandbox } from "../helpers/sandbox.ts";
import { Tmux } from "../helpers/tmux.ts";

const T = 60_000;
const ZOD_LOADED = "'__zod_globalConfig' in globalThis";
const root = resolve(import.meta.dir, "../..");

describe("zod does not load at run time (compiled binary, Bun's inspector)", () => {
  let box: Sandbox;
  beforeAll(() => {
    box = new Sandbox();
  });
  afterAll(() => box?.dispose());

  test("a holder, after serving write, read, screen, status, exec, resize and an attached terminal", async () => {
    const url = inspectUrl(false);
    // The holder inherits the variable from `start`; the shell in the session does not need it.
    const s = await box.start(["--env", "BUN_INSPECT=", "bash", "--norc", "-i"], { env: { BUN_INSPECT: url } });
    const id = s.session_id;
    const insp = await Inspector.connect(s.holder_pid, url);
    try {
      // Nothing evaluated it at start-up either (the handlers load right after the ready report).
      expect(await insp.evaluate(ZOD_LOADED)).toBe(false);
      expect(await insp.evaluate("typeof globalThis.__zod_globalConfig")).toBe("undefined");
      for (const args of [["write", id, "echo hi\\r"], ["read", id, "--timeout", "3000", "--until", "hi"], ["read", id, "--screen", "--json"], ["status", id], ["exec", id, "echo via-exec"], ["resize", id, "100", "30"], ["write-key", id, "enter"]]) {
        const r = await box.run(args);
        expect({ args, code: r.code }).toEqual({ args, code: 0 });
      }
      // An attached terminal: its input, resize and detach messages are parsed in the holder.
      const tmux = new Tmux(box.env);
      try {
        const pane = tmux.newShell("attach", 90, 25);
        tmux.type(pane, [BIN, "attach", id].join(" "));
        await tmux.waitForText(pane, "via-exec");
        tmux.type(pane, "echo typed-while-attached");
        await tmux.waitForText(pane, /^typed-while-attached/m);
        tmux.resize(pane, 80, 20);
        tmux.keys(pane, "C-\\");
        await tmux.waitForText(pane, `[detached from ${id}]`);
      } finally {
        tmux.kill();
      }
      expect(await insp.evaluate(ZOD_LOADED)).toBe(false);
    } finally {
      insp.close();
    }
  }, T);

  for (const name of ["write", "read", "status"]) {
    test(`CLI ${name}: zod not evaluated by the time it exits`, async () => {
      const id = (await box.start(["bash", "--norc", "-i"])).session_id;
      const args = { write: ["write", id, "echo x\\r"], read: ["read", id, "--timeout", "10000", "--until", "[#$] $"], status: ["status", id] }[name]!;
      const url = inspectUrl(true);
      const proc = Bun.spawn([BIN, ...args], { env: { ...box.env, BUN_INSPECT: url }, stdout: "pipe", stderr: "pipe" });
      const insp = await Inspector.connect(proc.pid, url);
      // Held before its first line until told to go: the exit hook is in place before anything runs.
      await insp.evaluate(`process.on("exit", () => process.stderr.write("\\n@@loaded " + JSON.stringify({ zod: ${ZOD_LOADED} }) + "\\n")), true`);
      await insp.call("Inspector.initialized");
      const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
      insp.close();
      expect(code).toBe(0);
      const m = stderr.match(/@@loaded (.*)/);
      expect(m).not.toBeNull();
      expect(JSON.parse(m![1]!)).toEqual({ zod: false });
    }, T);
  }
});

describe("module graph of the bundle (Bun's metafile)", () => {
  let graph: Record<string, { imports: Array<{ path: string; kind: string }> }>;
  beforeAll(async () => {
    const built = await Bun.build({ entrypoints: [join(root, "src/main.ts")], target: "bun", metafile: true } as Parameters<typeof Bun.build>[0]);
    expect(built.success).toBe(true);
    graph = (built as unknown as { metafile: { inputs: typeof graph } }).metafile.inputs;
  });

  /** Every module reachable from `from` through imports of the given kinds. */
  function reachable(from: string, lazyToo: boolean): Set<string> {
    const seen = new Set<string>();
    const todo = [from];
    while (todo.length > 0) {
      const at = todo.pop()!;
      if (seen.has(at)) continue;
      seen.add(at);
      for (const i of graph[at]?.imports ?? []) if (lazyToo || i.kind !== "dynamic-import") todo.push(i.path);
    }
    return seen;
  }

  const heavy = (mods: Set<string>) => [...mods].filter((m) => /node_modules\/(zod|@xterm\/headless)\//.test(m));

  test("the graph is what the probe expects: the holder's screen does reach @xterm/headless", () => {
    expect(graph["src/holder/main.ts"]).toBeDefined();
    expect(heavy(reachable("src/holder/main.ts", true)).some((m) => m.includes("@xterm/headless"))).toBe(true);
  });

  for (const cmd of ["write", "write-key", "read", "status", "list", "exec", "end"]) {
    test(`CLI ${cmd}: neither zod nor @xterm/headless is reachable, even through lazy imports`, () => {
      const mods = new Set([...reachable("src/main.ts", false), ...reachable("src/cli/run.ts", false), ...reachable(`src/cli/${cmd}.ts`, true)]);
      expect(heavy(mods)).toEqual([]);
    });
  }

  // The browser view (SPEC §13): its server, its page and xterm.js load in `serve` only.
  const serveCode = (mods: Set<string>) => [...mods].filter((m) => m.startsWith("src/serve/") || /node_modules\/@xterm\/xterm\//.test(m));

  test("the graph is what the probe expects: serve reaches its server, its page and xterm.js", () => {
    const mods = serveCode(reachable("src/cli/serve.ts", true));
    expect(mods).toContain("src/serve/server.ts");
    expect(mods.some((m) => m.endsWith("@xterm/xterm/lib/xterm.js"))).toBe(true);
    expect(mods.some((m) => m.endsWith("src/serve/page/page.js"))).toBe(true);
  });

  test("no serve code in holders, even through lazy imports", () => {
    expect(serveCode(reachable("src/holder/main.ts", true))).toEqual([]);
    expect(serveCode(reachable("src/holder/launch.ts", true))).toEqual([]);
  });

  test("no serve code in any other command, even through lazy imports, nor before a command loads", () => {
    const commands = Object.keys(graph)
      .filter((m) => /^src\/cli\/[a-z-]+\.ts$/.test(m) && graph[m]!.imports.some((i) => i.path === "src/cli/args.ts"))
      .filter((m) => m !== "src/cli/serve.ts" && m !== "src/cli/run.ts");
    expect(commands).toContain("src/cli/mcp.ts");
    expect(commands.length).toBeGreaterThanOrEqual(14);
    for (const cmd of commands) expect({ cmd, serve: serveCode(reachable(cmd, true)) }).toEqual({ cmd, serve: [] });
    expect(serveCode(new Set([...reachable("src/main.ts", false), ...reachable("src/cli/run.ts", false)]))).toEqual([]);
  });

  test("holder: zod is not reachable, even through lazy imports (handlers, attach, exec, screen)", () => {
    expect(heavy(reachable("src/holder/main.ts", true)).filter((m) => m.includes("/zod/"))).toEqual([]);
  });
});
