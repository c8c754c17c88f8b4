// `attach` driven inside a real terminal: a private tmux server's pane runs a shell, the test
// types `delta-sessions attach …` into it with send-keys and reads the pane with capture-pane.
// Agents act from separate processes at the same time. Every wait is for a condition, with a
// deadline.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, isAlive, Sandbox, waitFor } from "../helpers/sandbox.ts";
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

function attachCommand(id: string, ...flags: string[]): string {
  return [BIN, "attach", id, ...flags].join(" ");
}

async function screenOf(id: string): Promise<{ lines: string[]; cols: number; rows: number; cursor: { row: number; col: number }; alternate_screen: boolean }> {
  const r = await box.run(["read", id, "--screen", "--json"]);
  expect(r.code).toBe(0);
  return r.json;
}

async function statusOf(id: string): Promise<any> {
  const r = await box.run(["status", id]);
  expect(r.code).toBe(0);
  return r.json;
}

/** Lines with trailing blanks trimmed, trailing empty lines dropped. */
function trimmed(lines: string[]): string[] {
  const out = lines.map((l) => l.replace(/ +$/, ""));
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out;
}

describe("attach shows the session", () => {
  test("the redraw on attach equals read --screen, alternate screen, colours and cursor included", async () => {
    const pane = tmux.newShell("redraw", 90, 26);
    const { cols, rows } = tmux.size(pane);
    // A full-screen picture drawn once; the program then only waits, so whatever the pane shows
    // after attaching comes from the redraw. The session already has the pane's size: no resize.
    const draw = [
      "printf 'normal screen line\\n'",
      "printf '\\033[?1049h\\033[2J\\033[1;1Htop-left \\033[31mred\\033[0m \\033[1mbold\\033[0m'",
      "printf '\\033[10;20Hmiddle \\342\\224\\200\\342\\224\\200 box \\344\\275\\240\\345\\245\\275'",
      `printf '\\033[${rows};1Hlast row'`,
      "printf '\\033[5;7H'",
      "echo drawn >&2",
      "exec sleep 600",
    ].join("; ");
    const s = await box.start(["--cols", String(cols), "--rows", String(rows), "sh", "-c", draw]);
    await waitFor("the picture", async () => (await screenOf(s.session_id)).lines.some((l) => l.startsWith("top-left")));
    const before = await screenOf(s.session_id);
    expect(before.alternate_screen).toBe(true);

    tmux.type(pane, attachCommand(s.session_id));
    const shown = await tmux.waitForText(pane, "last row");
    expect(trimmed(shown)).toEqual(trimmed(before.lines));
    expect(tmux.display(pane, "#{alternate_on}")).toBe("1");
    // The cursor is where the program left it.
    expect(tmux.display(pane, "#{cursor_y} #{cursor_x}")).toBe(`${before.cursor.row} ${before.cursor.col}`);
    // Colours and attributes came along too.
    const escaped = tmux.run(["capture-pane", "-p", "-e", "-t", pane]);
    expect(escaped).toMatch(/\x1b\[31mred/);
    expect(escaped).toMatch(/\x1b\[1mbold/);
    // Nothing was resized, so the screen is still the same.
    expect((await screenOf(s.session_id)).lines).toEqual(before.lines);
  });

  test("after each resize the redraw matches read --screen (the program itself never redraws)", async () => {
    const pane = tmux.newShell("resized", 100, 30);
    // Long lines that the emulator rewraps at each size, a cursor in the middle; then only sleep.
    const draw = [
      "i=1; while [ $i -le 8 ]; do printf 'line %s %s\\n' $i abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz; i=$((i+1)); done",
      "printf '\\033[4;5Hcursor here'",
      "exec sleep 600",
    ].join("; ");
    const s = await box.start(["--cols", "60", "--rows", "15", "sh", "-c", draw]);
    await waitFor("the picture", async () => (await screenOf(s.session_id)).lines.some((l) => l.includes("cursor here")));
    tmux.type(pane, attachCommand(s.session_id));
    for (const [cols, rows] of [[100, 30], [70, 20], [120, 25]] as const) {
      tmux.resize(pane, cols, rows);
      const size = tmux.size(pane);
      await waitFor(`pane and read --screen to agree at ${size.cols}x${size.rows}`, async () => {
        const screen = await screenOf(s.session_id);
        const shown = tmux.capture(pane);
        return screen.cols === size.cols && screen.rows === size.rows && JSON.stringify(trimmed(shown)) === JSON.stringify(trimmed(screen.lines));
      });
      const screen = await screenOf(s.session_id);
      expect(tmux.display(pane, "#{cursor_y} #{cursor_x}")).toBe(`${screen.cursor.row} ${screen.cursor.col}`);
    }
  });
});

describe("full-screen programs and floods", () => {
  test.skipIf(!Bun.which("vim"))("vim: the picture on attach matches read --screen, keys edit, the file is written", async () => {
    const pane = tmux.newShell("vim", 90, 25);
    const file = join(box.dir, "notes.txt");
    await Bun.write(file, "first line\nsecond line\n");
    const s = await box.start(["vim", "-u", "NONE", "-i", "NONE", "-N", "-n", file]);
    await waitFor("vim to draw", async () => (await screenOf(s.session_id)).lines.some((l) => l.includes("notes.txt")));
    tmux.type(pane, attachCommand(s.session_id));
    const size = tmux.size(pane);
    await waitFor("pane and read --screen to agree", async () => {
      const screen = await screenOf(s.session_id);
      return screen.cols === size.cols && JSON.stringify(trimmed(tmux.capture(pane))) === JSON.stringify(trimmed(screen.lines));
    });
    // Arrow keys reach vim in the cursor-key mode it set (the redraw restored it in the pane).
    tmux.keys(pane, "Down", "A");
    tmux.run(["send-keys", "-t", pane, "-l", " edited"]);
    tmux.keys(pane, "Escape");
    await tmux.waitForText(pane, /^second line edited$/m);
    tmux.type(pane, ":wq");
    await tmux.waitForText(pane, /exited with code 0\]/);
    expect(await Bun.file(file).text()).toBe("first line\nsecond line edited\n");
    expect(tmux.display(pane, "#{alternate_on} #{cursor_flag} #{keypad_cursor_flag}")).toBe("0 1 0");
  });

  test("a flood of output: the pane ends on the right screen", async () => {
    const pane = tmux.newShell("flood", 120, 40);
    const s = await box.start(["bash", "--norc", "--noprofile", "-i"], { env: { PS1: "inner$ " } });
    tmux.type(pane, attachCommand(s.session_id));
    await tmux.waitForText(pane, /^inner\$/m);
    const started = Date.now();
    await box.run(["write", s.session_id, "head -c 20000000 /dev/zero | tr '\\0' 'x' | fold -w 97; echo flood-$((3*3))-done\\n"]);
    await box.run(["read", s.session_id, "--timeout", "60000", "--until", "flood-9-done"]);
    const programMs = Date.now() - started;
    await waitFor(
      "pane and read --screen to agree after the flood",
      async () => {
        const screen = await screenOf(s.session_id);
        return JSON.stringify(trimmed(tmux.capture(pane))) === JSON.stringify(trimmed(screen.lines));
      },
      30_000,
    );
    expect(tmux.capture(pane).join("\n")).toContain("flood-9-done");
    console.log(`20 MB through an attached terminal: program done in ${programMs} ms`);
  }, 90_000);

  test("a terminal that stops reading does not hold the program back, and gets the current screen when it reads again", async () => {
    const pane = tmux.newShell("stopped", 100, 30);
    const s = await box.start(["bash", "--norc", "--noprofile", "-i"], { env: { PS1: "inner$ " } });
    tmux.type(pane, attachCommand(s.session_id));
    await tmux.waitForText(pane, /^inner\$/m);
    const shell = Number(tmux.display(pane, "#{pane_pid}"));
    const attachPid = Number(readFileSync(`/proc/${shell}/task/${shell}/children`, "utf8").trim().split(/\s+/)[0]);
    expect(readFileSync(`/proc/${attachPid}/cmdline`, "utf8")).toContain("attach");
    // Stopped as by Ctrl-Z: the outer shell takes the terminal back until `fg`.
    process.kill(attachPid, "SIGSTOP");
    await tmux.waitForText(pane, /Stopped/);
    try {
      // 52 MB while the terminal reads nothing: more than the socket buffers, the holder's 1 MiB
      // allowance for it, and even the 64 MiB after which the holder would drop a client that
      // never reads (base64 in JSON adds a third). The attachment must skip ahead to survive.
      await box.run(["write", s.session_id, "head -c 52000000 /dev/zero | tr '\\0' 'y' | fold -w 99; echo stopped-$((2*4))-done\\n"]);
      const read = await box.run(["read", s.session_id, "--timeout", "60000", "--until", "stopped-8-done"]);
      expect(read.code).toBe(0);
      expect((await box.run(["read", s.session_id, "--screen"])).stdout).toContain("stopped-8-done");
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${s.holder_pid}/status`, "utf8"))![1]);
      console.log(`holder RSS after 52 MB to a stopped terminal: ${rssKb} kB`);
      tmux.type(pane, "fg");
    } finally {
      process.kill(attachPid, "SIGCONT");
    }
    await waitFor("the pane to show the current screen", async () => {
      const screen = await screenOf(s.session_id);
      return JSON.stringify(trimmed(tmux.capture(pane))) === JSON.stringify(trimmed(screen.lines));
    });
    // Still attached: what is typed reaches the session.
    tmux.type(pane, "echo alive-$((1+1))");
    await tmux.waitForText(pane, /^alive-2$/m);
    expect((await box.run(["read", s.session_id, "--peek", "--lines", "5"])).stdout).toContain("alive-2");
  }, 90_000);
});

describe("typing, watching, detaching", () => {
  test("typed keys reach the program; an agent's write appears in the pane", async () => {
    const pane = tmux.newShell("typing");
    const s = await box.start(["bash", "--norc", "--noprofile", "-i"], { env: { PS1: "inner$ " } });
    await box.run(["read", s.session_id, "--timeout", "5000", "--until", "inner\\$"]);
    tmux.type(pane, attachCommand(s.session_id));
    await tmux.waitForText(pane, /^inner\$/m);

    tmux.type(pane, "echo typed-$((6*7))");
    await tmux.waitForText(pane, /^typed-42$/m);
    // The program got the keys, not just the pane: another process reads them from the session.
    const read = await box.run(["read", s.session_id, "--all", "--strip-ansi"]);
    expect(read.stdout).toContain("typed-42");

    expect((await box.run(["write", s.session_id, "echo agent-$((5*5))\\n"])).code).toBe(0);
    await tmux.waitForText(pane, /^agent-25$/m);
  });

  test("detach (Ctrl-\\) restores the terminal exactly and leaves the session running", async () => {
    const pane = tmux.newShell("detach");
    const flags = "#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag} #{mouse_any_flag} #{mouse_sgr_flag} #{insert_flag} #{origin_flag} #{wrap_flag} #{scroll_region_upper} #{scroll_region_lower}";
    const defaults = tmux.display(pane, flags);
    // The program leaves every mode it can changed: alternate screen, application cursor and
    // keypad, hidden cursor, SGR mouse, insert mode, no autowrap, a scroll region, colours.
    const modes = "\\033[?1049h\\033[?1h\\033=\\033[?25l\\033[?1003h\\033[?1006h\\033[4h\\033[?7l\\033[3;8r\\033[1;31m";
    const s = await box.start(["sh", "-c", `printf '${modes}in alt screen'; exec sleep 600`]);
    const pid = s.pid;
    const dir = join(box.dir, "stty");
    tmux.type(pane, `stty -g > ${dir}.before; ${attachCommand(s.session_id)}; stty -g > ${dir}.after; echo back-$((2+3))`);
    await tmux.waitForText(pane, "in alt screen");
    expect(tmux.display(pane, "#{alternate_on} #{cursor_flag} #{mouse_sgr_flag}")).toBe("1 0 1");

    tmux.keys(pane, "C-\\");
    const lines = await tmux.waitForText(pane, /^back-5$/m);
    expect(lines.join("\n")).toContain(`[detached from ${s.session_id}]`);
    expect(tmux.display(pane, flags)).toBe(defaults);
    expect(readFileSync(`${dir}.after`, "utf8")).toBe(readFileSync(`${dir}.before`, "utf8"));
    // The shell took its terminal back: what is typed now goes to it, echoed, in plain colours.
    tmux.type(pane, "echo shell-$((3*3))");
    await tmux.waitForText(pane, /^shell-9$/m);
    const escaped = tmux.run(["capture-pane", "-p", "-e", "-t", pane]);
    expect(escaped).not.toMatch(/\x1b\[[0-9;]*31m[^\n]*shell-9/);

    expect(isAlive(pid)).toBe(true);
    const st = await statusOf(s.session_id);
    expect(st.status).toBe("running");
    expect((await screenOf(s.session_id)).lines[0]).toContain("in alt screen");
  });

  test("--read-only shows output but sends nothing, and does not resize the session", async () => {
    const pane = tmux.newShell("ro", 80, 20);
    const s = await box.start(["--cols", "70", "--rows", "12", "bash", "--norc", "--noprofile", "-i"], { env: { PS1: "inner$ " } });
    await box.run(["read", s.session_id, "--timeout", "5000", "--until", "inner\\$"]);
    const before = await statusOf(s.session_id);

    tmux.type(pane, `${attachCommand(s.session_id, "--read-only")}; echo ro-rc=$?`);
    await tmux.waitForText(pane, /^inner\$/m);
    expect((await box.run(["write", s.session_id, "echo from-agent-$((4*4))\\n"])).code).toBe(0);
    await tmux.waitForText(pane, /^from-agent-16$/m);
    const afterAgent = await statusOf(s.session_id);

    tmux.type(pane, "echo typed-but-ignored");
    tmux.keys(pane, "C-c", "C-\\");
    await tmux.waitForText(pane, /^ro-rc=0$/m);
    // The attach has ended, so everything it would ever have sent has been handled.
    const after = await statusOf(s.session_id);
    expect(after.output_bytes).toBe(afterAgent.output_bytes);
    const all = await box.run(["read", s.session_id, "--all"]);
    expect(all.stdout).not.toContain("typed-but-ignored");
    expect([after.cols, after.rows]).toEqual([before.cols, before.rows]);
  });

  test("an exit while attached prints the exit status and returns", async () => {
    const pane = tmux.newShell("exit");
    const s = await box.start(["sh", "-c", "printf 'say bye: '; read x; echo \"bye $x\"; exit 7"]);
    tmux.type(pane, `${attachCommand(s.session_id)}; echo attach-rc=$?`);
    await tmux.waitForText(pane, "say bye:");
    tmux.type(pane, "now");
    const lines = await tmux.waitForText(pane, /^attach-rc=0$/m);
    const text = lines.join("\n");
    expect(text).toContain("bye now");
    expect(text).toContain(`[${s.session_id} exited with code 7]`);
  });

  test("--detach-key ctrl+] detaches; Ctrl-\\ then goes to the program", async () => {
    const pane = tmux.newShell("key");
    // The program prints what it receives, byte by byte, in hex.
    const s = await box.start(["sh", "-c", "stty raw -echo; printf ready; od -An -tx1 -v -w1"]);
    tmux.type(pane, `${attachCommand(s.session_id, "--detach-key", "'ctrl+]'")}; echo key-rc=$?`);
    await tmux.waitForText(pane, "ready");
    tmux.keys(pane, "C-\\");
    await waitFor("the program to receive 1c", async () => (await box.run(["read", s.session_id, "--all"])).stdout.includes("1c"));
    tmux.keys(pane, "C-]");
    await tmux.waitForText(pane, /^key-rc=0$/m);
    expect(isAlive(s.pid)).toBe(true);
  });
});

describe("the session ends while attached", () => {
  test("end from an agent: attach reports the signal and returns", async () => {
    const pane = tmux.newShell("ended");
    const s = await box.start(["sh", "-c", "echo running; exec sleep 600"]);
    tmux.type(pane, `${attachCommand(s.session_id)}; echo end-rc=$?`);
    await tmux.waitForText(pane, "running");
    expect((await box.run(["end", s.session_id])).code).toBe(0);
    const lines = await tmux.waitForText(pane, /^end-rc=0$/m);
    expect(lines.join("\n")).toContain(`[${s.session_id} was killed by SIGHUP]`);
  });

  test("a holder killed with SIGKILL: attach says so, exits 1, and still puts the terminal back", async () => {
    const pane = tmux.newShell("killed");
    const flags = "#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{mouse_any_flag}";
    const defaults = tmux.display(pane, flags);
    const s = await box.start(["sh", "-c", "printf '\\033[?1049h\\033[?1h\\033[?25l\\033[?1003hfull screen'; exec sleep 600"]);
    tmux.type(pane, `${attachCommand(s.session_id)} 2>/dev/null; echo killed-rc=$?`);
    await tmux.waitForText(pane, "full screen");
    expect(tmux.display(pane, flags)).not.toBe(defaults);
    process.kill(s.holder_pid, "SIGKILL");
    await tmux.waitForText(pane, /^killed-rc=1$/m);
    expect(tmux.captureJoined(pane).join("\n")).toContain('"code":"HOLDER_UNREACHABLE"');
    expect(tmux.display(pane, flags)).toBe(defaults);
  });
});

describe("terminal queries", () => {
  // The program asks for the terminal's device attributes (DA1) once it is told to, and prints
  // how many answers arrive within a second. tmux answers DA1; so does the holder's emulator.
  const asker = "IFS= read -r go; stty raw -echo min 0 time 10; printf '\\033[c'; n=$(od -An -c | grep -o 033 | wc -l); stty sane; echo \"answers=$n\"; exec sleep 600";

  test("with a typing terminal attached, only that terminal answers", async () => {
    const pane = tmux.newShell("queries");
    const s = await box.start(["sh", "-c", `echo ask; ${asker}`]);
    tmux.type(pane, attachCommand(s.session_id));
    await tmux.waitForText(pane, /^ask$/m);
    tmux.type(pane, "go");
    await tmux.waitForText(pane, /answers=\s*1$/m);
  });

  test("with nobody attached, or only a read-only watcher, the emulator answers", async () => {
    const alone = await box.start(["sh", "-c", asker]);
    await box.run(["write", alone.session_id, "go\\n"]);
    const read = await box.run(["read", alone.session_id, "--timeout", "10000", "--until", "answers="]);
    expect(read.stdout).toMatch(/answers=\s*1\b/);

    const pane = tmux.newShell("watcher");
    const watched = await box.start(["sh", "-c", `echo ask; ${asker}`]);
    tmux.type(pane, attachCommand(watched.session_id, "--read-only"));
    await tmux.waitForText(pane, /^ask$/m);
    await box.run(["write", watched.session_id, "go\\n"]);
    await tmux.waitForText(pane, /answers=\s*1$/m);
  });

  test("after the typing terminal detached, the emulator answers again", async () => {
    const pane = tmux.newShell("again");
    const s = await box.start(["sh", "-c", `echo ask; ${asker}`]);
    tmux.type(pane, `${attachCommand(s.session_id)}; echo detached-now`);
    await tmux.waitForText(pane, /^ask$/m);
    tmux.keys(pane, "C-\\");
    await tmux.waitForText(pane, /^detached-now$/m);
    await box.run(["write", s.session_id, "go\\n"]);
    const read = await box.run(["read", s.session_id, "--timeout", "10000", "--until", "answers="]);
    expect(read.stdout).toMatch(/answers=\s*1\b/);
  });
});

describe("sizes", () => {
  test("the session follows the attached terminal; resize reaches the program; detach gives the agents' size back", async () => {
    const pane = tmux.newShell("size", 100, 30);
    // The program prints its terminal size whenever it changes (SIGWINCH).
    const s = await box.start(["--cols", "120", "--rows", "40", "sh", "-c", "trap 'echo size=$(stty size)' WINCH; echo waiting; while :; do sleep 1 & wait; done"]);
    await box.run(["read", s.session_id, "--timeout", "5000", "--until", "waiting"]);
    tmux.type(pane, attachCommand(s.session_id));
    const first = tmux.size(pane);
    await tmux.waitForText(pane, `size=${first.rows} ${first.cols}`);

    tmux.resize(pane, 90, 25);
    const second = tmux.size(pane);
    expect(second.cols).toBe(90);
    await tmux.waitForText(pane, `size=${second.rows} ${second.cols}`);
    const st = await statusOf(s.session_id);
    expect([st.cols, st.rows]).toEqual([second.cols, second.rows]);

    // An agent's resize applies while a person is attached…
    expect((await box.run(["resize", s.session_id, "50", "12"])).code).toBe(0);
    await tmux.waitForText(pane, "size=12 50");
    // …until the person is active again (here: resizes the terminal).
    tmux.resize(pane, 95, 26);
    const third = tmux.size(pane);
    await tmux.waitForText(pane, `size=${third.rows} ${third.cols}`);

    tmux.keys(pane, "C-\\");
    await tmux.waitForText(pane, "[detached from");
    await waitFor("the agents' size to come back", async () => {
      const now = await statusOf(s.session_id);
      return now.cols === 50 && now.rows === 12;
    });
    const read = await box.run(["read", s.session_id, "--all"]);
    expect(read.stdout.trimEnd().split("\n").pop()!.trim()).toBe("size=12 50");
  });

  test("two people: the session takes the size of the most recently active terminal", async () => {
    const a = tmux.newShell("a", 100, 30);
    const b = tmux.newShell("b", 70, 20);
    const s = await box.start(["bash", "--norc", "--noprofile", "-i"], { env: { PS1: "inner$ " } });
    const sizeA = tmux.size(a);
    const sizeB = tmux.size(b);
    const sessionSize = async () => {
      const st = await statusOf(s.session_id);
      return `${st.cols}x${st.rows}`;
    };
    tmux.type(a, attachCommand(s.session_id));
    await tmux.waitForText(a, /^inner\$/m);
    await waitFor("A's size", async () => (await sessionSize()) === `${sizeA.cols}x${sizeA.rows}`);
    tmux.type(b, attachCommand(s.session_id));
    await tmux.waitForText(b, /^inner\$/m);
    await waitFor("B's size", async () => (await sessionSize()) === `${sizeB.cols}x${sizeB.rows}`);

    // Typing in A makes A the latest: its size, and both panes show what it typed.
    tmux.type(a, "echo from-a-$((1+1))");
    await tmux.waitForText(a, /^from-a-2$/m);
    await tmux.waitForText(b, /^from-a-2$/m);
    await waitFor("A's size again", async () => (await sessionSize()) === `${sizeA.cols}x${sizeA.rows}`);

    // A leaves: B is the only one left.
    tmux.keys(a, "C-\\");
    await tmux.waitForText(a, "[detached from");
    await waitFor("B's size after A left", async () => (await sessionSize()) === `${sizeB.cols}x${sizeB.rows}`);
    tmux.type(b, "echo still-b");
    await tmux.waitForText(b, /^still-b$/m);
  });
});

describe("attach refuses what it cannot do", () => {
  test("without a terminal: NOT_A_TERMINAL, exit 1; a bad detach key: INVALID_KEY, exit 2", async () => {
    const s = await box.start(["sleep", "600"]);
    const r = await box.run(["attach", s.session_id]);
    expect(r.code).toBe(1);
    expect(r.json.code).toBe("NOT_A_TERMINAL");
    for (const key of ["a", "escape", "f12", "nonsense"]) {
      const bad = await box.run(["attach", s.session_id, "--detach-key", key]);
      expect(bad.code).toBe(2);
      expect(bad.json.code).toBe("INVALID_KEY");
    }
  });

  test("an exited session: SESSION_EXITED, exit 1, the terminal untouched", async () => {
    const pane = tmux.newShell("exited");
    const s = await box.start(["sh", "-c", "exit 3"]);
    await box.run(["wait", s.session_id, "--timeout", "5000"]);
    tmux.type(pane, `${attachCommand(s.session_id)} 2>/dev/null; echo exited-rc=$?`);
    const lines = await tmux.waitForText(pane, /^exited-rc=1$/m);
    expect(lines.join("\n")).toContain('"code":"SESSION_EXITED"');
  });
});
