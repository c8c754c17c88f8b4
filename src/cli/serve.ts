import { SERVE_DEFAULT_LISTEN } from "../constants.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { printJson, writeStderr } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

const spec = defineSpec({
  name: "serve",
  summary: "watch every session live in a browser (a local web page; see docs/serve.md)",
  usage: "serve [--port N] [--listen ADDR] [--allow-input] [--open]",
  positionals: [],
  tooMany: (extra) => `serve takes no arguments, got: ${extra.join(" ")}`,
  options: {
    port: { kind: "integer", value: "N", min: 0, max: 65535, description: "port to listen on (default: a free one)" },
    listen: { kind: "string", value: "ADDR", description: `address to listen on (default ${SERVE_DEFAULT_LISTEN}: this machine only)` },
    "allow-input": { kind: "boolean", description: "let the page type into sessions (default: read-only)" },
    open: { kind: "boolean", description: "open the page in the default browser" },
  },
  details: `Prints one JSON line {"url", "listen", "port", "allow_input"} and serves until interrupted
(Ctrl-C, SIGTERM). The URL carries a random token that every request needs; keep it private.
The page lists the sessions (status, waiting for input, uptime) and shows each screen live.`,
});

export const command = defineCommand(spec, run);

async function run({ flags }: Args<typeof spec>): Promise<number> {
  const ctx = makeContext({ flags });
  // The server, the page and xterm.js load here only: no other command pays for them.
  const { startServing } = await import("../serve/main.ts");
  const serving = startServing({
    sessionsDir: ctx.sessionsDir,
    listen: flags.listen ?? SERVE_DEFAULT_LISTEN,
    port: flags.port ?? 0,
    allowInput: flags["allow-input"],
    open: flags.open,
  });
  if (serving.warning) await writeStderr(serving.warning + "\n");
  await printJson(serving.doc);
  await serving.stopped;
  return 0;
}
