// What tools/list says about each tool: name, title, description, the argument schema, the output
// schema (built at bundle time) and the annotations. With --read-only only the read-only tools.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { isReadOnlyTool, TOOL_HINTS } from "./annotations.ts";
import { outputSchemas } from "./output-schemas.macro.ts" with { type: "macro" };
import { inputSchemaOf, TOOLS } from "./tools.ts";

const OUTPUT_SCHEMAS = outputSchemas("input");

export function listTools(readOnly: boolean): Tool[] {
  return TOOLS.filter((t) => !readOnly || isReadOnlyTool(t.name)).map((t) => {
    const hints = TOOL_HINTS[t.name];
    const outputSchema = OUTPUT_SCHEMAS[t.name];
    // A tool without its hints or output schema is a defect to fail on at once, not to list half-described.
    if (!hints || !outputSchema) throw new Error(`the tool ${t.name} has no ${hints ? "output schema" : "annotations"}`);
    return {
      name: t.name,
      title: hints.title,
      description: t.description,
      inputSchema: inputSchemaOf(t) as Tool["inputSchema"],
      outputSchema,
      annotations: hints,
    };
  });
}
