import type { CommandSpec, ParsedArgs } from "./args.ts";
import { MAX_TIMEOUT_MS, MCP_DEFAULT_MAX_OUTPUT_BYTES, MCP_DEFAULT_MAX_WAIT_MS } from "../constants.ts";
import { usageError } from "../errors.ts";
import { makeContext } from "./context.ts";

declare const DELTA_SESSIONS_VERSION: string;

export const spec: CommandSpec = {
  name: "mcp",
  summary: "serve the Model Context Protocol on stdio (for coding agents)",
  usage: "mcp [--max-wait-ms MS] [--max-output-bytes N]",
  positionals: [],
  options: {
    "max-wait-ms": { kind: "integer", value: "MS", max: MAX_TIMEOUT_MS, description: `longest one tool call waits (default ${MCP_DEFAULT_MAX_WAIT_MS})` },
    "max-output-bytes": { kind: "integer", value: "N", min: 1, description: `output one tool result carries at most (default ${MCP_DEFAULT_MAX_OUTPUT_BYTES})` },
  },
  details: `Runs until stdin closes; the sessions it started stay. Logs go to stderr, stdout carries JSON-RPC only.
Tools: start, send, write, keys, read, screen, exec, wait, list, status, resize, end. See docs/mcp.md.`,
};

export async function run(args: ParsedArgs): Promise<number> {
  const ctx = makeContext(args);
  if (args.positionals.length > 0) throw usageError(`mcp takes no arguments, got: ${args.positionals.join(" ")}`);
  // The SDK loads here only: no other command pays for it.
  const { serveMcp } = await import("../mcp/server.ts");
  await serveMcp({
    sessionsDir: ctx.sessionsDir,
    version: typeof DELTA_SESSIONS_VERSION === "string" ? DELTA_SESSIONS_VERSION : "0.0.0-dev",
    maxWaitMs: (args.flags["max-wait-ms"] as number | undefined) ?? MCP_DEFAULT_MAX_WAIT_MS,
    maxOutputBytes: (args.flags["max-output-bytes"] as number | undefined) ?? MCP_DEFAULT_MAX_OUTPUT_BYTES,
  });
  return 0;
}
