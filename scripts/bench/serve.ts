// How far behind `delta-sessions serve`'s page is: 20 shell sessions on one page in headless
// Chromium, one of them flooding (`yes`); for each quiet session a line is written and the time
// from the end of that `write` to the line appearing in the page's DOM is taken (a
// MutationObserver in the page stamps it), with and without the flood. Also the serve process's
// and the flooding holder's memory. Run: bun scripts/bench/serve.ts [rounds] (docs/serve.md).
import { readFileSync } from "node:fs";
import { Browser, ServeProcess } from "../../test/helpers/browser.ts";
import { Sandbox, waitFor } from "../../test/helpers/sandbox.ts";

const SESSIONS = 20;
const rounds = Number(process.argv[2] ?? 3);

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0) / 1024;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}

async function measure(flood: boolean): Promise<{ lags: number[]; serveRss: number; holderRss: number }> {
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
    if (flood) await box.run(["write", ids[0]!, "yes flooding\\r"]);
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
    return { lags, serveRss: rssMiB(srv.pid), holderRss: rssMiB(holders[0]!) };
  } finally {
    await browser.close();
    await srv.stop();
    await box.dispose();
  }
}

for (const flood of [false, true]) {
  const { lags, serveRss, holderRss } = await measure(flood);
  console.log(
    `${flood ? "flood in 1 of 20" : "no flood        "}: page behind by median ${percentile(lags, 0.5)} ms, p90 ${percentile(lags, 0.9)} ms, max ${Math.max(...lags)} ms over ${lags.length} lines; ` +
      `serve RSS ${serveRss.toFixed(1)} MiB; first session's holder RSS ${holderRss.toFixed(1)} MiB`,
  );
}
