// Option objects as the library takes them: every key known, every value of its type. A misspelt
// option (`timout`) or a string where a number goes is an INVALID_ARGUMENT error, never ignored.
import { invalidArgument } from "../errors.ts";

export type OptionKind = "boolean" | "string" | "integer" | "positive" | "ms" | "strings" | "env";

const DESCRIBED: Record<OptionKind, string> = {
  boolean: "a boolean",
  string: "a string",
  integer: "an integer >= 0",
  positive: "an integer >= 1",
  ms: "a number of milliseconds (an integer >= 0) or null for no limit",
  strings: "an array of strings",
  env: "an object of string values",
};

function fits(kind: OptionKind, v: unknown): boolean {
  switch (kind) {
    case "boolean":
      return typeof v === "boolean";
    case "string":
      return typeof v === "string";
    case "integer":
      return Number.isSafeInteger(v) && (v as number) >= 0;
    case "positive":
      return Number.isSafeInteger(v) && (v as number) >= 1;
    case "ms":
      return v === null || (Number.isSafeInteger(v) && (v as number) >= 0);
    case "strings":
      return Array.isArray(v) && v.every((s) => typeof s === "string");
    case "env":
      return isPlainObject(v) && Object.values(v).every((s) => typeof s === "string");
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Checks `opts` (absent = {}) against `spec`; returns it typed. An undefined value counts as absent. */
export function checkOptions<T extends object>(where: string, opts: unknown, spec: Record<keyof T & string, OptionKind>): Partial<T> {
  if (opts === undefined) return {};
  if (!isPlainObject(opts)) throw invalidArgument(`${where}: the options must be an object`);
  for (const [key, value] of Object.entries(opts)) {
    const kind = (spec as Record<string, OptionKind>)[key];
    if (kind === undefined) throw invalidArgument(`${where}: unknown option ${JSON.stringify(key)} (known: ${Object.keys(spec).join(", ")})`);
    if (value !== undefined && !fits(kind, value)) throw invalidArgument(`${where}: option ${key} must be ${DESCRIBED[kind]}, got ${JSON.stringify(value) ?? typeof value}`);
  }
  return opts as Partial<T>;
}

/** Checks one positional argument. */
export function checkArgument(where: string, name: string, kind: OptionKind, value: unknown): void {
  if (!fits(kind, value)) throw invalidArgument(`${where}: ${name} must be ${DESCRIBED[kind]}, got ${JSON.stringify(value) ?? typeof value}`);
}
