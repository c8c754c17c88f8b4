// The threat model (docs/reliability.md, "Other users"): nobody but the user who started a session
// can reach it or read what it left on disk, nothing secret is written to disk, unsafe directories
// are refused, and the program's environment carries nothing of delta-sessions' own.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findProcesses, isGone, procEnviron, sh } from "../helpers/proc.ts";
import { BIN, Sandbox, waitFor } from "../helpers/sandbox.ts";

/** Every regular file under `dir`, recursively (sockets and links are listed too, not read). */
function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = lstatSync(p);
    if (st.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

describe("T1 the runtime directory must be private", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  const unsafe: Array<[string, (dir: string) => void, RegExp]> = [
    ["group-readable (0750)", (d) => (mkdirSync(d), chmodSync(d, 0o750)), /permissions are 750/],
    ["world-accessible (0755)", (d) => (mkdirSync(d), chmodSync(d, 0o755)), /permissions are 755/],
    ["traversable by others (0701)", (d) => (mkdirSync(d), chmodSync(d, 0o701)), /permissions are 701/],
    ["world-writable (1777)", (d) => (mkdirSync(d), chmodSync(d, 0o1777)), /permissions are 777/],
    [
      "a symlink to a private directory",
      (d) => {
        mkdirSync(`${d}-target`, { mode: 0o700 });
        symlinkSync(`${d}-target`, d);
      },
      /symbolic link/,
    ],
    ["a dangling symlink (someone else may create its target)", (d) => symlinkSync(`${d}-nowhere`, d), /symbolic link/],
    ["a regular file", (d) => writeFileSync(d, ""), /not a directory/],
    ["owned by another user", (d) => (mkdirSync(d, { mode: 0o700 }), chownSync(d, 65534, 65534)), /owned by uid 65534/],
  ];

  let n = 0;
  for (const [label, make, why] of unsafe) {
    test(`${label}: refused with UNSAFE_RUNTIME_DIR (exit 1) by start and by every command that would use it`, async () => {
      if (label.includes("another user") && process.getuid?.() !== 0) return; // chown needs root
      const dir = join(box.dir, `run-${++n}`);
      make(dir);
      const env = { DELTA_SESSIONS_RUNTIME_DIR: dir };
      const start = await box.run(["start", "sleep", "4244.1"], { env });
      expect(start.code).toBe(1);
      expect(start.json.code).toBe("UNSAFE_RUNTIME_DIR");
      expect(start.stderr).toMatch(why);
      expect(findProcesses(["sleep", "4244.1"])).toEqual([]);
      // A session started elsewhere is not reached through an unsafe directory either.
      const s = await box.start(["sleep", "600"]);
      for (const args of [["status", s.session_id], ["write", s.session_id, "x"], ["read", s.session_id], ["cleanup"]]) {
        const r = await box.run(args, { env });
        expect({ args, code: r.code, err: r.json.code }).toEqual({ args, code: 1, err: "UNSAFE_RUNTIME_DIR" });
      }
      // Nothing was put into it, and its mode was left alone.
      if (lstatSync(dir).isDirectory()) expect(readdirSync(dir)).toEqual([]);
      await box.run(["end", s.session_id]);
    });
  }

  test("created 0700 (owned by the user) under $XDG_RUNTIME_DIR, sockets 0600, whatever the umask", async () => {
    const xdg = join(box.dir, "xdg");
    mkdirSync(xdg, { mode: 0o700 });
    const sessions = join(box.dir, "umask-sessions");
    const r = Bun.spawnSync(["sh", "-c", `umask 000; exec "${BIN}" start sh -c 'echo hi; exit 0'`], {
      env: { ...box.env, DELTA_SESSIONS_RUNTIME_DIR: "", XDG_RUNTIME_DIR: xdg, DELTA_SESSIONS_DIR: sessions },
      cwd: box.dir,
    });
    const doc = JSON.parse(r.stdout.toString());
    box.track(doc.pid, doc.holder_pid);
    const runtime = join(xdg, "delta-sessions");
    const st = statSync(runtime);
    expect(st.mode & 0o777).toBe(0o700);
    expect(st.uid).toBe(process.getuid!());
    await waitFor("final state", () => existsSync(join(sessions, doc.session_id, "final.json")));
    expect(statSync(sessions).mode & 0o777).toBe(0o700);
    for (const f of walk(sessions)) {
      const mode = lstatSync(f).mode & 0o777;
      expect({ f, mode }).toEqual({ f, mode: 0o600 });
    }
    for (const d of [sessions, join(sessions, doc.session_id)]) expect(statSync(d).mode & 0o777).toBe(0o700);
  });

  test("a live session's socket is 0600 even under umask 000", async () => {
    const sessions = join(box.dir, "umask-live");
    const r = Bun.spawnSync(["sh", "-c", `umask 000; exec "${BIN}" start sleep 600`], { env: { ...box.env, DELTA_SESSIONS_DIR: sessions }, cwd: box.dir });
    const doc = JSON.parse(r.stdout.toString());
    box.track(doc.pid, doc.holder_pid);
    expect(statSync(join(box.runtimeDir, `${doc.session_id}.sock`)).mode & 0o777).toBe(0o600);
    expect(statSync(join(sessions, doc.session_id, "metadata.json")).mode & 0o777).toBe(0o600);
    expect(statSync(join(sessions, doc.session_id, "holder.log")).mode & 0o777).toBe(0o600);
  });
});

describe("T2 the sessions directory must not be someone else's", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("world-writable (even sticky): refused with UNSAFE_SESSIONS_DIR, nothing created in it", async () => {
    for (const mode of [0o777, 0o1777]) {
      const dir = join(box.dir, `shared-${mode.toString(8)}`);
      mkdirSync(dir);
      chmodSync(dir, mode);
      const r = await box.run(["start", "sleep", "4244.2"], { env: { DELTA_SESSIONS_DIR: dir } });
      expect(r.code).toBe(1);
      expect(r.json.code).toBe("UNSAFE_SESSIONS_DIR");
      expect(r.stderr).toContain("anyone can write to it");
      expect(readdirSync(dir)).toEqual([]);
    }
    expect(findProcesses(["sleep", "4244.2"])).toEqual([]);
  });

  test("every command refuses a sessions directory that became world-writable (SPEC §3a), and reads nothing from it", async () => {
    const dir = join(box.dir, "became-shared");
    const env = { DELTA_SESSIONS_DIR: dir };
    const s = await box.start(["--name", "shared", "sh", "-c", "echo secret-output; exec sleep 600"], { env });
    const peek = await box.run(["read", s.session_id, "--peek", "--timeout", "5000", "--until", "secret"], { env });
    expect(peek.stdout).toContain("secret-output");
    chmodSync(dir, 0o777);
    try {
      const commands: string[][] = [
        ["list"],
        ["status", s.session_id],
        ["status", "shared"],
        ["read", s.session_id, "--peek"],
        ["read", s.session_id, "--screen"],
        ["write", s.session_id, "x"],
        ["write-key", s.session_id, "enter"],
        ["resize", s.session_id, "80", "24"],
        ["wait", s.session_id, "--timeout", "1"],
        ["cleanup"],
        ["end", s.session_id],
        ["end", "--all"],
        ["attach", s.session_id],
      ];
      for (const args of commands) {
        const r = await box.run(args, { env });
        expect({ args, code: r.code, error: r.json.code }).toEqual({ args, code: 1, error: "UNSAFE_SESSIONS_DIR" });
        expect(r.stdout).not.toContain("secret");
      }
      const exec = await box.run(["exec", s.session_id, "echo hi"], { env });
      expect({ code: exec.code, error: exec.json.code }).toEqual({ code: 125, error: "UNSAFE_SESSIONS_DIR" });
    } finally {
      chmodSync(dir, 0o700);
    }
    // Nothing was ended or removed while refusing.
    expect((await box.run(["status", s.session_id], { env })).json.status).toBe("running");
    expect((await box.run(["end", s.session_id], { env })).code).toBe(0);
  });

  test.skipIf(process.getuid?.() !== 0)("owned by another user: refused", async () => {
    const dir = join(box.dir, "theirs");
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 65534, 65534);
    const r = await box.run(["start", "sleep", "4244.2"], { env: { DELTA_SESSIONS_DIR: dir } });
    expect(r.json.code).toBe("UNSAFE_SESSIONS_DIR");
    expect(r.stderr).toContain("owned by uid 65534");
  });

  test("group-writable (a user-private-group umask) is accepted", async () => {
    const dir = join(box.dir, "group");
    mkdirSync(dir);
    chmodSync(dir, 0o775);
    const s = await box.start(["sleep", "600"], { env: { DELTA_SESSIONS_DIR: dir } });
    expect(existsSync(join(dir, s.session_id, "metadata.json"))).toBe(true);
    await box.run(["end", s.session_id], { env: { DELTA_SESSIONS_DIR: dir } });
  });
});

// Another account on this machine: created for the test (root only), removed after.
const OTHER = `dsrel${process.pid}`;
const canUseOtherUser = process.platform === "linux" && process.getuid?.() === 0 && sh(["which", "useradd"]).code === 0 && sh(["which", "setpriv"]).code === 0;

describe.skipIf(!canUseOtherUser)(`T3 another user${canUseOtherUser ? "" : " (skipped: needs root, useradd and setpriv)"}`, () => {
  const box = new Sandbox();
  let uid = 0;
  let s: { session_id: string; pid: number; holder_pid: number };
  /** Runs argv as the other user, with the sandbox's environment (it points at our directories). */
  const asOther = (argv: string[]) => {
    const r = Bun.spawnSync(["setpriv", `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--", ...argv], { env: { ...box.env, HOME: "/" }, cwd: "/" });
    return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
  };

  beforeAll(async () => {
    const add = sh(["useradd", "--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin", OTHER]);
    if (add.code !== 0) throw new Error(`useradd: ${add.out}`);
    uid = Number(sh(["id", "-u", OTHER]).out.trim());
    // Only our own directories may stand in the way: the sandbox around them is open to all.
    chmodSync(box.dir, 0o755);
    s = await box.start(["bash", "--norc", "-i"]);
  });
  afterAll(async () => {
    await box.dispose();
    sh(["userdel", OTHER]);
  });

  test("cannot connect to the socket, even where the directory lets it reach the socket file", () => {
    const sock = join(box.runtimeDir, `${s.session_id}.sock`);
    // The system python: the other user cannot run one installed under root's home.
    const connect = [existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3", "-c", "import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); print('CONNECTED')", sock];
    const blocked = asOther(connect);
    expect(blocked.out).not.toContain("CONNECTED");
    expect(blocked.err).toContain("PermissionError");
    // Open the runtime directory for traversal: the socket's own 0600 still says no.
    chmodSync(box.runtimeDir, 0o711);
    try {
      const second = asOther(connect);
      expect(second.out).not.toContain("CONNECTED");
      expect(second.err).toContain("PermissionError");
    } finally {
      chmodSync(box.runtimeDir, 0o700);
    }
  });

  test("cannot list or read the sessions directory", () => {
    expect(asOther(["ls", box.sessionsDir]).code).not.toBe(0);
    expect(asOther(["cat", join(box.sessionsDir, s.session_id, "metadata.json")]).code).not.toBe(0);
    expect(asOther(["cat", join(box.sessionsDir, s.session_id, "holder.log")]).code).not.toBe(0);
  });

  test("delta-sessions run as that user reaches nothing and changes nothing", () => {
    for (const args of [["list"], ["status", s.session_id], ["write", s.session_id, "echo pwned\\n"], ["end", s.session_id], ["end", "--all"], ["cleanup"]]) {
      const r = asOther([BIN, ...args]);
      expect(r.code).not.toBe(0);
      const doc = JSON.parse(r.out);
      expect(["UNSAFE_RUNTIME_DIR", "UNSAFE_SESSIONS_DIR", "SESSION_NOT_FOUND", "IO_ERROR"]).toContain(doc.code);
    }
    expect(isGone(s.holder_pid)).toBe(false);
    expect(isGone(s.pid)).toBe(false);
  });

  test("cannot read the holder's environment (where its start-up configuration travels)", () => {
    expect(asOther(["cat", `/proc/${s.holder_pid}/environ`]).code).not.toBe(0);
    expect(asOther(["cat", `/proc/${s.pid}/environ`]).code).not.toBe(0);
  });

  test("the session is unharmed and still ours", async () => {
    const w = await box.run(["write", s.session_id, "echo still-mine$((40+2))\\n"]);
    const r = await box.run(["read", s.session_id, "--since", String(w.json.offset), "--timeout", "5000", "--until", "still-mine42"]);
    expect(r.stdout).toContain("still-mine42");
    expect(r.stdout).not.toContain("pwned");
  });
});

describe("T4 nothing secret on disk", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("secrets in the caller's environment and in --env reach the program but no file under the sessions or runtime directory", async () => {
    const inherited = `inherited-secret-${crypto.randomUUID()}`;
    const given = `given-secret-${crypto.randomUUID()}`;
    const env = { SECRET_TOKEN: inherited };
    // The program proves it got both (by their lengths: the values never appear on its command line).
    const s = await box.start(["--env", `API_KEY=${given}`, "--name", "secretive", "sh", "-c", 'echo lens=${#SECRET_TOKEN}/${#API_KEY}; read x; echo bye; exit 3'], { env });
    const seen = await box.run(["read", s.session_id, "--timeout", "5000", "--until", "lens="], { env });
    expect(seen.stdout).toContain(`lens=${inherited.length}/${given.length}`);
    // Exercise everything that writes files: input, resize, status, the exit and its final state.
    await box.run(["resize", s.session_id, "100", "40"], { env });
    await box.run(["write", s.session_id, "done\\n"], { env });
    await box.run(["wait", s.session_id, "--timeout", "10000"], { env });
    await box.run(["status", s.session_id], { env });
    await box.run(["read", s.session_id, "--screen"], { env });
    // The holder stores the final state after the exit `wait` reports: wait for the file itself.
    await waitFor("final state", () => existsSync(join(box.sessionsDir, s.session_id, "final.json")));
    const files = [...walk(box.sessionsDir), ...walk(box.runtimeDir)];
    expect(files.some((f) => f.endsWith("final.json"))).toBe(true);
    expect(files.some((f) => f.endsWith("metadata.json"))).toBe(true);
    for (const f of files) {
      if (!lstatSync(f).isFile()) continue;
      const text = readFileSync(f, "latin1");
      expect({ f, inherited: text.includes(inherited), given: text.includes(given) }).toEqual({ f, inherited: false, given: false });
      // Not base64-encoded either (final.json carries output as base64).
      for (const secret of [inherited, given]) expect(text.includes(Buffer.from(secret).toString("base64").slice(0, 24))).toBe(false);
    }
  });
});

describe("T5 the program's environment", () => {
  const box = new Sandbox();
  afterAll(() => box.dispose());

  test("has the caller's variables and --env, TERM, and none of delta-sessions' internal ones", async () => {
    const s = await box.start(["--env", "GIVEN=yes", "sleep", "600"], { env: { INHERITED: "yes", TERM: "dumb" } });
    const child = procEnviron(s.pid);
    expect(child.get("INHERITED")).toBe("yes");
    expect(child.get("GIVEN")).toBe("yes");
    expect(child.get("TERM")).toBe("xterm-256color");
    expect(child.has("DELTA_SESSIONS_HOLDER_CONFIG")).toBe(false);
    for (const k of child.keys()) expect(k.startsWith("BUN_")).toBe(false);
    // The holder does get its configuration that way (and only this user can read it).
    const holder = procEnviron(s.holder_pid);
    expect(JSON.parse(holder.get("DELTA_SESSIONS_HOLDER_CONFIG")!).session_id).toBe(s.session_id);
    expect(lstatSync(`/proc/${s.holder_pid}/environ`).uid).toBe(process.getuid!());
    // Nothing of it is on the holder's command line, which every user can read.
    expect(readFileSync(`/proc/${s.holder_pid}/cmdline`, "utf8").split("\0").filter(Boolean).slice(1)).toEqual(["--holder", s.session_id]);
  });

  test("error messages never echo raw control characters to a terminal", async () => {
    const r = await box.run(["status", "\x1b]0;pwned\x07\x1b[2J"]);
    expect(r.code).toBe(2);
    expect(r.stderr.includes("\x1b")).toBe(false);
    expect(r.stdout.includes("\x1b")).toBe(false);
  });
});
