// --host values, the remote command line ssh hands to the login shell, and the docker/podman argv.
import { describe, expect, test } from "bun:test";
import { platformName } from "../../src/remote/install.ts";
import { checkSshOption, containerArgv, parseTarget, remoteCommand, REMOTE_SCRIPT, shellQuote } from "../../src/remote/target.ts";

describe("parseTarget", () => {
  test.each([
    ["build-box", { kind: "ssh", host: "build-box" }],
    ["alice@build-box", { kind: "ssh", host: "build-box", user: "alice" }],
    ["alice@build-box:2222", { kind: "ssh", host: "build-box", user: "alice", port: 2222 }],
    ["10.0.0.5:22", { kind: "ssh", host: "10.0.0.5", port: 22 }],
    ["[::1]:2222", { kind: "ssh", host: "::1", port: 2222 }],
    ["[fe80::1]", { kind: "ssh", host: "fe80::1" }],
    ["docker:web-1", { kind: "container", engine: "docker", name: "web-1" }],
    ["podman:db", { kind: "container", engine: "podman", name: "db" }],
  ])("%s", (spec, expected) => {
    expect(parseTarget(spec)).toEqual({ spec, ...expected } as never);
  });

  test.each(["", "-oProxyCommand=sh", "host:0", "host:70000", "a b", "@host", "user@", "docker:", "docker:-x", "host;rm"])("refuses %p", (spec) => {
    expect(() => parseTarget(spec)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});

test("--ssh-option must be KEY=VALUE", () => {
  expect(checkSshOption("IdentityFile=/k")).toBe("IdentityFile=/k");
  expect(checkSshOption("ProxyJump=bastion")).toBe("ProxyJump=bastion");
  for (const bad of ["", "novalue", "=x", "-oX=y", "1X=y"]) expect(() => checkSshOption(bad)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
});

describe("the remote command line", () => {
  test("each word reaches the program unchanged through a login shell", () => {
    const words = ["plain", "with space", "it's", "$HOME", "`x`", "a\"b", "back\\slash", "new\nline", "", "*"];
    const r = Bun.spawnSync(["sh", "-c", remoteCommand('printf "%s|" "$@"', words)], { stdout: "pipe" });
    expect(r.stdout.toString()).toBe(words.map((w) => `${w}|`).join(""));
  });

  test("shellQuote leaves simple words alone", () => {
    expect(shellQuote("--remote-exec")).toBe("--remote-exec");
    expect(shellQuote("a b")).toBe("'a b'");
  });

  test("the script finds delta-sessions in ~/.local/bin first and runs it in the home directory", () => {
    expect(REMOTE_SCRIPT).toStartWith('PATH="$HOME/.local/bin:$PATH"');
    expect(REMOTE_SCRIPT).toContain('cd "$HOME"');
    expect(REMOTE_SCRIPT).toEndWith('exec delta-sessions "$@"');
  });
});

test("docker and podman run the script with docker exec -i (and -t for attach)", () => {
  const target = parseTarget("docker:web");
  if (target.kind !== "container") throw new Error("not a container");
  expect(containerArgv(target, "S", ["--remote-exec", "V", "list"])).toEqual(["docker", "exec", "-i", "web", "sh", "-c", "S", "sh", "--remote-exec", "V", "list"]);
  expect(containerArgv(target, "S", ["attach", "x"], true)).toEqual(["docker", "exec", "-i", "-t", "web", "sh", "-c", "S", "sh", "attach", "x"]);
  const podman = parseTarget("podman:db");
  if (podman.kind !== "container") throw new Error("not a container");
  expect(containerArgv(podman, "S", [])[0]).toBe("podman");
});

test.each([
  ["Linux\nx86_64\ngnu\n", "linux-x64"],
  ["Linux\naarch64\nmusl\n", "linux-arm64-musl"],
  ["Darwin\narm64\ngnu\n", "darwin-arm64"],
  ["Darwin\nx86_64\nmusl\n", "darwin-x64"],
])("platformName(%p) = %s", (probe, name) => {
  expect(platformName(probe)).toBe(name);
});

test("ssh's argv: the user's options first (ssh keeps the first value), our defaults, then the destination after --", async () => {
  const { sshArgv, controlPath } = await import("../../src/remote/ssh.ts");
  const target = parseTarget("alice@build-box:2222");
  if (target.kind !== "ssh") throw new Error("not ssh");
  const link = { target, options: ["BatchMode=no", "ProxyJump=bastion"], dir: "/run/x/ssh", key: "0123456789abcdef" };
  const argv = sshArgv(link, ["-O", "check"]);
  expect(argv.slice(0, 5)).toEqual(["ssh", "-o", "BatchMode=no", "-o", "ProxyJump=bastion"]);
  expect(argv.indexOf("BatchMode=no")).toBeLessThan(argv.indexOf("BatchMode=yes"));
  expect(argv).toContain(`ControlPath=${controlPath(link)}`);
  expect(controlPath(link)).toBe("/run/x/ssh/0123456789abcdef.ctl");
  expect(argv.slice(-6)).toEqual(["-l", "alice", "-O", "check", "--", "build-box"]);
  expect(argv[argv.indexOf("-p") + 1]).toBe("2222");
});
