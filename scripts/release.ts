// Cross-compiles the release binaries (SPEC §8) into dist/release/ and writes dist/release/SHA256SUMS.
//
//   bun scripts/release.ts [--targets linux-x64,darwin-arm64] [--entry FILE] [--runtimes auto|bun|npm]
//
// Every binary is built with exactly the local build's flags (buildFlags() and versionDefines() from
// build.ts) plus `--target bun-<os>-<arch>[-musl]`.
//
// Cross-compiling needs the Bun runtime of the target platform, at the same version as the running Bun.
// Bun downloads it itself from https://registry.npmjs.org/@oven/bun-<os>-<x64|aarch64>[-musl]/ (that
// address is built in: Bun ignores npm's registry setting, but honours HTTPS_PROXY) and caches it in
// $BUN_INSTALL_CACHE_DIR or ~/.bun/install/cache. With `--runtimes npm` the script instead fetches the
// same package with `npm pack` (so npm's registry, proxy and integrity check apply), unpacks it under
// node_modules/.cache/, and passes it to Bun with --compile-executable-path. The default, `auto`, lets Bun
// download and falls back to npm when Bun's download fails.
//
// On macOS, darwin binaries are re-signed ad hoc (`codesign --force --sign -`) and verified after
// compiling. Bun's own signing can't be relied on: a darwin-x64 binary built by Bun 1.4.5 on Linux keeps
// the runtime's original signature, whose page hashes no longer match once the app is embedded, and macOS
// refuses to run binaries with invalid signatures. Darwin binaries built elsewhere must be re-signed on a
// Mac before they are published (the release workflow builds them on macOS).
//
// Exits non-zero when any target fails; SHA256SUMS then lists only the binaries that were built.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildFlags, versionDefines } from "./build.ts";

const root = join(import.meta.dir, "..");
const releaseDir = join(root, "dist", "release");
const runtimeCache = join(root, "node_modules", ".cache", "delta-sessions-release");

interface Target {
  name: string;
  os: "linux" | "darwin";
  arch: "x64" | "arm64";
  musl: boolean;
}

const TARGETS: readonly Target[] = [
  { name: "linux-x64", os: "linux", arch: "x64", musl: false },
  { name: "linux-arm64", os: "linux", arch: "arm64", musl: false },
  { name: "linux-x64-musl", os: "linux", arch: "x64", musl: true },
  { name: "linux-arm64-musl", os: "linux", arch: "arm64", musl: true },
  { name: "darwin-x64", os: "darwin", arch: "x64", musl: false },
  { name: "darwin-arm64", os: "darwin", arch: "arm64", musl: false },
];

type RuntimeMode = "auto" | "bun" | "npm";

interface Result {
  target: Target;
  file: string;
  ok: boolean;
  runtime: string;
  seconds: number;
  error?: string;
}

const usage = `Usage: bun scripts/release.ts [options]

Cross-compiles delta-sessions-<target> into dist/release/ and writes dist/release/SHA256SUMS.

Options:
  --targets a,b     build only these targets (default: all)
                    targets: ${TARGETS.map((t) => t.name).join(", ")}
  --entry FILE      entry point (default: src/main.ts)
  --runtimes MODE   where the cross-compilation runtimes come from:
                    auto (default): Bun downloads them, npm pack if that fails
                    bun: only Bun's own download;  npm: always npm pack
  -h, --help        show this help
`;

function fail(message: string, code = 2): never {
  process.stderr.write(`release: ${message}\n`);
  process.exit(code);
}

function bunTarget(t: Target): string {
  return `bun-${t.os}-${t.arch}${t.musl ? "-musl" : ""}`;
}

/** The npm package holding the Bun runtime for a target (npm names arm64 "aarch64"). */
function runtimePackage(t: Target): string {
  return `@oven/bun-${t.os}-${t.arch === "arm64" ? "aarch64" : "x64"}${t.musl ? "-musl" : ""}`;
}

function isHostGlibc(): boolean {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return typeof report?.header?.glibcVersionRuntime === "string";
}

/** Whether this machine can run the target's binary, for the --version smoke test. */
function hostCanRun(t: Target): boolean {
  if (t.os !== process.platform || t.arch !== process.arch) return false;
  if (t.os === "linux") return t.musl !== isHostGlibc();
  return true;
}

function parseOptions(): { targets: Target[]; entry: string; runtimes: RuntimeMode } {
  let values: { targets?: string; entry?: string; runtimes?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        targets: { type: "string" },
        entry: { type: "string" },
        runtimes: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n\n${usage}`);
  }
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }

  let targets: Target[] = [...TARGETS];
  if (values.targets !== undefined) {
    const names = values.targets.split(",").map((s) => s.trim()).filter((s) => s !== "");
    if (names.length === 0) fail("--targets is empty");
    targets = [];
    for (const name of names) {
      const t = TARGETS.find((x) => x.name === name);
      if (!t) fail(`unknown target "${name}"; known targets: ${TARGETS.map((x) => x.name).join(", ")}`);
      if (!targets.includes(t)) targets.push(t);
    }
  }

  const runtimes = values.runtimes ?? "auto";
  if (runtimes !== "auto" && runtimes !== "bun" && runtimes !== "npm") {
    fail(`--runtimes must be auto, bun or npm (got "${runtimes}")`);
  }

  const entry = values.entry !== undefined ? resolve(values.entry) : join(root, "src", "main.ts");
  if (!existsSync(entry)) fail(`entry point not found: ${entry}`);
  return { targets, entry, runtimes };
}

/** Runs a command to completion; `output` is its stdout followed by its stderr. */
async function run(cmd: string[], cwd = root): Promise<{ code: number; stdout: string; output: string }> {
  const proc = Bun.spawn(cmd, { cwd, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, output: stdout + stderr };
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

/** Fetches the target's runtime with `npm pack` (kept under node_modules/.cache) and returns its bun executable. */
async function npmRuntime(t: Target, version: string): Promise<{ exe: string; cached: boolean }> {
  const pkg = runtimePackage(t);
  const dir = join(runtimeCache, `${pkg.replace("@oven/", "")}-${version}`);
  const exe = join(dir, "package", "bin", "bun");
  if (existsSync(exe)) return { exe, cached: true };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    // npm checks the tarball against the registry's integrity hash.
    const pack = await run(["npm", "pack", `${pkg}@${version}`, "--json", "--pack-destination", dir], dir);
    if (pack.code !== 0) throw new Error(`npm pack ${pkg}@${version} failed:\n${indent(pack.output)}`);
    let filename = "";
    try {
      filename = (JSON.parse(pack.stdout) as { filename?: string }[])[0]?.filename ?? "";
    } catch {
      // reported below
    }
    if (filename === "" || !existsSync(join(dir, filename))) {
      throw new Error(`could not read the output of npm pack ${pkg}@${version}:\n${indent(pack.output)}`);
    }
    const untar = await run(["tar", "-xzf", join(dir, filename), "-C", dir, "package/bin/bun"]);
    rmSync(join(dir, filename), { force: true });
    if (untar.code !== 0 || !existsSync(exe)) {
      throw new Error(`could not unpack package/bin/bun from ${filename}:\n${indent(untar.output)}`);
    }
    return { exe, cached: false };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Where `bun build --target` will take the target's runtime from (for the log only). */
function bunRuntimeSource(t: Target, version: string): string {
  if (hostCanRun(t)) return `the running Bun (${process.execPath})`;
  const cacheDir =
    process.env["BUN_INSTALL_CACHE_DIR"] ??
    join(process.env["BUN_INSTALL"] ?? join(homedir(), ".bun"), "install", "cache");
  const cached = join(cacheDir, `bun-${runtimePackage(t).replace("@oven/bun-", "")}-v${version}`);
  if (existsSync(cached)) return `Bun's cache (${cached})`;
  return `downloaded by Bun (${runtimePackage(t)}@${version} from registry.npmjs.org)`;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function buildTarget(
  t: Target,
  entry: string,
  defines: string[],
  mode: RuntimeMode,
  bunVersion: string,
): Promise<Result> {
  const file = `delta-sessions-${t.name}`;
  const out = join(releaseDir, file);
  const started = performance.now();
  const base = [process.execPath, "build", ...buildFlags(), ...defines, "--target", bunTarget(t)];
  const result = (ok: boolean, runtime: string, error?: string): Result => ({
    target: t,
    file,
    ok,
    runtime,
    seconds: (performance.now() - started) / 1000,
    ...(error !== undefined ? { error } : {}),
  });

  let runtime = "";
  let built = false;
  if (mode !== "npm") {
    runtime = bunRuntimeSource(t, bunVersion);
    const r = await run([...base, entry, "--outfile", out]);
    if (r.code === 0) {
      built = true;
    } else {
      rmSync(out, { force: true });
      const downloadFailed = /download/i.test(r.output);
      if (mode === "bun" || !downloadFailed) {
        return result(false, runtime, `bun build exited with ${r.code}:\n${indent(r.output)}`);
      }
      process.stdout.write(`  ${t.name}: Bun could not download its runtime, trying npm pack:\n${indent(r.output)}\n`);
    }
  }
  if (!built) {
    runtime = `npm pack ${runtimePackage(t)}@${bunVersion}`;
    let exe: string;
    try {
      const fetched = await npmRuntime(t, bunVersion);
      exe = fetched.exe;
      if (fetched.cached) runtime += ` (cached in ${exe})`;
    } catch (err) {
      return result(false, runtime, (err as Error).message);
    }
    const r = await run([...base, "--compile-executable-path", exe, entry, "--outfile", out]);
    if (r.code !== 0) {
      rmSync(out, { force: true });
      return result(false, runtime, `bun build exited with ${r.code}:\n${indent(r.output)}`);
    }
  }

  if (t.os === "darwin" && process.platform === "darwin") {
    const sign = await run(["codesign", "--force", "--sign", "-", out]);
    const verify = sign.code === 0 ? await run(["codesign", "--verify", "--strict", out]) : sign;
    if (verify.code !== 0) {
      rmSync(out, { force: true });
      return result(false, runtime, `ad-hoc signing failed:\n${indent(verify.output)}`);
    }
  }

  if (hostCanRun(t)) {
    const r = await run([out, "--version"], releaseDir);
    if (r.code !== 0 || !r.output.includes(pkgVersion)) {
      rmSync(out, { force: true });
      return result(false, runtime, `${file} --version exited with ${r.code}, printed:\n${indent(r.output)}`);
    }
  }
  return result(true, runtime);
}

const pkg = (await Bun.file(join(root, "package.json")).json()) as {
  version: string;
  devDependencies?: Record<string, string>;
};
const pkgVersion = pkg.version;

async function main(): Promise<number> {
  const { targets, entry, runtimes } = parseOptions();

  // The runtimes are fetched for the running Bun's version; releases use the pinned one.
  const pinned = pkg.devDependencies?.["bun"];
  if (pinned !== undefined && /^\d+\.\d+\.\d+$/.test(pinned) && pinned !== Bun.version) {
    fail(`running Bun ${Bun.version} (${process.execPath}), but package.json pins bun ${pinned}; run \`npm run release\``);
  }

  rmSync(releaseDir, { recursive: true, force: true });
  mkdirSync(releaseDir, { recursive: true });
  const defines = await versionDefines();

  process.stdout.write(`Building ${targets.length} target(s) from ${entry} with Bun ${Bun.version}\n`);
  const started = performance.now();
  const results: Result[] = [];
  for (const t of targets) {
    const r = await buildTarget(t, entry, defines, runtimes, Bun.version);
    results.push(r);
    if (r.ok) {
      const mib = (statSync(join(releaseDir, r.file)).size / 2 ** 20).toFixed(1);
      process.stdout.write(`  ok    ${r.file}  ${mib} MiB  ${r.seconds.toFixed(1)}s  runtime: ${r.runtime}\n`);
    } else {
      process.stdout.write(`  FAIL  ${r.file}  runtime: ${r.runtime}\n${r.error ?? ""}\n`);
    }
  }

  const built = results.filter((r) => r.ok);
  const lines: string[] = [];
  for (const r of built) lines.push(`${await sha256(join(releaseDir, r.file))}  ${r.file}\n`);
  if (lines.length > 0) writeFileSync(join(releaseDir, "SHA256SUMS"), lines.join(""));

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const failed = results.filter((r) => !r.ok);
  if (process.platform !== "darwin" && built.some((r) => r.target.os === "darwin")) {
    process.stdout.write("note: darwin binaries built off macOS must be re-signed on a Mac (codesign --force --sign -)\n");
  }
  if (failed.length > 0) {
    process.stderr.write(`release: ${failed.length} of ${results.length} target(s) failed: ${failed.map((r) => r.target.name).join(", ")} (${seconds}s)\n`);
    return 1;
  }
  process.stdout.write(`Built ${built.length} target(s) into ${releaseDir} with SHA256SUMS in ${seconds}s\n`);
  return 0;
}

process.exit(await main());
