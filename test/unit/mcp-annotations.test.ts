// The MCP tools' tables (SPEC §17): every tool has its annotations and its output schema, no table
// names a tool that does not exist, the hints are the ones docs/mcp.md explains, and the output
// schemas are what MCP clients accept and what catches a wrong document.
import { describe, expect, test } from "bun:test";
import { ToolSchema } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { isReadOnlyTool, TOOL_HINTS } from "../../src/mcp/annotations.ts";
import { listTools } from "../../src/mcp/listing.ts";
import { outputSchemas } from "../../src/mcp/output-schemas.macro.ts";
import { TOOL_DOCUMENTS } from "../../src/mcp/output-schemas.ts";
import { readOnlyArgs } from "../../src/mcp/read-only.ts";
import { TOOLS } from "../../src/mcp/tools.ts";

const names = TOOLS.map((t) => t.name).sort();
const HINT_KEYS = ["destructiveHint", "idempotentHint", "openWorldHint", "readOnlyHint", "title"];

describe("one entry per tool in every table", () => {
  test("annotations: exactly the tools, each with a title and all four hints", () => {
    expect(Object.keys(TOOL_HINTS).sort()).toEqual(names);
    for (const [name, hints] of Object.entries(TOOL_HINTS)) {
      expect({ name, keys: Object.keys(hints).sort() }).toEqual({ name, keys: HINT_KEYS });
      expect(hints.title.length).toBeGreaterThan(3);
      for (const k of HINT_KEYS.filter((k) => k !== "title")) expect(typeof (hints as unknown as Record<string, unknown>)[k]).toBe("boolean");
    }
  });

  test("output documents and their built JSON Schemas: exactly the tools", () => {
    expect(Object.keys(TOOL_DOCUMENTS).sort()).toEqual(names);
    expect(Object.keys(outputSchemas("input")).sort()).toEqual(names);
    expect(Object.keys(outputSchemas("output")).sort()).toEqual(names);
  });

  test("a tool missing from the annotations is refused when the listing is built, not listed half-described", () => {
    const extra = { name: "extra", description: "x", args: TOOLS[0]!.args };
    TOOLS.push(extra);
    try {
      expect(() => listTools(false)).toThrow("the tool extra has no annotations");
    } finally {
      TOOLS.splice(TOOLS.indexOf(extra), 1);
    }
    expect(listTools(false).map((t) => t.name).sort()).toEqual(names);
  });
});

describe("the hints (SPEC §17)", () => {
  test("read-only: list, status, screen, read, wait; every other tool acts", () => {
    expect(names.filter(isReadOnlyTool).sort()).toEqual(["list", "read", "screen", "status", "wait"]);
  });

  test("end is destructive; so is everything that hands input to a program; resize is not", () => {
    expect(names.filter((n) => TOOL_HINTS[n]!.destructiveHint).sort()).toEqual(["end", "exec", "keys", "send", "start", "write"]);
  });

  test("idempotent: end, resize and the watchers except read (it moves the default reader)", () => {
    expect(names.filter((n) => TOOL_HINTS[n]!.idempotentHint).sort()).toEqual(["end", "list", "resize", "screen", "status", "wait"]);
  });

  test("open world: the tools that run or feed a program", () => {
    expect(names.filter((n) => TOOL_HINTS[n]!.openWorldHint).sort()).toEqual(["exec", "keys", "send", "start", "write"]);
  });

  test("docs/mcp.md's hints table says the same as the code", () => {
    const doc = readFileSync(resolve(import.meta.dir, "../../docs/mcp.md"), "utf8");
    const yes = (v: boolean) => (v ? "yes" : "no");
    for (const [name, h] of Object.entries(TOOL_HINTS)) {
      const row = doc.split("\n").find((l) => l.startsWith(`| \`${name}\` |`) && l.includes(h.title));
      expect({ name, row: row ?? null }).not.toEqual({ name, row: null });
      const cells = row!.split("|").map((c) => c.trim());
      expect({ name, cells: cells.slice(2, 7) }).toEqual({ name, cells: [h.title, yes(h.readOnlyHint), yes(h.destructiveHint), yes(h.idempotentHint), yes(h.openWorldHint)] });
    }
  });
});

describe("the listing", () => {
  test("every tool as MCP's Tool schema accepts it: title, annotations, input and output schemas", () => {
    for (const tool of listTools(false)) {
      const parsed = ToolSchema.safeParse(tool);
      expect({ name: tool.name, ok: parsed.success, error: parsed.success ? null : parsed.error.message }).toEqual({ name: tool.name, ok: true, error: null });
      expect(tool.annotations).toEqual(TOOL_HINTS[tool.name]!);
      expect(tool.title).toBe(TOOL_HINTS[tool.name]!.title);
      expect(tool.outputSchema!.type).toBe("object");
    }
  });

  test("--read-only lists only the read-only tools", () => {
    expect(listTools(true).map((t) => t.name).sort()).toEqual(["list", "read", "screen", "status", "wait"]);
  });
});

describe("output schemas check documents", () => {
  const ajv = new AjvJsonSchemaValidator();
  const open = outputSchemas("input");
  const closed = outputSchemas("output");
  const check = (schema: object, doc: unknown) => ajv.getValidator(schema as never)(doc).valid;

  const write = { status: "sent", bytes: 3, session_id: "sess_0123456789ab", offset: 10 };
  const wait = { session_id: "sess_0123456789ab", status: "exited", exit_code: 0, signal: null, reason: "exit" };
  const error = { error: "no session named x", code: "SESSION_NOT_FOUND" };
  const endOne = { status: "terminated", session_id: "sess_0123456789ab", exit_code: null, signal: "SIGHUP" };

  test("a document and an error document conform; a wrong type or a missing field does not", () => {
    for (const schemas of [open, closed]) {
      expect(check(schemas.write!, write)).toBe(true);
      expect(check(schemas.write!, error)).toBe(true);
      expect(check(schemas.write!, { ...error, client: 3, server: 4 })).toBe(true);
      expect(check(schemas.write!, { ...write, offset: "10" })).toBe(false);
      expect(check(schemas.write!, { ...write, offset: -1 })).toBe(false);
      const { bytes: _b, ...noBytes } = write;
      expect(check(schemas.write!, noBytes)).toBe(false);
      expect(check(schemas.wait!, wait)).toBe(true);
      expect(check(schemas.wait!, { ...wait, reason: "idle" })).toBe(false);
      // end of one session, and of several (end with sessions).
      expect(check(schemas.end!, endOne)).toBe(true);
      expect(check(schemas.end!, { status: "terminated", sessions: [endOne, endOne] })).toBe(true);
    }
  });

  test("the published schemas stay open to fields a later version adds; the closed ones refuse them", () => {
    expect(check(open.write!, { ...write, later: 1 })).toBe(true);
    expect(check(closed.write!, { ...write, later: 1 })).toBe(false);
    expect(check(closed.list!, { sessions: [{ ...endOne, later: 1 }] })).toBe(false);
  });

  test("the fields other features add are declared: send steps and end, start screen, status input waits", () => {
    const reply = { session_id: "sess_0123456789ab", output: "1\n", reason: "input", offset: 0, next_offset: 2, waiting_for_input: true, status: "running", exit_code: null, signal: null };
    expect(check(closed.send!, { ...reply, steps: [{ output: "1\n", reason: "input" }], stopped_at: 0, ended: true })).toBe(true);
    const started = { session_id: "sess_0123456789ab", name: null, status: "running", pid: 1, holder_pid: 2, command: ["sh"], cwd: "/", cols: 80, rows: 24, created_at: "2026-01-01T00:00:00.000Z" };
    expect(check(closed.start!, started)).toBe(true);
    expect(check(closed.start!, { ...started, output: "$ ", reason: "input", exit_code: null, signal: null, screen: { lines: ["$ "], cursor: { row: 0, col: 2 } } })).toBe(true);
    expect(check(closed.exec!, { output: "", exit_code: 0, signal: null, duration_ms: 3, timed_out: false, ended: true })).toBe(true);
    const status = { session_id: "sess_0123456789ab", name: null, status: "running", alive: true, pid: 1, holder_pid: 2, command: ["sh"], cwd: "/", cols: 80, rows: 24, created_at: "2026-01-01T00:00:00.000Z", last_accessed_at: "2026-01-01T00:00:00.000Z", uptime_seconds: 1.5, exit_code: null, signal: null, output_bytes: 10, unread_bytes: 0 };
    expect(check(closed.status!, status)).toBe(true);
    expect(check(closed.status!, { ...status, waiting_for_input: true, foreground: { pid: 1, command: "sh" }, input_wait: "kernel" })).toBe(true);
  });
});

describe("--read-only calls", () => {
  test("a tool that acts is refused with READ_ONLY; read is made a peek; peek: false is refused", () => {
    for (const name of ["start", "send", "write", "keys", "exec", "resize", "end"]) {
      expect(() => readOnlyArgs(name, { session: "x" })).toThrow(expect.objectContaining({ code: "READ_ONLY" }));
    }
    expect(readOnlyArgs("read", { session: "x" })).toEqual({ session: "x", peek: true });
    expect(readOnlyArgs("status", { session: "x" })).toEqual({ session: "x" });
    expect(() => readOnlyArgs("read", { session: "x", peek: false })).toThrow(expect.objectContaining({ code: "READ_ONLY" }));
  });
});
