// Build-time only: imported `with { type: "macro" }`, so Bun runs this while bundling (and while
// transpiling for `bun test`) and inlines what it returns; zod does not run for it in the binary.
import * as z from "zod";
import { TOOL_DOCUMENTS, toolResultSchema } from "./output-schemas.ts";

export type OutputSchema = { type: "object"; [keyword: string]: unknown };

/**
 * Every tool's outputSchema as JSON Schema. `io: "input"` (what tools/list publishes) leaves
 * objects open, so a client keeps working when a later version adds a field; `io: "output"` closes
 * them (additionalProperties: false), for the tests to catch a field the schema does not declare.
 */
export function outputSchemas(io: "input" | "output"): Record<string, OutputSchema> {
  const out: Record<string, OutputSchema> = {};
  for (const tool of Object.keys(TOOL_DOCUMENTS)) {
    const { $schema: _s, ...json } = z.toJSONSchema(toolResultSchema(tool), { io }) as Record<string, unknown>;
    // MCP requires an object schema at the top; the alternatives (the document, the error) are objects.
    out[tool] = { type: "object", ...(dropSafeIntegerBounds(json) as Record<string, unknown>) };
  }
  return out;
}

/** zod bounds every integer by ±Number.MAX_SAFE_INTEGER: noise in a listing, which JSON numbers need not repeat. */
function dropSafeIntegerBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropSafeIntegerBounds);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if ((k === "minimum" && v === Number.MIN_SAFE_INTEGER) || (k === "maximum" && v === Number.MAX_SAFE_INTEGER)) continue;
    out[k] = dropSafeIntegerBounds(v);
  }
  return out;
}
