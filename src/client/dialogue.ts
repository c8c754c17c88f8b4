// A dialogue (SPEC §16): several sends in one call. Each step is typed only once the previous one
// ended with the program waiting for input (or its `until` matching), because a prompt may throw
// away what was typed ahead of it (getpass flushes the terminal's input); a step that ends with the
// program's exit or a timeout stops the dialogue there. One function for every front end (CLI,
// MCP, library); `runDialogue` works on a session already reached.
import { DEFAULT_SEND_TIMEOUT_MS, MAX_TIMEOUT_MS } from "../constants.ts";
import { invalidArgument } from "../errors.ts";
import { validateKeys } from "../keys/keys.ts";
import { compileUntil } from "./read.ts";
import { awaitReply, pressKeysOnTarget, screenAfter, sendOnTarget, type InteractionResult, type SendOptions } from "./send.ts";
import { runOnLiveSession, type LiveTarget } from "./session.ts";

/** What one step types: bytes (escapes decoded and Enter appended as the caller wants), or named keys. */
export type StepInput = { text: Uint8Array } | { keys: string[] };

export interface DialogueStep {
  input: StepInput;
  /** Also ends this step when its reply matches (the echo of the input never does). */
  until?: { source: string; flags: string };
  /** This step's longest wait; default the dialogue's `timeoutMs`. null: no limit. */
  timeoutMs?: number | null;
}

export interface DialogueOptions {
  /** Each step's longest wait unless it says otherwise (default 30 000 ms; null: no limit). */
  timeoutMs?: number | null;
  /** The whole dialogue's longest wait (the MCP server's maximum): a step gets what is left. */
  totalTimeoutMs?: number;
  /** Text steps go as a bracketed paste when the program has turned it on. */
  paste?: boolean;
  idleMs?: number;
  /** The rendered screen once the last step that ran has ended. */
  screen?: boolean;
}

export interface StepReply {
  output: string;
  reason: InteractionResult["reason"];
}

/**
 * The last step's document, with `output` every step's reply joined, `offset` where the first
 * step's input was delivered (so `read --since offset` shows the whole exchange), one
 * `{output, reason}` per step that ran, and `stopped_at` (the index of the last step that ran) when
 * the dialogue stopped early.
 */
export interface DialogueResult extends InteractionResult {
  steps: StepReply[];
  stopped_at?: number;
}

/** Reasons after which the program is ready for the next step. */
const CONTINUES: ReadonlySet<string> = new Set(["input", "match"]);

export async function runDialogue(target: LiveTarget, sessionsDir: string, steps: DialogueStep[], o: DialogueOptions = {}): Promise<DialogueResult> {
  if (steps.length === 0) throw invalidArgument("a dialogue needs at least one step");
  for (const step of steps) if ("keys" in step.input) validateKeys(step.input.keys);
  const deadline = o.totalTimeoutMs === undefined ? null : performance.now() + o.totalTimeoutMs;
  const replies: InteractionResult[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const last = i === steps.length - 1;
    const send: SendOptions = {
      paste: o.paste === true,
      timeoutMs: stepTimeout(step.timeoutMs === undefined ? o.timeoutMs : step.timeoutMs, deadline),
      ...(step.until ? { until: step.until } : {}),
      ...(o.idleMs !== undefined ? { idleMs: o.idleMs } : {}),
    };
    let r = "keys" in step.input ? await pressKeysOnTarget(target, sessionsDir, step.input.keys, send) : await sendOnTarget(target, sessionsDir, step.input.text, send);
    if (!last && r.reason === "input") r = await confirmWaiting(target, sessionsDir, r, stepTimeout(send.timeoutMs, deadline));
    replies.push(r);
    if (!last && !CONTINUES.has(r.reason)) break;
  }
  const result = joinReplies(replies, steps.length);
  // The screen as the dialogue left it, whichever step it ended on.
  if (o.screen === true) result.screen = await screenAfter(target.conn, sessionsDir, target.id);
  return result;
}

/**
 * Looks once more that the program waits before the next step is typed, and adds what it printed
 * meanwhile. Input that is not echoed (a password) counts as taken when the program shows no
 * reaction for a while; on a starved machine the program may not even have read it by then, and
 * the next step typed at once could land in a prompt that discards type-ahead. A program that
 * does wait answers this look within milliseconds.
 */
async function confirmWaiting(target: LiveTarget, sessionsDir: string, r: InteractionResult, timeoutMs: number | null): Promise<InteractionResult> {
  const again = await awaitReply(target.conn, sessionsDir, target.id, { since: r.next_offset, timeoutMs, screen: false });
  return { ...again, output: r.output + again.output, offset: r.offset };
}

function stepTimeout(wanted: number | null | undefined, deadline: number | null): number | null {
  const own = wanted === undefined ? DEFAULT_SEND_TIMEOUT_MS : wanted;
  if (deadline === null) return own;
  const left = Math.max(0, Math.round(deadline - performance.now()));
  return own === null ? left : Math.min(own, left);
}

function joinReplies(replies: InteractionResult[], planned: number): DialogueResult {
  const last = replies[replies.length - 1]!;
  const result: DialogueResult = {
    ...last,
    output: replies.map((r) => r.output).join(""),
    offset: replies[0]!.offset,
    steps: replies.map((r) => ({ output: r.output, reason: r.reason })),
  };
  if (replies.length < planned) result.stopped_at = replies.length - 1;
  return result;
}

export interface DialogueParams extends DialogueOptions {
  sessionsDir: string;
  /** Session id or name. */
  session: string;
  steps: DialogueStep[];
}

/** A dialogue by session id or name, owning its connection (the CLI). */
export async function sendDialogue(p: DialogueParams): Promise<DialogueResult> {
  return runOnLiveSession(p.sessionsDir, p.session, (target) => runDialogue(target, p.sessionsDir, p.steps, p));
}

/** A step as the MCP tool and `send --steps` take it: `{text | keys, enter, until, timeout_ms}`.
 *  Text is sent as given (JSON strings carry any character); `enter` appends Enter to text. */
export interface StepSpec {
  text?: string;
  keys?: string[];
  enter?: boolean;
  until?: string;
  timeout_ms?: number;
}

/** What a step takes when it does not say: the call's own `enter` (text steps) and `until`. */
export interface StepDefaults {
  enter?: boolean;
  until?: { source: string; flags: string };
}

/** Turns step specs into steps, refusing a malformed one before anything is typed. */
export function stepsFromSpecs(specs: unknown, defaults: StepDefaults = {}): DialogueStep[] {
  if (!Array.isArray(specs) || specs.length === 0) throw invalidArgument("steps must be a non-empty array of {text | keys, enter, until, timeout_ms}");
  return specs.map((spec, i) => stepFromSpec(spec, i, defaults));
}

const STEP_FIELDS: ReadonlySet<string> = new Set(["text", "keys", "enter", "until", "timeout_ms"]);

function stepFromSpec(spec: unknown, i: number, defaults: StepDefaults): DialogueStep {
  const where = `steps[${i}]`;
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) throw invalidArgument(`${where} must be an object {text | keys, enter, until, timeout_ms}`);
  const s = spec as Record<string, unknown>;
  for (const key of Object.keys(s)) if (!STEP_FIELDS.has(key)) throw invalidArgument(`${where}: unknown field ${JSON.stringify(key)} (text, keys, enter, until, timeout_ms)`);
  if ((s.text === undefined) === (s.keys === undefined)) throw invalidArgument(`${where} needs exactly one of text and keys`);
  if (s.enter !== undefined && typeof s.enter !== "boolean") throw invalidArgument(`${where}.enter must be a boolean`);
  if (s.until !== undefined && typeof s.until !== "string") throw invalidArgument(`${where}.until must be a string (a regular expression)`);
  const t = s.timeout_ms;
  if (t !== undefined && (typeof t !== "number" || !Number.isInteger(t) || t < 0 || t > MAX_TIMEOUT_MS)) throw invalidArgument(`${where}.timeout_ms must be an integer from 0 to ${MAX_TIMEOUT_MS}`);
  let input: StepInput;
  if (s.keys !== undefined) {
    if (!Array.isArray(s.keys) || s.keys.length === 0 || !s.keys.every((k) => typeof k === "string")) throw invalidArgument(`${where}.keys must be a non-empty array of key names`);
    if (s.enter !== undefined) throw invalidArgument(`${where}: enter goes with text; add "enter" to the keys instead`);
    validateKeys(s.keys);
    input = { keys: s.keys };
  } else {
    if (typeof s.text !== "string") throw invalidArgument(`${where}.text must be a string`);
    const enter = s.enter ?? defaults.enter === true;
    input = { text: new TextEncoder().encode(enter ? s.text + "\r" : s.text) };
  }
  const until = s.until !== undefined ? compileUntil(s.until) : defaults.until;
  return {
    input,
    ...(until ? { until } : {}),
    ...(t !== undefined ? { timeoutMs: t as number } : {}),
  };
}
