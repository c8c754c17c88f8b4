// `delta-sessions mcp`: the Model Context Protocol over stdio (JSON-RPC lines on stdin/stdout, logs
// on stderr) with the official SDK's low-level Server, until stdin closes. Tool calls run in this
// one process on kept holder connections (pool.ts); sessions it starts are ordinary sessions and
// stay when it ends.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ErrorCode as RpcErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ZodError } from "zod";
import { DeltaError, ErrorCode, toDeltaError } from "../errors.ts";
import type { Limits } from "./limits.ts";
import * as ops from "./operations.ts";
import { listTools } from "./listing.ts";
import { ConnectionPool } from "./pool.ts";
import { READ_ONLY_INSTRUCTIONS, readOnlyArgs } from "./read-only.ts";
import { renderResult } from "./render.ts";
import { TOOLS, type ToolDef } from "./tools.ts";

export interface McpOptions extends Limits {
  sessionsDir: string;
  version: string;
  /** Serve only the read-only tools (--read-only). */
  readOnly: boolean;
}

const INSTRUCTIONS = `delta-sessions keeps interactive programs running in terminal sessions that persist between calls (and outlive this server).
Shell work: start (default: the user's shell), then exec for each command (output + exit_code; cd/export persist).
REPLs, debuggers, prompts: start ["python3"] etc., then send with enter: true (returns the reply once the program waits for input).
Full-screen programs (vim, top, less): keys to press keys, screen to see the terminal.
Results are capped; when truncated is true, continue with read since = next_offset. Waits end with reason "timeout" before client timeouts; call again to keep waiting.
End sessions you no longer need with end. A person can watch a session with 'delta-sessions attach ID'.`;

type Handler = (ctx: ops.OperationContext, args: any) => Promise<Record<string, unknown>>;
const HANDLERS: Record<string, Handler> = {
  start: ops.start,
  send: ops.send,
  write: ops.write,
  keys: ops.keys,
  read: ops.read,
  screen: ops.screen,
  exec: ops.exec,
  wait: ops.wait,
  list: ops.list,
  status: ops.status,
  resize: ops.resize,
  end: ops.end,
};

export async function serveMcp(opts: McpOptions): Promise<void> {
  const pool = new ConnectionPool(opts.sessionsDir);
  const ctx: ops.OperationContext = { pool, limits: { maxWaitMs: opts.maxWaitMs, maxOutputBytes: opts.maxOutputBytes } };
  const tools = new Map(TOOLS.map((t) => [t.name, t]));
  const listed = listTools(opts.readOnly);

  const instructions = opts.readOnly ? READ_ONLY_INSTRUCTIONS : INSTRUCTIONS;
  const server = new Server({ name: "delta-sessions", version: opts.version }, { capabilities: { tools: {} }, instructions });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listed }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const tool = tools.get(req.params.name);
    if (!tool) throw new McpError(RpcErrorCode.InvalidParams, `unknown tool ${JSON.stringify(req.params.name)}; the tools are ${listed.map((t) => t.name).join(", ")}`);
    return callTool(ctx, tool, req.params.arguments ?? {}, opts.readOnly);
  });

  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    // stdin closing is the client going away: end the server (the sessions stay).
    process.stdin.once("end", () => void transport.close());
    process.stdin.once("close", () => void transport.close());
  });
  await server.connect(transport);
  // After connect: the server set its own handler, which only logs. A line that is not JSON, or
  // not a JSON-RPC message, gets the JSON-RPC error reply (id null) and the server goes on.
  const logError = transport.onerror;
  transport.onerror = (err) => {
    const parseError = err instanceof SyntaxError;
    const invalid = (err as ZodError).name === "ZodError";
    if (!parseError && !invalid) return logError?.(err);
    const error = parseError ? { code: RpcErrorCode.ParseError, message: `Parse error: ${err.message}` } : { code: RpcErrorCode.InvalidRequest, message: "Invalid Request: not a JSON-RPC 2.0 message" };
    process.stderr.write(`delta-sessions mcp: malformed input line (${error.message})\n`);
    void transport.send({ jsonrpc: "2.0", id: null, error } as never);
  };
  server.onerror = (err) => void process.stderr.write(`delta-sessions mcp: ${err.message}\n`);
  process.stderr.write(`delta-sessions mcp: serving${opts.readOnly ? " read-only" : ""} on stdio (sessions in ${opts.sessionsDir})\n`);
  await closed;
  pool.closeAll();
}

async function callTool(ctx: ops.OperationContext, tool: ToolDef, rawArgs: Record<string, unknown>, readOnly: boolean): Promise<CallToolResult> {
  try {
    const parsed = tool.args.safeParse(readOnly ? readOnlyArgs(tool.name, rawArgs) : rawArgs);
    if (!parsed.success) throw new DeltaError(ErrorCode.INVALID_ARGUMENT, `${tool.name}: ${describeIssues(parsed.error)}`);
    const doc = await HANDLERS[tool.name]!(ctx, parsed.data);
    return { content: [{ type: "text", text: renderResult(tool.name, doc) }], structuredContent: doc };
  } catch (err) {
    const e = err instanceof DeltaError ? err : toDeltaError(err);
    const doc = { error: e.message, code: e.code, ...(e.details ?? {}) };
    return { content: [{ type: "text", text: `${e.code}: ${e.message}` }], structuredContent: doc, isError: true };
  }
}

function describeIssues(error: ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.length > 0 ? i.path.join(".") : "arguments";
      return i.code === "unrecognized_keys" ? `unknown argument ${i.keys.map((k) => JSON.stringify(k)).join(", ")}` : `${path}: ${i.message}`;
    })
    .join("; ");
}
