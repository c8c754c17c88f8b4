// Named keys for `write-key` (SPEC §3, §3a): the bytes a terminal (xterm, in its default mode)
// sends when that key is pressed. Names are case-insensitive and come in three dialects that may
// be mixed: the baseline's (`arrow_up`, `ctrl+c`), short aliases (`up`, `esc`, `pgdn`) and tmux's
// (`C-c`, `M-x`, `S-Up`, `BSpace`, `NPage`). Modifiers (`ctrl+ alt+ shift+`, or `C- M- S-`) combine
// in any order. A combination no terminal can express (`shift+enter`, `ctrl+1`) is refused rather
// than sent as something the caller did not ask for.

import { DeltaError, ErrorCode } from "../errors.ts";
import { editDistance } from "../text/edit-distance.ts";

export interface KeyModes {
  /** DECCKM (set by the program with `ESC[?1h`): unmodified arrows/home/end send `ESC O x`. */
  applicationCursor: boolean;
}

interface Modifiers {
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
}

/** What a key is before modifiers are applied. */
type BaseKey =
  /** Arrows, home, end: `CSI x`, `SS3 x` under DECCKM, `CSI 1;m x` when modified. */
  | { kind: "cursor"; final: string }
  /** F1-F4: `SS3 x`, `CSI 1;m x` when modified. */
  | { kind: "ss3"; final: string }
  /** Insert, delete, paging, F5-F12: `CSI n ~`, `CSI n;m ~` when modified. */
  | { kind: "tilde"; number: number }
  /** Keys that send one control byte: enter, tab, escape, backspace. */
  | { kind: "control"; byte: number }
  /** A printable character (space included), sent as its UTF-8 bytes. */
  | { kind: "char"; char: string };

/** A parsed key name: either fixed bytes or an unmodified cursor key, whose bytes depend on DECCKM. */
type Stroke = { kind: "bytes"; bytes: number[] } | { kind: "cursor"; final: string };

interface NamedKey {
  name: string;
  aliases: readonly string[];
  base: BaseKey;
  /** Modifiers the name itself implies (tmux's `BTab` is shift+tab). */
  implied?: Partial<Modifiers>;
}

const ESC = 0x1b;
const CSI = [ESC, 0x5b];
const SS3 = [ESC, 0x4f];
const utf8 = new TextEncoder();
const LIST_HINT = "(delta-sessions write-key --list shows every key)";

/** Every named key, the baseline's in its order first (this is the order `--list` shows). */
const NAMED_KEYS: readonly NamedKey[] = [
  { name: "enter", aliases: ["return"], base: { kind: "control", byte: 0x0d } },
  { name: "tab", aliases: [], base: { kind: "control", byte: 0x09 } },
  { name: "escape", aliases: ["esc"], base: { kind: "control", byte: ESC } },
  { name: "space", aliases: [], base: { kind: "char", char: " " } },
  { name: "backspace", aliases: ["bs", "bspace"], base: { kind: "control", byte: 0x7f } },
  { name: "delete", aliases: ["del", "dc"], base: { kind: "tilde", number: 3 } },
  { name: "insert", aliases: ["ins", "ic"], base: { kind: "tilde", number: 2 } },
  { name: "home", aliases: [], base: { kind: "cursor", final: "H" } },
  { name: "end", aliases: [], base: { kind: "cursor", final: "F" } },
  { name: "page_up", aliases: ["pgup", "pageup", "ppage"], base: { kind: "tilde", number: 5 } },
  { name: "page_down", aliases: ["pgdn", "pagedown", "npage"], base: { kind: "tilde", number: 6 } },
  { name: "arrow_up", aliases: ["up"], base: { kind: "cursor", final: "A" } },
  { name: "arrow_down", aliases: ["down"], base: { kind: "cursor", final: "B" } },
  { name: "arrow_left", aliases: ["left"], base: { kind: "cursor", final: "D" } },
  { name: "arrow_right", aliases: ["right"], base: { kind: "cursor", final: "C" } },
  { name: "f1", aliases: [], base: { kind: "ss3", final: "P" } },
  { name: "f2", aliases: [], base: { kind: "ss3", final: "Q" } },
  { name: "f3", aliases: [], base: { kind: "ss3", final: "R" } },
  { name: "f4", aliases: [], base: { kind: "ss3", final: "S" } },
  { name: "f5", aliases: [], base: { kind: "tilde", number: 15 } },
  { name: "f6", aliases: [], base: { kind: "tilde", number: 17 } },
  { name: "f7", aliases: [], base: { kind: "tilde", number: 18 } },
  { name: "f8", aliases: [], base: { kind: "tilde", number: 19 } },
  { name: "f9", aliases: [], base: { kind: "tilde", number: 20 } },
  { name: "f10", aliases: [], base: { kind: "tilde", number: 21 } },
  { name: "f11", aliases: [], base: { kind: "tilde", number: 23 } },
  { name: "f12", aliases: [], base: { kind: "tilde", number: 24 } },
  { name: "shift+tab", aliases: ["btab", "backtab"], base: { kind: "control", byte: 0x09 }, implied: { shift: true } },
];

/** Lower-case name or alias → key. Plain loops: this runs on every `write-key` call, and the first
 *  use of map/flatMap in a process costs more than the whole table (the engine compiles them). */
const KEYS_BY_NAME: ReadonlyMap<string, NamedKey> = indexKeys(NAMED_KEYS);

const LONGEST_KEY_NAME = longestName(KEYS_BY_NAME);

function indexKeys(keys: readonly NamedKey[]): Map<string, NamedKey> {
  const byName = new Map<string, NamedKey>();
  for (const key of keys) {
    byName.set(key.name, key);
    for (const alias of key.aliases) byName.set(alias, key);
  }
  return byName;
}

function longestName(byName: ReadonlyMap<string, NamedKey>): number {
  let longest = 0;
  for (const name of byName.keys()) longest = Math.max(longest, name.length);
  return longest;
}

/** Modifier spellings (before a `+` or `-`): ours, the long forms, and tmux's single letters. */
const MODIFIER_WORDS: ReadonlyMap<string, keyof Modifiers> = new Map([
  ["ctrl", "ctrl"],
  ["control", "ctrl"],
  ["c", "ctrl"],
  ["alt", "alt"],
  ["meta", "alt"],
  ["m", "alt"],
  ["shift", "shift"],
  ["s", "shift"],
]);

/**
 * Characters ctrl+ applies to besides letters, and the byte a VT220/xterm keyboard sends for each
 * (`ctrl+[` is ESC, `ctrl+?` is DEL, `ctrl+2`…`ctrl+8` are the number-row equivalents).
 */
const CTRL_SYMBOLS: ReadonlyMap<string, number> = new Map([
  [" ", 0x00],
  ["@", 0x00],
  ["2", 0x00],
  ["[", 0x1b],
  ["3", 0x1b],
  ["\\", 0x1c],
  ["4", 0x1c],
  ["]", 0x1d],
  ["5", 0x1d],
  ["^", 0x1e],
  ["6", 0x1e],
  ["_", 0x1f],
  ["7", 0x1f],
  ["/", 0x1f],
  ["?", 0x7f],
  ["8", 0x7f],
]);

/** ctrl+ keys `--list` shows after ctrl+a…z, with the other spellings of the same byte. */
const LISTED_CTRL_SYMBOLS: ReadonlyArray<{ name: string; aliases: string[] }> = [
  { name: "ctrl+space", aliases: ["ctrl+@", "ctrl+2"] },
  { name: "ctrl+[", aliases: ["ctrl+3"] },
  { name: "ctrl+\\", aliases: ["ctrl+4"] },
  { name: "ctrl+]", aliases: ["ctrl+5"] },
  { name: "ctrl+^", aliases: ["ctrl+6"] },
  { name: "ctrl+_", aliases: ["ctrl+7", "ctrl+/"] },
  { name: "ctrl+?", aliases: ["ctrl+8"] },
];

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** Longer names get no suggestions: edit distance on them is slow and pointless. */
const MAX_COMPARED_LENGTH = 64;
const MAX_QUOTED_LENGTH = 80;
const SUGGESTION_COUNT = 3;

// ---- Public API ----------------------------------------------------------------------------

/** The bytes of one key. Throws DeltaError(INVALID_KEY) for a name it does not know. */
export function encodeKey(name: string, modes: KeyModes): Uint8Array {
  return Uint8Array.from(strokeBytes(parseKey(name), modes));
}

/** Checks every name; throws DeltaError(INVALID_KEY) for the first bad one. Nothing is partial. */
export function validateKeys(names: string[]): void {
  for (const name of names) parseKey(name);
}

/** The bytes of all keys in order, after every name has been validated. */
export function encodeKeys(names: string[], modes: KeyModes): Uint8Array {
  // Parse everything before encoding anything so a bad last name sends nothing at all.
  const strokes = names.map(parseKey);
  return Uint8Array.from(strokes.flatMap((stroke) => strokeBytes(stroke, modes)));
}

/** Every named key for `write-key --list`, with its bytes in normal (non-DECCKM) mode. */
export function listKeys(): Array<{ name: string; aliases: string[]; bytes: string }> {
  const normal: KeyModes = { applicationCursor: false };
  const entries = [
    ...NAMED_KEYS.filter((key) => key.name !== "shift+tab").map((key) => ({ name: key.name, aliases: [...key.aliases] })),
    ...[...LETTERS].map((letter) => ({ name: `ctrl+${letter}`, aliases: [] as string[] })),
    ...NAMED_KEYS.filter((key) => key.name === "shift+tab").map((key) => ({ name: key.name, aliases: [...key.aliases] })),
    ...LISTED_CTRL_SYMBOLS.map((entry) => ({ name: entry.name, aliases: [...entry.aliases] })),
  ];
  return entries.map((entry) => ({ ...entry, bytes: formatBytes(encodeKey(entry.name, normal)) }));
}

// ---- Parsing -------------------------------------------------------------------------------

/** Why a name cannot be sent: not a key at all, or a combination no terminal can express. */
type KeyProblem = { kind: "unknown"; typedPrefix: string; baseName: string } | { kind: "unsendable"; reason: string };

/** Resolves a key name to what it sends, or throws DeltaError(INVALID_KEY). */
function parseKey(name: string): Stroke {
  const resolved = resolveKey(name);
  if (resolved.kind === "unknown") throw unknownKeyError(name, resolved.typedPrefix, resolved.baseName);
  if (resolved.kind === "unsendable") throw new DeltaError(ErrorCode.INVALID_KEY, `key ${quoteName(name)} cannot be sent: ${resolved.reason} ${LIST_HINT}`);
  return resolved;
}

/** Like parseKey but never throws, so suggestions can be checked without building errors. */
function resolveKey(name: string): Stroke | KeyProblem {
  const { modifiers, typedPrefix, baseName } = splitModifiers(name);
  const base = lookUpBase(baseName);
  if (base === undefined) return { kind: "unknown", typedPrefix, baseName };
  const stroke = applyModifiers(base.base, mergeModifiers(modifiers, base.implied));
  return typeof stroke === "string" ? { kind: "unsendable", reason: stroke } : stroke;
}

/**
 * Peels modifier prefixes (`ctrl+`, `C-`, …) off the front. A prefix is only taken when something
 * follows it and the whole rest is not already a key, so `-`, `+` and `M--` keep working.
 */
function splitModifiers(name: string): { modifiers: Modifiers; typedPrefix: string; baseName: string } {
  const modifiers: Modifiers = { ctrl: false, alt: false, shift: false };
  const prefixPattern = /([a-z]+)[+-](?=[\s\S])/iy;
  let at = 0;
  while (lookUpBase(name.slice(at)) === undefined) {
    prefixPattern.lastIndex = at;
    const match = prefixPattern.exec(name);
    const modifier = match?.[1] === undefined ? undefined : MODIFIER_WORDS.get(match[1].toLowerCase());
    if (match === null || modifier === undefined) break;
    modifiers[modifier] = true;
    at += match[0].length;
  }
  return { modifiers, typedPrefix: name.slice(0, at), baseName: name.slice(at) };
}

/** A named key, or a single printable character (which sends itself). */
function lookUpBase(name: string): { base: BaseKey; implied?: Partial<Modifiers> } | undefined {
  // No key name is long; checking this first keeps a huge bogus name from being copied around.
  if (name.length > LONGEST_KEY_NAME) return undefined;
  const named = KEYS_BY_NAME.get(name.toLowerCase());
  if (named !== undefined) return named;
  if (isSinglePrintable(name)) return { base: { kind: "char", char: name } };
  return undefined;
}

function isSinglePrintable(text: string): boolean {
  if (text.length === 0 || text.length > 2) return false;
  const codePoint = text.codePointAt(0);
  if (codePoint === undefined || String.fromCodePoint(codePoint).length !== text.length) return false;
  const isControl = codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f);
  const isLoneSurrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
  return !isControl && !isLoneSurrogate;
}

function mergeModifiers(typed: Modifiers, implied: Partial<Modifiers> | undefined): Modifiers {
  return {
    ctrl: typed.ctrl || implied?.ctrl === true,
    alt: typed.alt || implied?.alt === true,
    shift: typed.shift || implied?.shift === true,
  };
}

// ---- Encoding ------------------------------------------------------------------------------

/** The stroke for a base key with modifiers, or the reason no terminal could send it. */
function applyModifiers(base: BaseKey, mods: Modifiers): Stroke | string {
  switch (base.kind) {
    case "cursor":
      if (!hasAny(mods)) return { kind: "cursor", final: base.final };
      return bytesStroke([...CSI, ...ascii(`1;${modifierParameter(mods)}${base.final}`)]);
    case "ss3":
      if (!hasAny(mods)) return bytesStroke([...SS3, ...ascii(base.final)]);
      return bytesStroke([...CSI, ...ascii(`1;${modifierParameter(mods)}${base.final}`)]);
    case "tilde": {
      const parameter = hasAny(mods) ? `;${modifierParameter(mods)}` : "";
      return bytesStroke([...CSI, ...ascii(`${base.number}${parameter}~`)]);
    }
    case "control":
      return applyModifiersToControl(base.byte, mods);
    case "char":
      return applyModifiersToChar(base.char, mods);
  }
}

/**
 * Enter, tab, escape and backspace have no xterm parameter form; only the combinations terminals
 * agree on are accepted: alt (ESC prefix), shift+tab (`CSI Z`) and ctrl+backspace (BS, 0x08).
 */
function applyModifiersToControl(byte: number, mods: Modifiers): Stroke | string {
  let bytes: number[] = [byte];
  if (mods.shift) {
    if (byte !== 0x09) return `a terminal has no encoding for shift with ${describeControl(byte)}`;
    bytes = [...CSI, 0x5a];
  }
  if (mods.ctrl) {
    if (byte !== 0x7f) return `a terminal has no encoding for ctrl with ${describeControl(byte)}`;
    bytes = [0x08];
  }
  return bytesStroke(mods.alt ? [ESC, ...bytes] : bytes);
}

/** shift+ upper-cases a letter, ctrl+ maps it to its control byte, alt+ prefixes ESC. */
function applyModifiersToChar(char: string, mods: Modifiers): Stroke | string {
  let text = char;
  if (mods.shift) {
    // What shift does to a digit or symbol depends on the keyboard layout: type that character.
    if (!isAsciiLetter(text)) return `shift+ only applies to letters here; send the shifted character itself`;
    text = text.toUpperCase();
  }
  let bytes = [...utf8.encode(text)];
  if (mods.ctrl) {
    const control = controlByteFor(text);
    if (control === undefined) return `ctrl+ only applies to letters, space and @ [ \\ ] ^ _ ? / 2-8`;
    bytes = [control];
  }
  return bytesStroke(mods.alt ? [ESC, ...bytes] : bytes);
}

function controlByteFor(char: string): number | undefined {
  if (isAsciiLetter(char)) return char.toLowerCase().charCodeAt(0) & 0x1f;
  return CTRL_SYMBOLS.get(char);
}

/** xterm's modifier parameter: 1 + shift(1) + alt(2) + ctrl(4). */
function modifierParameter(mods: Modifiers): number {
  return 1 + (mods.shift ? 1 : 0) + (mods.alt ? 2 : 0) + (mods.ctrl ? 4 : 0);
}

function strokeBytes(stroke: Stroke, modes: KeyModes): number[] {
  if (stroke.kind === "bytes") return stroke.bytes;
  return [...(modes.applicationCursor ? SS3 : CSI), ...ascii(stroke.final)];
}

function bytesStroke(bytes: number[]): Stroke {
  return { kind: "bytes", bytes };
}

function hasAny(mods: Modifiers): boolean {
  return mods.ctrl || mods.alt || mods.shift;
}

function isAsciiLetter(text: string): boolean {
  return /^[a-z]$/i.test(text);
}

function ascii(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0));
}

function describeControl(byte: number): string {
  return NAMED_KEYS.find((key) => key.base.kind === "control" && key.base.byte === byte && key.implied === undefined)?.name ?? "that key";
}

/** Display form for `--list`: printable ASCII as is, every other byte as `\xHH` (what `write` decodes). */
function formatBytes(bytes: Uint8Array): string {
  return [...bytes]
    .map((byte) => {
      if (byte === 0x5c) return "\\\\";
      if (byte > 0x20 && byte < 0x7f) return String.fromCharCode(byte);
      return `\\x${byte.toString(16).padStart(2, "0")}`;
    })
    .join("");
}

// ---- Suggestions ---------------------------------------------------------------------------

/**
 * The error for a name that is not a key. When the modifiers were understood, the suggestions
 * keep them and only the base is corrected (`ctrl+shift+lfet` → `ctrl+shift+left`).
 */
function unknownKeyError(name: string, typedPrefix: string, baseName: string): DeltaError {
  // Every name is equally close to nothing, so suggestions would only be noise.
  if (name === "") return new DeltaError(ErrorCode.INVALID_KEY, `key name is empty ${LIST_HINT}`);
  // Something this long is not a misspelt key; comparing it would only cost time.
  if (name.length > MAX_COMPARED_LENGTH) return new DeltaError(ErrorCode.INVALID_KEY, `unknown key ${quoteName(name)} ${LIST_HINT}`);
  const suggestions = typedPrefix === "" ? suggestNames(name, wholeNameCandidates()) : suggestNames(baseName, baseNameCandidates()).map((base) => typedPrefix + base);
  const valid = suggestions.filter(isValidKey).slice(0, SUGGESTION_COUNT);
  const hint = valid.length === 0 ? "" : `; did you mean ${valid.join(", ")}?`;
  return new DeltaError(ErrorCode.INVALID_KEY, `unknown key ${quoteName(name)}${hint} ${LIST_HINT}`);
}

/** The name in quotes for a message, cut short if huge so the error stays readable. */
function quoteName(name: string): string {
  return name.length > MAX_QUOTED_LENGTH ? `${JSON.stringify(name.slice(0, MAX_QUOTED_LENGTH))}…` : JSON.stringify(name);
}

function isValidKey(name: string): boolean {
  const resolved = resolveKey(name);
  return resolved.kind === "bytes" || resolved.kind === "cursor";
}

let cachedWholeNameCandidates: string[] | undefined;

/** Names a whole misspelt key is compared with: every listed name and alias. */
function wholeNameCandidates(): string[] {
  cachedWholeNameCandidates ??= listKeys().flatMap((entry) => [entry.name, ...entry.aliases]);
  return cachedWholeNameCandidates;
}

/** Names a misspelt base (after understood modifiers) is compared with: keys, letters, digits. */
let cachedBaseNameCandidates: readonly string[] | undefined;
function baseNameCandidates(): readonly string[] {
  // Built on first use: only error messages need it, and every write-key call loads this module.
  cachedBaseNameCandidates ??= [
    ...NAMED_KEYS.filter((key) => key.implied === undefined).flatMap((key) => [key.name, ...key.aliases]),
    ...LETTERS,
    ..."0123456789",
  ];
  return cachedBaseNameCandidates;
}

/** Up to a few candidates closest to `typed`, nearest first; ties keep the candidates' order. */
function suggestNames(typed: string, candidates: readonly string[]): string[] {
  const needle = typed.toLowerCase();
  const scored = [...new Set(candidates)].map((candidate, index) => ({ candidate, index, distance: editDistance(needle, candidate, substitutionCost) }));
  scored.sort((a, b) => a.distance - b.distance || a.index - b.index);
  // A few extra in case some of them are combinations that cannot be sent.
  return scored.slice(0, SUGGESTION_COUNT * 3).map((entry) => entry.candidate);
}

/** Keyboard rows, so that hitting a neighbouring key counts as a smaller slip than any other. */
const KEYBOARD_ROWS = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];
const NEIGHBOUR_SUBSTITUTION_COST = 0.75;

/** Every ordered pair of keys that sit side by side on a keyboard row ("qw", "wq", …); built on first use. */
let cachedNeighbourPairs: ReadonlySet<string> | undefined;
function neighbourPairs(): ReadonlySet<string> {
  cachedNeighbourPairs ??= new Set(
    KEYBOARD_ROWS.flatMap((row) => [...row].slice(1).flatMap((char, i) => [`${row[i]}${char}`, `${char}${row[i]}`])),
  );
  return cachedNeighbourPairs;
}

function substitutionCost(a: string, b: string): number {
  if (a === b) return 0;
  return neighbourPairs().has(a + b) ? NEIGHBOUR_SUBSTITUTION_COST : 1;
}
