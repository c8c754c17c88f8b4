// Entry point of the one binary: the CLI, or the holder when re-executed with --holder. The only
// place that calls process.exit.
import { DeltaError, toDeltaError } from "./errors.ts";

declare const DELTA_SESSIONS_VERSION: string;
declare const DELTA_SESSIONS_COMMIT: string;

export function versionString(): string {
  const version = typeof DELTA_SESSIONS_VERSION === "string" ? DELTA_SESSIONS_VERSION : "0.0.0-dev";
  const commit = typeof DELTA_SESSIONS_COMMIT === "string" && DELTA_SESSIONS_COMMIT ? ` (${DELTA_SESSIONS_COMMIT})` : "";
  return `delta-sessions ${version}${commit}`;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "--holder") {
    const { runHolder } = await import("./holder/main.ts");
    return runHolder();
  }
  const { needsCleanEnv, runInCleanEnv } = await import("./clean-env.ts");
  if (needsCleanEnv(process.env)) return runInCleanEnv(argv);
  const { runCli } = await import("./cli/run.ts");
  return runCli(argv, versionString());
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (err) => {
    const e = err instanceof DeltaError ? err : toDeltaError(err);
    const { printError } = await import("./cli/output.ts");
    await printError(e);
    process.exit(e.exitCode);
  },
);
