/**
 * stewardctl beside the stock supervisorctl against one stewardd: the same command gives the same
 * output and exit status (pids and uptimes masked); plus stewardctl's own --json, wait and tail -f.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { type Daemon, startDaemon } from "../helpers/daemon.js";
import { BIN } from "../helpers/paths.js";

type Run = { status: number | null; out: string };

function stewardctl(conf: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [join(BIN, "stewardctl.js"), "-c", conf, ...args], {
    encoding: "utf8",
    timeout: 30000,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

function supervisorctl(conf: string, ...args: string[]): Run {
  const r = spawnSync("supervisorctl", ["-c", conf, ...args], { encoding: "utf8", timeout: 30000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** Pids, uptimes and start dates differ between two runs; the layout must not. */
const mask = (text: string) =>
  text.replace(/pid \d+, uptime \d+:\d\d:\d\d/g, "pid N, uptime T").replace(/^\d+$/gm, "N");

async function withControl(t: Parameters<typeof startDaemon>[0], body: string): Promise<Daemon> {
  const d = startDaemon(
    t,
    `${body}\n[unix_http_server]\nfile=%(here)s/stewardd.sock\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n[supervisorctl]\nserverurl=unix://%(here)s/stewardd.sock\n`,
  );
  await d.waitFor(/supervisord started with pid/);
  return d;
}

const PROGRAMS = `[program:cat]
command=/bin/sh -c 'echo hello from cat; echo oops >&2; exec cat'
startsecs=0
[program:off]
command=/bin/sleep 1000
autostart=false
startsecs=0
[group:g]
programs=a,b
[program:a]
command=/bin/sleep 1000
startsecs=0
[program:b]
command=/bin/sleep 1000
startsecs=0
`;

describe("stewardctl and supervisorctl give the same answers", () => {
  test("read-only commands", async (t) => {
    const d = await withControl(t, PROGRAMS);
    await d.waitFor(/success: cat entered RUNNING/);
    await d.waitFor(/success: b entered RUNNING/);
    for (const command of [
      ["status"],
      ["status", "cat", "nosuch", "g:*", "x:*"],
      ["status", "off"],
      ["pid"],
      ["pid", "all"],
      ["pid", "off"],
      ["pid", "nosuch"],
      ["avail"],
      ["reread"],
      ["version"],
      ["tail", "cat"],
      ["tail", "-6", "cat", "stderr"],
      ["tail", "cat", "bogus"],
      ["tail", "nosuch"],
      ["help"].slice(0, 0).concat(["help", "start"]),
      ["help", "tail"],
      ["help", "maintail"],
      ["help", "help"],
      ["help", "nope"],
      ["start"],
      ["stop"],
      ["signal", "HUP"],
      ["avail", "x"],
      ["bogus"],
      ["signal", "HUP", "off"],
      ["signal", "BOGUS", "cat"],
      ["fg"],
      ["fg", "nosuch"],
      ["fg", "off"],
      ["fg", "cat", "off"],
      ["help", "fg"],
    ]) {
      const ours = stewardctl(d.conf, ...command);
      const theirs = supervisorctl(d.conf, ...command);
      assert.deepEqual(
        { status: ours.status, out: mask(ours.out) },
        { status: theirs.status, out: mask(theirs.out) },
        `command: ${command.join(" ")}`,
      );
    }
    await d.stop();
  });

  test("commands that change state, each run by both in turn", async (t) => {
    const d = await withControl(t, PROGRAMS);
    await d.waitFor(/success: b entered RUNNING/);
    // Each pair leaves the daemon as it found it, so both ctls see the same state.
    const pairs: string[][][] = [
      [
        ["start", "off"],
        ["stop", "off"],
      ],
      [
        ["stop", "g:*"],
        ["start", "g:*"],
      ],
      [["restart", "cat"], []],
      [
        ["stop", "all"],
        ["start", "cat", "g:*"],
      ],
      [["start", "cat", "nosuch", "x:*"], []],
      [["stop", "off"], []],
      [["signal", "USR1", "g:*"], []],
      [["clear", "cat"], []],
    ];
    for (const [command, undo] of pairs) {
      const ours = stewardctl(d.conf, ...command!);
      if (undo!.length > 0) stewardctl(d.conf, ...undo!);
      const theirs = supervisorctl(d.conf, ...command!);
      if (undo!.length > 0) stewardctl(d.conf, ...undo!);
      // Group and all results come in the daemon's order, which may vary for equal priorities.
      const sorted = (r: Run) => ({ status: r.status, out: mask(r.out).split("\n").sort().join("\n") });
      assert.deepEqual(sorted(ours), sorted(theirs), `command: ${command!.join(" ")}`);
    }
    await d.stop();
  });

  test("reread and update after a config change", async (t) => {
    const d = await withControl(t, "[program:a]\ncommand=/bin/sleep 1000\nstartsecs=0\n");
    await d.waitFor(/success: a entered RUNNING/);
    const original = readFileSync(d.conf, "utf8");
    writeFileSync(d.conf, `${original}\n[program:b]\ncommand=/bin/sleep 1000\nstartsecs=0\n`);
    assert.deepEqual(stewardctl(d.conf, "reread"), supervisorctl(d.conf, "reread"));
    assert.deepEqual(stewardctl(d.conf, "update", "nosuch"), {
      status: 1,
      out: "ERROR: no such group: nosuch\n",
    });
    assert.deepEqual(stewardctl(d.conf, "update"), { status: 0, out: "b: added process group\n" });
    writeFileSync(d.conf, original);
    assert.deepEqual(stewardctl(d.conf, "reread"), supervisorctl(d.conf, "reread"));
    assert.deepEqual(stewardctl(d.conf, "update"), {
      status: 0,
      out: "b: stopped\nb: removed process group\n",
    });
    assert.deepEqual(stewardctl(d.conf, "update"), supervisorctl(d.conf, "update"));
    assert.deepEqual(stewardctl(d.conf, "add", "nosuch"), supervisorctl(d.conf, "add", "nosuch"));
    assert.deepEqual(stewardctl(d.conf, "remove", "a"), supervisorctl(d.conf, "remove", "a"));
    assert.deepEqual(stewardctl(d.conf, "shutdown"), { status: 0, out: "Shut down\n" });
    assert.equal(await d.exited, 0);
  });
});

describe("stewardctl's own additions", () => {
  test("--json on status, pid, avail and start results", async (t) => {
    const d = await withControl(t, PROGRAMS);
    await d.waitFor(/success: b entered RUNNING/);
    let r = stewardctl(d.conf, "status", "--json");
    assert.equal(r.status, 3);
    const infos = JSON.parse(r.out) as { namespec: string; statename: string; pid: number }[];
    assert.deepEqual(
      infos.map((i) => [i.namespec, i.statename]),
      [
        ["cat", "RUNNING"],
        ["g:a", "RUNNING"],
        ["g:b", "RUNNING"],
        ["off", "STOPPED"],
      ],
    );
    r = stewardctl(d.conf, "--json", "pid", "cat", "off");
    assert.equal(r.status, 7);
    assert.deepEqual(
      (JSON.parse(r.out) as { namespec: string; pid: number }[]).map((p) => [p.namespec, p.pid > 0]),
      [
        ["cat", true],
        ["off", false],
      ],
    );
    r = stewardctl(d.conf, "avail", "--json");
    assert.equal(r.status, 0);
    assert.equal((JSON.parse(r.out) as unknown[]).length, 4);
    r = stewardctl(d.conf, "start", "--json", "off", "cat");
    assert.equal(r.status, 0);
    assert.deepEqual(
      (JSON.parse(r.out) as { namespec: string; message: string }[]).map((x) => [x.namespec, x.message]),
      [
        ["off", "started"],
        ["cat", "ERROR (already started)"],
      ],
    );
    await d.stop();
  });

  test("wait returns 0 once RUNNING, 7 for FATAL, 1 after the timeout", async (t) => {
    const d = await withControl(
      t,
      "[program:slow]\ncommand=/bin/sleep 1000\nstartsecs=1\n[program:bad]\ncommand=/bin/sh -c 'exit 1'\nstartsecs=1\nstartretries=0\n[program:off]\ncommand=/bin/sleep 1000\nautostart=false\n",
    );
    let r = stewardctl(d.conf, "wait", "--timeout", "10", "slow");
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /^slow\s+RUNNING\s+pid \d+/);
    r = stewardctl(d.conf, "wait", "--timeout", "10", "bad");
    assert.equal(r.status, 7, r.out);
    assert.match(r.out, /^bad\s+FATAL/m);
    r = stewardctl(d.conf, "wait", "--timeout", "0.5", "off");
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /^off\s+STOPPED/m);
    r = stewardctl(d.conf, "wait", "nosuch");
    assert.equal(r.status, 2);
    await d.stop();
  });

  test("tail -f follows by polling and ends on Ctrl-C", async (t) => {
    const d = await withControl(
      t,
      "[program:ticker]\ncommand=/bin/sh -c 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done'\nstartsecs=0\n",
    );
    await d.waitFor(/success: ticker entered RUNNING/);
    const child = spawn(process.execPath, [join(BIN, "stewardctl.js"), "-c", d.conf, "tail", "-f", "ticker"]);
    let out = "";
    child.stdout.setEncoding("utf8");
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    t.after(() => child.kill("SIGKILL"));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ticks followed:\n${out}`)), 10000);
      child.stdout.on("data", (chunk: string) => {
        out += chunk;
        const ticks = out.match(/tick \d+/g) ?? [];
        if (ticks.length >= 6) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill("SIGINT");
    assert.equal(await exited, 0);
    assert.match(out, /^==> Press Ctrl-C to exit <==\n/);
    const numbers = (out.match(/tick (\d+)/g) ?? []).map((m) => Number(m.slice(5)));
    // Consecutive: nothing lost or repeated between polls.
    for (let i = 1; i < numbers.length; i++) assert.equal(numbers[i], numbers[i - 1]! + 1, out);
    await d.stop();
  });

  test("clear messages when the daemon cannot be reached", () => {
    const conf = join(startlessDir(), "ctl.conf");
    writeFileSync(conf, "[supervisorctl]\nserverurl=unix:///nonexistent/steward.sock\n");
    assert.deepEqual(stewardctl(conf, "status"), {
      status: 4,
      out: "unix:///nonexistent/steward.sock no such file\n",
    });
    assert.deepEqual(stewardctl(conf, "avail"), {
      status: 1,
      out: "unix:///nonexistent/steward.sock no such file\n",
    });
    writeFileSync(conf, "[supervisorctl]\nserverurl=http://127.0.0.1:1\n");
    assert.deepEqual(stewardctl(conf, "stop", "x"), {
      status: 4,
      out: "http://127.0.0.1:1 refused connection\n",
    });
    writeFileSync(conf, "[other]\n");
    const r = stewardctl(conf, "status");
    assert.equal(r.status, 2);
    assert.match(r.out, /^Error: \.ini file does not include supervisorctl section\nFor help, use .* -h\n$/);
  });
});

function startlessDir(): string {
  const r = spawnSync("mktemp", ["-d"], { encoding: "utf8" });
  return r.stdout.trim();
}
