/**
 * `stewardctl fg` against the real stewardd: its refusals beside the stock supervisorctl's, then a
 * program that echoes its stdin, driven through piped stdin/stdout — one-shot and in the shell.
 * Every wait is for output or an exit, bounded; none sleeps.
 */
import assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, test } from "node:test";
import { type Daemon, startDaemon } from "../helpers/daemon.js";
import { BIN } from "../helpers/paths.js";

type Run = { status: number | null; out: string };

function stewardctl(conf: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [join(BIN, "stewardctl.js"), "-c", conf, ...args], {
    encoding: "utf8",
    timeout: 30000,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

function supervisorctl(conf: string, ...args: string[]): Run {
  const r = spawnSync("supervisorctl", ["-c", conf, ...args], {
    encoding: "utf8",
    timeout: 30000,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

async function withControl(t: Parameters<typeof startDaemon>[0], body: string): Promise<Daemon> {
  const d = startDaemon(
    t,
    `${body}\n[unix_http_server]\nfile=%(here)s/stewardd.sock\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n[supervisorctl]\nserverurl=unix://%(here)s/stewardd.sock\n`,
  );
  await d.waitFor(/supervisord started with pid/);
  return d;
}

const PROGRAMS = `[program:echo]
command=/bin/bash -c 'echo ready; echo err-ready >&2; while read -r l; do echo "got:$l"; echo "err:$l" >&2; done'
startsecs=0
[program:redir]
command=/bin/bash -c 'while read -r l; do echo "got:$l"; echo "err:$l" >&2; done'
redirect_stderr=true
startsecs=0
[program:dies]
command=/bin/bash -c 'while read -r l; do echo "got:$l"; if [ "$l" = quit ]; then exit 3; fi; done'
startsecs=0
autorestart=false
[program:off]
command=/bin/sleep 1000
autostart=false
[group:g]
programs=a
[program:a]
command=/bin/cat
startsecs=0
`;

/** A stewardctl child with piped stdio, and bounded waits on what it prints. */
interface Ctl {
  readonly child: ChildProcessWithoutNullStreams;
  readonly out: () => string;
  readonly err: () => string;
  /** Resolves once stdout (after `from`, a length of it) matches; fails after `timeoutMs` or at exit. */
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<void>;
  readonly exited: Promise<number | null>;
  send(text: string): void;
}

function spawnCtl(t: Parameters<typeof startDaemon>[0], conf: string, ...args: string[]): Ctl {
  return watch(
    t,
    spawn(process.execPath, [join(BIN, "stewardctl.js"), "-c", conf, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
    }),
  );
}

/** stewardctl's shell on a terminal: script(1) runs it on a pseudo-terminal fed from our pipe. */
function spawnCtlOnTerminal(t: Parameters<typeof startDaemon>[0], conf: string): Ctl {
  const quote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;
  const command = [process.execPath, join(BIN, "stewardctl.js"), "-c", conf].map(quote).join(" ");
  return watch(t, spawn("script", ["-qfec", command, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] }));
}

function watch(t: Parameters<typeof startDaemon>[0], child: ChildProcessWithoutNullStreams): Ctl {
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    out += chunk;
    for (const l of [...listeners]) l();
  });
  child.stderr.on("data", (chunk: string) => {
    err += chunk;
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      exitCode = code;
      for (const l of [...listeners]) l();
      resolve(code);
    }),
  );
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    send: (text) => child.stdin.write(text),
    waitFor(pattern, from = 0, timeoutMs = 10000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out.slice(from))) {
            done();
            resolve();
          } else if (exitCode !== undefined) {
            done();
            reject(new Error(`stewardctl exited (${exitCode}) before printing ${pattern}:\n${out}\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(`timed out waiting for ${pattern}:\n--- stdout ---\n${out}\n--- stderr ---\n${err}`),
          );
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** The pid `stewardctl pid` reports (0 when not running). */
const pidOf = (conf: string, name: string) => Number(stewardctl(conf, "pid", name).out.trim());

describe("stewardctl fg", () => {
  test("refuses exactly as supervisorctl: no name, too many, unknown, a group, not running", async (t) => {
    const d = await withControl(t, PROGRAMS);
    await d.waitFor(/success: a entered RUNNING/);
    for (const command of [
      ["fg"],
      ["fg", "nosuch"],
      ["fg", "off"],
      ["fg", "echo", "a"],
      ["fg", "g:*"],
      ["fg", "g"],
    ]) {
      const ours = stewardctl(d.conf, ...command);
      const theirs = supervisorctl(d.conf, ...command);
      assert.deepEqual(ours, theirs, `command: ${command.join(" ")}`);
      assert.equal(ours.status, 1, `command: ${command.join(" ")}`);
    }
    assert.deepEqual(stewardctl(d.conf, "help", "fg"), supervisorctl(d.conf, "help", "fg"));
    await d.stop();
  });

  test("shows stdout and stderr, forwards typed lines, and Ctrl-C leaves the process running", async (t) => {
    const d = await withControl(t, PROGRAMS);
    await d.waitFor(/success: echo entered RUNNING/);
    const pid = pidOf(d.conf, "echo");
    assert.ok(pid > 0);
    const ctl = spawnCtl(t, d.conf, "fg", "echo");
    await ctl.waitFor(/^==> Press Ctrl-C to exit <==\n/);
    // The last bytes of both logs come first, as supervisorctl shows them.
    await ctl.waitFor(/^ready$/m);
    await ctl.waitFor(/^err-ready$/m);
    ctl.send("first line\n");
    await ctl.waitFor(/^got:first line\n/m);
    await ctl.waitFor(/^err:first line\n/m);
    const mark = ctl.out().length;
    ctl.send("second\n");
    await ctl.waitFor(/^got:second\n/m, mark);
    ctl.child.kill("SIGINT");
    assert.equal(await ctl.exited, 0);
    assert.match(ctl.out(), /Exiting foreground\n$/);
    assert.equal(ctl.err(), "");
    assert.equal(pidOf(d.conf, "echo"), pid, "the process is still the same RUNNING one");
    assert.match(stewardctl(d.conf, "status", "echo").out, /^echo\s+RUNNING\s+pid \d+/);
    await d.stop();
  });

  test("the end of stdin leaves fg; a program without a stderr log shows its output without complaint", async (t) => {
    const d = await withControl(t, PROGRAMS);
    await d.waitFor(/success: redir entered RUNNING/);
    const ctl = spawnCtl(t, d.conf, "fg", "redir");
    await ctl.waitFor(/^==> Press Ctrl-C to exit <==\n/);
    ctl.send("via redir\n");
    await ctl.waitFor(/^got:via redir\n/m);
    await ctl.waitFor(/^err:via redir\n/m);
    ctl.child.stdin.end();
    assert.equal(await ctl.exited, 0);
    assert.match(ctl.out(), /Exiting foreground\n$/);
    // supervisorctl prints `…/logtail/redir/stderr Cannot read, status code 404` here.
    assert.equal(ctl.err(), "");
    assert.ok(pidOf(d.conf, "redir") > 0);
    await d.stop();
  });

  test("when the process ends, fg says so as supervisorctl does: by input, or stopped from outside", async (t) => {
    const d = await withControl(t, PROGRAMS);
    await d.waitFor(/success: dies entered RUNNING/);
    let ctl = spawnCtl(t, d.conf, "fg", "dies");
    await ctl.waitFor(/^==> Press Ctrl-C to exit <==\n/);
    ctl.send("quit\n");
    assert.equal(await ctl.exited, 0);
    assert.match(ctl.out(), /^got:quit\nProcess got killed\nExiting foreground\n$/m);
    assert.match(stewardctl(d.conf, "status", "dies").out, /^dies\s+EXITED/);

    assert.equal(stewardctl(d.conf, "start", "dies").out, "dies: started\n");
    ctl = spawnCtl(t, d.conf, "fg", "dies");
    await ctl.waitFor(/^==> Press Ctrl-C to exit <==\n/);
    // Nothing typed: fg notices the stop by itself (supervisorctl only at the next line typed).
    assert.equal(stewardctl(d.conf, "stop", "dies").out, "dies: stopped\n");
    await ctl.waitFor(/Process got killed\nExiting foreground\n$/);
    assert.equal(await ctl.exited, 0);
    await d.stop();
  });

  test("in the shell: fg, a line, Ctrl-C back to the prompt, then more commands", async (t) => {
    const d = await withControl(t, PROGRAMS);
    await d.waitFor(/success: echo entered RUNNING/);
    const ctl = spawnCtl(t, d.conf);
    await ctl.waitFor(/supervisor> $/);
    ctl.send("fg echo\n");
    await ctl.waitFor(/==> Press Ctrl-C to exit <==\n/);
    ctl.send("in the shell\n");
    await ctl.waitFor(/^got:in the shell\n/m);
    let mark = ctl.out().length;
    ctl.child.kill("SIGINT");
    await ctl.waitFor(/^Exiting foreground\nsupervisor> $/m, mark);
    mark = ctl.out().length;
    ctl.send("status echo\n");
    await ctl.waitFor(/^echo\s+RUNNING\s+pid \d+.*\nsupervisor> $/m, mark);
    ctl.send("quit\n");
    assert.equal(await ctl.exited, 0);
    await d.stop();
  });

  test("on a terminal: Ctrl-C and Ctrl-D in fg return to the prompt, as in supervisorctl", async (t) => {
    const d = await withControl(t, PROGRAMS);
    await d.waitFor(/success: echo entered RUNNING/);
    const ctl = spawnCtlOnTerminal(t, d.conf);
    const prompt = /supervisor> \S*$/;
    await ctl.waitFor(prompt);
    for (const [key, name] of [
      ["\x03", "Ctrl-C"],
      ["\x04", "Ctrl-D"],
    ] as const) {
      let mark = ctl.out().length;
      ctl.send("fg echo\r");
      await ctl.waitFor(/==> Press Ctrl-C to exit <==/, mark);
      ctl.send(`typed before ${name}\r`);
      await ctl.waitFor(new RegExp(`got:typed before ${name}\r?\n`), mark);
      mark = ctl.out().length;
      ctl.send(key);
      await ctl.waitFor(/Exiting foreground\r?\n/, mark);
      await ctl.waitFor(prompt, mark);
    }
    const mark = ctl.out().length;
    ctl.send("status echo\r");
    await ctl.waitFor(/echo\s+RUNNING\s+pid \d+/, mark);
    ctl.send("quit\r");
    assert.equal(await ctl.exited, 0);
    await d.stop();
  });
});
