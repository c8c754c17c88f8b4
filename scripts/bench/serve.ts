// How far behind `delta-sessions serve`'s page is: 20 shell sessions on one page in headless
// Chromium, one of them flooding (`yes`); for each quiet session a line is written and the time
// from the end of that `write` to the line appearing in the page's DOM is taken (a
// MutationObserver in the page stamps it), with and without the flood. Also the serve process's
// and the flooding holder's memory. Run: bun scripts/bench/serve.ts [rounds] (docs/serve.md).
import { readdirSync, readFileSync } from "node:fs";
import { Browser, ServeProcess } from "../../test/helpers/browser.ts";
import { Sandbox, waitFor } from "../../test/helpers/sandbox.ts";

const SESSIONS = 20;
const rounds = Number(process.argv[2] ?? 3);

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0) / 1024;
}

/** CPU time (user + system) a process has used, in ms. */
function cpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** CPU time of every Chromium process of this run (their command lines name its profile). */
function chromiumCpuMs(): number {
  let total = 0;
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, "utf8").includes("ds-chromium-")) total += cpuMs(Number(d));
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}

type Flood = "none" | "on the page" | "off the page";

async function measure(flood: Flood): Promise<{ lags: number[]; serveRss: number; holderRss: number; cpu: string }> {
  const box = new Sandbox();
  const browser = await Browser.launch();
  const srv = await ServeProcess.start(box);
  try {
    const ids: string[] = [];
    const holders: number[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const s = await box.start(["--cols", "80", "--rows", "24", "bash", "--norc", "-i"]);
      ids.push(s.session_id);
      holders.push(s.holder_pid);
    }
    const page = await browser.newPage();
    // Every terminal in view: xterm.js does not render those scrolled away.
    await page.setViewportSize({ width: 2400, height: 4000 });
    await page.goto(srv.doc.url);
    await waitFor("all rows", async () => (await page.locator("tr.session").count()) === SESSIONS, 30_000);
    // Stamps the moment each mark shows in its terminal's DOM.
    // (Browser code, given as text: this file is type-checked without the DOM's types.)
    await page.evaluate(`
      window.seen = {};
      new MutationObserver(() => {
        for (const el of document.querySelectorAll(".term[data-terminal-for] .xterm-rows")) {
          for (const m of el.textContent.matchAll(/bench-mark-\\d+-done/g)) if (!(m[0] in window.seen)) window.seen[m[0]] = Date.now();
        }
      }).observe(document.getElementById("grid"), { subtree: true, childList: true, characterData: true });
    `);
    let offPageHolder = 0;
    if (flood === "on the page") await box.run(["write", ids[0]!, "yes flooding\\r"]);
    if (flood === "off the page") {
      // The same flood in a session of another sessions directory: its cost to the machine
      // without the page showing it.
      const other = `${box.dir}/other-sessions`;
      const s = await box.start(["--sessions-dir", other, "bash", "--norc", "-i"]);
      offPageHolder = s.holder_pid;
      await box.run(["--sessions-dir", other, "write", s.session_id, "yes flooding\\r"]);
    }
    let floodHolder = holders[0]!;
    if (flood === "off the page") floodHolder = offPageHolder;
    const started = { at: Date.now(), serve: cpuMs(srv.pid), holder: cpuMs(floodHolder), chromium: chromiumCpuMs() };
    const lags: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (let i = 1; i < SESSIONS; i++) {
        const n = r * SESSIONS + i;
        await box.run(["write", ids[i]!, `echo bench-mark-$((${n}))-done\\r`]);
        const wrote = Date.now();
        const key = `bench-mark-${n}-done`;
        const seenAt = async () => Number(await page.evaluate(`window.seen[${JSON.stringify(key)}] ?? 0`));
        await waitFor(key, async () => (await seenAt()) > 0, 30_000);
        const seen = await seenAt();
        lags.push(Math.max(0, seen - wrote));
      }
    }
    const secs = (Date.now() - started.at) / 1000;
    const cpu = `CPU per second: serve ${((cpuMs(srv.pid) - started.serve) / secs).toFixed(0)} ms, flooding holder ${((cpuMs(floodHolder) - started.holder) / secs).toFixed(0)} ms, Chromium ${((chromiumCpuMs() - started.chromium) / secs).toFixed(0)} ms`;
    return { lags, serveRss: rssMiB(srv.pid), holderRss: rssMiB(floodHolder), cpu };
  } finally {
    await browser.close();
    await srv.stop();
    await box.dispose();
  }
}

for (const flood of ["none", "off the page", "on the page"] as const) {
  const { lags, serveRss, holderRss, cpu } = await measure(flood);
  console.log(
    `flood ${flood.padEnd(12)}: page behind by median ${percentile(lags, 0.5)} ms, p90 ${percentile(lags, 0.9)} ms, max ${Math.max(...lags)} ms over ${lags.length} lines; ` +
      `serve RSS ${serveRss.toFixed(1)} MiB; flooding (else first) session's holder RSS ${holderRss.toFixed(1)} MiB; ${cpu}`,
  );
}
