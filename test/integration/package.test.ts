// The package as a user gets it (docs/install.md): `npm pack` of this checkout, installed into a new
// project from the tarball, imported by name from Node and from Bun, type-checked by a TypeScript
// consumer, and driving python, bash and a short-lived program with the binary the package carries;
// a second process (the other runtime) reconnects to what the first started.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readlinkSync, realpathSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { jsonLines, runtimeCommand, type Runtime } from "../helpers/library.ts";
import { Sandbox } from "../helpers/sandbox.ts";

const root = resolve(import.meta.dir, "../..");
const TSC = join(root, "node_modules", ".bin", "tsc");

async function sh(argv: string[], cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn(argv, { cwd, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

describe("npm pack, installed into a new project", () => {
  let box: Sandbox;
  let project: string;
  /** The sandbox's environment without anything that points at this checkout's binary. */
  let env: Record<string, string>;
  beforeAll(async () => {
    box = new Sandbox();
    env = { ...box.env, PATH: "/usr/local/bin:/usr/bin:/bin" };
    delete env.DELTA_SESSIONS_BIN;
    const packs = join(box.dir, "packs");
    mkdirSync(packs);
    // What is built (dist/) is what goes in: the tarball is made without running the build again.
    const packed = await sh(["npm", "pack", "--ignore-scripts", "--pack-destination", packs], root, { ...process.env, npm_config_update_notifier: "false" } as Record<string, string>);
    if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
    const tarball = join(packs, readdirSync(packs).find((f) => f.endsWith(".tgz"))!);
    project = join(realpathSync(box.dir), "consumer");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    // The package needs nothing at run time, so nothing is fetched.
    const installed = await sh(["npm", "install", "--offline", "--no-audit", "--no-fund", tarball], project, env);
    if (installed.code !== 0) throw new Error(`npm install failed: ${installed.stdout} ${installed.stderr}`);
  }, 180_000);
  afterAll(() => box?.dispose());

  async function run(runtime: Runtime, name: string, source: string): Promise<any[]> {
    const file = join(project, name);
    writeFileSync(file, source);
    const r = await sh([runtimeCommand(runtime), file], project, env);
    if (r.code !== 0) throw new Error(`${runtime} ${name} failed (${r.code}): ${r.stdout} ${r.stderr}`);
    return jsonLines(r.stdout);
  }

  test("the package holds the binary, the library and its declarations, and no dependencies", () => {
    const pkg = join(project, "node_modules", "delta-sessions");
    expect(readdirSync(join(pkg, "dist")).sort()).toEqual(["delta-sessions", "lib"]);
    expect(readdirSync(join(pkg, "dist", "lib")).sort()).toEqual(["index.d.ts", "index.js", "types.d.ts"]);
    expect(readdirSync(join(project, "node_modules")).filter((d) => !d.startsWith("."))).toEqual(["delta-sessions"]);
  });

  for (const [first, second] of [
    ["node", "bun"],
    ["bun", "node"],
  ] as const) {
    test(`${first} drives python, bash and a short-lived program; ${second} reconnects`, async () => {
      const tag = `${first}-first`;
      const [py, reply, shell, short, exited, holderPid] = await run(
        first,
        `${tag}-a.mjs`,
        `import { SessionManager } from "delta-sessions";
const out = (x) => console.log(JSON.stringify(x));
const m = new SessionManager();
const py = await m.start(["python3", "-q"], { name: "py-${tag}", wait: true });
out(py.started);
out(await py.send("sum(range(10))", { enter: true }));
const sh = await m.start(["bash", "--norc", "-i"], { name: "sh-${tag}", wait: true });
out(await sh.exec("export GREETING=hello; echo $GREETING"));
const short = await m.start(["sh", "-c", "echo done; exit 7"]);
out({ id: short.id });
out(await short.exited);
out((await py.status()).holder_pid);
`,
      );
      expect(py).toMatchObject({ name: `py-${tag}`, reason: "input", output: ">>> " });
      expect(reply).toMatchObject({ output: "45\n>>> ", reason: "input" });
      expect(shell).toMatchObject({ output: "hello\n", exit_code: 0 });
      expect(exited).toEqual({ exitCode: 7, signal: null });
      // The holder is the binary the package carries (its executable as /proc shows it, on Linux).
      if (process.platform === "linux") expect(readlinkSync(`/proc/${holderPid}/exe`)).toBe(join(project, "node_modules", "delta-sessions", "dist", "delta-sessions"));

      const [again, shellAgain, shortRead, ends] = await run(
        second,
        `${tag}-b.mjs`,
        `import { SessionManager } from "delta-sessions";
const out = (x) => console.log(JSON.stringify(x));
const m = new SessionManager();
const py = await m.get("py-${tag}");
out(await py.send("_ * 2", { enter: true }));
const sh = await m.get("sh-${tag}");
out(await sh.exec("echo $GREETING again"));
const short = await m.get(${JSON.stringify(short.id)});
out(await short.read({ all: true, stripAnsi: true }));
out([await py.end(), await sh.end(), await short.end()]);
`,
      );
      expect(again).toMatchObject({ output: "90\n>>> ", reason: "input" });
      expect(shellAgain).toMatchObject({ output: "hello again\n", exit_code: 0 });
      expect(shortRead).toMatchObject({ output: "done\n", status: "exited", exit_code: 7 });
      expect(ends.map((e: any) => e.status)).toEqual(["terminated", "terminated", "terminated"]);
    }, 120_000);
  }

  test("a TypeScript consumer type-checks against the package's declarations", async () => {
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, lib: ["ES2022"] }, files: ["agent.ts", "wrong.ts"] }),
    );
    writeFileSync(
      join(project, "agent.ts"),
      `import { SessionManager, SessionError, type SendReply, type StatusDoc } from "delta-sessions";
const seen: string[] = [];
const m = new SessionManager({ sessionsDir: ".sessions" });
const s = await m.start(["python3", "-q"], { wait: true, cols: 100 });
const reply: SendReply = await s.send("1 + 1", { enter: true, timeout: 5000 });
const status: StatusDoc = await s.status();
const screen = await s.read({ screen: true });
const row: number = screen.cursor.row;
for await (const chunk of s.output({ since: reply.next_offset })) seen.push(chunk.text, String(chunk.offset));
const { exitCode } = await s.exited;
try {
  await m.get("nosuch");
} catch (e) {
  if (e instanceof SessionError && e.code === "SESSION_NOT_FOUND") seen.push(e.message);
}
export { status, row, exitCode, seen };
`,
    );
    writeFileSync(
      join(project, "wrong.ts"),
      `import { SessionManager } from "delta-sessions";
const s = await new SessionManager().get("x");
// @ts-expect-error: a misspelt option is a type error too
await s.send("1", { timout: 5 });
// @ts-expect-error: send returns a document, not a string
const text: string = await s.send("1");
export { text };
`,
    );
    const r = await sh([TSC, "-p", project], project, env);
    expect({ code: r.code, out: r.stdout }).toEqual({ code: 0, out: "" });
  }, 120_000);
});
