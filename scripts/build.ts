// Builds dist/delta-sessions: one self-contained executable (CLI and holder in one binary), and
// dist/lib/: the library for Node and Bun (one ESM file with its declarations).
// Run by `npm install` (prepare), `npm pack` and `npm run build`. scripts/release.ts reuses buildFlags().
import { $ } from "bun";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");

/** Flags every build of the binary uses (SPEC §1): a user's .env or bunfig.toml must not change it. */
export function buildFlags(): string[] {
  return [
    "--compile",
    "--no-compile-autoload-dotenv",
    "--no-compile-autoload-bunfig",
    "--minify",
    "--bytecode",
    // Each lazily imported module (a command, the holder, the MCP SDK, the emulator) becomes its
    // own chunk inside the executable, loaded when first imported: a command pays to load only
    // what it runs (measured here: `--version` 4.4 ms split against 6.5 ms as one bundle).
    "--format",
    "esm",
    "--splitting",
  ];
}

/** `--define`s that embed the version (and the git commit when built from a checkout). */
export async function versionDefines(): Promise<string[]> {
  const pkg = await Bun.file(join(root, "package.json")).json();
  const commit = (await $`git -C ${root} rev-parse --short HEAD`.quiet().nothrow()).stdout.toString().trim();
  return [
    "--define", `DELTA_SESSIONS_VERSION=${JSON.stringify(pkg.version)}`,
    "--define", `DELTA_SESSIONS_COMMIT=${JSON.stringify(commit)}`,
  ];
}

async function buildLocal(): Promise<void> {
  mkdirSync(join(root, "dist"), { recursive: true });
  const out = join(root, "dist", "delta-sessions");
  const args = [...buildFlags(), ...(await versionDefines()), join(root, "src", "main.ts"), "--outfile", out];
  const proc = Bun.spawnSync([process.execPath, "build", ...args], { stdout: "inherit", stderr: "inherit", cwd: root });
  if (proc.exitCode !== 0) throw new Error(`bun build failed with exit code ${proc.exitCode}`);
}

/**
 * dist/lib/index.js: the library bundled for Node (which Bun runs too), macros resolved, nothing
 * left to import but node: modules. Its declarations are src/lib/public.d.ts and the types it
 * names (src/lib/public-check.ts keeps them true to the code).
 */
async function buildLibrary(): Promise<void> {
  const out = join(root, "dist", "lib");
  mkdirSync(out, { recursive: true });
  const args = ["build", "--target", "node", "--format", "esm", join(root, "src", "lib", "index.ts"), "--outfile", join(out, "index.js")];
  const proc = Bun.spawnSync([process.execPath, ...args], { stdout: "ignore", stderr: "inherit", cwd: root });
  if (proc.exitCode !== 0) throw new Error(`bun build (library) failed with exit code ${proc.exitCode}`);
  const declarations = readFileSync(join(root, "src", "lib", "public.d.ts"), "utf8").replaceAll(`from "./types.ts"`, `from "./types.js"`);
  writeFileSync(join(out, "index.d.ts"), declarations);
  writeFileSync(join(out, "types.d.ts"), readFileSync(join(root, "src", "lib", "types.ts"), "utf8"));
}

if (import.meta.main) {
  await buildLocal();
  await buildLibrary();
}
