import { DEFAULT_SEND_TIMEOUT_MS, MAX_TIMEOUT_MS } from "../constants.ts";
import { usageError } from "../errors.ts";
import type { DialogueStep } from "../client/dialogue.ts";
import type { InteractionResult } from "../client/send.ts";
import { compileUntil } from "../client/read.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { inputFromArgs, typedText, TYPING_OPTIONS, TYPING_POSITIONALS } from "./input-text.ts";
import { printJson, writeStderr, writeStdout } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

/** Exit status when the reply did not end by itself (SPEC §3). */
const TIMED_OUT = 124;

const spec = defineSpec({
  name: "send",
  summary: "type into a session and print the program's reply (REPLs, prompts, dialogues)",
  usage: "send ID [options] [TEXT…] [--then TEXT…]",
  positionals: TYPING_POSITIONALS,
  options: {
    ...TYPING_OPTIONS,
    then: { kind: "list", value: "TEXT", description: "one more step: typed once the previous reply ended with input or match" },
    steps: { kind: "string", value: "JSON", description: 'the steps as JSON: [{"text"|"keys", "enter", "until", "timeout_ms"}, …]' },
    timeout: { kind: "integer", value: "MS", max: MAX_TIMEOUT_MS, description: `give up waiting after MS, per step (default ${DEFAULT_SEND_TIMEOUT_MS}; exit 124)` },
    until: { kind: "string", value: "REGEX", description: "also stop when the reply matches (the echo of the input never does)" },
    screen: { kind: "boolean", description: "print the rendered screen at the end instead of the reply" },
    end: { kind: "boolean", description: "end the session after the reply (adds ended, exit_code, signal)" },
    json: { kind: "boolean", description: "print a JSON document" },
  },
  details: `Types TEXT exactly as 'write' does (arguments joined by spaces, or stdin; escapes decoded unless --raw),
then waits until the program waits for input again, exits, --until matches, or --timeout runs out, and prints
the reply: the output after the terminal's echo of what was typed, as plain text. The default reader moves
past it. Exit 0 on input/match/exit, 124 on timeout (the reply so far is printed; the program keeps running).
--json: {session_id, output, reason, offset, next_offset, waiting_for_input, status, exit_code, signal}
(+ screen:{lines,cursor} with --screen); reason is input | match | exit | timeout.
A dialogue: each --then TEXT (or each step of --steps JSON) is typed only once the previous step ended with
input or match; exit or timeout stops it there. --enter, --raw, --until and --timeout apply to every step
(a --steps step's own fields win; its text is sent as given, JSON escapes only). The reply then also has
steps:[{output, reason}], output is every step's reply joined, offset where the first step was typed, and
stopped_at (the last step that ran) when not every step ran.
--end: end the session once the reply is in; the document says ended:true with the program's exit_code
and signal. See docs/agents.md.`,
});

export const command = defineCommand(spec, run);

type Flags = Args<typeof spec>["flags"];

async function run({ flags: f, positionals }: Args<typeof spec>): Promise<number> {
  const ctx = makeContext({ flags: f });
  const until = f.until === undefined ? undefined : compileUntil(f.until);
  const timeoutMs = f.timeout ?? DEFAULT_SEND_TIMEOUT_MS;
  const steps = await stepsOf(f, positionals.TEXT, until);
  let r: InteractionResult;
  if (steps) {
    const { sendDialogue } = await import("../client/dialogue.ts");
    r = await sendDialogue({ sessionsDir: ctx.sessionsDir, session: positionals.ID, steps, timeoutMs, paste: f.paste, screen: f.screen });
  } else {
    const { sendAndReply } = await import("../client/send.ts");
    const input = await inputFromArgs(positionals.TEXT, f.raw, f.enter);
    r = await sendAndReply({ sessionsDir: ctx.sessionsDir, session: positionals.ID, input, paste: f.paste, timeoutMs, until, screen: f.screen });
  }
  if (f.end) {
    const { endAfterReply, endedReply } = await import("../client/end-after.ts");
    r = endedReply(r, await endAfterReply(ctx.sessionsDir, r.session_id));
  }
  if (f.json) await printJson(r);
  else if (r.screen) await writeStdout(r.screen.lines.join("\n") + "\n");
  else await writeStdout(r.output);
  if (r.reason !== "timeout") return 0;
  const still = f.end ? "the session was ended" : "the program is still running";
  await writeStderr(`delta-sessions: no reply within ${timeoutMs} ms; ${still}\n`);
  return TIMED_OUT;
}

/** The dialogue's steps, or null for a single send (no --then, no --steps). */
async function stepsOf(f: Flags, text: string[], until: DialogueStep["until"]): Promise<DialogueStep[] | null> {
  const common = until ? { until } : {};
  if (f.steps !== undefined) {
    if (text.length > 0 || f.then.length > 0) throw usageError("--steps takes the place of TEXT and --then");
    const { stepsFromSpecs } = await import("../client/dialogue.ts");
    let specs: unknown;
    try {
      specs = JSON.parse(f.steps);
    } catch (err) {
      throw usageError(`--steps: not JSON: ${(err as Error).message}`);
    }
    return stepsFromSpecs(specs, { enter: f.enter, ...common });
  }
  if (f.then.length === 0) return null;
  const texts = text.length > 0 ? [text.join(" "), ...f.then] : f.then;
  return Promise.all(texts.map(async (t) => ({ input: { text: await typedText(t, f.raw, f.enter) }, ...common })));
}
