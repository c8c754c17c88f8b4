// serve's request checks (src/serve/guard.ts): which Host and Origin headers it answers, and the
// token from the URL or the cookie. The server applying them is tested in
// test/integration/serve.test.ts.
import { describe, expect, test } from "bun:test";
import { isAllowedHost, isAllowedOrigin, isLoopback, makeToken, requestToken, sameToken } from "../../src/serve/guard.ts";

describe("Host header", () => {
  const cases: Array<[string | null, boolean, boolean]> = [
    // host, allowed when listening on loopback, allowed when listening on all interfaces
    ["127.0.0.1:8080", true, true],
    ["localhost:8080", true, true],
    ["LOCALHOST:8080", true, true],
    ["[::1]:8080", true, true],
    ["127.0.0.2:8080", true, true],
    ["192.168.1.5:8080", false, true],
    ["[fe80::1]:8080", false, true],
    ["127.0.0.1:8081", false, false],
    ["127.0.0.1", false, false],
    ["evil.example:8080", false, false],
    ["127.0.0.1.nip.io:8080", false, false],
    ["localhost.evil.example:8080", false, false],
    ["999.1.1.1:8080", false, false],
    ["[::1]x:8080", false, false],
    ["", false, false],
    [null, false, false],
  ];
  for (const [host, loopback, any] of cases) {
    test(`${JSON.stringify(host)}: loopback ${loopback}, any ${any}`, () => {
      expect(isAllowedHost(host, 8080, true)).toBe(loopback);
      expect(isAllowedHost(host, 8080, false)).toBe(any);
    });
  }
});

test("Origin: only the server itself as the request named it; none is not a browser's page", () => {
  expect(isAllowedOrigin("http://127.0.0.1:8080", "127.0.0.1:8080")).toBe(true);
  expect(isAllowedOrigin(null, "127.0.0.1:8080")).toBe(true);
  expect(isAllowedOrigin("http://localhost:8080", "127.0.0.1:8080")).toBe(false);
  expect(isAllowedOrigin("https://127.0.0.1:8080", "127.0.0.1:8080")).toBe(false);
  expect(isAllowedOrigin("null", "127.0.0.1:8080")).toBe(false);
  expect(isAllowedOrigin("http://evil.example", "127.0.0.1:8080")).toBe(false);
});

test("loopback addresses", () => {
  for (const a of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) expect(isLoopback(a)).toBe(true);
  for (const a of ["0.0.0.0", "::", "192.168.0.1", "10.0.0.1", "example.com"]) expect(isLoopback(a)).toBe(false);
});

test("tokens: random, URL-safe, compared whole; the URL's first, then this port's cookie", () => {
  const a = makeToken();
  expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(makeToken()).not.toBe(a);
  expect(sameToken(a, a)).toBe(true);
  expect(sameToken(a.slice(1), a)).toBe(false);
  expect(sameToken(null, a)).toBe(false);
  expect(sameToken("", a)).toBe(false);
  const req = (cookie: string) => new Request("http://127.0.0.1:8080/", { headers: { cookie } });
  const url = new URL("http://127.0.0.1:8080/");
  expect(requestToken(req(`other=1; delta_sessions_8080=${a}`), url, 8080)).toBe(a);
  expect(requestToken(req(`delta_sessions_8081=${a}`), url, 8080)).toBeNull();
  expect(requestToken(req(`xdelta_sessions_8080=${a}`), url, 8080)).toBeNull();
  expect(requestToken(req(`delta_sessions_8080=${a}`), new URL("http://127.0.0.1:8080/?token=q"), 8080)).toBe("q");
});
