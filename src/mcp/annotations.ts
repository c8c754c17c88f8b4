// Each MCP tool's annotations (SPEC §17): a title and the hints hosts act on when they decide
// whether to ask a person before a call (auto-approval policies, read-only "ask" modes). One entry
// per tool; test/unit/mcp-annotations.test.ts fails when a tool has none. Why each hint is what it
// is: docs/mcp.md, "Annotations".

export interface ToolHints {
  title: string;
  /** Changes nothing the program sees (it may move the session's bookkeeping: read's default reader). */
  readOnlyHint: boolean;
  /** May destroy something: end stops a program; input and commands do whatever the program does with them. */
  destructiveHint: boolean;
  /** A second identical call has no further effect. */
  idempotentHint: boolean;
  /** Reaches beyond the sessions: runs or feeds an arbitrary program (which may use the network, other machines). */
  openWorldHint: boolean;
}

const watch = (title: string, idempotentHint: boolean): ToolHints => ({ title, readOnlyHint: true, destructiveHint: false, idempotentHint, openWorldHint: false });
const act = (title: string, h: Omit<ToolHints, "title" | "readOnlyHint">): ToolHints => ({ title, readOnlyHint: false, ...h });
const typeInto = (title: string): ToolHints => act(title, { destructiveHint: true, idempotentHint: false, openWorldHint: true });

export const TOOL_HINTS: Readonly<Record<string, ToolHints>> = {
  start: typeInto("Start a program in a session"),
  send: typeInto("Send input, get the reply"),
  write: typeInto("Type text"),
  keys: typeInto("Press keys"),
  exec: typeInto("Run a shell command"),
  // read without peek moves the session's default reader: the same call returns what came next.
  read: watch("Read output", false),
  screen: watch("Show the screen", true),
  wait: watch("Wait for exit or input", true),
  list: watch("List sessions", true),
  status: watch("Session status", true),
  resize: act("Resize the terminal", { destructiveHint: false, idempotentHint: true, openWorldHint: false }),
  end: act("End a session", { destructiveHint: true, idempotentHint: true, openWorldHint: false }),
};

/** The tools `mcp --read-only` serves. */
export function isReadOnlyTool(name: string): boolean {
  return TOOL_HINTS[name]?.readOnlyHint === true;
}
