import { MAX_TIMEOUT_MS, MCP_DEFAULT_MAX_OUTPUT_BYTES, MCP_DEFAULT_MAX_WAIT_MS } from "../constants.ts";
import { defineCommand } from "./args.ts";
import { makeContext } from "./context.ts";
import { defineSpec, type Args } from "./spec.ts";

declare const DELTA_SESSIONS_VERSION: string;

const spec = defineSpec({
  name: "mcp",
  summary: "serve the Model Context Protocol on stdio (for coding agents)",
  usage: "mcp [--read-only] [--max-wait-ms MS] [--max-output-bytes N]",
  positionals: [],
  tooMany: (extra) => `mcp takes no arguments, got: ${extra.join(" ")}`,
  options: {
    "read-only": { kind: "boolean", description: "serve only the tools that change nothing: list, status, screen, read (as a peek), wait" },
    "max-wait-ms": { kind: "integer", value: "MS", max: MAX_TIMEOUT_MS, description: `longest one tool call waits (default ${MCP_DEFAULT_MAX_WAIT_MS})` },
    "max-output-bytes": { kind: "integer", value: "N", min: 1, description: `output one tool result carries at most (default ${MCP_DEFAULT_MAX_OUTPUT_BYTES})` },
  },
  details: `Runs until stdin closes; the sessions it started stay. Logs go to stderr, stdout carries JSON-RPC only.
Tools: start, send, write, keys, read, screen, exec, wait, list, status, resize, end; with --read-only
only list, status, screen, read and wait (the others are refused with READ_ONLY). See docs/mcp.md.`,
});

export const command = defineCommand(spec, run);

async function run({ flags }: Args<typeof spec>): Promise<number> {
  const ctx = makeContext({ flags });
  // The SDK loads here only: no other command pays for it.
  const { serveMcp } = await import("../mcp/server.ts");
  await serveMcp({
    sessionsDir: ctx.sessionsDir,
    version: typeof DELTA_SESSIONS_VERSION === "string" ? DELTA_SESSIONS_VERSION : "0.0.0-dev",
    maxWaitMs: flags["max-wait-ms"] ?? MCP_DEFAULT_MAX_WAIT_MS,
    maxOutputBytes: flags["max-output-bytes"] ?? MCP_DEFAULT_MAX_OUTPUT_BYTES,
    readOnly: flags["read-only"],
  });
  return 0;
}
