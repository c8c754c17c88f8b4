// The command table. Modules load lazily, so each call pays only for the command it runs.
import type { Command } from "./spec.ts";

/** Each command file exports `command = defineCommand(spec, run)` (cli/args.ts). */
export interface CommandModule {
  command: Command;
}

interface Entry {
  summary: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: Record<string, Entry> = {
  start: { summary: "start a program in a new session", load: () => import("./start.ts") },
  write: { summary: "send text (escapes decoded unless --raw)", load: () => import("./write.ts") },
  "write-key": { summary: "send named keys (alias: keys)", load: () => import("./write-key.ts") },
  send: { summary: "type into a session and print the program's reply (REPLs, prompts)", load: () => import("./send.ts") },
  read: { summary: "print output (wait for it with --timeout/--until)", load: () => import("./read.ts") },
  exec: { summary: "run a command in a shell session; print its output, exit with its status", load: () => import("./exec.ts") },
  wait: { summary: "wait until the session's program exits", load: () => import("./wait.ts") },
  resize: { summary: "resize the session's terminal", load: () => import("./resize.ts") },
  attach: { summary: "connect this terminal to a session (for people; detach with Ctrl-\\)", load: () => import("./attach.ts") },
  end: { summary: "stop the program and remove the session", load: () => import("./end.ts") },
  list: { summary: "list sessions", load: () => import("./list.ts") },
  status: { summary: "show one session's state", load: () => import("./status.ts") },
  mcp: { summary: "serve the Model Context Protocol on stdio (for coding agents; see docs/mcp.md)", load: () => import("./mcp.ts") },
  serve: { summary: "watch every session live in a browser (see docs/serve.md)", load: () => import("./serve.ts") },
  "install-remote": { summary: "copy delta-sessions to another machine for --host (see docs/remote.md)", load: () => import("./install-remote.ts") },
  cleanup: { summary: "remove exited and crashed sessions and stale sockets", load: () => import("./cleanup.ts") },
};

export const COMMAND_ALIASES: Record<string, string> = { keys: "write-key" };
