// Who may talk to `serve` (docs/serve.md, "Security model"): every request carries the token (in
// the URL, or in the cookie the first page sets), names this server in its Host header by address
// (a DNS name other than localhost could be an attacker's that now resolves to us: DNS
// rebinding), and a WebSocket upgrade comes from a page of this server (Origin).
import { randomBytes, timingSafeEqual } from "node:crypto";
import { SERVE_TOKEN_BYTES } from "../constants.ts";

export function makeToken(): string {
  return randomBytes(SERVE_TOKEN_BYTES).toString("base64url");
}

/** Cookies are not told apart by port: each server names its own. */
export function cookieName(port: number): string {
  return `delta_sessions_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The token the request carries (query first, then the cookie), or null. */
export function requestToken(req: Request, url: URL, port: number): string | null {
  const fromQuery = url.searchParams.get("token");
  if (fromQuery !== null) return fromQuery;
  const cookies = req.headers.get("cookie") ?? "";
  const name = cookieName(port) + "=";
  for (const part of cookies.split(";")) {
    const p = part.trim();
    if (p.startsWith(name)) return p.slice(name.length);
  }
  return null;
}

export function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/**
 * A Host header this server answers to: `localhost`, or an IP address written out (IPv6 in
 * brackets), with the server's port. Names are refused: only the name's owner decides where it
 * points. Listening on loopback, only loopback addresses.
 */
export function isAllowedHost(host: string | null, port: number, loopbackOnly: boolean): boolean {
  if (host === null) return false;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d+)$/.exec(host);
  if (!m || Number(m[2]) !== port) return false;
  const name = m[1]!.toLowerCase();
  if (name === "localhost") return true;
  const bare = name.startsWith("[") ? name.slice(1, -1) : name;
  if (loopbackOnly) return bare === "::1" || (IPV4.test(bare) && bare.startsWith("127."));
  return IPV4.test(bare) || (name.startsWith("[") && bare.includes(":"));
}

/** An Origin that is this server as the request's Host names it (absent: not a browser's page). */
export function isAllowedOrigin(origin: string | null, host: string): boolean {
  return origin === null || origin === `http://${host}`;
}

export function isLoopback(address: string): boolean {
  return address === "localhost" || address === "::1" || (IPV4.test(address) && address.startsWith("127."));
}
