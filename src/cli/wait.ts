import { waitForSession } from "../client/wait.ts";
import { MAX_TIMEOUT_MS } from "../constants.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { printJson } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

const spec = defineSpec({
  name: "wait",
  summary: "wait until the session's program exits (or, with --input, waits for input)",
  usage: "wait ID [--input] [--timeout MS]",
  positionals: [{ name: "ID", kind: "session" }],
  options: {
    input: { kind: "boolean", description: "also return when the program waits for input (reason \"input\")" },
    timeout: { kind: "integer", value: "MS", max: MAX_TIMEOUT_MS, description: "give up after MS (exit 124)" },
  },
  details: `Prints {session_id, status, exit_code, signal}; with --input also reason: "input" or "exit".`,
});

export const command = defineCommand(spec, run);

async function run({ flags, positionals }: Args<typeof spec>): Promise<number> {
  const ctx = makeContext({ flags });
  const outcome = await waitForSession({
    sessionsDir: ctx.sessionsDir,
    session: positionals.ID,
    input: flags.input,
    timeoutMs: flags.timeout ?? null,
  });
  await printJson(outcome);
  return 0;
}
