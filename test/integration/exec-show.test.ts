// A person watching sees what exec ran (SPEC §13): after an exec, `read --screen` (another
// process) shows the prompt and the agent's command as if typed there, then its output, then the
// next prompt — never the line exec typed to source its script — at 120 and at 40 columns, in
// every supported shell; a recording holds the same; exec's own output is what it always was.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Terminal } from "@xterm/headless";
import { isAlive, Sandbox, waitFor, type RunResult } from "../helpers/sandbox.ts";

const SHELLS: Array<{ name: string; command: (box: Sandbox) => string[] }> = [
  { name: "bash", command: (box) => ["--env", `HISTFILE=${join(box.dir, "bash_history")}`, "bash", "--norc", "-i"] },
  { name: "dash", command: () => ["dash"] },
  { name: "zsh", command: (box) => ["--env", `HISTFILE=${join(box.dir, "zsh_history")}`, "zsh", "-f"] },
  { name: "fish", command: (box) => ["--env", `XDG_DATA_HOME=${box.dir}`, "--env", `XDG_CONFIG_HOME=${box.dir}`, "fish", "--no-config"] },
];

const T = 60_000;
const ESC = "\x1b";

/** A command, what exec must print for it, and how its lines look typed at a prompt. */
interface Case {
  name: string;
  command: string;
  output: string;
  shown: string[];
}

/** Commands every supported shell runs alike (fish's syntax included). */
function cases(secret: string): Case[] {
  const long = `echo ${"0123456789".repeat(9)} end`;
  return [
    { name: "a plain command", command: "echo show-me", output: "show-me\n", shown: ["echo show-me"] },
    { name: "several lines", command: 'echo l1\necho "l2"\n', output: "l1\nl2\n", shown: ["echo l1", '> echo "l2"'] },
    {
      name: "quotes, $ and backslashes",
      command: `printf '%s|' "a'b" 'c"d' x\\\\y '$HOME' "\\$"; echo`,
      output: `a'b|c"d|x\\y|$HOME|$|\n`,
      shown: [`printf '%s|' "a'b" 'c"d' x\\\\y '$HOME' "\\$"; echo`],
    },
    {
      name: "marker-like text, the session's real mark included",
      command: `printf '%s\\n' '\\033]697;S;1' ']697;P;0'; true '${ESC}]697;${secret};P;5\x07'`,
      output: "\\033]697;S;1\n]697;P;0\n",
      shown: [`printf '%s\\n' '\\033]697;S;1' ']697;P;0'; true '^[]697;${secret};P;5^G'`],
    },
    { name: "longer than the terminal is wide", command: long, output: `${"0123456789".repeat(9)} end\n`, shown: [long] },
    { name: "unicode", command: "echo héllo wörld ✓ 日本", output: "héllo wörld ✓ 日本\n", shown: ["echo héllo wörld ✓ 日本"] },
    {
      name: "escape sequences, shown escaped instead of reaching the terminal",
      command: `true '${ESC}[2J${ESC}]0;pwned\x07${ESC}[31m\x7f'; echo esc-ok`,
      output: "esc-ok\n",
      shown: ["true '^[[2J^[]0;pwned^G^[[31m^?'; echo esc-ok"],
    },
  ];
}

/** Cells a character takes (the test's text holds no other wide characters than these). */
const width = (ch: string) => (/[\u3000-\u9fff]/.test(ch) ? 2 : 1);

/** `text` as the terminal shows it in rows of `cols` cells (a wide character never splits). */
function wrap(text: string, cols: number): string[] {
  const rows: string[] = [];
  let row = "";
  let used = 0;
  for (const ch of text) {
    if (used + width(ch) > cols) {
      rows.push(row.trimEnd());
      row = "";
      used = 0;
    }
    row += ch;
    used += width(ch);
  }
  rows.push(row.trimEnd());
  return rows;
}

/** Where `block` sits in `lines`, last occurrence, or -1. */
function lastIndexOfRows(lines: string[], block: string[]): number {
  for (let i = lines.length - block.length; i >= 0; i--) if (block.every((b, k) => lines[i + k] === b)) return i;
  return -1;
}

for (const shell of SHELLS) {
  describe.skipIf(!Bun.which(shell.name))(`a watcher sees what exec ran, in ${shell.name}`, () => {
    let box: Sandbox;
    let id = "";
    let holderPid = 0;
    let cast = "";
    /** The prompt as read --screen shows it (trailing blank trimmed). */
    let prompt = "";
    let secret = "";
    const exec = (args: string[], opts?: { stdin?: string }): Promise<RunResult> => box.run(["exec", id, ...args], opts);
    const screen = async (): Promise<{ lines: string[]; cols: number }> => {
      const r = await box.run(["read", id, "--screen", "--json", "--scrollback", "100"]);
      expect(r.code).toBe(0);
      return { lines: r.json.lines as string[], cols: r.json.cols as number };
    };
    const lastRow = (lines: string[]) => lines.filter((l) => l !== "").at(-1) ?? "";

    beforeAll(async () => {
      box = new Sandbox();
      cast = join(box.dir, "session.cast");
      const s = await box.start(["--record", cast, "--cols", "120", "--rows", "30", ...shell.command(box)]);
      id = s.session_id;
      holderPid = s.holder_pid;
      const first = await exec(["echo ready"]);
      expect(first.stdout).toBe("ready\n");
      prompt = lastRow((await screen()).lines);
      expect(prompt.length).toBeGreaterThan(0);
      const m = readFileSync(join(box.sessionsDir, id, "exec.sh"), "utf8").match(/697;([0-9a-f]+);/);
      secret = m![1]!;
    }, T);
    afterAll(() => box?.dispose());

    for (const cols of [120, 40]) {
      test(`at ${cols} columns: the prompt and the command, its output, the next prompt`, async () => {
        if (cols !== 120) expect((await box.run(["resize", id, String(cols), "30"])).code).toBe(0);
        for (const c of cases(secret)) {
          const r = await exec(["--json", c.command]);
          expect({ name: c.name, code: r.code, doc: r.json }).toMatchObject({
            name: c.name,
            code: 0,
            doc: { output: c.output, exit_code: 0, signal: null, timed_out: false },
          });
          const { lines } = await screen();
          const typed = c.shown.flatMap((line, i) => wrap(i === 0 ? `${prompt} ${line}` : line, cols));
          const output = c.output.replace(/\n$/, "").split("\n").flatMap((l) => wrap(l, cols));
          const block = [...typed, ...output, prompt];
          const at = lastIndexOfRows(lines, block);
          if (at === -1) throw new Error(`${c.name}: expected rows\n${block.join("\n")}\nin the screen\n${lines.join("\n")}`);
          // Nothing after the next prompt, nothing of the wrapper anywhere.
          expect(lines.slice(at + block.length).every((l) => l === "")).toBe(true);
          expect(lines.join("\n")).not.toContain("exec.sh");
        }
      }, T);
    }

    test("the escape sequences in a command reached no terminal: the screen was never cleared", async () => {
      const { lines } = await screen();
      // The first exec's line is still there, above every later one.
      expect(lines.findIndex((l) => l === `${prompt} echo ready`)).toBeGreaterThanOrEqual(0);
    }, T);

    // fish 3 has no way to add an entry but typing it; dash keeps no history.
    test.if(shell.name === "bash" || shell.name === "zsh")("the command lands in the shell's history as typed, the wrapper does not", async () => {
      const other = (await box.start(shell.command(box).map((a) => a.replace(/_history$/, "_history_2")))).session_id;
      const run = (command: string) => box.run(["exec", other, command]);
      expect((await run("echo show-me")).stdout).toBe("show-me\n");
      expect((await run('echo l1\necho "l2"\n')).stdout).toBe("l1\nl2\n");
      expect((await run("echo show-me")).stdout).toBe("show-me\n");
      const r = await run(shell.name === "zsh" ? "fc -l 1" : "history");
      expect(r.code).toBe(0);
      const entries = r.stdout.split(/\n(?=\s*\d+\s)/).map((l) => l.replace(/^\s*\d+\s+/, "").replace(/\n$/, ""));
      // zsh shows a newline inside an entry as \n. The first exec's line stays in zsh's history
      // (its history hook did not exist yet).
      const multi = shell.name === "zsh" ? 'echo l1\\necho "l2"' : 'echo l1\necho "l2"';
      const wrapper = entries.filter((e) => e.includes("exec.sh"));
      // (zsh's fc leaves out the command running it.)
      const listed = ["echo show-me", multi, "echo show-me", ...(shell.name === "zsh" ? [] : ["history"])];
      expect(entries.filter((e) => !e.includes("exec.sh"))).toEqual(listed);
      expect(wrapper.length).toBe(shell.name === "zsh" ? 1 : 0);
      expect((await box.run(["end", other])).code).toBe(0);
    }, T);

    test("text on the line before the first exec: the Ctrl-C, then the command after a prompt, nothing of the wrapper", async () => {
      const other = await box.start(shell.command(box));
      await box.run(["write", other.session_id, "half-typed"]);
      const r = await box.run(["exec", other.session_id, "echo after-dirty"]);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: "after-dirty\n" });
      const lines = (await box.run(["read", other.session_id, "--screen", "--json", "--scrollback", "100"])).json.lines as string[];
      const shown = lines.filter((l) => l !== "");
      const p = shown.at(-1)!;
      expect(shown.slice(-3)).toEqual([`${p} echo after-dirty`, "after-dirty", p]);
      expect(shown[0]).toStartWith(`${p} half-typed`);
      expect(lines.join("\n")).not.toContain("exec.sh");
      expect((await box.run(["end", other.session_id])).code).toBe(0);
    }, T);

    test("the recording shows the commands, and replayed in a terminal, never the wrapper", async () => {
      expect((await box.run(["end", id])).code).toBe(0);
      await waitFor("the holder to exit", () => !isAlive(holderPid));
      expect(existsSync(cast)).toBe(true);
      const [header, ...events] = readFileSync(cast, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
      const out = events.filter((e) => e[1] === "o").map((e) => e[2] as string).join("");
      for (const c of cases(secret)) expect(out).toContain(c.shown.join("\r\n"));
      expect(out).not.toContain(`${ESC}]0;pwned`);
      expect(out).not.toContain(`${ESC}]697;${secret};P;5`);
      // Replayed as a player would: output and resizes in order, into a real emulator.
      const term = new Terminal({ cols: header.width, rows: header.height, scrollback: 10_000, allowProposedApi: true });
      for (const [, kind, data] of events) {
        if (kind === "o") await new Promise<void>((resolve) => term.write(data, resolve));
        if (kind === "r") {
          const [w, h] = (data as string).split("x").map(Number);
          term.resize(w!, h!);
        }
      }
      const buffer = term.buffer.active;
      const rows: string[] = [];
      for (let y = 0; y < buffer.length; y++) rows.push(buffer.getLine(y)!.translateToString(true).trimEnd());
      term.dispose();
      const text = rows.join("\n");
      expect(text).toContain(`${prompt} echo show-me`);
      expect(text).not.toContain("exec.sh");
    }, T);
  });
}
