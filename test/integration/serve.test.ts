// `delta-sessions serve` (SPEC §13, docs/serve.md): the security checks from plain HTTP clients,
// and the page itself in a real headless Chromium — the session list, live screens, read-only
// pages that cannot type, --allow-input typing, and many sessions with a flood in one of them.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { Browser, chromiumMissing, ServeProcess } from "../helpers/browser.ts";
import { Sandbox, waitFor } from "../helpers/sandbox.ts";

const T = 120_000;
const PAGE_WAIT_MS = 20_000;

/** Sends one raw HTTP/1.1 request (any Host, any Origin) and returns the status code. */
function rawStatus(port: number, lines: string[]): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const sock = connect(port, "127.0.0.1");
    let got = "";
    sock.on("connect", () => sock.write(lines.join("\r\n") + "\r\n\r\n"));
    sock.on("data", (d) => {
      got += d.toString("latin1");
      const m = /^HTTP\/1\.1 (\d{3})/.exec(got);
      if (m) {
        sock.destroy();
        resolvePromise(Number(m[1]));
      }
    });
    sock.on("error", reject);
    sock.on("close", () => reject(new Error(`connection closed before a status line: ${JSON.stringify(got)}`)));
  });
}

function upgradeRequest(path: string, host: string, origin: string | null): string[] {
  return [
    `GET ${path} HTTP/1.1`,
    `Host: ${host}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    "Sec-WebSocket-Version: 13",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    ...(origin === null ? [] : [`Origin: ${origin}`]),
  ];
}

describe("serve: who may connect (plain HTTP clients)", () => {
  let box: Sandbox;
  let srv: ServeProcess;
  let sessionId: string;
  beforeAll(async () => {
    box = new Sandbox();
    sessionId = (await box.start(["--name", "secret-session", "bash", "--norc", "-i"])).session_id;
    srv = await ServeProcess.start(box);
  });
  afterAll(async () => {
    await srv?.stop();
    await box?.dispose();
  });

  test("prints one JSON line: a loopback URL with a random token", () => {
    expect(srv.doc.listen).toBe("127.0.0.1");
    expect(srv.doc.allow_input).toBe(false);
    expect(srv.doc.url).toBe(`http://127.0.0.1:${srv.doc.port}/?token=${srv.token}`);
    expect(srv.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test("no token or a wrong one: 403 and no session data, for pages, assets and sockets", async () => {
    const wrong = srv.token.slice(0, -1) + (srv.token.endsWith("A") ? "B" : "A");
    for (const path of ["/", "/?token=", `/?token=${wrong}`, "/assets/page.js", "/assets/xterm.js", "/ws/sessions", `/ws/terminal/${sessionId}`, `/?token=${srv.token}x`]) {
      const res = await fetch(srv.origin + path, { redirect: "manual" });
      const body = await res.text();
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(body).not.toContain(sessionId);
      expect(body).not.toContain("secret-session");
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    // A cookie of another server (another port) is not this one's.
    const other = await fetch(srv.origin + "/", { headers: { cookie: `delta_sessions_${srv.doc.port + 1}=${srv.token}` } });
    expect(other.status).toBe(403);
  });

  test("the token in the URL becomes a cookie that opens the page and its assets", async () => {
    const first = await fetch(srv.doc.url, { redirect: "manual" });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/");
    const cookie = first.headers.get("set-cookie")!;
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    const pair = cookie.split(";")[0]!;
    const page = await fetch(srv.origin + "/", { headers: { cookie: pair } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("connect-src 'self'");
    const html = await page.text();
    // Everything it loads comes from this server: no CDN, no network.
    expect(html).not.toMatch(/https?:\/\//);
    const xterm = await fetch(srv.origin + "/assets/xterm.js", { headers: { cookie: pair } });
    expect(xterm.status).toBe(200);
    expect((await xterm.text()).length).toBeGreaterThan(100_000);
  });

  test("a foreign Host header is refused (DNS rebinding), the server's own address is not", async () => {
    const port = srv.doc.port;
    const get = (host: string) => rawStatus(port, [`GET /?token=${srv.token} HTTP/1.1`, `Host: ${host}`, "Connection: close"]);
    expect(await get(`evil.example:${port}`)).toBe(403);
    expect(await get(`127.0.0.1.evil.example:${port}`)).toBe(403);
    expect(await get(`127.0.0.1:${port + 1}`)).toBe(403);
    expect(await get("127.0.0.1")).toBe(403);
    expect(await get(`127.0.0.1:${port}`)).toBe(303);
    expect(await get(`localhost:${port}`)).toBe(303);
  });

  test("a WebSocket upgrade from a foreign Origin is refused, from the page's own origin it is accepted", async () => {
    const port = srv.doc.port;
    const host = `127.0.0.1:${port}`;
    for (const path of [`/ws/sessions?token=${srv.token}`, `/ws/terminal/${sessionId}?token=${srv.token}`]) {
      expect(await rawStatus(port, upgradeRequest(path, host, "http://evil.example"))).toBe(403);
      expect(await rawStatus(port, upgradeRequest(path, host, `http://localhost:${port}`))).toBe(403);
      expect(await rawStatus(port, upgradeRequest(path, host, "null"))).toBe(403);
      expect(await rawStatus(port, upgradeRequest(path, host, `http://${host}`))).toBe(101);
    }
    // The right Origin is not enough without the token.
    expect(await rawStatus(port, upgradeRequest("/ws/sessions", host, `http://${host}`))).toBe(403);
  });

  test("a port already taken: IO_ERROR, exit 1", async () => {
    const r = await box.run(["serve", "--port", String(srv.doc.port)]);
    expect({ code: r.code, error: r.json.code }).toEqual({ code: 1, error: "IO_ERROR" });
    expect(r.stderr).toContain("EADDRINUSE");
  });

  test("usage errors exit 2", async () => {
    for (const args of [["serve", "extra"], ["serve", "--port", "abc"], ["serve", "--port", "70000"], ["serve", "--bogus"]]) {
      const r = await box.run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(["USAGE", "INVALID_ARGUMENT"]).toContain(r.json.code);
    }
  });

  test("--host is refused with the way to watch another machine (its port forwarded), before any ssh", async () => {
    const r = await box.run(["--host", "build-box.invalid", "serve"]);
    expect({ code: r.code, error: r.json.code }).toEqual({ code: 2, error: "USAGE" });
    expect(r.json.error).toContain("ssh -L 8080:127.0.0.1:8080 build-box.invalid delta-sessions serve --port 8080");
  });
});

describe("serve --listen beyond loopback", () => {
  test("says so on stderr and still requires the token", async () => {
    const box = new Sandbox();
    const srv = await ServeProcess.start(box, ["--listen", "0.0.0.0"]);
    try {
      expect(srv.doc.listen).toBe("0.0.0.0");
      expect(srv.doc.url.startsWith(`http://127.0.0.1:${srv.doc.port}/?token=`)).toBe(true);
      expect((await fetch(srv.origin + "/")).status).toBe(403);
      expect((await fetch(srv.doc.url, { redirect: "manual" })).status).toBe(303);
    } finally {
      expect(await srv.stop()).toBe(0);
      await box.dispose();
    }
    expect(await srv.stderr).toMatch(/listening on 0\.0\.0\.0, reachable from other machines/);
  }, T);
});

const noChromium = chromiumMissing();
if (noChromium) console.warn(`serve browser tests skipped: ${noChromium}`);

/** The text of a session's terminal as the page's DOM holds it (xterm.js's DOM renderer). */
function terminalText(page: Page, id: string): Promise<string> {
  return page.locator(`.term[data-terminal-for="${id}"] .xterm-rows`).innerText().catch(() => "");
}

async function waitForTerminalText(page: Page, id: string, text: string | RegExp, timeoutMs = PAGE_WAIT_MS): Promise<void> {
  // xterm.js renders only terminals in view (its rows in the DOM lag while one is scrolled away).
  await page.locator(`.term[data-terminal-for="${id}"]`).scrollIntoViewIfNeeded();
  await waitFor(`page terminal of ${id} to show ${text}`, async () => {
    const t = (await terminalText(page, id)).replace(/\u00a0/g, " ");
    return typeof text === "string" ? t.includes(text) : text.test(t);
  }, timeoutMs);
}

/** A sandbox, a browser and `serve ARGS` for one test, all ended afterwards whatever happens. */
async function withServe(args: string[], fn: (box: Sandbox, browser: Browser, srv: ServeProcess) => Promise<void>): Promise<void> {
  const box = new Sandbox();
  const browser = await Browser.launch();
  try {
    const srv = await ServeProcess.start(box, args);
    try {
      await fn(box, browser, srv);
    } finally {
      await srv.stop();
    }
  } finally {
    await browser.close();
    await box.dispose();
  }
}

async function rowText(page: Page, id: string): Promise<string> {
  return page.locator(`tr.session[data-session-id="${id}"]`).innerText().catch(() => "");
}

describe.skipIf(noChromium !== null)("serve: the page in headless Chromium (read-only)", () => {
  let box: Sandbox;
  let browser: Browser;
  let srv: ServeProcess;
  let page: Page;
  beforeAll(async () => {
    box = new Sandbox();
    browser = await Browser.launch();
    srv = await ServeProcess.start(box);
    page = await browser.newPage();
  }, T);
  afterAll(async () => {
    await browser?.close();
    await srv?.stop();
    await box?.dispose();
  });

  test("the list shows a started session and marks it waiting when python waits", async () => {
    await page.goto(srv.doc.url);
    // The token left the address bar.
    expect(page.url()).toBe(srv.origin + "/");
    const py = await box.start(["--name", "repl", "python3", "-q"]);
    const row = `tr.session[data-session-id="${py.session_id}"]`;
    await waitFor("the new session in the list", async () => (await rowText(page, py.session_id)).includes("python3 -q"), PAGE_WAIT_MS);
    expect(await rowText(page, py.session_id)).toContain("repl");
    await waitFor("the session marked waiting", async () => (await page.locator(`${row}.waiting`).count()) === 1, PAGE_WAIT_MS);
    // Busy: no longer marked. Interrupted: waiting again. (Where the kernel's view is missing,
    // quiet output stands in for waiting, so a sleep would count as waiting: SPEC §10.)
    if (process.platform === "linux") {
      await box.run(["write", py.session_id, "import time; time.sleep(600)\\r"]);
      await waitFor("the session marked busy", async () => (await page.locator(`${row}.waiting`).count()) === 0 && (await rowText(page, py.session_id)).includes("busy"), PAGE_WAIT_MS);
      await box.run(["write-key", py.session_id, "ctrl+c"]);
      await waitFor("the session marked waiting again", async () => (await page.locator(`${row}.waiting`).count()) === 1, PAGE_WAIT_MS);
    }
    // Ended: it leaves the list.
    expect((await box.run(["end", py.session_id])).code).toBe(0);
    await waitFor("the ended session gone from the list", async () => (await page.locator(row).count()) === 0, PAGE_WAIT_MS);
  }, T);

  test("text printed in a session appears in the page's terminal, live, at the session's size", async () => {
    const sh = await box.start(["--name", "shell", "--cols", "100", "--rows", "20", "bash", "--norc", "-i"]);
    await page.goto(srv.doc.url);
    await box.run(["write", sh.session_id, "echo printed-$((6*7))\\r"]);
    await waitForTerminalText(page, sh.session_id, "printed-42");
    // Live output after the page opened, not only the first redraw.
    await box.run(["write", sh.session_id, "for i in 1 2 3; do echo live-line-$i; done\\r"]);
    await waitForTerminalText(page, sh.session_id, "live-line-3");
    const rows = await page.locator(`.term[data-terminal-for="${sh.session_id}"] .xterm-rows > div`).count();
    expect(rows).toBe(20);
    // The session's size is its own: the page did not resize it.
    const status = (await box.run(["status", sh.session_id])).json;
    expect([status.cols, status.rows]).toEqual([100, 20]);
    // An agent's resize: the page's terminal follows.
    expect((await box.run(["resize", sh.session_id, "90", "15"])).code).toBe(0);
    await waitFor("the page's terminal at 15 rows", async () => (await page.locator(`.term[data-terminal-for="${sh.session_id}"] .xterm-rows > div`).count()) === 15, PAGE_WAIT_MS);
    await waitForTerminalText(page, sh.session_id, "live-line-3");
    // A click opens it large; the text is still in the DOM there.
    await page.locator(`.card[data-session-id="${sh.session_id}"]`).click();
    await waitFor("the large view", () => page.locator("#large").isVisible(), PAGE_WAIT_MS);
    expect(await page.locator(`#large-body .term[data-terminal-for="${sh.session_id}"]`).count()).toBe(1);
    await waitForTerminalText(page, sh.session_id, "live-line-3");
    // Opened, it is read out too: xterm.js's screen-reader mode holds its text for assistive technology.
    await waitFor("the accessible text of the large terminal", async () => {
      const text = await page.locator(`#large-body .xterm-accessibility-tree`).innerText().catch(() => "");
      return text.includes("live-line-3");
    }, PAGE_WAIT_MS);
    await page.screenshot({ path: join(box.dir, "serve.png") });
    if (process.env.DELTA_SESSIONS_UPDATE_SCREENSHOT) await takeDocsScreenshot(page, box);
    await page.keyboard.press("Escape");
    await waitFor("the large view closed", async () => !(await page.locator("#large").isVisible()), PAGE_WAIT_MS);
    expect(statSync(join(box.dir, "serve.png")).size).toBeGreaterThan(1000);
  }, T);

  test("a read-only page cannot type: neither keys nor a forged input message reach the program", async () => {
    const py = await box.start(["python3", "-q"]);
    await page.goto(srv.doc.url);
    await waitForTerminalText(page, py.session_id, ">>>");
    await box.run(["wait", py.session_id, "--input", "--timeout", "20000"]);
    const before = (await box.run(["status", py.session_id])).json.output_bytes as number;
    await page.locator(`.card[data-session-id="${py.session_id}"]`).click();
    await page.locator(`#large-body .term[data-terminal-for="${py.session_id}"]`).click();
    await page.keyboard.type("print('typed' + 'in-page')");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Escape");
    // A page script that speaks the terminal socket's protocol itself gets nowhere either.
    const forged = await page.evaluate(async ({ id, host }) => {
      const ws = new WebSocket(`ws://${host}/ws/terminal/${id}`);
      await new Promise((r, j) => ((ws.onopen = r), (ws.onerror = j)));
      ws.send(JSON.stringify({ type: "input", data: "print('forged' + 'input')\r" }));
      // The server handles a socket's messages in order: once it answered a later one, it has
      // handled the input.
      return new Promise<boolean>((r) => {
        ws.onmessage = () => r(true);
        ws.send(JSON.stringify({ type: "ack", bytes: 0 }));
        setTimeout(() => r(true), 2000);
      });
    }, { id: py.session_id, host: new URL(srv.origin).host });
    expect(forged).toBe(true);
    // Whatever the page sent has been handled by now; this write comes after it.
    await box.run(["write", py.session_id, "print('after' + '-marker')\\r"]);
    await box.run(["read", py.session_id, "--peek", "--timeout", "20000", "--until", "after-marker"]);
    const all = (await box.run(["read", py.session_id, "--all", "--peek", "--strip-ansi"])).stdout;
    expect(all).toContain("after-marker");
    expect(all).not.toContain("typed");
    expect(all).not.toContain("forged");
    // The only input since `before` is the marker line: its echo and its output.
    const after = (await box.run(["status", py.session_id])).json.output_bytes as number;
    const marker = (await box.run(["read", py.session_id, "--since", String(before), "--peek", "--strip-ansi"])).stdout;
    expect(after).toBeGreaterThan(before);
    expect(marker.split("\n").map((l) => l.trim()).filter(Boolean)).toEqual(["print('after' + '-marker')", "after-marker", ">>>"]);
  }, T);
});

describe.skipIf(noChromium !== null)("serve: sessions that exit", () => {
  test("the list shows the exit and the screen keeps the program's last output, on an open page and a new one", async () => {
    await withServe([], async (box, browser, srv) => {
      const s = await box.start(["bash", "--norc", "-i"]);
      const page = await browser.newPage();
      await page.goto(srv.doc.url);
      await waitForTerminalText(page, s.session_id, /bash-[\d.]+#/);
      await box.run(["write", s.session_id, "echo last-words-$((40+2)); exit 3\\r"]);
      await waitForTerminalText(page, s.session_id, "last-words-42");
      await waitFor("the exit in the list", async () => (await rowText(page, s.session_id)).includes("exit 3"), PAGE_WAIT_MS);
      expect(await rowText(page, s.session_id)).toContain("exited");
      const later = await browser.newPage();
      await later.goto(srv.doc.url);
      await waitForTerminalText(later, s.session_id, "last-words-42");
    });
  }, T);
});

describe("serve --open", () => {
  test("hands the URL to the desktop's opener (the one on PATH)", async () => {
    const box = new Sandbox();
    const bin = join(box.dir, "bin");
    const seen = join(box.dir, "opened.txt");
    mkdirSync(bin);
    // xdg-open on Linux, open on macOS: both stand in front of the real ones on PATH.
    for (const opener of ["xdg-open", "open"]) writeFileSync(join(bin, opener), `#!/bin/sh\nprintf '%s\\n' "$1" > ${seen}\n`, { mode: 0o755 });
    const srv = await ServeProcess.start(box, ["--open"], { PATH: `${bin}:${process.env.PATH}` });
    try {
      await waitFor("the opener to run", () => existsSync(seen) && readFileSync(seen, "utf8").endsWith("\n"), PAGE_WAIT_MS);
      expect(readFileSync(seen, "utf8").trim()).toBe(srv.doc.url);
    } finally {
      await srv.stop();
      await box.dispose();
    }
  }, T);
});

describe.skipIf(noChromium !== null)("serve --allow-input in headless Chromium", () => {
  test("typing in the page reaches the program, through write's path", async () => {
    await withServe(["--allow-input"], async (box, browser, srv) => {
      expect(srv.doc.allow_input).toBe(true);
      const py = await box.start(["python3", "-q"]);
      const page = await browser.newPage();
      await page.goto(srv.doc.url);
      await waitForTerminalText(page, py.session_id, ">>>");
      await page.locator(`.card[data-session-id="${py.session_id}"]`).click();
      await page.locator(`#large-body .term[data-terminal-for="${py.session_id}"]`).click();
      await page.keyboard.type("print(6 * 7 * 1000 + 1)");
      await page.keyboard.press("Enter");
      const r = await box.run(["read", py.session_id, "--timeout", "20000", "--until", "42001"]);
      expect(r.stdout).toContain("42001");
      await waitForTerminalText(page, py.session_id, /^42001$/m);
    });
  }, T);
});

describe.skipIf(noChromium !== null)("serve with 20 sessions and a flood in one", () => {
  test("the other screens stay live and the server's memory stays bounded", async () => {
    await withServe([], async (box, browser, srv) => {
      const flood = await box.start(["--name", "flood", "bash", "--norc", "-i"]);
      const quiet = [];
      for (let i = 0; i < 19; i++) quiet.push((await box.start(["--name", `quiet-${i}`, "bash", "--norc", "-i"])).session_id);
      const page = await browser.newPage();
      await page.goto(srv.doc.url);
      await waitFor("20 rows", async () => (await page.locator("tr.session").count()) === 20, PAGE_WAIT_MS);
      // A flood whose screen says how far it got: increasing numbers, as fast as seq writes them.
      await box.run(["write", flood.session_id, "seq 1000000 999999999999\\r"]);
      await waitForTerminalText(page, flood.session_id, /^\d{7,}$/m);
      const lags: number[] = [];
      for (const [i, id] of quiet.entries()) {
        const sent = Date.now();
        // The screen shows the output (mark-3-103), not just the echo of the command.
        await box.run(["write", id, `echo mark-${i}-$((${i}+100))\\r`]);
        await waitForTerminalText(page, id, `mark-${i}-${i + 100}`);
        lags.push(Date.now() - sent);
      }
      // The flood's screen still moves: it shows a later number than it did a moment ago.
      const lastNumber = async () => Math.max(0, ...((await terminalText(page, flood.session_id)).match(/^\d{7,}$/gm) ?? []).map(Number));
      await page.locator(`.term[data-terminal-for="${flood.session_id}"]`).scrollIntoViewIfNeeded();
      const seen = await lastNumber();
      await waitFor("the flood's screen to move on", async () => (await lastNumber()) > seen, PAGE_WAIT_MS);
      if (process.platform !== "linux") return;
      const rss = Number(/VmRSS:\s+(\d+)/.exec(await Bun.file(`/proc/${srv.pid}/status`).text())?.[1] ?? 0) * 1024;
      // What the page did not take yet is dropped, not kept: far below the flood's volume.
      expect(rss).toBeLessThan(200 * 1024 * 1024);
      console.log(`serve flood: quiet screens updated within median ${median(lags)} ms, max ${Math.max(...lags)} ms (write call included); serve RSS ${(rss / 1048576).toFixed(1)} MiB`);
    });
  }, 240_000);
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** docs/serve.png, from a page with a few sessions of different kinds (DELTA_SESSIONS_UPDATE_SCREENSHOT=1). */
async function takeDocsScreenshot(page: Page, box: Sandbox): Promise<void> {
  const target = resolve(import.meta.dir, "../../docs/serve.png");
  const py = await box.start(["--name", "agent-repl", "--cols", "80", "--rows", "20", "--wait", "python3", "-q"]);
  await box.run(["send", py.session_id, "print('hello from python')", "--enter"]);
  await box.run(["start", "--name", "build", "--cols", "80", "--rows", "20", "bash", "--norc", "-c", "for i in $(seq 1 12); do echo step $i of 40; done; sleep 600"]);
  await page.keyboard.press("Escape");
  await waitFor("three screens", async () => (await page.locator(".card").count()) === 3, PAGE_WAIT_MS);
  await waitForTerminalText(page, py.session_id, "hello from python");
  await page.setViewportSize({ width: 1100, height: 700 });
  await page.screenshot({ path: join(box.dir, "docs-shot.png") });
  copyFileSync(join(box.dir, "docs-shot.png"), target);
}
