import { sendAndReply } from "../client/send.ts";
import { DEFAULT_SEND_TIMEOUT_MS, MAX_TIMEOUT_MS } from "../constants.ts";
import { invalidArgument } from "../errors.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { inputFromArgs, TYPING_OPTIONS, TYPING_POSITIONALS } from "./input-text.ts";
import { printJson, writeStderr, writeStdout } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

/** Exit status when the reply did not end by itself (SPEC §3). */
const TIMED_OUT = 124;

const spec = defineSpec({
  name: "send",
  summary: "type into a session and print the program's reply (REPLs, prompts)",
  usage: "send ID [options] [TEXT…]",
  positionals: TYPING_POSITIONALS,
  options: {
    ...TYPING_OPTIONS,
    timeout: { kind: "integer", value: "MS", max: MAX_TIMEOUT_MS, description: `give up waiting after MS (default ${DEFAULT_SEND_TIMEOUT_MS}; exit 124)` },
    until: { kind: "string", value: "REGEX", description: "also stop when the reply matches (the echo of the input never does)" },
    screen: { kind: "boolean", description: "print the rendered screen at the end instead of the reply" },
    json: { kind: "boolean", description: "print a JSON document" },
  },
  details: `Types TEXT exactly as 'write' does (arguments joined by spaces, or stdin; escapes decoded unless --raw),
then waits until the program waits for input again, exits, --until matches, or --timeout runs out, and prints
the reply: the output after the terminal's echo of what was typed, as plain text. The default reader moves
past it. Exit 0 on input/match/exit, 124 on timeout (the reply so far is printed; the program keeps running).
--json: {session_id, output, reason, offset, next_offset, waiting_for_input, status, exit_code, signal}
(+ screen:{lines,cursor} with --screen); reason is input | match | exit | timeout. See docs/agents.md.`,
});

export const command = defineCommand(spec, run);

async function run({ flags: f, positionals }: Args<typeof spec>): Promise<number> {
  const ctx = makeContext({ flags: f });
  let until: { source: string; flags: string } | undefined;
  if (f.until !== undefined) {
    try {
      new RegExp(f.until, "m");
    } catch (err) {
      throw invalidArgument(`--until: invalid regular expression: ${(err as Error).message}`);
    }
    until = { source: f.until, flags: "m" };
  }
  const input = await inputFromArgs(positionals.TEXT, f.raw, f.enter);
  const r = await sendAndReply({
    sessionsDir: ctx.sessionsDir,
    session: positionals.ID,
    input,
    paste: f.paste,
    timeoutMs: f.timeout ?? DEFAULT_SEND_TIMEOUT_MS,
    until,
    screen: f.screen,
  });
  if (f.json) await printJson(r);
  else if (r.screen) await writeStdout(r.screen.lines.join("\n") + "\n");
  else await writeStdout(r.output);
  if (r.reason !== "timeout") return 0;
  await writeStderr(`delta-sessions: no reply within ${f.timeout ?? DEFAULT_SEND_TIMEOUT_MS} ms; the program is still running\n`);
  return TIMED_OUT;
}
