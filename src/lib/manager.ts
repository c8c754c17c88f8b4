// SessionManager: one sessions directory, its connections kept between calls (the MCP server's
// pool), and the operations that are not about one session (start, get, list, cleanup).
import { existsSync } from "node:fs";
import { DEFAULT_BUFFER_SIZE, DEFAULT_COLS, DEFAULT_ROWS, DEFAULT_SEND_TIMEOUT_MS } from "../constants.ts";
import { invalidArgument } from "../errors.ts";
import { checkSessionsDir, metadataPath, resolveSessionsDir, validateName } from "../paths.ts";
import { readMetadata } from "../store/metadata.ts";
import { cleanupSessions } from "../client/cleanup.ts";
import { listSessions } from "../client/list.ts";
import { notFound, resolveSessionId } from "../client/session.ts";
import { waitForFirstInput } from "../client/start-wait.ts";
import { startSession } from "../client/start.ts";
import { ConnectionPool } from "../mcp/pool.ts";
import { findBinary } from "./binary.ts";
import { guard, guardSync } from "./errors.ts";
import { checkArgument, checkOptions } from "./options.ts";
import { Session } from "./session.ts";
import type { CleanupDoc, ListEntry, ManagerOptions, StartDoc, StartOptions } from "./types.ts";

export class SessionManager {
  /** The sessions directory, resolved once (as the CLI resolves it in the directory it runs in). */
  readonly sessionsDir: string;
  private readonly pool: ConnectionPool;
  private readonly bin: string | undefined;

  constructor(options?: ManagerOptions) {
    const o = guardSync(() => checkOptions<ManagerOptions>("SessionManager", options, { sessionsDir: "string", bin: "string" }));
    this.sessionsDir = guardSync(() => {
      const dir = resolveSessionsDir(o.sessionsDir);
      checkSessionsDir(dir);
      return dir;
    });
    this.pool = new ConnectionPool(this.sessionsDir);
    this.bin = o.bin;
  }

  /** Starts `argv` (default: $SHELL, else /bin/sh) in a new session. */
  start(argv?: string[], options?: StartOptions): Promise<Session> {
    return guard(async () => {
      const command = argv === undefined || argv.length === 0 ? [process.env.SHELL || "/bin/sh"] : argv;
      checkArgument("start", "argv", "strings", command);
      if (command[0] === "") throw invalidArgument("start: the command must not be empty");
      const o = checkOptions<StartOptions>("start", options, {
        name: "string",
        wait: "boolean",
        timeout: "ms",
        cwd: "string",
        env: "env",
        cols: "positive",
        rows: "positive",
        bufferSize: "positive",
        record: "string",
        shellIntegration: "boolean",
      });
      if (o.timeout !== undefined && o.wait !== true) throw invalidArgument("start: timeout goes with wait: true");
      const opts = {
        sessionsDir: this.sessionsDir,
        command,
        name: o.name === undefined ? null : validateName(o.name),
        cwd: o.cwd ?? process.cwd(),
        env: o.env ?? {},
        cols: o.cols ?? DEFAULT_COLS,
        rows: o.rows ?? DEFAULT_ROWS,
        bufferSize: o.bufferSize ?? DEFAULT_BUFFER_SIZE,
        record: o.record ?? null,
        shellIntegration: o.shellIntegration !== false,
        executable: findBinary(this.bin),
      };
      const started = await startSession(opts);
      let doc: StartDoc = started;
      if (o.wait === true) {
        const timeoutMs = o.timeout === undefined ? DEFAULT_SEND_TIMEOUT_MS : o.timeout;
        doc = { ...started, ...(await this.pool.run(started.session_id, (t) => waitForFirstInput(this.sessionsDir, t, timeoutMs))) };
      }
      return new Session(this.pool, started.session_id, started.name, doc);
    });
  }

  /** A session by id or name, started by this process or any other. */
  get(idOrName: string): Promise<Session> {
    return guard(async () => {
      checkArgument("get", "the session id or name", "string", idOrName);
      const id = resolveSessionId(this.sessionsDir, idOrName);
      const meta = existsSync(metadataPath(this.sessionsDir, id)) ? readMetadata(this.sessionsDir, id) : null;
      if (!meta) throw notFound(idOrName);
      return new Session(this.pool, id, meta.name);
    });
  }

  /** Every session of the directory, whatever its state (the CLI's list). */
  list(): Promise<ListEntry[]> {
    return guard(() => listSessions(this.sessionsDir));
  }

  /** Removes exited and crashed sessions and stale sockets (the CLI's cleanup). */
  cleanup(): Promise<CleanupDoc> {
    return guard(() => cleanupSessions(this.sessionsDir));
  }

  /** Closes the connections kept between calls (they never keep the process alive anyway). */
  close(): void {
    this.pool.closeAll();
  }
}
