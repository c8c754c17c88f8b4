import { printJson } from "./output.ts";
import { defineCommand } from "./args.ts";
import { defineSpec, type Args } from "./spec.ts";
import { versionString } from "../version.ts";

const spec = defineSpec({
  name: "install-remote",
  summary: "copy this delta-sessions to HOST's ~/.local/bin and check its version",
  usage: "install-remote [--ssh-option KEY=VALUE]… [--binary PATH] HOST",
  positionals: [{ name: "HOST", kind: "string", missing: "install-remote needs a HOST ([USER@]HOST[:PORT], docker:NAME or podman:NAME)" }],
  options: {
    binary: { kind: "string", value: "PATH", description: "the binary to copy (default: this one when HOST's platform matches, else dist/release/delta-sessions-<platform>)" },
  },
  details: `Prints {"status":"installed","host","path","version","platform","binary","bytes"}. See docs/remote.md.`,
});

export const command = defineCommand(spec, run);

async function run({ flags, positionals }: Args<typeof spec>): Promise<number> {
  const { checkSshOption, parseTarget } = await import("../remote/target.ts");
  const target = parseTarget(positionals.HOST);
  for (const o of flags["ssh-option"]) checkSshOption(o);
  const { installRemote } = await import("../remote/install.ts");
  await printJson(await installRemote(target, flags["ssh-option"], flags.binary, versionString()));
  return 0;
}
