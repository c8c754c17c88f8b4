// The library's published declarations (dist/lib/index.d.ts; scripts/build.ts copies this file and
// types.ts beside the bundle). src/lib/public-check.ts fails the type check when the
// implementation and this file disagree.
import type {
  CleanupDoc,
  DialogueReply,
  EndDoc,
  EndOptions,
  ExecDoc,
  ExecOptions,
  KeysDoc,
  ListEntry,
  ManagerOptions,
  OutputChunk,
  OutputOptions,
  ReadDoc,
  ReadOptions,
  ResizeDoc,
  ScreenDoc,
  ScreenOptions,
  SendOptions,
  SendReply,
  SendStep,
  SessionExit,
  StartDoc,
  StartOptions,
  StatusDoc,
  TypingOptions,
  WaitDoc,
  WaitOptions,
  WriteDoc,
} from "./types.ts";

export type * from "./types.ts";

/** The CLI's stable error codes. */
export type SessionErrorCode =
  | "USAGE"
  | "INVALID_ARGUMENT"
  | "INVALID_KEY"
  | "SESSION_NOT_FOUND"
  | "SESSION_EXITED"
  | "HOLDER_UNREACHABLE"
  | "NAME_TAKEN"
  | "TIMEOUT"
  | "COMMAND_NOT_FOUND"
  | "BUSY"
  | "EXEC_UNSUPPORTED"
  | "EXEC_NOT_STARTED"
  | "UNSAFE_RUNTIME_DIR"
  | "UNSAFE_SESSIONS_DIR"
  | "PROTOCOL_MISMATCH"
  | "NOT_A_TERMINAL"
  | "PROTOCOL_ERROR"
  | "SPAWN_FAILED"
  | "IO_ERROR"
  | "INTERNAL"
  | "READ_ONLY"
  | "HOST_UNREACHABLE"
  | "REMOTE_NOT_INSTALLED"
  | "REMOTE_VERSION_MISMATCH";

/** What every library call throws: the CLI's error code and message. */
export declare class SessionError extends Error {
  readonly code: SessionErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: SessionErrorCode, message: string, details?: Record<string, unknown>);
}

export declare class SessionManager {
  /** The sessions directory in use. */
  readonly sessionsDir: string;
  constructor(options?: ManagerOptions);
  /** Starts argv (default: $SHELL, else /bin/sh) in a new session. */
  start(argv?: string[], options?: StartOptions): Promise<Session>;
  /** A session by id or name, started by this process or any other. */
  get(idOrName: string): Promise<Session>;
  list(): Promise<ListEntry[]>;
  cleanup(): Promise<CleanupDoc>;
  /** Closes the connections kept between calls. */
  close(): void;
}

export declare class Session {
  readonly id: string;
  readonly name: string | null;
  /** With start: the start document (with wait, the program's first reply is in it); null from get. */
  readonly started: StartDoc | null;
  /** Resolves when the program exits; nothing is asked of the holder until it is awaited. */
  readonly exited: Promise<SessionExit>;
  private constructor();
  send(text: string | Uint8Array, options?: SendOptions): Promise<SendReply>;
  /** A dialogue: each step typed once the previous one ended with input or match. */
  send(steps: SendStep[], options?: SendOptions): Promise<DialogueReply>;
  write(text: string | Uint8Array, options?: TypingOptions): Promise<WriteDoc>;
  keys(...names: string[]): Promise<KeysDoc>;
  read(options?: ReadOptions): Promise<ReadDoc>;
  read(options: ReadOptions & { screen: true; scrollback?: number }): Promise<ScreenDoc>;
  screen(options?: ScreenOptions): Promise<ScreenDoc>;
  exec(command: string, options?: ExecOptions): Promise<ExecDoc>;
  wait(options?: WaitOptions): Promise<WaitDoc>;
  status(): Promise<StatusDoc>;
  resize(cols: number, rows: number): Promise<ResizeDoc>;
  end(options?: EndOptions): Promise<EndDoc>;
  /** Output as the program prints it, pushed by the holder, until the program exits. */
  output(options?: OutputOptions): AsyncIterableIterator<OutputChunk>;
}
