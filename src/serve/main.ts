// serve's life: a token, the server, the browser (--open), and a clean stop on SIGINT, SIGTERM or
// SIGHUP (the sessions are not touched: only the page goes).
import { DeltaError, ErrorCode } from "../errors.ts";
import { isLoopback, makeToken } from "./guard.ts";
import { startServer } from "./server.ts";

export interface ServeRequest {
  sessionsDir: string;
  listen: string;
  port: number;
  allowInput: boolean;
  open: boolean;
}

export interface Serving {
  /** What the command prints. */
  doc: { url: string; listen: string; port: number; allow_input: boolean };
  /** Said on stderr when the server can be reached from other machines. */
  warning: string | null;
  /** Resolves once a stop signal came and the server closed. */
  stopped: Promise<void>;
}

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export function startServing(req: ServeRequest): Serving {
  let server;
  try {
    server = startServer({ ...req, token: makeToken() });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new DeltaError(ErrorCode.IO_ERROR, `cannot listen on ${req.listen} port ${req.port}: ${e.message}${e.code ? ` (${e.code})` : ""}`);
  }
  const running = server;
  if (req.open) openBrowser(running.url);
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      for (const sig of STOP_SIGNALS) process.off(sig, stop);
      running.stop();
      resolve();
    };
    for (const sig of STOP_SIGNALS) process.on(sig, stop);
  });
  const warning = isLoopback(req.listen)
    ? null
    : `delta-sessions serve: listening on ${req.listen}, reachable from other machines over plain HTTP (not encrypted). ` +
      `Anyone who has the URL's token can watch every session${req.allowInput ? " and type into it" : ""}; keep the token private.`;
  return { doc: { url: running.url, listen: req.listen, port: running.port, allow_input: req.allowInput }, warning, stopped };
}

/** Best effort: a machine with no browser still has the printed URL. */
function openBrowser(url: string): void {
  const opener = process.platform === "darwin" ? "open" : "xdg-open";
  try {
    const p = Bun.spawn([opener, url], { stdin: "ignore", stdout: "ignore", stderr: "ignore" });
    p.unref();
  } catch {
    // No opener installed.
  }
}
