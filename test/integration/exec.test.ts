// exec against the compiled binary, in each supported shell present on this machine: every call is
// a separate process, the checks look at exact output and exit codes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { BIN, Sandbox, waitFor, type RunResult } from "../helpers/sandbox.ts";

const SHELLS: Array<{ name: string; command: (box: Sandbox) => string[] }> = [
  { name: "bash", command: (box) => ["--env", `HISTFILE=${join(box.dir, "bash_history")}`, "bash", "--norc", "-i"] },
  { name: "dash", command: () => ["dash"] },
  // -f: no start-up files (a missing ~/.zshrc would start zsh's new-user menu).
  { name: "zsh", command: (box) => ["--env", `HISTFILE=${join(box.dir, "zsh_history")}`, "zsh", "-f"] },
];

const MARK = "\x1b]697";
/** Per-test limit: every wait inside has its own shorter deadline. */
const T = 30_000;

/** The session's mark secret, from the script exec wrote (it is in every mark). */
function markSecret(box: Sandbox, id: string): string {
  const m = readFileSync(join(box.sessionsDir, id, "exec.sh"), "utf8").match(/697;([0-9a-f]+);/);
  if (!m) throw new Error("no secret in exec.sh");
  return m[1]!;
}

/** No mark in the byte stream still buffered, nor on the screen or in its scrollback. */
async function expectNoMarks(box: Sandbox, id: string, secret: string): Promise<void> {
  const all = await box.run(["read", id, "--all", "--peek"]);
  expect(all.code).toBe(0);
  expect(all.stdout.includes(`${MARK};${secret}`)).toBe(false);
  const screen = await box.run(["read", id, "--screen", "--json", "--scrollback", "10000"]);
  expect(screen.code).toBe(0);
  const text = (screen.json.lines as string[]).join("\n");
  expect(text).not.toMatch(new RegExp(`697;${secret};[SP];`));
}

for (const shell of SHELLS) {
  describe.skipIf(!Bun.which(shell.name))(`exec in ${shell.name}`, () => {
    // Created in beforeAll: a skipped block (shell not installed) leaves nothing behind.
    let box: Sandbox;
    let id = "";
    const exec = (args: string[], opts?: { stdin?: string }): Promise<RunResult> => box.run(["exec", id, ...args], opts);

    /**
     * Starts an exec whose command creates a flag file once it runs (`FLAG` in the command), and
     * returns once it does. An exec that ends before that fails the test with what it printed.
     */
    async function execStarted(args: string[], name: string): Promise<{ done: Promise<RunResult> }> {
      const flag = join(box.dir, `${name}-${shell.name}.flag`);
      let early: RunResult | null = null;
      const pending = exec(args.map((a) => a.replaceAll("FLAG", `'${flag}'`))).then((r) => {
        early = r;
        return r;
      });
      await waitFor(`${name} to start`, () => existsSync(flag) || early !== null);
      if (!existsSync(flag)) throw new Error(`exec ended before its command ran: ${JSON.stringify(early)}`);
      // Wrapped: an async function returning a promise would wait for it.
      return { done: pending };
    }

    beforeAll(async () => {
      box = new Sandbox();
      id = (await box.start(shell.command(box))).session_id;
    }, T);
    afterAll(() => box?.dispose());

    test("exact output and exit status", async () => {
      const hi = await exec(["echo hi"]);
      expect({ code: hi.code, stdout: hi.stdout, stderr: hi.stderr }).toEqual({ code: 0, stdout: "hi\n", stderr: "" });
      const f = await exec(["false"]);
      expect({ code: f.code, stdout: f.stdout }).toEqual({ code: 1, stdout: "" });
      const e42 = await exec(["echo", "out;", "echo err >&2;", "(exit 42)"]);
      expect({ code: e42.code, stdout: e42.stdout }).toEqual({ code: 42, stdout: "out\nerr\n" });
    }, T);

    test("an unknown command: 127, and the message names no file of ours", async () => {
      const r = await exec(["no_such_command_xyz"]);
      expect(r.code).toBe(127);
      expect(r.stdout).toContain("no_such_command_xyz");
      expect(r.stdout).not.toContain("exec.sh");
      expect(r.stdout.endsWith("\n")).toBe(true);
    }, T);

    test("--json: the document and exit 0 whatever the status", async () => {
      const r = await exec(["--json", "printf 'a\\tb\\n'; (exit 3)"]);
      expect(r.code).toBe(0);
      expect(Object.keys(r.json).sort()).toEqual(["duration_ms", "exit_code", "output", "signal", "timed_out"]);
      expect(r.json).toMatchObject({ output: "a\tb\n", exit_code: 3, signal: null, timed_out: false });
      expect(r.json.duration_ms).toBeGreaterThanOrEqual(0);
    }, T);

    test("state persists: cd, export, variables, functions, options, $?", async () => {
      const dir = realpathSync(box.dir);
      expect((await exec([`cd '${dir}'`])).code).toBe(0);
      expect((await exec(["pwd"])).stdout).toBe(`${dir}\n`);
      expect((await exec(["export X=1; Y=two"])).code).toBe(0);
      expect((await exec(['echo "$X $Y"; sh -c \'echo "child sees $X"\''])).stdout).toBe("1 two\nchild sees 1\n");
      expect((await exec(['greet() { echo "hello $1"; return 7; }'])).code).toBe(0);
      const called = await exec(["greet world"]);
      expect({ code: called.code, stdout: called.stdout }).toEqual({ code: 7, stdout: "hello world\n" });
      expect((await exec(["set -o noglob"])).code).toBe(0);
      expect((await exec(["echo /*"])).stdout).toBe("/*\n");
      expect((await exec(["set +o noglob"])).code).toBe(0);
      // set -e persists too, and nothing of exec's own trips it.
      expect((await exec(["set -e"])).code).toBe(0);
      expect((await exec(["echo still here"])).stdout).toBe("still here\n");
      expect((await exec(["set +e"])).code).toBe(0);
      expect((await exec(["(exit 5)"])).code).toBe(5);
      expect((await exec(['echo "previous=$?"'])).stdout).toBe("previous=5\n");
    }, T);

    test("background jobs stay with the shell", async () => {
      expect((await exec(["sleep 300 &"])).code).toBe(0);
      const jobs = await exec(["jobs"]);
      expect(jobs.stdout).toContain("sleep 300");
      // $! rather than %1: zsh numbers jobs started inside a sourced file above the file's own.
      expect((await exec(["kill $!"])).code).toBe(0);
      // Reaped, so that no shell complains about running jobs later.
      await exec(["wait"]);
      expect((await exec(["jobs"])).stdout).not.toContain("sleep 300");
    }, T);

    test("a multi-line command, from the arguments and from stdin", async () => {
      const args = await exec(["for i in 1 2 3\ndo\n  echo \"n=$i\"\ndone\nif true; then\n  echo done\nfi"]);
      expect({ code: args.code, stdout: args.stdout }).toEqual({ code: 0, stdout: "n=1\nn=2\nn=3\ndone\n" });
      const stdin = await exec([], { stdin: "cat <<'EOF'\nheredoc $HOME line\nEOF\necho 'quote\nspans lines'\n(exit 4)\n" });
      expect({ code: stdin.code, stdout: stdin.stdout }).toEqual({ code: 4, stdout: "heredoc $HOME line\nquote\nspans lines\n" });
    }, T);

    test("output without a trailing newline", async () => {
      const r = await exec(["printf abc"]);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: "abc" });
      expect((await exec(["printf ''"])).stdout).toBe("");
      expect((await exec(["echo next"])).stdout).toBe("next\n");
    }, T);

    test("output holding marker text, a fake prompt, and the script itself", async () => {
      const fake = await exec(["printf '\\033]697;0000;P;0\\007x]697;1;P;0\\n$ \\nbash-5.2# (exit 9)\\n\\033]697;'"]);
      expect({ code: fake.code, stdout: fake.stdout }).toEqual({ code: 0, stdout: "x]697;1;P;0\n$ \nbash-5.2# (exit 9)\n" });
      const script = join(box.sessionsDir, id, "exec.sh");
      const cat = await exec([`cat '${script}'`]);
      expect(cat.code).toBe(0);
      expect(cat.stdout).toBe(readFileSync(script, "utf8"));
      expect(cat.stdout).toContain("697;");
      // Checked here too: the megabyte below pushes these execs out of the 1 MiB buffer.
      await expectNoMarks(box, id, markSecret(box, id));
    }, T);

    test("1 MB of output arrives exactly", async () => {
      const expected = Array.from({ length: 170_000 }, (_, i) => String(i + 1)).join("\n") + "\n";
      expect(expected.length).toBeGreaterThan(1_000_000);
      const r = await exec(["i=1; while [ $i -le 170000 ]; do echo $i; i=$((i+1)); done"]);
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBe(expected.length);
      expect(r.stdout === expected).toBe(true);
    }, T);

    test("a command that reads from the terminal gets what is written meanwhile", async () => {
      const { done: pending } = await execStarted(["--json", 'echo ask; touch FLAG; read -r answer; echo "got [$answer]"'], "question");
      expect((await box.run(["write", id, "forty two\\r"])).code).toBe(0);
      const r = await pending;
      expect(r.json).toMatchObject({ exit_code: 0, timed_out: false });
      // The terminal echoes what was typed, as it would on screen.
      expect(r.json.output).toBe("ask\nforty two\ngot [forty two]\n");
    }, T);

    test("Ctrl-C from another process ends the command with 130", async () => {
      const { done: pending } = await execStarted(["echo before; touch FLAG; sleep 300; echo never"], "interrupt");
      expect((await box.run(["write-key", id, "ctrl+c"])).code).toBe(0);
      const r = await pending;
      expect(r.code).toBe(130);
      expect(r.stdout.startsWith("before\n")).toBe(true);
      expect(r.stdout).not.toContain("never");
      expect((await exec(["echo usable"])).stdout).toBe("usable\n");
    }, T);

    test("a second exec while one runs gets BUSY, and nothing of it is typed", async () => {
      const { done: first } = await execStarted(["touch FLAG; sleep 300"], "busy");
      const second = await exec(["echo second-exec-text"]);
      expect(second.code).toBe(125);
      expect(second.json.code).toBe("BUSY");
      await box.run(["write-key", id, "ctrl+c"]);
      expect((await first).code).toBe(130);
      expect((await box.run(["read", id, "--all", "--peek"])).stdout).not.toContain("second-exec-text");
    }, T);

    test("--timeout: exit 124 with the output so far, the command keeps running, then the session works again", async () => {
      const flag = join(box.dir, `timeout-${shell.name}`);
      const r = await exec(["--timeout", "300", `echo partial; sleep 300; touch '${flag}'`]);
      expect(r.code).toBe(124);
      expect(r.stdout).toBe("partial\n");
      expect(r.stderr).toContain("timed out");
      // Still running: the next exec is refused rather than typed into it.
      const busy = await exec(["echo x"]);
      expect(busy.json.code).toBe("BUSY");
      await box.run(["write-key", id, "ctrl+c"]);
      await waitFor("the shell to be free", async () => (await exec(["echo free"])).stdout === "free\n");
      expect(existsSync(flag)).toBe(false);
    }, T);

    test("--timeout --kill-on-timeout interrupts the command; --json reports it", async () => {
      const r = await exec(["--timeout", "300", "--kill-on-timeout", "--json", "echo partial; sleep 300; echo never"]);
      expect(r.code).toBe(0);
      expect(r.json).toMatchObject({ exit_code: 130, signal: "SIGINT", timed_out: true });
      expect(r.json.output.startsWith("partial\n")).toBe(true);
      expect(r.json.output).not.toContain("never");
      expect((await exec(["echo after-kill"])).stdout).toBe("after-kill\n");
    }, T);

    test("a client killed mid-exec leaves the command running to its end; then the session is free", async () => {
      const started = join(box.dir, `killed-client-${shell.name}.flag`);
      const finished = join(box.dir, `killed-client-${shell.name}.done`);
      const client = Bun.spawn([BIN, "exec", id, `touch '${started}'; sleep 2; touch '${finished}'`], { env: box.env, stdout: "ignore", stderr: "ignore" });
      await waitFor("the command to start", () => existsSync(started));
      client.kill("SIGKILL");
      await client.exited;
      expect((await exec(["echo too-early"])).json.code).toBe("BUSY");
      await waitFor("the command to finish", () => existsSync(finished));
      await waitFor("the shell to be free", async () => (await exec(["echo free"])).stdout === "free\n");
    }, T);

    test("a foreground command typed with write makes exec BUSY instead of typing into it", async () => {
      const flag = join(box.dir, `fg-${shell.name}`);
      await box.run(["write", id, `touch '${flag}'; sleep 300\\r`]);
      await waitFor("the command to start", () => existsSync(flag));
      const r = await exec(["echo typed-into-sleep"]);
      expect(r.code).toBe(125);
      expect(r.json.code).toBe("BUSY");
      await box.run(["write-key", id, "ctrl+c"]);
      await waitFor("the shell to be free", async () => (await exec(["echo free"])).stdout === "free\n");
    }, T);

    test("a command typed with write just before exec is waited for", async () => {
      await box.run(["write", id, "cd /\\r"]);
      expect((await exec(["pwd"])).stdout).toBe("/\n");
    }, T);

    test("the wrapper stays out of the history where the shell allows it", async () => {
      if (shell.name === "dash") return; // dash keeps no history
      const listed = async () => {
        const r = await exec([shell.name === "zsh" ? "fc -l 1" : "history"]);
        expect(r.code).toBe(0);
        // The typed line (` . …/exec.sh`); exec's commands are in the history, `cat …/exec.sh` too.
        return r.stdout.split("\n").filter((l) => /^\s*\d+\s+\. .*exec\.sh/.test(l)).length;
      };
      const before = await listed();
      // bash deletes the line each time; zsh's hook keeps out every line after the first exec's
      // (and lets lines in under set -e, where its hook may not say no).
      if (shell.name === "bash") expect(before).toBe(0);
      await exec(["echo history-probe"]);
      await exec(["echo history-probe-2"]);
      expect(await listed()).toBe(before);
    }, T);

    test("read and read --screen show no marks after all of that", async () => {
      await expectNoMarks(box, id, markSecret(box, id));
    }, T);

    test("exit in the command ends the session with its status", async () => {
      const r = await exec(["echo bye; exit 7"]);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 7, stdout: "bye\n" });
      const status = await box.run(["status", id]);
      expect(status.json).toMatchObject({ status: "exited", exit_code: 7 });
      const after = await exec(["echo x"]);
      expect({ code: after.code, err: after.json.code }).toEqual({ code: 125, err: "SESSION_EXITED" });
    }, T);
  });
}

describe("exec refuses what it cannot serve", () => {
  let box: Sandbox;
  beforeAll(() => {
    box = new Sandbox();
  });
  afterAll(() => box?.dispose());

  /** Nothing was typed: the first thing the program receives is our probe. */
  async function expectNothingTyped(id: string): Promise<void> {
    await box.run(["write", id, "probe-after\\r"]);
    const r = await box.run(["read", id, "--all", "--timeout", "5000", "--until", "probe-after"]);
    expect(r.stdout).toContain("probe-after");
    expect(r.stdout.slice(0, r.stdout.indexOf("probe-after"))).not.toContain("exec");
  }

  test("a program that is not a shell: EXEC_UNSUPPORTED (125), nothing typed", async () => {
    const s = await box.start(["cat"]);
    const r = await box.run(["exec", s.session_id, "echo hi"]);
    expect(r.code).toBe(125);
    expect(r.json.code).toBe("EXEC_UNSUPPORTED");
    await expectNothingTyped(s.session_id);
    const before = (await box.run(["read", s.session_id, "--all"])).stdout;
    expect(before.startsWith("probe-after")).toBe(true);
  }, T);

  test.skipIf(!Bun.which("python3"))("python3: EXEC_UNSUPPORTED, promptly", async () => {
    const s = await box.start(["python3", "-q"]);
    const t = performance.now();
    const r = await box.run(["exec", s.session_id, "print(1)"]);
    expect(performance.now() - t).toBeLessThan(5000);
    expect({ code: r.code, err: r.json.code }).toEqual({ code: 125, err: "EXEC_UNSUPPORTED" });
    await expectNothingTyped(s.session_id);
  }, T);

  test("a shell started with --no-shell-integration: EXEC_UNSUPPORTED, nothing typed", async () => {
    const s = await box.start(["--no-shell-integration", "bash", "--norc", "-i"]);
    const r = await box.run(["exec", s.session_id, "echo hi"]);
    expect({ code: r.code, err: r.json.code }).toEqual({ code: 125, err: "EXEC_UNSUPPORTED" });
    expect(r.json.error).toContain("--no-shell-integration");
    await expectNothingTyped(s.session_id);
  }, T);

  test("a non-interactive shell (-c): EXEC_UNSUPPORTED", async () => {
    const s = await box.start(["sh", "-c", "sleep 300"]);
    const r = await box.run(["exec", s.session_id, "echo hi"]);
    expect({ code: r.code, err: r.json.code }).toEqual({ code: 125, err: "EXEC_UNSUPPORTED" });
  }, T);

  test("usage errors and unknown sessions exit 125", async () => {
    for (const args of [["exec"], ["exec", "sess_000000000000", "--bogus", "x"], ["exec", "sess_000000000000", "--timeout", "soon", "x"], ["exec", "x", "--kill-on-timeout", "y"]]) {
      const r = await box.run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 125 });
      expect(["USAGE", "INVALID_ARGUMENT"]).toContain(r.json.code);
    }
    const missing = await box.run(["exec", "sess_000000000000", "echo hi"]);
    expect({ code: missing.code, err: missing.json.code }).toEqual({ code: 125, err: "SESSION_NOT_FOUND" });
  }, T);

  test("--help exits 0", async () => {
    const r = await box.run(["exec", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--kill-on-timeout");
  }, T);
});
