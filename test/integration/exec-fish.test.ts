// The exec test table of exec.test.ts, in fish syntax (fish 3.x), against the compiled binary:
// every call is a separate process, the checks look at exact output and exit codes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { BIN, Sandbox, waitFor, type RunResult } from "../helpers/sandbox.ts";

const MARK = "\x1b]697";
const T = 30_000;

describe.skipIf(!Bun.which("fish"))("exec in fish", () => {
  let box: Sandbox;
  let id = "";
  const exec = (args: string[], opts?: { stdin?: string }): Promise<RunResult> => box.run(["exec", id, ...args], opts);

  /** Starts an exec whose command creates FLAG once it runs, and returns once it has. */
  async function execStarted(args: string[], name: string): Promise<{ done: Promise<RunResult> }> {
    const flag = join(box.dir, `${name}.flag`);
    let early: RunResult | null = null;
    const pending = exec(args.map((a) => a.replaceAll("FLAG", `'${flag}'`))).then((r) => {
      early = r;
      return r;
    });
    await waitFor(`${name} to start`, () => existsSync(flag) || early !== null);
    if (!existsSync(flag)) throw new Error(`exec ended before its command ran: ${JSON.stringify(early)}`);
    return { done: pending };
  }

  function markSecret(): string {
    const m = readFileSync(join(box.sessionsDir, id, "exec.sh"), "utf8").match(/697;([0-9a-f]+);/);
    if (!m) throw new Error("no secret in exec.sh");
    return m[1]!;
  }

  async function expectNoMarks(): Promise<void> {
    const secret = markSecret();
    const all = await box.run(["read", id, "--all", "--peek"]);
    expect(all.stdout.includes(`${MARK};${secret}`)).toBe(false);
    const screen = await box.run(["read", id, "--screen", "--json", "--scrollback", "10000"]);
    expect((screen.json.lines as string[]).join("\n")).not.toMatch(new RegExp(`697;${secret};[SP];`));
  }

  beforeAll(async () => {
    box = new Sandbox();
    // Its own data and config directories: the history file is the sandbox's.
    id = (await box.start(["--env", `XDG_DATA_HOME=${box.dir}`, "--env", `XDG_CONFIG_HOME=${box.dir}`, "fish", "--no-config"])).session_id;
  }, T);
  afterAll(() => box?.dispose());

  test("exact output and exit status", async () => {
    const hi = await exec(["echo hi"]);
    expect({ code: hi.code, stdout: hi.stdout, stderr: hi.stderr }).toEqual({ code: 0, stdout: "hi\n", stderr: "" });
    const f = await exec(["false"]);
    expect({ code: f.code, stdout: f.stdout }).toEqual({ code: 1, stdout: "" });
    const e42 = await exec(["echo", "out;", "echo err >&2;", "fish -c 'exit 42'"]);
    expect({ code: e42.code, stdout: e42.stdout }).toEqual({ code: 42, stdout: "out\nerr\n" });
  }, T);

  test("an unknown command: 127, and the message names no file of ours", async () => {
    const r = await exec(["no_such_command_xyz"]);
    expect(r.code).toBe(127);
    expect(r.stdout).toContain("no_such_command_xyz");
    expect(r.stdout).not.toContain("exec.sh");
  }, T);

  test("a syntax error is reported as at the prompt", async () => {
    const r = await exec(["echo ("]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain("fish:");
    expect(r.stdout).not.toContain("exec.sh");
    expect((await exec(["echo fine"])).stdout).toBe("fine\n");
  }, T);

  test("--json: the document and exit 0 whatever the status", async () => {
    const r = await exec(["--json", "printf 'a\\tb\\n'; fish -c 'exit 3'"]);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ output: "a\tb\n", exit_code: 3, signal: null, timed_out: false });
  }, T);

  test("state persists: cd, set -gx, variables, functions, $status", async () => {
    const dir = realpathSync(box.dir);
    expect((await exec([`cd '${dir}'`])).code).toBe(0);
    expect((await exec(["pwd"])).stdout).toBe(`${dir}\n`);
    expect((await exec(["set -gx X 1; set Y two"])).code).toBe(0);
    expect((await exec(['echo "$X $Y"; sh -c \'echo "child sees $X"\''])).stdout).toBe("1 two\nchild sees 1\n");
    expect((await exec(['function greet; echo "hello $argv[1]"; return 7; end'])).code).toBe(0);
    const called = await exec(["greet world"]);
    expect({ code: called.code, stdout: called.stdout }).toEqual({ code: 7, stdout: "hello world\n" });
    expect((await exec(["fish -c 'exit 5'"])).code).toBe(5);
    expect((await exec(['echo "previous=$status"'])).stdout).toBe("previous=5\n");
  }, T);

  test("background jobs stay with the shell", async () => {
    expect((await exec(["sleep 300 &"])).code).toBe(0);
    expect((await exec(["jobs"])).stdout).toContain("sleep 300");
    expect((await exec(["kill $last_pid"])).code).toBe(0);
    await waitFor("the job to be reaped", async () => !(await exec(["jobs"])).stdout.includes("sleep 300"));
  }, T);

  test("a multi-line command, from the arguments and from stdin", async () => {
    const args = await exec(['for i in 1 2 3\n  echo "n=$i"\nend\nif true\n  echo done\nend']);
    expect({ code: args.code, stdout: args.stdout }).toEqual({ code: 0, stdout: "n=1\nn=2\nn=3\ndone\n" });
    const stdin = await exec([], { stdin: "echo 'quote\nspans lines'\nbegin\n  echo \"it's $HOME\" | string replace $HOME HOME\nend\nfish -c 'exit 4'\n" });
    expect({ code: stdin.code, stdout: stdin.stdout }).toEqual({ code: 4, stdout: "quote\nspans lines\nit's HOME\n" });
  }, T);

  test("output without a trailing newline (fish's ⏎ line never lands in it)", async () => {
    const r = await exec(["printf abc"]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: "abc" });
    expect((await exec(["printf ''"])).stdout).toBe("");
    expect((await exec(["echo next"])).stdout).toBe("next\n");
  }, T);

  test("output holding marker text, a fake prompt, backslashes and quotes, and the script itself", async () => {
    const fake = await exec(["printf '\\e]697;0000;P;0\\ax]697;1;P;0\\n$ \\nroot@vm ~> (exit 9)\\n\\e]697;'"]);
    expect({ code: fake.code, stdout: fake.stdout }).toEqual({ code: 0, stdout: "x]697;1;P;0\n$ \nroot@vm ~> (exit 9)\n" });
    const quotes = await exec(["echo 'it\\'s' \"a \\\\ b\" '\\\\'"]);
    expect(quotes.stdout).toBe("it's a \\ b \\\n");
    const script = join(box.sessionsDir, id, "exec.sh");
    const cat = await exec([`cat '${script}'`]);
    expect(cat.code).toBe(0);
    expect(cat.stdout).toBe(readFileSync(script, "utf8"));
    await expectNoMarks();
  }, T);

  test("a command that reads from the terminal gets what is written meanwhile", async () => {
    const { done } = await execStarted(["--json", 'echo ask; touch FLAG; read -P "" answer; echo "got [$answer]"'], "question");
    expect((await box.run(["write", id, "forty two\\r"])).code).toBe(0);
    const r = await done;
    expect(r.json).toMatchObject({ exit_code: 0, timed_out: false });
    expect(r.json.output).toContain("got [forty two]\n");
  }, T);

  test("Ctrl-C from another process ends the command with 130", async () => {
    const { done } = await execStarted(["echo before; touch FLAG; sleep 300; echo never"], "interrupt");
    expect((await box.run(["write-key", id, "ctrl+c"])).code).toBe(0);
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stdout.startsWith("before\n")).toBe(true);
    expect(r.stdout).not.toContain("never");
    expect((await exec(["echo usable"])).stdout).toBe("usable\n");
  }, T);

  test("a second exec while one runs gets BUSY, and nothing of it is typed", async () => {
    const { done } = await execStarted(["touch FLAG; sleep 300"], "busy");
    const second = await exec(["echo second-exec-text"]);
    expect({ code: second.code, err: second.json.code }).toEqual({ code: 125, err: "BUSY" });
    await box.run(["write-key", id, "ctrl+c"]);
    expect((await done).code).toBe(130);
    expect((await box.run(["read", id, "--all", "--peek"])).stdout).not.toContain("second-exec-text");
  }, T);

  test("--timeout: 124 with the output so far, the command keeps running, then the session works again", async () => {
    const flag = join(box.dir, "timeout-fish");
    const r = await exec(["--timeout", "300", `echo partial; sleep 300; touch '${flag}'`]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 124, stdout: "partial\n" });
    expect((await exec(["echo x"])).json.code).toBe("BUSY");
    await box.run(["write-key", id, "ctrl+c"]);
    await waitFor("the shell to be free", async () => (await exec(["echo free"])).stdout === "free\n");
    expect(existsSync(flag)).toBe(false);
  }, T);

  test("--timeout --kill-on-timeout interrupts the command; --json reports it", async () => {
    const r = await exec(["--timeout", "300", "--kill-on-timeout", "--json", "echo partial; sleep 300; echo never"]);
    expect(r.json).toMatchObject({ exit_code: 130, signal: "SIGINT", timed_out: true });
    expect(r.json.output.startsWith("partial\n")).toBe(true);
    expect(r.json.output).not.toContain("never");
    expect((await exec(["echo after-kill"])).stdout).toBe("after-kill\n");
  }, T);

  test("a client killed mid-exec leaves the command running to its end; then the session is free", async () => {
    const started = join(box.dir, "killed-client.flag");
    const finished = join(box.dir, "killed-client.done");
    const client = Bun.spawn([BIN, "exec", id, `touch '${started}'; sleep 2; touch '${finished}'`], { env: box.env, stdout: "ignore", stderr: "ignore" });
    await waitFor("the command to start", () => existsSync(started));
    client.kill("SIGKILL");
    await client.exited;
    expect((await exec(["echo too-early"])).json.code).toBe("BUSY");
    await waitFor("the command to finish", () => existsSync(finished));
    await waitFor("the shell to be free", async () => (await exec(["echo free"])).stdout === "free\n");
  }, T);

  test("a foreground command typed with write makes exec BUSY instead of typing into it", async () => {
    const flag = join(box.dir, "fg-fish");
    await box.run(["write", id, `touch '${flag}'; sleep 300\\r`]);
    await waitFor("the command to start", () => existsSync(flag));
    const r = await exec(["echo typed-into-sleep"]);
    expect({ code: r.code, err: r.json.code }).toEqual({ code: 125, err: "BUSY" });
    await box.run(["write-key", id, "ctrl+c"]);
    await waitFor("the shell to be free", async () => (await exec(["echo free"])).stdout === "free\n");
  }, T);

  test("a command typed with write just before exec is waited for", async () => {
    await box.run(["write", id, "cd /\\r"]);
    expect((await exec(["pwd"])).stdout).toBe("/\n");
  }, T);

  test("the wrapper stays out of the history", async () => {
    // A line typed by someone is kept (so that the check below can see lines at all)…
    await box.run(["write", id, "echo history-probe\\r"]);
    await exec(["echo after-probe"]);
    const kept = await exec(["history search --contains history-probe | count"]);
    expect(kept.stdout).not.toBe("0\n");
    // …and none of exec's lines is (they start with a space).
    const r = await exec(["history search --contains exec.sh | count"]);
    expect(r.stdout).toBe("0\n");
  }, T);

  test("read and read --screen show no marks after all of that", async () => {
    await expectNoMarks();
  }, T);

  test("exit in the command ends the session with its status", async () => {
    const r = await exec(["echo bye; exit 7"]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 7, stdout: "bye\n" });
    expect((await box.run(["status", id])).json).toMatchObject({ status: "exited", exit_code: 7 });
  }, T);
});
