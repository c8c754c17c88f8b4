// Scripted agent transcripts (SPEC §10): four jobs an agent does with interactive programs, each
// driven for real twice — with `start --wait` + `send`, and the old way, `write` then
// `read --since OFFSET --until REGEX` (the regex being the agent's guess at the next prompt).
// Every call is a separate CLI process and is counted; every job checks its results, and a job
// that goes wrong fails the benchmark. No transcript sleeps to synchronise.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Delta } from "./drivers.ts";
import { runOk } from "./proc.ts";

/** Longest any one waiting call may take before the transcript counts as failed. */
const CALL_TIMEOUT_MS = "30000";

export interface TranscriptResult {
  job: string;
  sendCalls: number;
  sendMs: number;
  oldCalls: number;
  oldMs: number;
  /** The calls as made (arguments after the binary), for the report. */
  sendLog: string[];
  oldLog: string[];
}

interface Doc {
  session_id: string;
  pid: number;
  holder_pid: number;
  output: string;
  reason: string;
  offset: number;
  exit_code: number | null;
  status: string;
  /** `send --screen`. */
  screen?: { lines: string[] };
  /** `read --screen`. */
  lines?: string[];
}

class TranscriptError extends Error {}

function expect(ok: boolean, what: string, got: unknown): void {
  if (!ok) throw new TranscriptError(`${what}; got ${JSON.stringify(got)}`);
}

/** An agent's side of a transcript: every CLI call goes through `call`, which counts it. */
class Agent {
  readonly log: string[] = [];

  constructor(private readonly d: Delta) {}

  call(args: string[]): Doc {
    this.log.push(args.map((a) => (/^[\w./=:-]+$/.test(a) ? a : `'${a.replace(/\n/g, "\\n").replace(/\r/g, "\\r")}'`)).join(" "));
    const r = this.d.run(args);
    if (r.code !== 0) throw new TranscriptError(`${args.join(" ")} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
    const doc = JSON.parse(r.stdout) as Doc;
    if (doc.pid && doc.holder_pid) this.d.track(doc.pid, doc.holder_pid);
    return doc;
  }

  startWait(name: string, command: string[]): Doc {
    return this.call(["start", "--wait", "--name", name, "--", ...command]);
  }

  /** One exchange; `text` as typed (escapes decoded), Enter appended unless `enter` is false. */
  send(id: string, text: string, opts: { enter?: boolean; screen?: boolean } = {}): Doc {
    return this.call(["send", id, "--json", ...(opts.enter === false ? [] : ["--enter"]), ...(opts.screen ? ["--screen"] : []), "--", text]);
  }

  start(name: string, command: string[]): Doc {
    return this.call(["start", "--name", name, "--", ...command]);
  }

  /** The old way's first read: everything up to the first prompt. */
  readUntil(id: string, regex: string): Doc {
    return this.call(["read", id, "--json", "--strip-ansi", "--until", regex, "--timeout", CALL_TIMEOUT_MS]);
  }

  /** The old way's exchange: write, then read from the write's offset until the guessed regex. */
  exchange(id: string, text: string, regex: string): Doc {
    const w = this.call(["write", id, "--", text]);
    return this.call(["read", id, "--json", "--strip-ansi", "--since", String(w.offset), "--until", regex, "--timeout", CALL_TIMEOUT_MS]);
  }

  /** The old way's exchange where no output can be told from the echo (a full-screen editor draws
   *  what is typed): write, then read until the output has been quiet for the default --idle. */
  exchangeQuiet(id: string, text: string): Doc {
    const w = this.call(["write", id, "--", text]);
    return this.call(["read", id, "--json", "--strip-ansi", "--since", String(w.offset), "--timeout", CALL_TIMEOUT_MS]);
  }

  write(id: string, text: string): void {
    this.call(["write", id, "--", text]);
  }

  screen(id: string): Doc {
    return this.call(["read", id, "--screen", "--json"]);
  }

  wait(id: string): Doc {
    return this.call(["wait", id, "--timeout", CALL_TIMEOUT_MS]);
  }

  end(id: string): void {
    this.call(["end", id, "--grace", "500"]);
  }
}

type Way = (a: Agent, name: string) => void;

interface Job {
  job: string;
  withSend: Way;
  oldWay: Way;
}

/** The C program the gdb job debugs (and the idle group leaves stopped at a breakpoint). */
export function compileGdbTarget(work: string): string {
  const dir = join(work, "gdb-target");
  mkdirSync(dir, { recursive: true });
  const src = join(dir, "sum.c");
  writeFileSync(
    src,
    [
      "#include <stdio.h>",
      "int add(int a, int b) {",
      "  int s = a + b;",
      "  return s;",
      "}",
      "int main(void) {",
      "  int total = 0;",
      "  for (int i = 1; i <= 3; i++) total = add(total, i);",
      '  printf("total=%d\\n", total);',
      "  return 0;",
      "}",
      "",
    ].join("\n"),
  );
  const out = join(dir, "sum");
  runOk(["gcc", "-g", "-O0", "-o", out, src]);
  return out;
}

/** An installer-style script: a name, y/n, a password, progress dots, then one more question. */
function writeInstaller(dir: string): string {
  const path = join(dir, "install.sh");
  writeFileSync(
    path,
    [
      "#!/bin/bash",
      'read -r -p "Your name: " name',
      'read -r -p "Install for $name? [y/n] " confirm',
      'read -r -s -p "Password: " password',
      "echo",
      "printf 'Installing'",
      "for i in 1 2 3 4 5 6; do sleep 0.25; printf '.'; done",
      "echo",
      'read -r -p "Start the service now? [y/n] " start',
      'echo "installed for $name (confirm=$confirm, password ${#password} chars, start=$start)"',
      "",
    ].join("\n"),
  );
  chmodSync(path, 0o755);
  return path;
}

const PASSWORD = "hunter2";
const INSTALLED = `installed for Ann (confirm=y, password ${PASSWORD.length} chars, start=n)`;

function jobs(dir: string, gdbTarget: string): Job[] {
  const installer = writeInstaller(dir);
  const notes = join(dir, "notes.txt");
  const python = ["python3", "-q"];
  const gdb = ["gdb", "-q", "-nx", "-iex", "set debuginfod enabled off", gdbTarget];
  const vim = ["vim", "-u", "NONE", "-i", "NONE", "-N", "-n", notes];
  const checkNotes = () => {
    const text = readFileSync(notes, "utf8");
    expect(text === "Hello, vim\n", "vim saved the edit", text);
  };
  return [
    {
      job: "python: an assignment, a print, a def, a call",
      withSend: (a, n) => {
        const s = a.startWait(n, python);
        expect(s.output.endsWith(">>> "), "python's first prompt", s.output);
        a.send(s.session_id, "x = 6 * 7");
        const p = a.send(s.session_id, "print(x)");
        expect(p.output === "42\n>>> ", "print(x) replies 42", p.output);
        const def = a.send(s.session_id, "def twice(a):\r    return a * 2\r\r", { enter: false });
        expect(def.output.endsWith(">>> ") && !def.output.includes("Error"), "the def is accepted", def.output);
        const c = a.send(s.session_id, "twice(x)");
        expect(c.output === "84\n>>> ", "twice(x) replies 84", c.output);
        a.end(s.session_id);
      },
      oldWay: (a, n) => {
        const s = a.start(n, python);
        const prompt = ">>> $";
        a.readUntil(s.session_id, prompt);
        a.exchange(s.session_id, "x = 6 * 7\r", prompt);
        const p = a.exchange(s.session_id, "print(x)\r", prompt);
        expect(/^42\r?\n>>> $/m.test(p.output), "print(x) shows 42", p.output);
        const def = a.exchange(s.session_id, "def twice(a):\r    return a * 2\r\r", prompt);
        expect(!def.output.includes("Error"), "the def is accepted", def.output);
        const c = a.exchange(s.session_id, "twice(x)\r", prompt);
        expect(/^84\r?\n>>> $/m.test(c.output), "twice(x) shows 84", c.output);
        a.end(s.session_id);
      },
    },
    {
      job: "gdb: break, run, print, continue ×2, run to the end",
      withSend: (a, n) => {
        const s = a.startWait(n, gdb);
        expect(s.output.endsWith("(gdb) "), "gdb's prompt", s.output);
        const b = a.send(s.session_id, "break add");
        expect(b.output.startsWith("Breakpoint 1 at "), "the breakpoint is set", b.output);
        const r = a.send(s.session_id, "run");
        expect(r.output.includes("Breakpoint 1, add (a=0, b=1)"), "run stops in add", r.output);
        const p1 = a.send(s.session_id, "print a + b");
        expect(p1.output.startsWith("$1 = 1\n"), "print a + b is 1", p1.output);
        const c = a.send(s.session_id, "continue");
        expect(c.output.includes("Breakpoint 1, add (a=1, b=2)"), "continue stops in add again", c.output);
        const p2 = a.send(s.session_id, "print a + b");
        expect(p2.output.startsWith("$2 = 3\n"), "print a + b is 3", p2.output);
        a.send(s.session_id, "disable");
        const end = a.send(s.session_id, "continue");
        expect(end.output.includes("total=6") && end.output.includes("exited normally"), "the program ends with total=6", end.output);
        a.end(s.session_id);
      },
      oldWay: (a, n) => {
        const s = a.start(n, gdb);
        const prompt = "\\(gdb\\) $";
        a.readUntil(s.session_id, prompt);
        const b = a.exchange(s.session_id, "break add\r", prompt);
        expect(b.output.includes("Breakpoint 1 at "), "the breakpoint is set", b.output);
        const r = a.exchange(s.session_id, "run\r", prompt);
        expect(r.output.includes("Breakpoint 1, add (a=0, b=1)"), "run stops in add", r.output);
        const p1 = a.exchange(s.session_id, "print a + b\r", prompt);
        expect(p1.output.includes("$1 = 1"), "print a + b is 1", p1.output);
        const c = a.exchange(s.session_id, "continue\r", prompt);
        expect(c.output.includes("Breakpoint 1, add (a=1, b=2)"), "continue stops in add again", c.output);
        const p2 = a.exchange(s.session_id, "print a + b\r", prompt);
        expect(p2.output.includes("$2 = 3"), "print a + b is 3", p2.output);
        a.exchange(s.session_id, "disable\r", prompt);
        const end = a.exchange(s.session_id, "continue\r", prompt);
        expect(end.output.includes("total=6") && end.output.includes("exited normally"), "the program ends with total=6", end.output);
        a.end(s.session_id);
      },
    },
    {
      job: "installer: a name, y/n, a password, progress dots, a question",
      withSend: (a, n) => {
        const s = a.startWait(n, [installer]);
        expect(s.output === "Your name: ", "the first question", s.output);
        const r1 = a.send(s.session_id, "Ann");
        expect(r1.output === "Install for Ann? [y/n] ", "the y/n question", r1.output);
        const r2 = a.send(s.session_id, "y");
        expect(r2.output === "Password: ", "the password question", r2.output);
        const r3 = a.send(s.session_id, PASSWORD);
        expect(r3.output === "\nInstalling......\nStart the service now? [y/n] ", "the question after the dots", r3.output);
        const r4 = a.send(s.session_id, "n");
        expect(r4.reason === "exit" && r4.exit_code === 0 && r4.output.includes(INSTALLED), "the installer's summary and exit", r4);
        for (const r of [s, r1, r2, r3, r4]) expect(!r.output.includes(PASSWORD), "the password is in no reply", r.output);
        a.end(s.session_id);
      },
      oldWay: (a, n) => {
        const s = a.start(n, [installer]);
        a.readUntil(s.session_id, "Your name: $");
        const r1 = a.exchange(s.session_id, "Ann\r", "\\[y/n\\] $");
        expect(r1.output.includes("Install for Ann? [y/n] "), "the y/n question", r1.output);
        const r2 = a.exchange(s.session_id, "y\r", "Password: $");
        expect(r2.output.includes("Password: "), "the password question", r2.output);
        const r3 = a.exchange(s.session_id, `${PASSWORD}\r`, "\\[y/n\\] $");
        expect(r3.output.includes("Installing......") && r3.output.includes("Start the service now? [y/n] "), "the question after the dots", r3.output);
        const r4 = a.exchange(s.session_id, "n\r", "start=\\w+\\)");
        expect(r4.output.includes(INSTALLED), "the installer's summary", r4.output);
        for (const r of [r1, r2, r3, r4]) expect(!r.output.includes(PASSWORD), "the password is in no output", r.output);
        a.end(s.session_id);
      },
    },
    {
      job: "vim: open a file, replace its text, save, quit",
      withSend: (a, n) => {
        writeFileSync(notes, "old text\n");
        const s = a.startWait(n, vim);
        expect(s.output.includes("old text"), "vim shows the file", s.output);
        const e = a.send(s.session_id, "ggdGiHello, vim", { enter: false, screen: true });
        expect(e.screen?.lines[0] === "Hello, vim" && (e.screen?.lines.at(-1) ?? "").includes("-- INSERT --"), "the screen shows the edit", e.screen?.lines);
        // The ESC leads the command: an ESC at the end of a send would leave vim waiting for the
        // rest of a possible key sequence (docs/agents.md).
        const q = a.send(s.session_id, "\\e:wq\\r", { enter: false });
        // vim asks the terminal a last question before it exits; then the send reports input.
        if (q.reason !== "exit") expect(a.wait(s.session_id).exit_code === 0, "vim exits 0", q);
        else expect(q.exit_code === 0, "vim exits 0", q);
        checkNotes();
        a.end(s.session_id);
      },
      oldWay: (a, n) => {
        writeFileSync(notes, "old text\n");
        const s = a.start(n, vim);
        const r0 = a.readUntil(s.session_id, 'notes\\.txt" \\d+L');
        expect(r0.output.includes("old text"), "vim shows the file", r0.output);
        const e = a.exchangeQuiet(s.session_id, "ggdGiHello, vim");
        expect(e.output.includes("-- INSERT --"), "vim is in insert mode", e.output);
        const sc = a.screen(s.session_id);
        expect(sc.lines?.[0] === "Hello, vim", "the screen shows the edit", sc.lines);
        a.write(s.session_id, "\\e:wq\\r");
        expect(a.wait(s.session_id).exit_code === 0, "vim exits 0", null);
        checkNotes();
        a.end(s.session_id);
      },
    },
  ];
}

function drive(d: Delta, way: Way, name: string): { calls: number; ms: number; log: string[] } {
  const a = new Agent(d);
  const t0 = performance.now();
  way(a, name);
  return { calls: a.log.length, ms: performance.now() - t0, log: a.log };
}

/** Every job, with send and then the old way; throws (failing the benchmark) when one goes wrong. */
export function runTranscripts(d: Delta, work: string, gdbTarget: string, tag: string): TranscriptResult[] {
  const dir = join(work, `transcripts-${tag}`);
  mkdirSync(dir, { recursive: true });
  return jobs(dir, gdbTarget).map((j, i) => {
    const fail = (way: string, err: unknown) => new Error(`transcript "${j.job}" (${way}) failed: ${(err as Error).message}`);
    let withSend, old;
    try {
      withSend = drive(d, j.withSend, `t${i}-send-${tag}`);
    } catch (err) {
      throw fail("with send", err);
    }
    try {
      old = drive(d, j.oldWay, `t${i}-old-${tag}`);
    } catch (err) {
      throw fail("the old way", err);
    }
    return { job: j.job, sendCalls: withSend.calls, sendMs: withSend.ms, oldCalls: old.calls, oldMs: old.ms, sendLog: withSend.log, oldLog: old.log };
  });
}
