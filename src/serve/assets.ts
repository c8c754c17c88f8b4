// The page's files, inside the binary (no CDN, no network): imported as text, so the bundler puts
// them in this module's chunk, which only `serve` loads.
import xtermCss from "@xterm/xterm/css/xterm.css" with { type: "text" };
import xtermJs from "@xterm/xterm/lib/xterm.js" with { type: "text" };
import pageCss from "./page/page.css" with { type: "text" };
import pageHtml from "./page/index.html" with { type: "text" };
import pageJs from "./page/page.js" with { type: "text" };

export interface Asset {
  body: string;
  type: string;
}

export const ASSETS: Record<string, Asset> = {
  "/assets/xterm.js": { body: xtermJs, type: "text/javascript; charset=utf-8" },
  "/assets/xterm.css": { body: xtermCss, type: "text/css; charset=utf-8" },
  "/assets/page.js": { body: pageJs, type: "text/javascript; charset=utf-8" },
  "/assets/page.css": { body: pageCss, type: "text/css; charset=utf-8" },
};

/** The page, with what its script needs to know (JSON in a data block: no inline script runs). */
export function renderPage(config: { allowInput: boolean }): string {
  // "<" escaped: the JSON cannot close the element it sits in.
  // A string with `type: "text"`; Bun's types describe the other kind of HTML import (a bundle).
  return (pageHtml as unknown as string).replace("__CONFIG__", JSON.stringify(config).replace(/</g, "\\u003c"));
}
