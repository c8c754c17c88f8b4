// The browser view of `delta-sessions serve` (docs/serve.md). Plain script, no build step: the
// server sends it as it is, after xterm.js (the global `Terminal`). One WebSocket carries the
// session list; each session's screen has its own, fed from the holder's attach stream.
"use strict";

const config = JSON.parse(document.getElementById("config").textContent);
const SMALL_FONT = 8;
const LARGE_FONT = 15;
const RECONNECT_MS = 1000;

/** @type {Map<string, {session: any, row: HTMLTableRowElement, card: HTMLElement, view: TerminalView, seenAt: number}>} */
const shown = new Map();
let largeId = null;

document.getElementById("mode").textContent = config.allowInput ? "typing allowed (--allow-input)" : "read-only";

function wsUrl(path) {
  return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
}

function el(tag, props, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const c of children) e.append(c);
  return e;
}

function label(s) {
  return s.name ?? s.session_id;
}

function uptime(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s % 60}s` : `${s}s`;
}

function inputText(s) {
  if (s.status !== "running") return s.exit_code !== null ? `exit ${s.exit_code}` : s.signal ?? "";
  return s.waiting_for_input ? "waiting for input" : "busy";
}

/** One session's terminal: an xterm.js Terminal fed by the server's WebSocket for it. */
class TerminalView {
  constructor(sessionId, container) {
    this.sessionId = sessionId;
    this.container = container;
    this.term = new Terminal({
      fontSize: SMALL_FONT,
      disableStdin: !config.allowInput,
      cursorBlink: false,
      scrollback: 200,
      allowProposedApi: false,
    });
    this.term.open(container);
    this.large = false;
    this.fitted = false;
    this.term.onResize(() => this.fit());
    this.ws = null;
    this.ended = false;
    this.disposed = false;
    if (config.allowInput) {
      this.term.onData((data) => this.send({ type: "input", data }));
    }
    this.connect();
  }

  connect() {
    if (this.disposed) return;
    const ws = new WebSocket(wsUrl("/ws/terminal/" + encodeURIComponent(this.sessionId)));
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onmessage = (ev) => this.receive(ev.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (!this.ended && !this.disposed) setTimeout(() => this.connect(), RECONNECT_MS);
    };
  }

  send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  /** Tells the server how much the emulator has parsed (flow control: docs/serve.md). */
  ack(bytes) {
    this.send({ type: "ack", bytes });
  }

  receive(data) {
    if (data instanceof ArrayBuffer) {
      const bytes = new Uint8Array(data);
      this.term.write(bytes, () => this.ack(bytes.length));
      return;
    }
    const m = JSON.parse(data);
    switch (m.type) {
      case "redraw":
        this.term.reset();
        this.resize(m.cols, m.rows);
        this.term.write(m.screen, () => this.ack(m.screen.length));
        // Later sizes come with onResize; measuring forces a layout of the page, so not on every
        // redraw (a flooding session is redrawn several times a second).
        if (!this.fitted) requestAnimationFrame(() => this.fit());
        this.fitted = true;
        break;
      case "final":
        this.ended = true;
        this.term.reset();
        this.resize(m.cols, m.rows);
        this.term.write(m.lines.join("\r\n"));
        break;
      case "exited":
        this.ended = true;
        break;
      case "error":
        this.ended = true;
        this.term.write(`\r\n\x1b[31m[${m.code}: ${m.message}]\x1b[0m`);
        break;
    }
  }

  resize(cols, rows) {
    if (this.term.cols !== cols || this.term.rows !== rows) this.term.resize(cols, rows);
  }

  setLarge(large) {
    this.large = large;
    this.term.options.fontSize = large ? LARGE_FONT : SMALL_FONT;
    // xterm.js hides its rendered rows from assistive technology; its screen-reader mode keeps the
    // text in an accessible tree of its own. Kept for the terminal being read: it costs each
    // update of the screen, which a grid of floods would pay many times over.
    this.term.options.screenReaderMode = large;
    requestAnimationFrame(() => this.fit());
    if (large && config.allowInput) this.term.focus();
  }

  /** In the grid, the whole screen shows, scaled down to the card's width. */
  fit() {
    const screen = this.term.element && this.term.element.querySelector(".xterm-screen");
    if (!screen) return;
    const box = this.term.element;
    box.style.transform = "";
    this.container.style.height = "";
    if (this.large) return;
    const scale = Math.min(1, (this.container.clientWidth - 8) / screen.offsetWidth);
    box.style.transformOrigin = "0 0";
    box.style.transform = `scale(${scale})`;
    this.container.style.height = `${Math.ceil(screen.offsetHeight * scale) + 8}px`;
  }

  dispose() {
    this.disposed = true;
    if (this.ws) this.ws.close();
    this.term.dispose();
  }
}

function addSession(s) {
  const row = el("tr", { className: "session" });
  row.dataset.sessionId = s.session_id;
  row.addEventListener("click", () => openLarge(s.session_id));
  document.querySelector("#sessions tbody").append(row);

  const termBox = el("div", { className: "term" });
  termBox.dataset.terminalFor = s.session_id;
  const card = el(
    "article",
    { className: "card", tabIndex: 0 },
    el("header", {}, el("strong", { className: "title" }), el("span", { className: "cmd" }), el("span", { className: "badge" })),
    termBox,
  );
  card.dataset.sessionId = s.session_id;
  card.addEventListener("click", () => openLarge(s.session_id));
  card.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && largeId === null) openLarge(s.session_id);
  });
  document.getElementById("grid").append(card);
  const entry = { session: s, row, card, view: new TerminalView(s.session_id, termBox), seenAt: Date.now() };
  shown.set(s.session_id, entry);
  return entry;
}

function render(entry) {
  const s = entry.session;
  const up = s.uptime_seconds + (s.status === "running" ? (Date.now() - entry.seenAt) / 1000 : 0);
  const cells = [
    ["name", s.name ?? ""],
    ["id", s.session_id],
    ["command", s.command.join(" ")],
    ["status status-" + s.status, s.status],
    ["input", inputText(s)],
    ["uptime", uptime(up)],
  ];
  if (entry.row.children.length === 0) for (const [cls] of cells) entry.row.append(el("td", { className: cls }));
  cells.forEach(([cls, text], i) => {
    const td = entry.row.children[i];
    td.className = cls;
    if (td.textContent !== text) td.textContent = text;
  });
  const waiting = s.status === "running" && s.waiting_for_input === true;
  entry.row.classList.toggle("waiting", waiting);
  entry.card.classList.toggle("waiting", waiting);
  entry.card.querySelector(".title").textContent = label(s);
  entry.card.querySelector(".cmd").textContent = s.command.join(" ");
  entry.card.querySelector(".badge").textContent = s.status === "running" ? (waiting ? "waiting for input" : "") : s.status;
  entry.card.setAttribute("aria-label", `${label(s)}: ${s.command.join(" ")}, ${s.status}${waiting ? ", waiting for input" : ""}; Enter opens it`);
}

function showSessions(list) {
  const now = Date.now();
  const ids = new Set(list.map((s) => s.session_id));
  for (const [id, entry] of shown) {
    if (ids.has(id)) continue;
    if (largeId === id) closeLarge();
    entry.view.dispose();
    entry.row.remove();
    entry.card.remove();
    shown.delete(id);
  }
  for (const s of list) {
    const entry = shown.get(s.session_id) ?? addSession(s);
    entry.session = s;
    entry.seenAt = now;
    render(entry);
  }
  document.getElementById("empty").hidden = list.length > 0;
}

function openLarge(id) {
  const entry = shown.get(id);
  if (!entry) return;
  if (largeId !== null) closeLarge();
  largeId = id;
  document.getElementById("large-title").textContent = `${label(entry.session)} — ${entry.session.command.join(" ")}`;
  document.getElementById("large-body").append(entry.view.container);
  document.getElementById("large").hidden = false;
  entry.view.setLarge(true);
}

function closeLarge() {
  const entry = largeId !== null ? shown.get(largeId) : undefined;
  largeId = null;
  document.getElementById("large").hidden = true;
  if (!entry) return;
  entry.card.append(entry.view.container);
  entry.view.setLarge(false);
}

document.getElementById("close").addEventListener("click", closeLarge);
document.addEventListener("keydown", (e) => {
  // With typing allowed, Escape belongs to the program; the button closes the view.
  if (e.key === "Escape" && largeId !== null && !config.allowInput) closeLarge();
});

function connectList() {
  const ws = new WebSocket(wsUrl("/ws/sessions"));
  const status = document.getElementById("connection");
  ws.onopen = () => (status.textContent = "");
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    if (m.type === "sessions") showSessions(m.sessions);
    else if (m.type === "error") status.textContent = m.message;
  };
  ws.onclose = () => {
    status.textContent = "disconnected from delta-sessions serve; retrying…";
    setTimeout(connectList, RECONNECT_MS);
  };
}

window.addEventListener("resize", () => {
  for (const entry of shown.values()) entry.view.fit();
});
setInterval(() => {
  for (const entry of shown.values()) render(entry);
}, 1000);
connectList();
