import type { CommandSpec, ParsedArgs } from "./args.ts";
import { MAX_TIMEOUT_MS } from "../constants.ts";
import { DeltaError, ErrorCode, usageError } from "../errors.ts";
import { makeContext } from "./context.ts";
import { printJson } from "./output.ts";

export const spec: CommandSpec = {
  name: "wait",
  summary: "wait until the session's program exits",
  usage: "wait ID [--timeout MS]",
  positionals: ["ID"],
  options: {
    timeout: { kind: "integer", value: "MS", max: MAX_TIMEOUT_MS, description: "give up after MS (exit 124)" },
  },
  details: `Prints {session_id, status, exit_code, signal}.`,
};

export async function run(args: ParsedArgs): Promise<number> {
  const ctx = makeContext(args);
  const [idOrName, ...extra] = args.positionals;
  if (idOrName === undefined) throw usageError("wait needs a session ID");
  if (extra.length > 0) throw usageError(`wait takes one session ID, got extra arguments: ${extra.join(" ")}`);
  const { runOnSession } = await import("../client/session.ts");
  const { waitForExit } = await import("../client/wait.ts");
  const timeout = (args.flags.timeout as number | undefined) ?? null;
  const doc = await runOnSession(ctx.sessionsDir, idOrName, (target) => waitForExit(target, timeout));
  if (doc.timed_out) throw new DeltaError(ErrorCode.TIMEOUT, `session ${doc.session_id} still running after ${timeout} ms`);
  await printJson({ session_id: doc.session_id, status: doc.status, exit_code: doc.exit_code, signal: doc.signal });
  return 0;
}
