// Build-time only: imported `with { type: "macro" }`, so Bun runs these functions while bundling
// (and while transpiling for `bun test`) and inlines what they return. Nothing here, zod included,
// is part of the binary at run time. See json-schema.ts for why.
import * as z from "zod/mini";
import { FinalState, Metadata } from "../store/schemas.ts";
import { assertSupported, type JsonSchema } from "./json-schema.ts";
import { HolderConfig, ReadyReport } from "./launch-schema.ts";
import { AttachClientMessage, Reply, Request } from "./messages.ts";

const SCHEMAS = {
  request: Request,
  reply: Reply,
  metadata: Metadata,
  "final-state": FinalState,
  attach: AttachClientMessage,
  "holder-config": HolderConfig,
  "ready-report": ReadyReport,
} as const;

export type SchemaName = keyof typeof SCHEMAS;

/** The JSON Schema of one of our zod schemas, as zod converts it (input side: what may be parsed). */
export function jsonSchemaOf(name: SchemaName): JsonSchema {
  const schema = SCHEMAS[name];
  if (!schema) throw new Error(`no schema named ${JSON.stringify(name)}`);
  const json = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
  delete json.$schema;
  assertSupported(json);
  return json as JsonSchema;
}
