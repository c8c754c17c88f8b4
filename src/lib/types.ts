// The library's public types: the options it takes (camelCase) and the documents it returns (the
// CLI's --json documents, key for key). Self-contained, so the published declarations need nothing
// else; the implementation is checked against them where it hands the client's results on.

export interface ManagerOptions {
  /** Default as the CLI: $DELTA_SESSIONS_DIR, else ./.sessions, else the nearest .sessions above. */
  sessionsDir?: string;
  /** The delta-sessions executable `start` runs (default: $DELTA_SESSIONS_BIN, the package's own, PATH). */
  bin?: string;
}

export interface StartOptions {
  name?: string;
  /** Return once the program first waits for input (or exits): the start document gains output and reason. */
  wait?: boolean;
  /** With wait: give up after this many ms (default 30000; null: no limit). */
  timeout?: number | null;
  cwd?: string;
  env?: Record<string, string>;
  cols?: number;
  rows?: number;
  bufferSize?: number;
  /** Record the session as asciicast v2 into this file. */
  record?: string;
  /** false: do not install exec's shell integration. */
  shellIntegration?: boolean;
}

export interface StartDoc {
  session_id: string;
  name: string | null;
  status: "running" | "exited";
  pid: number;
  holder_pid: number;
  command: string[];
  cwd: string;
  cols: number;
  rows: number;
  created_at: string;
  /** With wait: what the program printed until it first waited for input (plain text). */
  output?: string;
  reason?: "input" | "exit" | "timeout";
  exit_code?: number | null;
  signal?: string | null;
}

export interface TypingOptions {
  /** Append a carriage return (Enter). */
  enter?: boolean;
  /** Bracketed paste when the program turned it on. */
  paste?: boolean;
  /** Send the text untouched: no escape decoding (\n, \xHH, \e, …), as the CLI's --raw. */
  raw?: boolean;
}

export interface SendOptions extends TypingOptions {
  /** End the wait when this regular expression (JavaScript, flag m) matches the reply. */
  until?: string;
  ignoreCase?: boolean;
  /** Milliseconds (default 30000; null: no limit). */
  timeout?: number | null;
  /** Quiet time that stands in for the kernel's view where it is missing (macOS). */
  idle?: number;
  /** Also return the rendered screen at the end. */
  screen?: boolean;
  /** End the session once the reply is in (SPEC §16): the reply then says ended: true. */
  end?: boolean;
}

export interface SendReply {
  session_id: string;
  output: string;
  reason: "input" | "match" | "exit" | "timeout";
  offset: number;
  next_offset: number;
  waiting_for_input: boolean | null;
  status: "running" | "exited";
  exit_code: number | null;
  signal: string | null;
  screen?: { lines: string[]; cursor: { row: number; col: number } };
  /** With end: true, the session was ended after the reply (exit_code and signal say how). */
  ended?: true;
}

/** One step of a dialogue (`send([...steps])`, SPEC §16): text (sent as given, as MCP and
 *  `send --steps` send it) or named keys; typed once the previous step ended with input or match. */
export interface SendStep {
  text?: string;
  keys?: string[];
  /** Append Enter to a text step (default: the call's `enter`). */
  enter?: boolean;
  /** Default: the call's `until`. */
  until?: string;
  /** This step's longest wait in ms (default: the call's `timeout`). */
  timeout?: number;
}

/** The last step's reply, with every step's reply joined in `output`, one `{output, reason}` per
 *  step that ran, and `stopped_at` when a step ended with exit or timeout before the last. */
export interface DialogueReply extends SendReply {
  steps: Array<{ output: string; reason: SendReply["reason"] }>;
  stopped_at?: number;
}

export interface WriteDoc {
  status: "sent";
  bytes: number;
  session_id: string;
  offset: number;
}

export interface KeysDoc {
  status: "sent";
  key: string;
  keys: string[];
  session_id: string;
  offset: number;
}

export interface ReadOptions {
  /** From this absolute byte offset (an independent reader). */
  since?: number;
  /** Everything still buffered. */
  all?: boolean;
  /** Do not advance the default reader. */
  peek?: boolean;
  /** Only the last N lines. */
  lines?: number;
  until?: string;
  ignoreCase?: boolean;
  untilInput?: boolean;
  /** Wait up to this many ms for output (null: no limit); with until/untilInput the default is no limit. */
  timeout?: number | null;
  /** Quiet time that ends a waiting read (default 200 ms). */
  idle?: number;
  /** Plain text: escape sequences removed, CRLF -> LF. */
  stripAnsi?: boolean;
}

export interface ReadDoc {
  session_id: string;
  output: string;
  offset: number;
  next_offset: number;
  dropped_bytes: number;
  matched: boolean;
  timed_out: boolean;
  status: "running" | "exited" | "crashed";
  exit_code: number | null;
  signal: string | null;
  reason?: "input" | "match" | "idle" | "exit" | "timeout";
}

export interface ScreenOptions {
  /** History lines above the screen. */
  scrollback?: number;
}

export interface ScreenDoc {
  session_id: string;
  lines: string[];
  cursor: { row: number; col: number };
  cols: number;
  rows: number;
  alternate_screen: boolean;
}

export interface ExecOptions {
  /** Milliseconds (default: no limit); on expiry the result has timed_out: true. */
  timeout?: number | null;
  /** With timeout: interrupt the command (Ctrl-C) when the time is up. */
  killOnTimeout?: boolean;
  /** End the session once the command has finished (exit_code stays the command's own). */
  end?: boolean;
}

export interface ExecDoc {
  output: string;
  /** The command's exit status (the same as exit_code). */
  exitCode: number | null;
  exit_code: number | null;
  signal: string | null;
  duration_ms: number;
  timed_out: boolean;
  dropped_bytes?: number;
  /** With end: true, the session was ended after the command. */
  ended?: true;
}

export interface WaitOptions {
  /** Also return when the program waits for input. */
  input?: boolean;
  /** Milliseconds (default: no limit); on expiry a SessionError TIMEOUT. */
  timeout?: number | null;
}

export interface WaitDoc {
  session_id: string;
  status: "running" | "exited";
  exit_code: number | null;
  signal: string | null;
  reason?: "input" | "exit" | "timeout";
}

export interface StatusDoc {
  session_id: string;
  name: string | null;
  status: "running" | "exited" | "crashed" | "unresponsive";
  alive: boolean;
  pid: number;
  holder_pid: number;
  command: string[];
  cwd: string;
  cols: number;
  rows: number;
  created_at: string;
  last_accessed_at: string;
  uptime_seconds: number;
  exit_code: number | null;
  signal: string | null;
  output_bytes: number | null;
  unread_bytes: number | null;
  waiting_for_input?: boolean | null;
  foreground?: { pid: number; command: string } | null;
  input_wait?: "kernel" | "quiet";
}

export interface ResizeDoc {
  status: "resized";
  session_id: string;
  cols: number;
  rows: number;
}

export interface EndOptions {
  /** Signal for the program's process group: "HUP" (default), "SIGTERM", 9, … */
  signal?: string;
  /** SIGKILL whatever is left after this many ms (default 2000). */
  grace?: number;
}

export interface EndDoc {
  status: "terminated";
  session_id: string;
  exit_code: number | null;
  signal: string | null;
}

export interface ListEntry {
  session_id: string;
  name: string | null;
  command: string[];
  status: "running" | "exited" | "crashed" | "unresponsive";
  pid: number;
  holder_pid: number;
  cwd: string;
  created_at: string;
  last_accessed_at: string;
  exit_code: number | null;
  signal: string | null;
}

export interface CleanupDoc {
  cleaned: string[];
  remaining: string[];
}

export interface OutputOptions {
  /** From this absolute byte offset; absent: from where the default reader is, which then follows. */
  since?: number;
}

export interface OutputChunk {
  /** The bytes as the program wrote them. */
  data: Uint8Array;
  /** The same as text (UTF-8; a character split between chunks is completed in the next). */
  text: string;
  /** Absolute output offset of data's first byte. */
  offset: number;
}

export interface SessionExit {
  exitCode: number | null;
  signal: string | null;
}
