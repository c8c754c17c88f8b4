// The client side of a holder connection: connect, check the hello, send requests, and take
// replies one at a time.
import { HELLO_STOPPED_CHECK_MS, HELLO_TIMEOUT_MS, PROTOCOL_VERSION } from "../constants.ts";
import { DeltaError, ErrorCode } from "../errors.ts";
import { encodeLineBytes, LineDecoder } from "../protocol/codec.ts";
import type { AttachClientMessage, Reply as ReplyMessage, ReplyOf, ReplyTypeFor, Request, RequestType } from "../protocol/messages.ts";
import { parseReplyLine } from "../protocol/parse.ts";
import { WriteQueue } from "../protocol/write-queue.ts";
import { connectUnix, type UnixSocket } from "./transport.ts";

export class HolderConnection {
  private readonly decoder = new LineDecoder();
  private readonly inbox: Array<ReplyMessage | DeltaError> = [];
  private waiter: ((m: ReplyMessage | DeltaError) => void) | null = null;
  private closed = false;
  private socket!: UnixSocket;
  private readonly queue = new WriteQueue((bytes) => this.socket.write(bytes));
  private drainWaiter: (() => void) | null = null;
  holderPid = 0;
  /**
   * When false, the connection keeps the process alive only while somebody waits for a reply or
   * for a write to drain (the library: an idle kept connection, or a session nobody asked about,
   * must not keep a caller's program from exiting). The CLI and the MCP server keep the default.
   */
  static keepsProcessAlive = true;

  private constructor(readonly path: string) {}

  /**
   * Connects and reads the hello. Throws HOLDER_UNREACHABLE when nothing listens there,
   * PROTOCOL_MISMATCH when the holder speaks another protocol version.
   */
  static async open(path: string, sessionId: string, isHolderStopped?: () => boolean): Promise<HolderConnection> {
    const c = new HolderConnection(path);
    try {
      c.socket = await connectUnix(path, { data: (data) => c.receive(data), drain: () => c.flush(), close: () => c.markClosed() });
    } catch (err) {
      throw new DeltaError(ErrorCode.HOLDER_UNREACHABLE, `cannot connect to the session's holder at ${path}: ${(err as Error).message}`);
    }
    const hello = await c.awaitHello(isHolderStopped);
    if (hello.type !== "hello") {
      c.close();
      throw new DeltaError(ErrorCode.HOLDER_UNREACHABLE, `the holder at ${path} did not greet (got ${hello.type})`);
    }
    if (hello.protocol !== PROTOCOL_VERSION) {
      c.close();
      throw new DeltaError(
        ErrorCode.PROTOCOL_MISMATCH,
        `the session's holder speaks protocol ${hello.protocol}, this delta-sessions speaks ${PROTOCOL_VERSION}; use the delta-sessions version that started it, or end the session`,
        { holder_protocol: hello.protocol, client_protocol: PROTOCOL_VERSION },
      );
    }
    if (hello.session_id !== sessionId) {
      c.close();
      throw new DeltaError(ErrorCode.HOLDER_UNREACHABLE, `the socket ${path} belongs to ${hello.session_id}, not ${sessionId}`);
    }
    c.holderPid = hello.pid;
    c.releaseProcess();
    return c;
  }

  /** True once the holder closed the connection (or we did): it can carry no more requests. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** The hello, within HELLO_TIMEOUT_MS; a stopped holder (which cannot answer before someone
   *  resumes it) is told at once rather than after the whole timeout. */
  private async awaitHello(isHolderStopped?: () => boolean): Promise<ReplyMessage> {
    const deadline = Date.now() + HELLO_TIMEOUT_MS;
    for (;;) {
      const left = deadline - Date.now();
      const slice = isHolderStopped ? Math.min(left, HELLO_STOPPED_CHECK_MS) : left;
      try {
        return await this.next(Math.max(0, slice));
      } catch (err) {
        const timedOut = err instanceof DeltaError && err.code === ErrorCode.HOLDER_UNREACHABLE && !this.closed;
        if (!timedOut || Date.now() >= deadline) throw err;
        if (isHolderStopped?.()) throw new DeltaError(ErrorCode.HOLDER_UNREACHABLE, "the holder is stopped (SIGSTOP) and cannot answer");
      }
    }
  }

  /** Sends one request, or after `attach` one attach message (protocol/messages.ts). */
  send(message: Request | AttachClientMessage): void {
    if (this.closed) throw new DeltaError(ErrorCode.HOLDER_UNREACHABLE, "the holder closed the connection");
    this.queue.push(encodeLineBytes(message));
  }

  /** Resolves once everything sent has been handed to the kernel. */
  flushed(): Promise<void> {
    if (this.queue.isEmpty || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.drainWaiter = resolve;
      this.holdProcess();
    });
  }

  /** The next reply. An `error` reply is thrown as a DeltaError with the holder's code. */
  async next(timeoutMs?: number): Promise<ReplyMessage> {
    const m = await this.nextRaw(timeoutMs);
    if (m instanceof DeltaError) throw m;
    if (m.type === "error") throw new DeltaError(m.code as ErrorCode, m.message);
    return m;
  }

  /** Sends a request and returns its reply, checked to be `expect` (one of the request's replies). */
  async request<R extends RequestType, T extends ReplyTypeFor[R]>(message: Extract<Request, { type: R }>, expect: T): Promise<ReplyOf<T>> {
    this.send(message);
    const reply = await this.next();
    if (reply.type !== expect) throw new DeltaError(ErrorCode.PROTOCOL_ERROR, `expected a ${expect} reply, got ${reply.type}`);
    return reply as ReplyOf<T>;
  }

  close(): void {
    if (!this.closed) this.socket.end();
    this.markClosed();
  }

  private nextRaw(timeoutMs?: number): Promise<ReplyMessage | DeltaError> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closed) return Promise.resolve(closedError());
    return new Promise((resolve) => {
      const timer =
        timeoutMs === undefined
          ? null
          : setTimeout(() => {
              this.waiter = null;
              this.releaseProcess();
              resolve(new DeltaError(ErrorCode.HOLDER_UNREACHABLE, `the holder did not answer within ${timeoutMs} ms`));
            }, timeoutMs);
      this.waiter = (m) => {
        if (timer) clearTimeout(timer);
        resolve(m);
      };
      this.holdProcess();
    });
  }

  private deliver(m: ReplyMessage | DeltaError): void {
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      this.releaseProcess();
      w(m);
    } else this.inbox.push(m);
  }

  /** Someone waits on this connection: the process stays alive for it. */
  private holdProcess(): void {
    if (!HolderConnection.keepsProcessAlive && !this.closed) this.socket.ref();
  }

  /** Nobody waits any more: an open connection alone does not keep the process alive. */
  private releaseProcess(): void {
    if (!HolderConnection.keepsProcessAlive && !this.closed && !this.waiter && !this.drainWaiter) this.socket.unref();
  }

  private receive(data: Uint8Array): void {
    for (const event of this.decoder.push(data)) {
      if (event.kind === "too-long") {
        this.deliver(new DeltaError(ErrorCode.PROTOCOL_ERROR, "reply line longer than the protocol limit"));
        continue;
      }
      const parsed = parseReplyLine(event.text);
      this.deliver(parsed.ok ? parsed.message : new DeltaError(ErrorCode.PROTOCOL_ERROR, parsed.why));
    }
  }

  private flush(): void {
    if (!this.queue.flush()) return;
    const w = this.drainWaiter;
    this.drainWaiter = null;
    this.releaseProcess();
    w?.();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    const w = this.drainWaiter;
    this.drainWaiter = null;
    w?.();
    if (this.waiter) this.deliver(closedError());
  }
}

function closedError(): DeltaError {
  return new DeltaError(ErrorCode.HOLDER_UNREACHABLE, "the holder closed the connection");
}
