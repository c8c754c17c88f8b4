// Which sessions directory a call uses when none is given (SPEC §12): ./.sessions, else the nearest
// .sessions above (as git finds its repository), else ./.sessions is created by start. The same
// rule in the CLI, the MCP server and the library, checked from a subfolder of a project.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, realpathSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { McpSession } from "../helpers/mcp.ts";
import { jsonLines, runScript } from "../helpers/library.ts";
import { Sandbox } from "../helpers/sandbox.ts";

const T = 120_000;
/** No sessions directory given: neither --sessions-dir nor the variable. */
const UNSET = { DELTA_SESSIONS_DIR: undefined };

describe("sessions directory discovery", () => {
  let box: Sandbox;
  let project: string;
  let deep: string;
  let id: string;
  beforeAll(async () => {
    box = new Sandbox();
    project = join(realpathSync(box.dir), "project");
    deep = join(project, "src", "lib");
    mkdirSync(deep, { recursive: true });
    const started = await box.start(["--wait", "--name", "web", "python3", "-q"], { cwd: project, env: UNSET });
    id = started.session_id;
  });
  afterAll(async () => {
    await box?.run(["end", "--all"], { cwd: project, env: UNSET });
    await box?.dispose();
  });

  test("start in a project creates its ./.sessions", () => {
    expect(existsSync(join(project, ".sessions", id, "metadata.json"))).toBe(true);
  });

  test("the CLI in a subfolder finds the project's sessions", async () => {
    const list = await box.run(["list"], { cwd: deep, env: UNSET });
    expect(list.json.map((e: any) => e.session_id)).toEqual([id]);
    const sent = await box.run(["send", "web", "20 + 22", "--enter", "--json"], { cwd: deep, env: UNSET });
    expect(sent.json).toMatchObject({ session_id: id, output: "42\n>>> " });
  }, T);

  test("the MCP server started in a subfolder finds them", async () => {
    // The sandbox's environment names a sessions directory; this server is started without it.
    const unset = { ...box.env };
    delete unset.DELTA_SESSIONS_DIR;
    const mcp2 = await McpSession.open({ ...box, env: unset } as Sandbox, [], { cwd: deep });
    try {
      const listed = await mcp2.ok("list");
      expect(listed.sessions.map((e: any) => e.session_id)).toEqual([id]);
      const status = await mcp2.ok("status", { session: "web" });
      expect(status).toMatchObject({ session_id: id, status: "running" });
    } finally {
      await mcp2.close();
    }
  }, T);

  test("the library in a subfolder finds them, in Node and in Bun", async () => {
    for (const runtime of ["node", "bun"] as const) {
      const r = await runScript(
        box,
        runtime,
        `import { SessionManager } from "delta-sessions";
const m = new SessionManager();
console.log(JSON.stringify({ dir: m.sessionsDir, ids: (await m.list()).map((e) => e.session_id) }));
console.log(JSON.stringify(await (await m.get("web")).send("6 * 7", { enter: true })));
`,
        { cwd: deep, env: UNSET },
      );
      expect(r.code).toBe(0);
      const [found, reply] = jsonLines(r.stdout);
      expect(found).toEqual({ dir: join(project, ".sessions"), ids: [id] });
      expect(reply).toMatchObject({ session_id: id, output: "42\n>>> " });
    }
  }, T);

  test("the nearest .sessions wins, and a given directory wins over any", async () => {
    const inner = join(project, "src", ".sessions");
    mkdirSync(inner, { mode: 0o700 });
    try {
      expect((await box.run(["list"], { cwd: deep, env: UNSET })).json).toEqual([]);
      expect((await box.run(["list"], { cwd: join(project, "src"), env: UNSET })).json).toEqual([]);
      const given = await box.run(["list", "--sessions-dir", join(project, ".sessions")], { cwd: deep, env: UNSET });
      expect(given.json.map((e: any) => e.session_id)).toEqual([id]);
      const fromEnv = await box.run(["list"], { cwd: deep, env: { DELTA_SESSIONS_DIR: join(project, ".sessions") } });
      expect(fromEnv.json.map((e: any) => e.session_id)).toEqual([id]);
    } finally {
      rmSync(inner, { recursive: true });
    }
  }, T);

  test("with no .sessions here or above, start creates ./.sessions", async () => {
    const fresh = join(realpathSync(box.dir), "elsewhere", "deeper");
    mkdirSync(fresh, { recursive: true });
    // Whatever lies above the sandbox is the machine's: the rule holds whichever it is.
    let above: string | null = null;
    for (let at = dirname(realpathSync(box.dir)); ; at = dirname(at)) {
      if (existsSync(join(at, ".sessions"))) {
        above = join(at, ".sessions");
        break;
      }
      if (dirname(at) === at) break;
    }
    const r = await box.run(["start", "true"], { cwd: fresh, env: UNSET });
    expect(r.code).toBe(0);
    box.track(r.json.pid, r.json.holder_pid);
    const used = above ?? join(fresh, ".sessions");
    expect(existsSync(join(used, r.json.session_id))).toBe(true);
    await box.run(["end", r.json.session_id], { cwd: fresh, env: UNSET });
  }, T);
});
