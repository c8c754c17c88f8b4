// Runs programs that use the library (dist/lib/index.js, as built) in Node and in Bun, as separate
// processes with a sandbox's environment: `import … from "delta-sessions"` in their source is
// pointed at the built bundle.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Sandbox } from "./sandbox.ts";

export const LIB = resolve(import.meta.dir, "../../dist/lib/index.js");

export type Runtime = "node" | "bun";
export const RUNTIMES: Runtime[] = ["node", "bun"];

/** The executable of each runtime: Node from PATH, Bun the one running the tests. */
export function runtimeCommand(runtime: Runtime): string {
  return runtime === "node" ? "node" : process.execPath;
}

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the program had not exited by the deadline and was killed. */
  killed: boolean;
}

let counter = 0;

/** Points `from "delta-sessions"` at a module path (the built bundle by default). */
export function bindImport(source: string, lib: string = LIB): string {
  return source.replaceAll(`from "delta-sessions"`, `from ${JSON.stringify(pathToFileURL(lib).href)}`);
}

/**
 * Runs `source` as an ES module under `runtime` and waits for it to exit on its own, up to
 * `deadlineMs` (then it is killed and `killed` says so: a library that keeps a finished program
 * alive fails there).
 */
export async function runScript(
  box: Sandbox,
  runtime: Runtime,
  source: string,
  opts: { cwd?: string; env?: Record<string, string | undefined>; deadlineMs?: number; lib?: string; stdin?: string } = {},
): Promise<ScriptResult> {
  const file = join(box.dir, `program-${process.pid}-${++counter}.mjs`);
  writeFileSync(file, bindImport(source, opts.lib));
  const env: Record<string, string> = { ...box.env };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const proc = Bun.spawn([runtimeCommand(runtime), file], {
    cwd: opts.cwd ?? box.dir,
    env,
    stdin: opts.stdin === undefined ? "ignore" : new Blob([opts.stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    proc.kill("SIGKILL");
  }, opts.deadlineMs ?? 60_000);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { code: killed ? null : code, stdout, stderr, killed };
}

/** A program's stdout as JSON lines. */
export function jsonLines(stdout: string): any[] {
  return stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l));
}
