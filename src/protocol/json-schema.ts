// Checking values against the JSON Schema form of our zod schemas. The zod schemas (messages.ts,
// store/schemas.ts, holder/config-schema.ts) stay the one definition; schemas.macro.ts converts
// them at build time and this small interpreter checks values at run time. Why: constructing zod
// schemas and running zod's parser for the first time costs every CLI call and every holder start
// several milliseconds of cold code, more than the whole rest of a `read` or `write`.
//
// Only the keywords zod emits for our schemas are supported; schemas.macro.ts refuses any other
// at build time, so no constraint is ever silently skipped.

export type JsonType = "string" | "number" | "integer" | "boolean" | "null" | "object" | "array";

export interface JsonSchema {
  type?: JsonType | JsonType[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** Keywords the interpreter understands ($schema is informational). */
export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  "$schema",
  "type",
  "const",
  "enum",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "items",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "anyOf",
  "oneOf",
]);

/** Marks "does not conform" (a unique value, never a valid result). */
const INVALID: unique symbol = Symbol("invalid");
type Result = unknown | typeof INVALID;

/**
 * The value as zod would return it: a copy in which objects keep only the properties their schema
 * declares (zod's default for objects strips unknown keys); null when it does not conform.
 */
export function parseWithSchema<T>(schema: JsonSchema, value: unknown): T | null {
  const r = check(schema, value);
  return r === INVALID ? null : (r as T);
}

/** JSON text checked against a schema: the value as parseWithSchema returns it, or null when the
 *  text is not JSON or the value does not conform. */
export function parseJsonWithSchema<T>(schema: JsonSchema, text: string): T | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return parseWithSchema<T>(schema, value);
}

function typeMatches(t: JsonType, v: unknown): boolean {
  switch (t) {
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "boolean":
      return typeof v === "boolean";
    case "null":
      return v === null;
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "array":
      return Array.isArray(v);
  }
}

/** A loop, not Array.some: this runs in every CLI call, where the first use of a builtin like some
 *  makes the engine compile it. */
function matchesAnyType(types: JsonType[], v: unknown): boolean {
  for (const t of types) if (typeMatches(t, v)) return true;
  return false;
}

function check(s: JsonSchema, v: unknown): Result {
  if (s.type !== undefined) {
    if (typeof s.type === "string" ? !typeMatches(s.type, v) : !matchesAnyType(s.type, v)) return INVALID;
  }
  if ("const" in s && v !== s.const) return INVALID;
  if (s.enum && !s.enum.includes(v)) return INVALID;
  if (typeof v === "number") {
    if (s.minimum !== undefined && v < s.minimum) return INVALID;
    if (s.maximum !== undefined && v > s.maximum) return INVALID;
    if (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) return INVALID;
    if (s.exclusiveMaximum !== undefined && v >= s.exclusiveMaximum) return INVALID;
  }
  if (typeof v === "string") {
    // UTF-16 units, as zod counts them.
    if (s.minLength !== undefined && v.length < s.minLength) return INVALID;
    if (s.maxLength !== undefined && v.length > s.maxLength) return INVALID;
  }
  let out: unknown = v;
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) return INVALID;
    if (s.maxItems !== undefined && v.length > s.maxItems) return INVALID;
    if (s.items) {
      const items: unknown[] = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const r = check(s.items, v[i]);
        if (r === INVALID) return INVALID;
        items[i] = r;
      }
      out = items;
    }
  } else if (typeof v === "object" && v !== null && (s.properties || s.additionalProperties !== undefined || s.propertyNames)) {
    const r = checkObject(s, v as Record<string, unknown>);
    if (r === INVALID) return INVALID;
    out = r;
  }
  if (s.anyOf) {
    let found: Result = INVALID;
    for (const branch of s.anyOf) {
      found = check(branch, out);
      if (found !== INVALID) break;
    }
    if (found === INVALID) return INVALID;
    out = found;
  }
  if (s.oneOf) {
    const byTag = taggedBranches(s.oneOf);
    if (byTag && typeof out === "object" && out !== null && !Array.isArray(out)) {
      // A discriminated union: only the branch with this tag can match.
      const branch = byTag.branches.get((out as Record<string, unknown>)[byTag.key]);
      return branch ? check(branch, out) : INVALID;
    }
    let found: Result = INVALID;
    let matches = 0;
    for (const branch of s.oneOf) {
      const r = check(branch, out);
      if (r === INVALID) continue;
      if (++matches > 1) return INVALID;
      found = r;
    }
    if (matches !== 1) return INVALID;
    out = found;
  }
  return out;
}

interface Tagged {
  key: string;
  branches: Map<unknown, JsonSchema>;
}

const TAGS = new WeakMap<JsonSchema[], Tagged | null>();

/**
 * For a oneOf whose branches all require one property with a distinct constant (zod's
 * discriminatedUnion), the branch for each constant. Any value can then satisfy at most the branch
 * its tag names, so checking that one alone is the same as checking all of them.
 */
function taggedBranches(branches: JsonSchema[]): Tagged | null {
  const known = TAGS.get(branches);
  if (known !== undefined) return known;
  let found: Tagged | null = null;
  for (const key of Object.keys(branches[0]?.properties ?? {})) {
    const map = new Map<unknown, JsonSchema>();
    for (const b of branches) {
      const p = b.properties?.[key];
      if (!p || !("const" in p) || !b.required?.includes(key)) break;
      map.set(p.const, b);
    }
    if (map.size === branches.length) {
      found = { key, branches: map };
      break;
    }
  }
  TAGS.set(branches, found);
  return found;
}

function checkObject(s: JsonSchema, v: Record<string, unknown>): Result {
  const out: Record<string, unknown> = {};
  const props = s.properties ?? {};
  for (const key of s.required ?? []) if (!(key in v) || v[key] === undefined) return INVALID;
  for (const key of Object.keys(v)) {
    const value = v[key];
    const known = Object.hasOwn(props, key) ? props[key] : undefined;
    if (known) {
      if (value === undefined) continue;
      const r = check(known, value);
      if (r === INVALID) return INVALID;
      out[key] = r;
      continue;
    }
    if (s.propertyNames && check(s.propertyNames, key) === INVALID) return INVALID;
    const extra = s.additionalProperties;
    if (extra === false) return INVALID;
    if (extra === undefined || extra === true) continue; // not declared: dropped, as zod drops it
    const r = check(extra, value);
    if (r === INVALID) return INVALID;
    out[key] = r;
  }
  return out;
}

/** Throws when a schema uses a keyword the interpreter does not implement (build-time guard). */
export function assertSupported(schema: unknown, path = "$"): void {
  if (typeof schema !== "object" || schema === null) return;
  if (Array.isArray(schema)) {
    schema.forEach((s, i) => assertSupported(s, `${path}[${i}]`));
    return;
  }
  for (const [key, value] of Object.entries(schema)) {
    if (!SUPPORTED_KEYWORDS.has(key)) throw new Error(`JSON Schema keyword ${JSON.stringify(key)} at ${path} is not supported by src/protocol/json-schema.ts`);
    if (key === "properties") {
      for (const [name, sub] of Object.entries(value as Record<string, unknown>)) assertSupported(sub, `${path}.properties.${name}`);
    } else if (key !== "const" && key !== "enum" && key !== "required") assertSupported(value, `${path}.${key}`);
  }
}
