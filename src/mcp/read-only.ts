// `delta-sessions mcp --read-only`: a server for an agent or a dashboard that watches sessions and
// must never type into them. Only the read-only tools are listed and callable, and read never moves
// the session's default reader (that cursor belongs to whoever drives the session: a watcher
// advancing it would take output from the driver's next read).
import { DeltaError, ErrorCode } from "../errors.ts";
import { isReadOnlyTool, TOOL_HINTS } from "./annotations.ts";

export const READ_ONLY_INSTRUCTIONS = `delta-sessions keeps interactive programs running in terminal sessions that others (agents, people) drive.
This server is read-only: it watches those sessions and never types into them or ends them.
list shows the sessions; status one session's state (waiting_for_input: the program waits for input); screen what its terminal shows now (full-screen programs);
read its output (a peek: it never takes output from whoever drives the session; since = next_offset continues); wait until its program exits or (input: true) waits for input.`;

const READ_ONLY_TOOLS = Object.keys(TOOL_HINTS).filter(isReadOnlyTool);

/** The arguments a call gets on a read-only server; refuses a tool that acts. */
export function readOnlyArgs(tool: string, args: Record<string, unknown>): Record<string, unknown> {
  if (!isReadOnlyTool(tool)) {
    throw new DeltaError(ErrorCode.READ_ONLY, `${tool} is not available: this server is read-only (mcp --read-only); its tools are ${READ_ONLY_TOOLS.join(", ")}`);
  }
  if (tool !== "read") return args;
  if (args.peek === false) throw new DeltaError(ErrorCode.READ_ONLY, "read: peek: false would move the session's default reader, which a read-only server leaves to whoever drives the session");
  return { ...args, peek: true };
}
