// A strict command-line parser: unknown flags, missing values and malformed numbers are usage
// errors (exit 2), never silently ignored. Flags may come before or after positionals unless the
// command stops at its first positional (start: everything from CMD on is the child's).
import { usageError, invalidArgument } from "../errors.ts";

export type OptionKind = "boolean" | "string" | "integer" | "list";

export interface OptionDef {
  kind: OptionKind;
  description: string;
  /** Placeholder in help, e.g. MS. */
  value?: string;
  alias?: string[];
  /** integer bounds */
  min?: number;
  max?: number;
}

export interface CommandSpec {
  name: string;
  aliases?: string[];
  summary: string;
  usage: string;
  options: Record<string, OptionDef>;
  /** Positional names for help, e.g. ["ID", "TEXT…"]. */
  positionals: string[];
  /** Stop option parsing at a positional and pass the rest verbatim: `true` at the first one (start:
   *  CMD), a number N at the N-th one (exec: COMMAND is the second, after ID). */
  stopAtPositional?: boolean | number;
  /** More help text (examples, notes). */
  details?: string;
  /** Exit code for every failure of delta-sessions itself, usage errors included (exec: 125, so
   *  that it never looks like the command's own status). Timeouts keep 124. */
  failureExitCode?: number;
}

export interface ParsedArgs {
  flags: Record<string, string | number | boolean | string[] | undefined>;
  positionals: string[];
  /** True when `--` appeared (the rest was taken verbatim). */
  sawDashDash: boolean;
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: Record<string, OptionDef> = {
  "sessions-dir": { kind: "string", value: "DIR", description: "sessions directory (default $DELTA_SESSIONS_DIR, else ./.sessions)" },
  help: { kind: "boolean", alias: ["h"], description: "show help" },
  version: { kind: "boolean", alias: ["V"], description: "print the version" },
};

export function parseArgs(argv: string[], spec: CommandSpec): ParsedArgs {
  const options = { ...GLOBAL_OPTIONS, ...spec.options };
  const byName = new Map<string, string>();
  for (const [name, def] of Object.entries(options)) {
    byName.set(`--${name}`, name);
    for (const a of def.alias ?? []) byName.set(a.length === 1 ? `-${a}` : `--${a}`, name);
  }
  const flags: ParsedArgs["flags"] = {};
  const positionals: string[] = [];
  // Positionals after which the rest is the program's, untouched.
  const verbatimAfter = spec.stopAtPositional === true ? 1 : spec.stopAtPositional || Infinity;
  let sawDashDash = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      sawDashDash = true;
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (positionals.length >= verbatimAfter) {
      positionals.push(...argv.slice(i));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const key = eq > 0 && arg.startsWith("--") ? arg.slice(0, eq) : arg;
    const name = byName.get(key);
    if (!name) {
      throw usageError(`unknown option ${key} for '${spec.name}'${suggestOption(key, [...byName.keys()])} (put -- before text that starts with '-')`);
    }
    const def = options[name]!;
    if (def.kind === "boolean") {
      if (eq > 0 && arg.startsWith("--")) throw usageError(`option --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    // A second value would silently replace the first: say so instead (only lists repeat).
    if (def.kind !== "list" && flags[name] !== undefined) throw usageError(`option --${name} was given more than once`);
    let value: string;
    if (eq > 0 && arg.startsWith("--")) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined) throw usageError(`option --${name} needs a value (${def.value ?? "VALUE"})`);
      value = next;
      i++;
    }
    if (def.kind === "integer") flags[name] = parseInteger(value, `--${name}`, def.min, def.max);
    else if (def.kind === "list") flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
    else flags[name] = value;
  }
  return { flags, positionals, sawDashDash };
}

export function parseInteger(value: string, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(value.trim())) throw invalidArgument(`${what} must be an integer, got ${JSON.stringify(value)}`);
  const n = Number(value.trim());
  if (!Number.isSafeInteger(n) || n < min || n > max) throw invalidArgument(`${what} must be between ${min} and ${max}, got ${value}`);
  return n;
}

function suggestOption(key: string, known: string[]): string {
  let best = "";
  let bestDist = 3;
  for (const k of known) {
    const d = distance(key, k);
    if (d < bestDist) {
      bestDist = d;
      best = k;
    }
  }
  return best ? `; did you mean ${best}?` : "";
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** Renders help for one command. */
export function renderHelp(spec: CommandSpec): string {
  const lines = [`delta-sessions ${spec.name} — ${spec.summary}`, "", `Usage: delta-sessions ${spec.usage}`];
  const all = { ...spec.options, ...GLOBAL_OPTIONS };
  const rows = Object.entries(all).map(([name, def]) => {
    const aliases = (def.alias ?? []).map((a) => (a.length === 1 ? `-${a}` : `--${a}`));
    const flag = [`--${name}${def.kind === "boolean" ? "" : ` ${def.value ?? "VALUE"}`}`, ...aliases].join(", ");
    return [flag, def.description + (def.kind === "list" ? " (repeatable)" : "")] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  lines.push("", "Options:", ...rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`));
  if (spec.aliases?.length) lines.push("", `Alias: ${spec.aliases.join(", ")}`);
  if (spec.details) lines.push("", spec.details.trimEnd());
  return lines.join("\n") + "\n";
}
