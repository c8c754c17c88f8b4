// An MCP client for the tests: the SDK's own Client and StdioClientTransport, talking to
// `dist/delta-sessions mcp` (or any command that ends in it, such as ssh) over stdio.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { ChildProcess } from "node:child_process";
import { BIN, type Sandbox } from "./sandbox.ts";

export interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
  structuredContent: any;
}

export class McpSession {
  readonly stderrChunks: string[] = [];
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
    return (await this.client.callTool({ name, arguments: args }, undefined, { timeout: timeoutMs })) as ToolResult;
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
