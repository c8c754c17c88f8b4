// Builds dist/delta-sessions: one self-contained executable (CLI and holder in one binary).
// Run by `npm install` (postinstall) and `npm run build`. scripts/release.ts reuses buildFlags().
import { $ } from "bun";
import { mkdirSync } from "node:fs";
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
    // One chunk per lazily imported part instead of one module holding everything: a CLI call
    // then loads only the code of its own command, not the holder and the screen emulator too
    // (about 1 ms of every call). Splitting needs ES module output.
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

if (import.meta.main) await buildLocal();
