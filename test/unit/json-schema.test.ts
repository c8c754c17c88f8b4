// The run-time checker must accept exactly what the zod schemas accept and return what zod returns
// (unknown keys dropped). Checked on valid samples of every message and file, and on every
// mutation of them we can think of: missing keys, wrong types, out-of-range numbers, extra keys.
import { describe, expect, test } from "bun:test";
import * as z from "zod/mini";
import { assertSupported, parseWithSchema } from "../../src/protocol/json-schema.ts";
import { HolderConfig, ReadyReport } from "../../src/protocol/launch-schema.ts";
import { AttachClientMessage, Reply, Request } from "../../src/protocol/messages.ts";
import { parseReply, parseRequest } from "../../src/protocol/parse.ts";
import { jsonSchemaOf, type SchemaName } from "../../src/protocol/schemas.macro.ts";
import { FinalState, Metadata } from "../../src/store/schemas.ts";
import { sampleHolderConfig } from "../helpers/holder-config.ts";

const SAMPLES: Record<SchemaName, { zod: z.ZodMiniType; valid: unknown[] }> = {
  request: {
    zod: Request,
    valid: [
      { type: "info" },
      { type: "write", data: "aGk=" },
      { type: "write", data: "", more: true, paste: false },
      { type: "keys", keys: ["enter", "C-c"] },
      { type: "keys", keys: [] },
      { type: "read", from: "cursor" },
      { type: "read", from: "since", since: 0, peek: true, timeout_ms: null, idle_ms: 200, until: { source: "x$", flags: "" }, follow: false },
      { type: "read", from: "all", timeout_ms: 1000 },
      { type: "screen" },
      { type: "screen", scrollback: 10 },
      { type: "resize", cols: 80, rows: 24 },
      { type: "wait", timeout_ms: null },
      { type: "wait" },
      { type: "end", signal: "SIGHUP", grace_ms: 2000 },
    ],
  },
  reply: {
    zod: Reply,
    valid: [
      { type: "hello", protocol: 1, session_id: "sess_0123456789ab", pid: 42 },
      { type: "error", code: "BUSY", message: "busy" },
      {
        type: "info",
        session_id: "sess_0123456789ab",
        name: null,
        pid: 1,
        holder_pid: 2,
        command: ["bash"],
        cwd: "/",
        cols: 120,
        rows: 30,
        created_at: "2026-01-01T00:00:00.000Z",
        last_accessed_at: "2026-01-01T00:00:00.000Z",
        output_bytes: 0,
        unread_bytes: 0,
        status: "running",
        exit_code: null,
        signal: null,
      },
      { type: "ack" },
      { type: "written", bytes: 3, offset: 10 },
      { type: "keys-sent", bytes: 1, offset: 0 },
      { type: "output", data: "aGk=", offset: 5 },
      { type: "read-end", offset: 0, next_offset: 3, dropped_bytes: 0, matched: false, timed_out: true, status: "exited", exit_code: 0, signal: null },
      { type: "screen", lines: ["$ ", ""], cursor: { row: 0, col: 2 }, cols: 120, rows: 2, alternate_screen: false },
      { type: "resized", cols: 1, rows: 1 },
      { type: "exit", timed_out: false, status: "crashed", exit_code: null, signal: "SIGKILL" },
      { type: "terminated", exit_code: 143, signal: null },
    ],
  },
  metadata: {
    zod: Metadata,
    valid: [
      {
        session_id: "sess_0123456789ab",
        name: "web",
        command: ["python3", "-i"],
        cwd: "/tmp",
        cols: 120,
        rows: 30,
        buffer_size: 1048576,
        pid: 10,
        holder_pid: 9,
        created_at: "2026-01-01T00:00:00.000Z",
        protocol: 1,
        shell_integration: true,
        record: null,
      },
      { session_id: "s", name: null, command: [], cwd: "", cols: 1.5, rows: 0, buffer_size: 0, pid: 0, holder_pid: 0, created_at: "", protocol: 1 },
    ],
  },
  "final-state": {
    zod: FinalState,
    valid: [
      {
        exit_code: 0,
        signal: null,
        exited_at: "x",
        last_accessed_at: "y",
        output_start: 0,
        output: "",
        output_end: 0,
        cursor: 0,
        cols: 80,
        rows: 24,
        screen: { history: ["a"], lines: ["b", ""], cursor: { row: 1, col: 0 }, alternate_screen: true },
      },
    ],
  },
  "holder-config": {
    zod: HolderConfig,
    valid: [sampleHolderConfig({ env: { A: "1", B: "" }, cols: 120, rows: 30, record: "/tmp/x.cast" })],
  },
  attach: {
    zod: AttachClientMessage,
    valid: [{ type: "input", data: "aGk=" }, { type: "resize", cols: 80, rows: 24 }, { type: "detach" }],
  },
  "ready-report": {
    zod: ReadyReport,
    valid: [
      { ok: true, pid: 12, holder_pid: 11, created_at: "2026-01-01T00:00:00.000Z" },
      { ok: false, code: "SPAWN_FAILED", message: "no such program" },
    ],
  },
};

const REPLACEMENTS: unknown[] = [null, true, 0, -1, 1.5, 2 ** 53, -(2 ** 53), "", "x", "cursor", "SIGHUP", [], ["x"], [1], {}, { a: 1 }, { row: 0, col: 0 }];

/** Every value reachable by one change to `v`: at the top or inside nested objects and arrays. */
function mutations(v: unknown): unknown[] {
  const out: unknown[] = [...REPLACEMENTS];
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      for (const m of mutations(item)) out.push(v.map((x, k) => (k === i ? m : x)));
      out.push(v.filter((_, k) => k !== i));
    });
    out.push([...v, "extra"], [...v, 7]);
  } else if (typeof v === "object" && v !== null) {
    const obj = v as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const { [key]: _drop, ...without } = obj;
      out.push(without);
      for (const m of mutations(obj[key])) out.push({ ...obj, [key]: m });
    }
    out.push({ ...obj, unknown_key: 1 }, { ...obj, type: "nonsense" }, { ...obj, __proto__x: null });
  }
  return out;
}

describe("the JSON Schema checker agrees with zod", () => {
  for (const [name, { zod, valid }] of Object.entries(SAMPLES) as Array<[SchemaName, (typeof SAMPLES)[SchemaName]]>) {
    const json = jsonSchemaOf(name);
    test(`${name}: valid samples parse to what zod returns`, () => {
      for (const v of valid) {
        const expected = zod.safeParse(v);
        expect(expected.success).toBe(true);
        expect(parseWithSchema(json, v)).toEqual(expected.data as object);
      }
    });
    test(`${name}: every mutation is accepted or refused exactly as zod does`, () => {
      let checked = 0;
      let refused = 0;
      for (const v of valid) {
        for (const m of mutations(v)) {
          const expected = zod.safeParse(m);
          const got = parseWithSchema(json, m);
          if (expected.success) expect(got).toEqual(expected.data as object);
          else {
            expect({ value: m, got }).toEqual({ value: m, got: null });
            refused++;
          }
          checked++;
        }
      }
      // The mutations are worth something only if many are refused.
      expect(refused).toBeGreaterThan(checked / 3);
    });
  }
});

describe("parseRequest and parseReply", () => {
  test("unknown keys are dropped, as zod drops them", () => {
    expect(parseRequest({ type: "resize", cols: 2, rows: 3, extra: "x" })).toEqual({ type: "resize", cols: 2, rows: 3 });
    expect(parseReply({ type: "ack", junk: [1] })).toEqual({ type: "ack" });
  });
  test("malformed values are refused", () => {
    for (const v of [null, 1, "info", [], {}, { type: "nope" }, { type: "resize", cols: 0, rows: 1 }, { type: "read", from: "cursor", since: -1 }]) {
      expect(parseRequest(v)).toBeNull();
    }
    expect(parseReply({ type: "hello", protocol: 1.5, session_id: "s", pid: 1 })).toBeNull();
  });
});

describe("oneOf", () => {
  test("branches without distinct tags: exactly one must match", () => {
    const schema = { oneOf: [{ type: "string" as const }, { type: "integer" as const }, { type: "number" as const, minimum: 10 }] };
    expect(parseWithSchema(schema, "x")).toBe("x");
    expect(parseWithSchema(schema, 3)).toBe(3);
    expect(parseWithSchema(schema, 2.5)).toBeNull();
    expect(parseWithSchema(schema, 12)).toBeNull(); // integer and >= 10: two branches match
    expect(parseWithSchema(schema, 12.5)).toBe(12.5);
  });
  test("tagged branches: the tag picks the branch; a missing or unknown tag matches none", () => {
    const branch = (tag: string, extra: object) => ({ type: "object" as const, properties: { kind: { const: tag }, ...extra }, required: ["kind"] });
    const schema = { oneOf: [branch("a", { n: { type: "integer" as const } }), branch("b", { s: { type: "string" as const } })] };
    expect(parseWithSchema(schema, { kind: "a", n: 1, x: 2 })).toEqual({ kind: "a", n: 1 });
    expect(parseWithSchema(schema, { kind: "b", n: 1 })).toEqual({ kind: "b" });
    expect(parseWithSchema(schema, { kind: "a", n: "1" })).toBeNull();
    expect(parseWithSchema(schema, { kind: "c" })).toBeNull();
    expect(parseWithSchema(schema, { n: 1 })).toBeNull();
    expect(parseWithSchema(schema, "a")).toBeNull();
  });
});

describe("assertSupported", () => {
  test("refuses keywords the checker would not enforce", () => {
    expect(() => assertSupported({ type: "string", pattern: "^a" })).toThrow(/pattern/);
    expect(() => assertSupported({ properties: { a: { type: "string", format: "email" } } })).toThrow(/format/);
    expect(() => assertSupported({ oneOf: [{ type: "object", not: {} }] })).toThrow(/not/);
  });
  test("accepts every schema we ship", () => {
    for (const name of Object.keys(SAMPLES) as SchemaName[]) expect(() => assertSupported(jsonSchemaOf(name))).not.toThrow();
  });
});
