import type { CommandSpec, ParsedArgs } from "./args.ts";
import { DEFAULT_SEND_TIMEOUT_MS, MAX_TIMEOUT_MS } from "../constants.ts";
import { invalidArgument, usageError } from "../errors.ts";
import { makeContext } from "./context.ts";
import { inputFromArgs } from "./input-text.ts";
import { printJson, writeStderr, writeStdout } from "./output.ts";

/** Exit status when the reply did not end by itself (SPEC §3). */
const TIMED_OUT = 124;

export const spec: CommandSpec = {
  name: "send",
  summary: "type into a session and print the program's reply (REPLs, prompts)",
  usage: "send ID [options] [TEXT…]",
  positionals: ["ID", "TEXT…"],
  options: {
    enter: { kind: "boolean", description: "append a carriage return (Enter)" },
    raw: { kind: "boolean", description: "send the bytes untouched (no escape decoding)" },
    paste: { kind: "boolean", description: "send as a bracketed paste when the program enabled it" },
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
};

export async function run(args: ParsedArgs): Promise<number> {
  const ctx = makeContext(args);
  const f = args.flags;
  const [idOrName, ...text] = args.positionals;
  if (idOrName === undefined) throw usageError("send needs a session ID");
  let until: { source: string; flags: string } | undefined;
  if (f.until !== undefined) {
    try {
      new RegExp(f.until as string, "m");
    } catch (err) {
      throw invalidArgument(`--until: invalid regular expression: ${(err as Error).message}`);
    }
    until = { source: f.until as string, flags: "m" };
  }
  const input = await inputFromArgs(text, f.raw === true, f.enter === true);
  const { sendAndReply } = await import("../client/send.ts");
  const r = await sendAndReply({
    sessionsDir: ctx.sessionsDir,
    session: idOrName,
    input,
    paste: f.paste === true,
    timeoutMs: (f.timeout as number | undefined) ?? DEFAULT_SEND_TIMEOUT_MS,
    until,
    screen: f.screen === true,
  });
  if (f.json) await printJson(r);
  else if (r.screen) await writeStdout(r.screen.lines.join("\n") + "\n");
  else await writeStdout(r.output);
  if (r.reason !== "timeout") return 0;
  await writeStderr(`delta-sessions: no reply within ${f.timeout ?? DEFAULT_SEND_TIMEOUT_MS} ms; the program is still running\n`);
  return TIMED_OUT;
}
