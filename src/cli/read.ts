import { followSession, readDoc, readSession, type ReadParams } from "../client/read.ts";
import { readScreenOf } from "../client/screen.ts";
import { DEFAULT_IDLE_MS, MAX_TIMEOUT_MS } from "../constants.ts";
import { usageError } from "../errors.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { printJson, writeStderr, writeStdout } from "./output.ts";
import { defineSpec, type Args } from "./spec.ts";

const spec = defineSpec({
  name: "read",
  summary: "print a session's output",
  usage: "read ID [options]",
  positionals: [{ name: "ID", kind: "session" }],
  options: {
    peek: { kind: "boolean", description: "do not advance the default reader" },
    since: { kind: "integer", value: "OFFSET", description: "read from this absolute byte offset (independent reader)" },
    all: { kind: "boolean", description: "everything still buffered" },
    lines: { kind: "integer", value: "N", description: "only the last N lines" },
    timeout: { kind: "integer", value: "MS", max: MAX_TIMEOUT_MS, description: "wait up to MS for output to arrive and settle" },
    wait: { kind: "boolean", description: "like --timeout with no limit" },
    idle: { kind: "integer", value: "MS", max: MAX_TIMEOUT_MS, description: `quiet time that counts as settled (default ${DEFAULT_IDLE_MS})` },
    until: { kind: "string", value: "REGEX", description: "wait until the plain text of the output matches (flag m: ^ and $ match at line ends; never the echo of input typed since the read's start)" },
    "ignore-case": { kind: "boolean", alias: ["i"], goesWith: "until", description: "with --until: match regardless of case (flag i)" },
    "until-input": { kind: "boolean", description: "wait until the program waits for input (with --until: whichever first)" },
    follow: { kind: "boolean", alias: ["f"], description: "stream output until the program exits" },
    "strip-ansi": { kind: "boolean", description: "plain text, as a terminal shows it line by line (escapes removed, CR overwrites)" },
    screen: { kind: "boolean", description: "the rendered screen instead of the byte stream" },
    scrollback: { kind: "integer", value: "N", goesWith: "screen", description: "with --screen: N history lines above the screen" },
    json: { kind: "boolean", description: "print a JSON document" },
    base64: { kind: "boolean", description: "JSON with output_base64 (the exact bytes) in place of output" },
  },
  details: `Default: everything the default reader has not read yet; it then advances.
--timeout MS: if nothing new yet, wait up to MS; once output flows, keep collecting until quiet for --idle MS,
--until REGEX matches, the program exits, or MS ran out. With --until, quiet output does not end the read,
no --timeout means no limit, and a read that ends by its timeout without a match exits 124 (output so far
on stdout). --until-input: end when the program waits for input (or exits, or --timeout runs out: exit 124);
quiet output does not end it. Waiting reads' --json carries reason: input | match | idle | exit | timeout.
--lines N: the last N lines; the lines before them count as read.
--json: {session_id, output, offset, next_offset, dropped_bytes, matched, timed_out, status, exit_code, signal}
(offset: where the printed text starts; output is UTF-8 text, invalid bytes as U+FFFD: --base64 is exact)
--screen --json: {session_id, lines, cursor:{row,col}, cols, rows, alternate_screen}`,
});

export const command = defineCommand(spec, run);

async function run({ flags: f, positionals }: Args<typeof spec>): Promise<number> {
  if (f.since !== undefined && f.all) throw usageError("--since and --all cannot be combined");
  if (f.follow && (f.json || f.base64)) throw usageError("--follow streams raw output; it cannot be combined with --json or --base64");
  if (f.screen && (f.follow || f.until !== undefined || f["until-input"] || f.since !== undefined || f.all || f.lines !== undefined || f.base64)) {
    throw usageError("--screen prints the current screen; it takes only --scrollback and --json");
  }
  const ctx = makeContext({ flags: f });
  const id = positionals.ID;
  if (f.screen) {
    const screen = await readScreenOf(ctx.sessionsDir, id, f.scrollback ?? 0);
    if (f.json) await printJson(screen);
    else await writeStdout(screen.lines.join("\n") + "\n");
    return 0;
  }
  const params: ReadParams = {
    from: f.since !== undefined ? "since" : f.all ? "all" : "cursor",
    ...(f.since !== undefined ? { since: f.since } : {}),
    peek: f.peek,
    // Waiting: --wait, --follow, --until (no limit unless --timeout), or --timeout alone.
    ...(f.wait || f.follow || f.until !== undefined || f["until-input"] || f.timeout !== undefined ? { timeoutMs: f.timeout ?? null } : {}),
    ...(f.idle !== undefined ? { idleMs: f.idle } : {}),
    ...(f.until !== undefined ? { until: f.until, ignoreCase: f["ignore-case"] } : {}),
    untilInput: f["until-input"],
    stripAnsi: f["strip-ansi"],
    ...(f.lines !== undefined ? { lines: f.lines } : {}),
  };
  if (f.follow) {
    const stripper = params.stripAnsi ? new (await import("../text/ansi.ts")).AnsiStripper() : null;
    const decoder = new TextDecoder();
    // A stream shows the line being written at once (a prompt has no LF); see src/text/ansi.ts.
    const render = (bytes: Uint8Array): string | Uint8Array => (stripper ? stripper.push(decoder.decode(bytes, { stream: true })) + stripper.flush() : bytes);
    const outcome = await followSession(ctx.sessionsDir, id, params, async (bytes) => void (await writeStdout(render(bytes))));
    await warnDropped(outcome.dropped_bytes);
    if (stripper) await writeStdout(stripper.end());
    return 0;
  }
  const { session_id, result } = await readSession(ctx.sessionsDir, id, params);
  await warnDropped(result.dropped_bytes);
  if (f.base64) {
    const { output: _text, session_id: _id, ...doc } = readDoc(session_id, result);
    await printJson({ session_id, output_base64: Buffer.from(result.output).toString("base64"), ...doc });
  } else if (f.json) await printJson(readDoc(session_id, result));
  else if (result.output.length > 0) await writeStdout(result.output);
  // A waiting read whose condition never came: the output so far is printed, and it says so.
  if ((f.until !== undefined || f["until-input"]) && result.reason === "timeout") {
    const what = f.until !== undefined ? "without a match for --until" : "before the program waited for input";
    await writeStderr(`delta-sessions: read timed out after ${f.timeout} ms ${what}\n`);
    return 124;
  }
  return 0;
}

async function warnDropped(dropped: number): Promise<void> {
  if (dropped > 0) await writeStderr(`delta-sessions: warning: ${dropped} bytes of output were dropped from the buffer before this reader saw them\n`);
}
