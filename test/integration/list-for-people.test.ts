// `list` and `status` print tables for a person at a terminal, and stay JSON when piped or with --json.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { BIN, Sandbox } from "../helpers/sandbox.ts";
import { Tmux } from "../helpers/tmux.ts";

let box: Sandbox;
let tmux: Tmux;
beforeEach(() => {
  box = new Sandbox();
  tmux = new Tmux(box.env);
});
afterEach(async () => {
  tmux.kill();
  await box.dispose();
});

test("list at a terminal: an aligned table; piped or --json: JSON", async () => {
  const web = await box.start(["--name", "web", "sleep", "600"]);
  const done = await box.start(["sh", "-c", "exit 3"]);
  await box.run(["wait", done.session_id, "--timeout", "5000"]);
  const pane = tmux.newShell("list", 100, 30);
  tmux.type(pane, `clear; ${BIN} list; echo list-done`);
  const lines = await tmux.waitForText(pane, /^list-done$/m);
  const at = lines.findIndex((l) => l.startsWith("ID "));
  expect(at).toBeGreaterThanOrEqual(0);
  const table = lines.slice(at, at + 3);
  expect(table[0]).toMatch(/^ID\s+NAME\s+STATUS\s+PID\s+AGE\s+COMMAND$/);
  const column = (name: string) => table[0]!.indexOf(name);
  expect(table[1]!.startsWith(web.session_id)).toBe(true);
  expect(table[1]!.slice(column("NAME"))).toMatch(/^web\s+running\s+\d+\s+\d+s\s+sleep 600$/);
  expect(table[1]!.slice(column("PID")).startsWith(String(web.pid))).toBe(true);
  expect(table[2]!.startsWith(done.session_id)).toBe(true);
  expect(table[2]!.slice(column("STATUS"))).toMatch(/^exited\(3\)\s+\d+\s+\d+s\s+sh -c 'exit 3'$/);

  tmux.type(pane, `clear; ${BIN} list --json; echo; ${BIN} list | cat; echo json-done`);
  await tmux.waitForText(pane, /^json-done$/m);
  const docs = tmux
    .captureJoined(pane)
    .filter((l) => l.startsWith("["))
    .map((l) => JSON.parse(l));
  expect(docs.length).toBe(2);
  for (const d of docs) expect(d.map((x: any) => x.session_id)).toEqual([web.session_id, done.session_id]);
  // Piped, as agents run it.
  expect((await box.run(["list"])).json.map((x: any) => x.name)).toEqual(["web", null]);
});

test("status at a terminal: field and value lines; piped or --json: JSON", async () => {
  const s = await box.start(["--name", "st", "sleep", "600"]);
  const pane = tmux.newShell("status", 100, 40);
  tmux.type(pane, `clear; ${BIN} status st; echo status-done`);
  const lines = await tmux.waitForText(pane, /^status-done$/m);
  // Field names padded to the longest one, then the value.
  const fields = new Map(lines.filter((l) => /^\S+ {2,}\S/.test(l)).map((l) => [l.split(/ +/)[0], l.replace(/^\S+ +/, "")]));
  const width = lines.find((l) => l.startsWith("session_id "))!.indexOf("sess_");
  for (const l of lines.filter((l) => /^[a-z_]+ {2,}\S/.test(l))) expect({ l, at: l.search(/ \S/) + 1 }).toEqual({ l, at: width });
  expect(fields.get("session_id")).toBe(s.session_id);
  expect(fields.get("name")).toBe("st");
  expect(fields.get("status")).toBe("running");
  expect(fields.get("command")).toBe("sleep 600");
  expect(fields.get("waiting_for_input")).toBe("false");
  tmux.type(pane, `clear; ${BIN} status st --json; echo status-json-done`);
  await tmux.waitForText(pane, /^status-json-done$/m);
  const doc = JSON.parse(tmux.captureJoined(pane).find((l) => l.startsWith("{"))!);
  expect(doc.session_id).toBe(s.session_id);
  expect((await box.run(["status", "st"])).json.status).toBe("running");
});
