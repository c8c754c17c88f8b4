// Entry point of the one binary: the CLI, or the holder when re-executed with --holder. The only
// place that calls process.exit.
import { DeltaError, toDeltaError } from "./errors.ts";
import { versionString } from "./version.ts";

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "--launch-holder") {
    const { launchHolder } = await import("./holder/launch.ts");
    return launchHolder(["--holder", ...argv.slice(1)]);
  }
  if (argv[0] === "--holder") {
    const { runHolder } = await import("./holder/main.ts");
    return runHolder();
  }
  if (argv[0] === "--remote-server" || argv[0] === "--remote-serve" || argv[0] === "--remote-exec") {
    const remote = await import("./remote/launch-server.ts");
    if (argv[0] === "--remote-server") return remote.launchRemoteServer(versionString());
    if (argv[0] === "--remote-serve") return remote.runRemoteServer(argv[1] ?? "", versionString());
    return remote.remoteExec(argv[1], argv.slice(2), versionString());
  }
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
