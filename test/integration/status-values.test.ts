// Status values (SPEC §3a "Status values"): running, exited, crashed (the holder process is gone
// without saying so) and unresponsive (it exists but does not answer: stopped, socket removed);
// list entries carry `signal` as status does.
import { afterAll, describe, expect, test } from "bun:test";
import { Sandbox, waitFor } from "../helpers/sandbox.ts";

const sb = new Sandbox();
afterAll(() => sb.dispose());

describe("list carries signal", () => {
  test("a program killed by a signal: list and status both say which", async () => {
    const s = await sb.start(["sleep", "600"]);
    process.kill(s.pid, "SIGTERM");
    const w = await sb.run(["wait", s.session_id, "--timeout", "20000"]);
    expect(w.json).toMatchObject({ status: "exited", exit_code: null, signal: "SIGTERM" });
    const entry = (await sb.run(["list"])).json.find((e: { session_id: string }) => e.session_id === s.session_id);
    expect(entry).toMatchObject({ status: "exited", exit_code: null, signal: "SIGTERM" });
    const running = await sb.start(["sleep", "600"]);
    const live = (await sb.run(["list"])).json.find((e: { session_id: string }) => e.session_id === running.session_id);
    expect(live).toMatchObject({ status: "running", exit_code: null, signal: null });
  });
});
