// An MCP client for the tests: the SDK's own Client and StdioClientTransport, talking to
// `dist/delta-sessions mcp` (or any command that ends in it, such as ssh) over stdio.
// Every result is checked twice: by the SDK client against the tool's outputSchema from tools/list
// (listed right after connecting, so the client holds every schema), and against the closed form
// of the same schemas, which also refuses a field the schema does not declare.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { afterAll, beforeAll } from "bun:test";
import type { ChildProcess } from "node:child_process";
import { outputSchemas } from "../../src/mcp/output-schemas.macro.ts";
import { BIN, Sandbox } from "./sandbox.ts";

const validator = new AjvJsonSchemaValidator();
const closedSchemas = new Map(Object.entries(outputSchemas("output")).map(([tool, schema]) => [tool, validator.getValidator(schema)]));

/** Throws unless `doc` is exactly what the tool's schema declares (success or error document). */
export function assertClosedConformance(tool: string, doc: unknown): void {
  const check = closedSchemas.get(tool);
  if (!check) throw new Error(`no output schema for the tool ${tool}`);
  const r = check(doc);
  if (!r.valid) throw new Error(`${tool} result does not conform to its closed output schema: ${r.errorMessage}\n${JSON.stringify(doc)}`);
}

export interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
  structuredContent: any;
}

export class McpSession {
  readonly stderrChunks: string[] = [];
  /** The tools the server listed. */
  listed: string[] = [];
  private constructor(
    readonly client: Client,
    readonly transport: StdioClientTransport,
  ) {}

  static async open(box: Sandbox, args: string[] = [], opts: { command?: string; commandArgs?: string[]; cwd?: string } = {}): Promise<McpSession> {
    const transport = new StdioClientTransport({
      command: opts.command ?? BIN,
      args: opts.commandArgs ?? ["mcp", ...args],
      env: box.env,
      cwd: opts.cwd ?? box.dir,
      stderr: process.env.MCP_TEST_STDERR === "inherit" ? "inherit" : "pipe",
    });
    const client = new Client({ name: "delta-sessions-tests", version: "0" });
    const s = new McpSession(client, transport);
    transport.stderr?.on("data", (chunk: Buffer) => s.stderrChunks.push(chunk.toString()));
    await client.connect(transport);
    s.listed = (await client.listTools()).tools.map((t) => t.name);
    return s;
  }

  get pid(): number {
    return this.transport.pid!;
  }

  /** The server process (to watch it exit, or to write raw bytes to its stdin). */
  get process(): ChildProcess {
    return (this.transport as unknown as { _process: ChildProcess })._process;
  }

  async call(name: string, args: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<ToolResult> {
    const r = (await this.client.callTool({ name, arguments: args }, undefined, { timeout: timeoutMs })) as ToolResult;
    if (this.listed.includes(name)) assertClosedConformance(name, r.structuredContent);
    return r;
  }

  /** A call that must succeed: its structuredContent. */
  async ok(name: string, args: Record<string, unknown> = {}): Promise<any> {
    const r = await this.call(name, args);
    if (r.isError) throw new Error(`${name} failed: ${r.content[0]?.text}`);
    return r.structuredContent;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** For a describe block: a sandbox and one server over it (`prepare` runs in between, e.g. to
 *  start a session first), closed and cleaned up after the block. Read the fields inside tests. */
export function useMcpServer(args: string[] = [], prepare?: (box: Sandbox) => Promise<void>): { box: Sandbox; mcp: McpSession } {
  const env = {} as { box: Sandbox; mcp: McpSession };
  beforeAll(async () => {
    env.box = new Sandbox();
    await prepare?.(env.box);
    env.mcp = await McpSession.open(env.box, args);
  });
  afterAll(async () => {
    await env.mcp?.close();
    await env.box?.dispose();
  });
  return env;
}
