/**
 * stewardd as an operator runs it: daemonizing with a pidfile, refusing a second instance,
 * reloading on SIGHUP (and keeping the running config when the new one is broken), leaving no
 * process behind, and the BK-LOG configurations from the corpus.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { isAlive, startDaemon, writeDaemonConfig } from "../helpers/daemon.js";
import { BIN, CORPUS } from "../helpers/paths.js";
import { waitUntil } from "../helpers/wait.js";

const stewardd = (args: string[], env: NodeJS.ProcessEnv = { PATH: "/usr/bin:/bin", HOME: "/root" }) =>
  spawnSync(process.execPath, [join(BIN, "stewardd.js"), ...args], { encoding: "utf8", env, timeout: 30000 });

const readPid = (file: string) => Number(readFileSync(file, "utf8").trim());
const logHas = (file: string, text: string) => existsSync(file) && readFileSync(file, "utf8").includes(text);

/** Pids whose process group is `pgid`. */
function groupMembers(pgid: number): number[] {
  const out = spawnSync("ps", ["-e", "-o", "pid=,pgid="], { encoding: "utf8" }).stdout;
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter(([, g]) => g === pgid)
    .map(([p]) => p!);
}

describe("daemonizing", () => {
  test("the launcher exits 0 once the daemon runs with its pidfile; SIGTERM stops it and removes the pidfile", async () => {
    const { dir, conf } = writeDaemonConfig(
      "[program:cat]\ncommand=/bin/cat\nstartsecs=0\n",
      "nodaemon=false",
    );
    writeFileSync(conf, readFileSync(conf, "utf8").replace("nodaemon=true\n", ""));
    const launched = stewardd(["-c", conf]);
    assert.equal(launched.status, 0, launched.stderr);
    const pidfile = join(dir, "stewardd.pid");
    const pid = readPid(pidfile);
    assert.ok(isAlive(pid));
    const log = join(dir, "main.log");
    await waitUntil("cat runs", () => logHas(log, "success: cat entered RUNNING state"));
    assert.ok(logHas(log, "daemonizing the supervisord process"));
    assert.ok(logHas(log, `supervisord started with pid ${pid}`));

    const second = stewardd(["-c", conf]);
    assert.equal(second.status, 2);
    assert.match(
      second.stderr,
      new RegExp(`^Error: Another stewardd or supervisord is already running as pid ${pid}`),
    );
    assert.ok(isAlive(pid), "the first daemon is untouched");

    process.kill(pid, "SIGTERM");
    await waitUntil("the daemon exits", () => !isAlive(pid));
    assert.ok(!existsSync(pidfile));
    assert.ok(logHas(log, "stopped: cat (terminated by SIGTERM)"));
  });

  test("a bad config never starts anything: usage error and exit status 2", () => {
    const { conf } = writeDaemonConfig("[program:a]\ncommand=/bin/cat\nstartsecs=soon\n");
    const r = stewardd(["-c", conf]);
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /^Error: invalid literal for int\(\) with base 10: 'soon' in section 'program:a' \(file: '.*'\)\nFor help, use .*stewardd.js -h\n$/,
    );
  });
});

describe("reload", () => {
  test("SIGHUP stops everything and starts the new configuration", async (t) => {
    const d = startDaemon(t, "[program:one]\ncommand=/bin/cat\nstartsecs=0\n");
    await d.waitFor(/success: one entered RUNNING state/);
    writeFileSync(d.conf, readFileSync(d.conf, "utf8").replace("[program:one]", "[program:two]"));
    d.proc.kill("SIGHUP");
    await d.waitFor(/WARN received SIGHUP indicating restart request/);
    await d.waitFor(/stopped: one \(terminated by SIGTERM\)/);
    await d.waitFor(/success: two entered RUNNING state/);
    assert.equal(d.lines.filter((l) => l.includes("supervisord started with pid")).length, 2);
    await d.stop();
  });

  test("SIGHUP with a broken config logs the error and keeps the running programs", async (t) => {
    const d = startDaemon(t, "[program:one]\ncommand=/bin/cat\nstartsecs=0\n");
    const spawned = await d.waitFor(/spawned: 'one' with pid \d+/);
    writeFileSync(d.conf, `${readFileSync(d.conf, "utf8")}\nautostart=perhaps\n`);
    d.proc.kill("SIGHUP");
    await d.waitFor(
      /ERRO not reloading: the configuration has errors, keeping the running one: not a valid boolean value: 'perhaps'/,
    );
    assert.ok(isAlive(Number(/pid (\d+)/.exec(spawned)![1])));
    assert.ok(!d.lines.some((l) => l.includes("stopped: one")));
    await d.stop();
  });
});

describe("no process is left behind", () => {
  test("grandchildren that ignore the stop signal are killed with their group", async (t) => {
    const d = startDaemon(
      t,
      '[program:family]\ncommand=/bin/sh -c \'sh -c "trap \\\\"\\\\" TERM; while :; do sleep 0.05; done" & wait\'\nstartsecs=0\nstopasgroup=true\nstopwaitsecs=5\n',
    );
    const spawned = await d.waitFor(/spawned: 'family' with pid \d+/);
    const pgid = Number(/pid (\d+)/.exec(spawned)![1]);
    await d.waitFor(/success: family/);
    await waitUntil("the grandchild exists", () => groupMembers(pgid).length >= 2);
    assert.equal(await d.stop(), 0);
    await waitUntil("the process group is empty", () => groupMembers(pgid).length === 0, 5000);
  });

  // A forking server's master dying on its own (gunicorn's, say) leaves its workers holding the port.
  const family = (killasgroup: boolean) =>
    `[program:family]\ncommand=/bin/sh -c 'sleep 300 & wait'\nstartsecs=0\nautorestart=false\nkillasgroup=${killasgroup}\n`;

  test("with killasgroup, a leader that dies on its own takes what is left of its group with it", async (t) => {
    const d = startDaemon(t, family(true));
    const pgid = Number(/pid (\d+)/.exec(await d.waitFor(/spawned: 'family' with pid \d+/))![1]);
    await waitUntil("the grandchild exists", () => groupMembers(pgid).length >= 2);
    process.kill(pgid, "SIGKILL");
    await d.waitFor(
      new RegExp(
        `family \\(pid ${pgid}\\) exited, leaving processes in its group: killing them with signal SIGKILL \\(killasgroup\\)`,
      ),
    );
    await d.waitFor(/exited: family \(terminated by SIGKILL; not expected\)/);
    await waitUntil("the process group is empty", () => groupMembers(pgid).length === 0, 5000);
    assert.equal(await d.stop(), 0);
  });

  test("without killasgroup the rest of the group outlives its leader (as under supervisord) until the daemon exits", async (t) => {
    const d = startDaemon(t, family(false));
    const pgid = Number(/pid (\d+)/.exec(await d.waitFor(/spawned: 'family' with pid \d+/))![1]);
    await waitUntil("the grandchild exists", () => groupMembers(pgid).length >= 2);
    process.kill(pgid, "SIGKILL");
    await d.waitFor(/exited: family \(terminated by SIGKILL; not expected\)/);
    assert.equal(groupMembers(pgid).length, 1, "the grandchild is still there");
    assert.ok(!d.lines.some((l) => l.includes("leaving processes in its group")));
    assert.equal(await d.stop(), 0);
    await waitUntil("the process group is empty", () => groupMembers(pgid).length === 0, 5000);
  });
});

describe("the BK-LOG configurations from the corpus", () => {
  test("api and grafana start under stewardd (daemonized), run, and stop cleanly", async () => {
    const { dir } = writeDaemonConfig("");
    const root = join(dir, "bkee");
    const run = join(dir, "run");
    for (const d of ["logs/bklog", "bklog/api/bin", "bklog/grafana/bin", "bklog/grafana/conf"])
      mkdirSync(join(root, d), { recursive: true });
    mkdirSync(run);
    writeFileSync(join(root, "bklog/api/bin/environ.sh"), "export BKAPP_STANDIN=1\n");
    // A sleep argument no other process on the machine uses, to find leftovers by.
    const marker = `100000.${process.pid}`;
    const standIn = (path: string, name: string) => {
      writeFileSync(path, `#!/bin/sh\necho "${name} stand-in started: $*"\nexec sleep ${marker}\n`);
      chmodSync(path, 0o755);
    };
    mkdirSync(join(dir, "bin"));
    standIn(join(dir, "bin/gunicorn"), "gunicorn");
    standIn(join(root, "bklog/grafana/bin/grafana-server"), "grafana-server");
    const render = (name: string) => {
      const text = readFileSync(join(CORPUS, name), "utf8")
        .replaceAll("/data/bkee", root)
        .replaceAll("/var/run/bklog", run)
        .replace("sleep 10 && ", "");
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    const env = { PATH: `${dir}/bin:/usr/bin:/bin`, HOME: "/root" };
    for (const [name, program, log] of [
      ["016-bklog-api.conf", "bklog-api", "api-supervisord.log"],
      ["017-bklog-grafana.conf", "grafana", "grafana-supervisord.log"],
    ] as const) {
      const launched = stewardd(["-c", render(name)], env);
      assert.equal(launched.status, 0, launched.stderr);
      const mainLog = join(root, "logs/bklog", log);
      await waitUntil(`${program} runs`, () => logHas(mainLog, `success: ${program} entered RUNNING state`));
    }
    assert.ok(
      logHas(
        join(root, "logs/bklog/api.log"),
        "gunicorn stand-in started: -c gunicorn_config.py wsgi:application",
      ),
    );
    for (const pidfile of ["api-supervisord.pid", "grafana-supervisord.pid"]) {
      const pid = readPid(join(run, pidfile));
      process.kill(pid, "SIGTERM");
      await waitUntil(`${pidfile} daemon exits`, () => !isAlive(pid));
    }
    assert.ok(logHas(join(root, "logs/bklog/api-supervisord.log"), "stopped: bklog-api"));
    assert.ok(logHas(join(root, "logs/bklog/grafana-supervisord.log"), "stopped: grafana"));
    const leftovers = spawnSync("pgrep", ["-f", `sleep ${marker}`], { encoding: "utf8" }).stdout.trim();
    assert.equal(leftovers, "");
  });
});
