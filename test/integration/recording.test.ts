// `start --record FILE.cast`: the holder writes an asciicast v2 recording while the session runs.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Recorder } from "../../src/holder/recording/recorder.ts";
import { HolderSession } from "../../src/holder/session.ts";
import { isAlive, Sandbox, waitFor } from "../helpers/sandbox.ts";

let box: Sandbox;
beforeEach(() => {
  box = new Sandbox();
});
afterEach(() => box.dispose());

type CastEvent = [number, "o" | "i" | "r", string];

function parseCast(path: string): { header: any; events: CastEvent[] } {
  const lines = readFileSync(path, "utf8").split("\n");
  expect(lines.pop()).toBe(""); // every line ends with a newline
  const header = JSON.parse(lines[0]!);
  const events = lines.slice(1).map((l) => JSON.parse(l) as CastEvent);
  return { header, events };
}

/** The holder writes the end of the recording as it stops: wait until it has. */
async function stopped(s: { session_id: string; holder_pid: number }): Promise<void> {
  await box.run(["wait", s.session_id, "--timeout", "10000"]);
  await waitFor("the holder to exit", () => !isAlive(s.holder_pid));
}

test("a scripted session's recording parses as asciicast v2 and its output events are exactly the program's bytes", async () => {
  const cast = join(box.dir, "demo.cast");
  const t0 = Math.floor(Date.now() / 1000);
  // "é" is written in two halves with a pause between them, so they arrive in separate reads.
  const script = [
    "printf 'caf\\303'",
    "sleep 0.3",
    "printf '\\251 ok\\n\\033[1;32mgreen\\033[0m 你好 \\360\\235\\204\\236\\n'",
    "IFS= read -r line",
    "printf 'got [%s]\\n' \"$line\"",
    "exit 4",
  ].join("; ");
  const s = await box.start(["--record", cast, "--cols", "80", "--rows", "10", "sh", "-c", script]);
  expect(statSync(cast).mode & 0o777).toBe(0o600);
  await box.run(["read", s.session_id, "--timeout", "5000", "--until", "你好"]);
  expect((await box.run(["resize", s.session_id, "90", "12"])).code).toBe(0);
  expect((await box.run(["write", s.session_id, "héllo wörld\\n"])).code).toBe(0);
  await stopped(s);

  const { header, events } = parseCast(cast);
  expect(header.version).toBe(2);
  expect([header.width, header.height]).toEqual([80, 10]);
  expect(header.timestamp).toBeGreaterThanOrEqual(t0 - 1);
  expect(header.timestamp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
  expect(header.env.TERM).toBe("xterm-256color");
  expect(header.command).toContain("sh -c");

  let last = 0;
  for (const [time, code, data] of events) {
    expect(typeof time).toBe("number");
    expect(time).toBeGreaterThanOrEqual(last);
    last = time;
    expect(["o", "i", "r"]).toContain(code);
    expect(typeof data).toBe("string");
  }
  const output = events.filter((e) => e[1] === "o").map((e) => e[2]).join("");
  // The bytes the program wrote, as the session kept them (the PTY turned \n into \r\n).
  const written = (await box.run(["read", s.session_id, "--all"])).stdoutBytes;
  expect(Buffer.from(output, "utf8").equals(Buffer.from(written))).toBe(true);
  expect(output).toBe("café ok\r\n\x1b[1;32mgreen\x1b[0m 你好 𝄞\r\nhéllo wörld\r\ngot [héllo wörld]\r\n");
  expect(output).not.toContain("\ufffd");
  // The split character is whole, in the event that completed it.
  expect(events.some((e) => e[1] === "o" && e[2].startsWith("é"))).toBe(true);
  expect(events.filter((e) => e[1] === "i").map((e) => e[2]).join("")).toBe("héllo wörld\n");
  expect(events.filter((e) => e[1] === "r").map((e) => e[2])).toEqual(["90x12"]);
});

test("bytes that are not UTF-8 are recorded as U+FFFD (asciicast holds text only)", async () => {
  const cast = join(box.dir, "bad.cast");
  const s = await box.start(["--record", cast, "sh", "-c", "printf 'a\\377b\\300\\n'"]);
  await stopped(s);
  const out = parseCast(cast).events.filter((e) => e[1] === "o").map((e) => e[2]).join("");
  expect(out).toBe("a\ufffdb\ufffd\r\n");
});

// asciinema cat wants a terminal (/dev/tty): script(1) gives it one, its output goes to a file.
test.skipIf(!Bun.which("asciinema") || !Bun.which("script"))("asciinema itself reads the recording back", async () => {
  const cast = join(box.dir, "play.cast");
  const out = join(box.dir, "play.out");
  const s = await box.start(["--record", cast, "sh", "-c", "printf 'one\\n'; sleep 0.1; printf 'two \\342\\234\\223\\n'"]);
  await stopped(s);
  const proc = Bun.spawnSync(["script", "-qec", `asciinema cat '${cast}' > '${out}'`, "/dev/null"], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  expect(proc.exitCode).toBe(0);
  expect(readFileSync(out, "utf8")).toBe("one\r\ntwo ✓\r\n");
});

test("an existing file is never overwritten, and a failed start leaves nothing behind", async () => {
  const cast = join(box.dir, "exists.cast");
  writeFileSync(cast, "precious\n");
  const r = await box.run(["start", "--record", cast, "sh"]);
  expect(r.code).toBe(1);
  expect(r.json.code).toBe("IO_ERROR");
  expect(r.json.error).toContain("already exists");
  expect(readFileSync(cast, "utf8")).toBe("precious\n");

  const missing = join(box.dir, "no-such-dir", "x.cast");
  const m = await box.run(["start", "--record", missing, "sh"]);
  expect(m.code).toBe(1);
  expect(m.json.code).toBe("IO_ERROR");

  // A command that does not exist: the recording file it would have made is not left either.
  const nf = join(box.dir, "nf.cast");
  const n = await box.run(["start", "--record", nf, "no-such-command-xyz"]);
  expect(n.json.code).toBe("COMMAND_NOT_FOUND");
  expect(existsSync(nf)).toBe(false);
  expect((await box.run(["list"])).json).toEqual([]);
});

test("a recording that fails to write stops with a log line; the session goes on", async () => {
  const logged: string[] = [];
  const session = new HolderSession({
    session_id: "sess_000000000000",
    name: null,
    sessions_dir: box.sessionsDir,
    runtime_dir: box.runtimeDir,
    command: ["sh", "-c", "echo first; IFS= read -r x; echo \"second $x\""],
    cwd: box.dir,
    env: {},
    cols: 80,
    rows: 24,
    buffer_size: 65536,
    record: "/dev/full",
    shell_integration: false,
  });
  box.track(session.pid);
  // /dev/full accepts the open and fails every write with ENOSPC.
  const recorder = Recorder.start("/dev/full", session, { ...({} as any), command: ["sh"], env: {} }, (l) => logged.push(l));
  expect(recorder).not.toBeNull();
  await waitFor("the failure to be logged", () => logged.some((l) => l.startsWith("recording stopped")));
  await session.withInputLock(() => session.deliverInput(new TextEncoder().encode("still here\n")));
  const exit = await session.waitForExit();
  expect(exit.exit_code).toBe(0);
  expect(new TextDecoder().decode(session.ring.slice(session.ring.start))).toContain("second still here");
  await recorder!.close();
  session.screen.dispose();
});
