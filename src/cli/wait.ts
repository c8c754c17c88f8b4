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
  const { runOnSession, notLive } = await import("../client/session.ts");
  const timeout = (args.flags.timeout as number | undefined) ?? null;
  await runOnSession(ctx.sessionsDir, idOrName, async (target) => {
    if (target.kind === "crashed" || target.kind === "unresponsive") throw notLive(target);
    if (target.kind === "exited") {
      await printJson({ session_id: target.id, status: "exited", exit_code: target.final.exit_code, signal: target.final.signal });
      return;
    }
    const reply = await target.conn.request({ type: "wait", timeout_ms: timeout }, "exit");
    if (reply.timed_out) throw new DeltaError(ErrorCode.TIMEOUT, `session ${target.id} still running after ${timeout} ms`);
    await printJson({ session_id: target.id, status: reply.status, exit_code: reply.exit_code, signal: reply.signal });
  });
  return 0;
}
