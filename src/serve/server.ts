// `delta-sessions serve`: the HTTP and WebSocket server of the browser view (docs/serve.md).
// Routes: GET / (the page; with ?token= it sets the cookie and sends the browser on to a URL
// without the token), GET /assets/*, and the WebSockets /ws/sessions (the list) and
// /ws/terminal/<session id> (one screen). Every request passes guard.ts's checks first.
import type { Server } from "bun";
import { isSessionId } from "../paths.ts";
import { ASSETS, renderPage } from "./assets.ts";
import { isAllowedHost, isAllowedOrigin, isLoopback, requestToken, sameToken, tokenCookie } from "./guard.ts";
import { SessionList, type ListSubscriber } from "./session-list.ts";
import { TerminalStream } from "./terminal.ts";

export interface ServeOptions {
  sessionsDir: string;
  listen: string;
  port: number;
  allowInput: boolean;
  token: string;
}

type SocketData = { kind: "sessions"; subscriber: ListSubscriber | null } | { kind: "terminal"; sessionId: string; stream: TerminalStream | null };

const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

const TERMINAL_PATH = "/ws/terminal/";

export interface RunningServer {
  url: string;
  port: number;
  stop(): void;
}

export function startServer(opts: ServeOptions): RunningServer {
  const list = new SessionList(opts.sessionsDir);
  const loopbackOnly = isLoopback(opts.listen);
  const server: Server<SocketData> = Bun.serve<SocketData>({
    hostname: opts.listen,
    port: opts.port,
    fetch(req, srv) {
      return route(req, srv);
    },
    websocket: {
      // Terminals keep what they send bounded themselves (terminal.ts); this is the backstop.
      backpressureLimit: 4 * 1024 * 1024,
      open(ws) {
        const d = ws.data;
        if (d.kind === "sessions") {
          d.subscriber = { send: (json) => void ws.send(json) };
          list.subscribe(d.subscriber);
          return;
        }
        d.stream = new TerminalStream(opts.sessionsDir, d.sessionId, opts.allowInput, {
          event: (e) => void ws.send(JSON.stringify(e)),
          output: (bytes) => void ws.send(bytes),
          close: () => ws.close(1000, "ended"),
        });
        d.stream.start();
      },
      message(ws, message) {
        const d = ws.data;
        if (d.kind !== "terminal" || !d.stream || typeof message !== "string") return;
        receiveFromPage(d.stream, message);
      },
      close(ws) {
        const d = ws.data;
        if (d.kind === "sessions") {
          if (d.subscriber) list.unsubscribe(d.subscriber);
        } else d.stream?.stop();
      },
    },
  });
  const port = server.port ?? opts.port;

  function route(req: Request, srv: Server<SocketData>): Response | undefined {
    const host = req.headers.get("host");
    if (!isAllowedHost(host, port, loopbackOnly)) return refuse(403, "this server answers only to its own address (Host header refused)");
    const url = new URL(req.url);
    if (!isAllowedOrigin(req.headers.get("origin"), host!)) return refuse(403, "requests from other sites are refused (Origin header)");
    if (req.method !== "GET" && req.method !== "HEAD") return refuse(405, "only GET");
    if (!sameToken(requestToken(req, url, port), opts.token)) return refuse(403, "a valid token is required: open the URL that delta-sessions serve printed");

    if (url.pathname === "/ws/sessions") return upgrade(req, srv, { kind: "sessions", subscriber: null });
    if (url.pathname.startsWith(TERMINAL_PATH)) {
      const sessionId = decodeURIComponent(url.pathname.slice(TERMINAL_PATH.length));
      if (!isSessionId(sessionId)) return refuse(404, "no such session");
      return upgrade(req, srv, { kind: "terminal", sessionId, stream: null });
    }
    if (url.pathname === "/") {
      if (url.searchParams.has("token")) {
        // The token moves to a cookie, and out of the address bar and the history.
        return new Response(null, { status: 303, headers: { ...SECURITY_HEADERS, location: "/", "set-cookie": tokenCookie(port, opts.token) } });
      }
      return new Response(renderPage({ allowInput: opts.allowInput }), { headers: { ...SECURITY_HEADERS, "content-type": "text/html; charset=utf-8" } });
    }
    const asset = ASSETS[url.pathname];
    if (asset) return new Response(asset.body, { headers: { ...SECURITY_HEADERS, "content-type": asset.type } });
    return refuse(404, "not found");
  }

  return {
    url: `http://${urlHost(opts.listen)}:${port}/?token=${opts.token}`,
    port,
    stop() {
      list.stop();
      server.stop(true);
    },
  };
}

/** How the printed URL names the server: a wildcard address is reached on loopback. */
function urlHost(listen: string): string {
  if (listen === "0.0.0.0") return "127.0.0.1";
  if (listen === "::") return "[::1]";
  return listen.includes(":") ? `[${listen}]` : listen;
}

function upgrade(req: Request, srv: Server<SocketData>, data: SocketData): Response | undefined {
  if (srv.upgrade(req, { data })) return undefined;
  return refuse(400, "a WebSocket upgrade was expected here");
}

function refuse(status: number, message: string): Response {
  return new Response(message + "\n", { status, headers: { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8" } });
}

/** A message from a terminal's page: how much it parsed, or (with --allow-input) what was typed. */
function receiveFromPage(stream: TerminalStream, message: string): void {
  let m: unknown;
  try {
    m = JSON.parse(message);
  } catch {
    return;
  }
  if (typeof m !== "object" || m === null) return;
  const msg = m as { type?: unknown; bytes?: unknown; data?: unknown };
  if (msg.type === "ack" && typeof msg.bytes === "number" && Number.isFinite(msg.bytes)) stream.acknowledge(msg.bytes);
  else if (msg.type === "input" && typeof msg.data === "string") stream.type(new TextEncoder().encode(msg.data));
}
