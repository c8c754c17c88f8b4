import { describeByName } from "../client/describe.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { isTerminal } from "./tty.ts";
import { printJson, writeStdout } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

const spec = defineSpec({
  name: "status",
  summary: "show one session's state",
  usage: "status ID [--json]",
  positionals: [{ name: "ID", kind: "session" }],
  options: {
    json: { kind: "boolean", description: "JSON even when stdout is a terminal" },
  },
  details: `Prints {session_id, name, status, alive, pid, holder_pid, command, cwd, cols, rows, created_at,
last_accessed_at, uptime_seconds, exit_code, signal, output_bytes, unread_bytes, waiting_for_input,
foreground:{pid,command}, input_wait}; at a terminal (without --json) the same fields as aligned lines.
waiting_for_input: the program waits for input (null when it is not running); foreground: the terminal's
foreground process group's leader; input_wait: how that is decided ("kernel" on Linux, "quiet" elsewhere).`,
});

export const command = defineCommand(spec, run);

async function run({ flags, positionals }: Args<typeof spec>): Promise<number> {
  const ctx = makeContext({ flags });
  const doc = await describeByName(ctx.sessionsDir, positionals.ID, { inputWait: true });
  if (!flags.json && (await isTerminal(1))) {
    const fg = doc.foreground ? `${doc.foreground.pid} ${doc.foreground.command}` : null;
    await writeStdout((await import("./human.ts")).renderStatus({ ...doc, foreground: fg }));
  }
  else await printJson(doc);
  return 0;
}
