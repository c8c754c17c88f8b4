// A real headless Chromium (Debian's `chromium`) driven through playwright-core, and a running
// `delta-sessions serve` for it to look at. Each browser gets a fresh profile directory; nothing of
// Chromium's reaches the network (no background services, no updates, no QUIC).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { BIN, type Sandbox } from "./sandbox.ts";

/** Debian's chromium first (what .ci/run installs); other builds of it where a machine has one. */
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"];

export const CHROMIUM = process.env.DELTA_SESSIONS_TEST_CHROMIUM ?? CANDIDATES.find((p) => existsSync(p)) ?? CANDIDATES[0]!;

/** Why browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (Debian package chromium; .ci/run installs it; DELTA_SESSIONS_TEST_CHROMIUM names another)`;
}

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export class Browser {
  private constructor(
    readonly context: BrowserContext,
    private readonly profile: string,
  ) {}

  static async launch(): Promise<Browser> {
    const profile = mkdtempSync("/tmp/ds-chromium-");
    try {
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1280, height: 800 },
      });
      return new Browser(context, profile);
    } catch (err) {
      rmSync(profile, { recursive: true, force: true });
      throw err;
    }
  }

  newPage(): Promise<Page> {
    return this.context.newPage();
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export interface ServeDoc {
  url: string;
  listen: string;
  port: number;
  allow_input: boolean;
}

/** `delta-sessions serve` in the sandbox, running until `stop`. */
export class ServeProcess {
  private constructor(
    private readonly proc: ReturnType<typeof Bun.spawn>,
    readonly doc: ServeDoc,
    readonly stderr: Promise<string>,
  ) {}

  static async start(box: Sandbox, args: string[] = [], env: Record<string, string> = {}): Promise<ServeProcess> {
    const proc = Bun.spawn([BIN, "serve", ...args], { env: { ...box.env, ...env }, cwd: box.dir, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    box.track(proc.pid);
    const stderr = new Response(proc.stderr).text();
    const line = await firstLine(proc.stdout);
    if (!line) throw new Error(`serve printed nothing (exit ${await proc.exited}): ${await stderr}`);
    return new ServeProcess(proc, JSON.parse(line), stderr);
  }

  get pid(): number {
    return this.proc.pid;
  }

  /** The server's origin, e.g. http://127.0.0.1:PORT. */
  get origin(): string {
    return new URL(this.doc.url).origin;
  }

  get token(): string {
    return new URL(this.doc.url).searchParams.get("token")!;
  }

  /** Stops it as Ctrl-C would; resolves with its exit code. */
  async stop(): Promise<number> {
    this.proc.kill("SIGINT");
    return this.proc.exited;
  }
}

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string | null> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text || null;
    text += decoder.decode(value, { stream: true });
    const nl = text.indexOf("\n");
    if (nl >= 0) {
      reader.releaseLock();
      return text.slice(0, nl);
    }
  }
}
