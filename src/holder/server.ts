// The holder's Unix socket server: greets each connection, frames lines, validates requests and
// hands them to their handler one at a time per connection. A bad client only ever loses its own
// connection.
import { chmodSync, existsSync, unlinkSync } from "node:fs";
import type { Socket, UnixSocketListener } from "bun";
import { PROTOCOL_VERSION } from "../constants.ts";
import { DeltaError, ErrorCode } from "../errors.ts";
import { parseRequestLine } from "../protocol/parse.ts";
import { Connection } from "./connection.ts";
import type { HandlerContext } from "./context.ts";
import { describeUnexpected, type Log } from "./log.ts";

/**
 * The request handlers (and what they use: keys, patterns, ...) load after the session is ready:
 * `start` need not wait for them. The holder preloads them right after its readiness report.
 */
let handlers: Promise<typeof import("./handlers/index.ts")> | null = null;
export function loadHandlers(): Promise<typeof import("./handlers/index.ts")> {
  return (handlers ??= import("./handlers/index.ts"));
}

interface ConnState {
  conn: Connection;
  queue: string[];
  busy: boolean;
}

export class HolderServer {
  private listener: UnixSocketListener<ConnState> | null = null;
  readonly connections = new Set<Connection>();
  /** Connections whose request is being served right now. */
  private readonly busy = new Set<Connection>();
  private closing = false;

  constructor(
    private readonly socketPath: string,
    private readonly sessionId: string,
    private readonly makeContext: (conn: Connection) => HandlerContext,
    private readonly log: Log,
  ) {}

  /** Binds the socket (0600). A file already at the path is never replaced silently. */
  listen(): void {
    const oldMask = process.umask(0o177);
    try {
      this.listener = Bun.listen<ConnState>({
        unix: this.socketPath,
        socket: {
          open: (socket) => this.acceptConnection(socket),
          data: (socket, data) => this.receive(socket, data),
          drain: (socket) => socket.data.conn.flush(),
          close: (socket) => this.forget(socket),
          error: (socket) => this.forget(socket),
        },
      });
    } finally {
      process.umask(oldMask);
    }
    chmodSync(this.socketPath, 0o600);
  }

  /** Re-creates the socket file if someone deleted it (SIGUSR1, as tmux does). */
  relisten(): void {
    if (existsSync(this.socketPath)) return;
    this.listener?.stop(false);
    this.listener = null;
    this.listen();
  }

  /** Stops accepting and removes the socket file (only if we ever bound it: a file we failed to
   *  bind over belongs to someone else). Each connection ends once the request it is serving has
   *  finished and its replies are sent: a reader still catching up gets the rest and its read-end. */
  close(): void {
    const bound = this.listener !== null;
    this.closing = true;
    this.listener?.stop(false);
    this.listener = null;
    for (const conn of this.connections) if (!this.busy.has(conn)) conn.end();
    if (!bound) return;
    try {
      unlinkSync(this.socketPath);
    } catch {
      // Already gone.
    }
  }

  private acceptConnection(socket: Socket<ConnState>): void {
    const conn = new Connection(socket as Socket<unknown>);
    socket.data = { conn, queue: [], busy: false };
    this.connections.add(conn);
    conn.send({ type: "hello", protocol: PROTOCOL_VERSION, session_id: this.sessionId, pid: process.pid });
  }

  private forget(socket: Socket<ConnState>): void {
    const state = socket.data;
    if (!state) return;
    this.connections.delete(state.conn);
    state.conn.markClosed();
  }

  private receive(socket: Socket<ConnState>, data: Uint8Array): void {
    const state = socket.data;
    for (const event of state.conn.decoder.push(data)) {
      if (state.conn.isClosed) return;
      if (state.conn.lineTap) {
        state.conn.lineTap(event);
        continue;
      }
      if (event.kind === "too-long") {
        state.conn.send({ type: "error", code: ErrorCode.PROTOCOL_ERROR, message: `request line longer than the limit (${event.bytes} bytes so far)` });
        state.conn.end();
        return;
      }
      state.queue.push(event.text);
    }
    void this.drainQueue(state);
  }

  private async drainQueue(state: ConnState): Promise<void> {
    if (state.busy) return;
    state.busy = true;
    this.busy.add(state.conn);
    try {
      while (state.queue.length > 0 && !state.conn.isClosed) {
        if (state.conn.lineTap) {
          // A handler took the connection over; hand it what was queued behind its request.
          const rest = state.queue.splice(0);
          for (const text of rest) state.conn.lineTap({ kind: "line", text });
          break;
        }
        await this.handleLine(state.conn, state.queue.shift()!);
      }
    } finally {
      state.busy = false;
      this.busy.delete(state.conn);
      if (this.closing) state.conn.end();
    }
  }

  private async handleLine(conn: Connection, text: string): Promise<void> {
    const parsed = parseRequestLine(text);
    if (!parsed.ok) {
      conn.send({ type: "error", code: ErrorCode.PROTOCOL_ERROR, message: parsed.why });
      conn.end();
      return;
    }
    const request = parsed.message;
    const ctx = this.makeContext(conn);
    // `info` is how list/status look at a session: looking is not using.
    if (request.type !== "info") ctx.session.touch();
    try {
      await (await loadHandlers()).dispatchRequest(ctx, request);
    } catch (err) {
      const e = err instanceof DeltaError ? err : new DeltaError(ErrorCode.INTERNAL, (err as Error)?.message ?? String(err));
      // A failure nobody anticipated is a bug: the client gets the message, holder.log the stack.
      if (e.code === ErrorCode.INTERNAL) this.log(`INTERNAL error in a ${request.type} request: ${describeUnexpected(err)}`);
      conn.send({ type: "error", code: e.code, message: e.message });
      // A malformed request closes its connection; a well-formed one that failed does not.
      if (e.code === ErrorCode.PROTOCOL_ERROR) conn.end();
    }
  }
}
