// The MCP server on "another machine": `ssh localhost delta-sessions mcp` as the server command,
// with an sshd this test starts on a free loopback port with a throwaway host key and user key.
// Skipped, with the reason, where sshd cannot run (not installed, or not allowed here).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { BIN, Sandbox } from "../helpers/sandbox.ts";
import { McpSession } from "../helpers/mcp.ts";
import { TestSshd, whySshdCannotRun } from "../helpers/sshd.ts";

const box = new Sandbox();
const whyNot = whySshdCannotRun();
if (whyNot) console.warn(`skipping the MCP-over-ssh test: ${whyNot}`);
const sshd = whyNot ? null : new TestSshd(join(box.dir, "ssh"));

beforeAll(async () => {
  await sshd?.start();
});

afterAll(async () => {
  sshd?.stop();
  await box.dispose();
});

test.skipIf(whyNot !== null)(
  "ssh localhost delta-sessions mcp: a session started over ssh is an ordinary local session",
  async () => {
    const remote = ["env", `DELTA_SESSIONS_DIR=${box.sessionsDir}`, `DELTA_SESSIONS_RUNTIME_DIR=${box.runtimeDir}`, "SHELL=/bin/bash", BIN, "mcp"];
    const mcp = await McpSession.open(box, [], {
      command: "ssh",
      commandArgs: [...sshd!.clientOptions().flatMap((o) => ["-o", o]), "-p", String(sshd!.port), "localhost", ...remote],
    });
    try {
      const sh = await mcp.ok("start", { command: ["bash", "--norc", "-i"], name: "over-ssh" });
      box.track(sh.pid, sh.holder_pid);
      const r = await mcp.ok("exec", { session: "over-ssh", command: "echo $((6 * 7)); (exit 4)" });
      expect(r).toMatchObject({ output: "42\n", exit_code: 4 });
      const local = await box.run(["status", "over-ssh", "--json"]);
      expect(local.json).toMatchObject({ session_id: sh.session_id, status: "running" });
    } finally {
      await mcp.close();
    }
    // The remote server ended with the connection; the session stays.
    expect((await box.run(["exec", "over-ssh", "echo", "after"])).stdout).toBe("after\n");
  },
  60_000,
);
