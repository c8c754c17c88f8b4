import type { CommandSpec, ParsedArgs } from "./args.ts";
import { MAX_TIMEOUT_MS } from "../constants.ts";
import { usageError } from "../errors.ts";
import { makeContext } from "./context.ts";
import { printJson } from "./output.ts";

export const spec: CommandSpec = {
  name: "wait",
  summary: "wait until the session's program exits (or, with --input, waits for input)",
  usage: "wait ID [--input] [--timeout MS]",
  positionals: ["ID"],
  options: {
    input: { kind: "boolean", description: "also return when the program waits for input (reason \"input\")" },
    timeout: { kind: "integer", value: "MS", max: MAX_TIMEOUT_MS, description: "give up after MS (exit 124)" },
  },
  details: `Prints {session_id, status, exit_code, signal}; with --input also reason: "input" or "exit".`,
};

export async function run(args: ParsedArgs): Promise<number> {
  const ctx = makeContext(args);
  const [idOrName, ...extra] = args.positionals;
  if (idOrName === undefined) throw usageError("wait needs a session ID");
  if (extra.length > 0) throw usageError(`wait takes one session ID, got extra arguments: ${extra.join(" ")}`);
  const { waitForSession } = await import("../client/wait.ts");
  const outcome = await waitForSession({
    sessionsDir: ctx.sessionsDir,
    session: idOrName,
    input: args.flags.input === true,
    timeoutMs: (args.flags.timeout as number | undefined) ?? null,
  });
  await printJson(outcome);
  return 0;
}
