/** stewardd with real children: start-up, the state machine's timing rules, stop, signals, logs. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { isAlive, startDaemon } from "../helpers/daemon.js";

const pidOf = (line: string) => Number(/with pid (\d+)/.exec(line)![1]);
const ppidOf = (pid: number) =>
  Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);

describe("start-up", () => {
  test("autostart programs are spawned as direct children, in priority order, and reach RUNNING", async (t) => {
    const d = startDaemon(
      t,
      "[program:late]\ncommand=/bin/sleep 1000\npriority=20\nstartsecs=0\n[program:early]\ncommand=/bin/sleep 1000\npriority=10\nstartsecs=0\n[program:off]\ncommand=/bin/sleep 1000\nautostart=false\n",
    );
    await d.waitFor(/supervisord started with pid \d+/);
    const early = await d.waitFor(/spawned: 'early' with pid \d+/);
    const late = await d.waitFor(/spawned: 'late' with pid \d+/);
    await d.waitFor(
      /success: late entered RUNNING state, process has stayed up for > than 0 seconds \(startsecs\)/,
    );
    assert.ok(d.lines.indexOf(early) < d.lines.indexOf(late));
    assert.equal(ppidOf(pidOf(early)), d.pid);
    assert.ok(!d.lines.some((l) => l.includes("'off'")));
    assert.match(
      d.lines.find((l) => l.includes("supervisord started"))!,
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO supervisord started with pid \d+$/,
    );
    assert.equal(await d.stop(), 0);
    assert.ok(!isAlive(pidOf(early)) && !isAlive(pidOf(late)));
  });

  test("startsecs: RUNNING only after the program stayed up that long", async (t) => {
    const d = startDaemon(t, "[program:web]\ncommand=/bin/sleep 1000\nstartsecs=1\n");
    const spawned = await d.waitFor(/spawned: 'web'/);
    const success = await d.waitFor(
      /success: web entered RUNNING state, process has stayed up for > than 1 seconds/,
    );
    const ms = (line: string) => Date.parse(line.slice(0, 19).replace(" ", "T")) + Number(line.slice(20, 23));
    // laststart is taken just before the spawn, the spawned line just after it.
    assert.ok(ms(success) - ms(spawned) >= 900, `${spawned}\n${success}`);
    await d.stop();
  });
});

describe("exits", () => {
  test("expected and unexpected exit codes; autorestart=unexpected restarts only the unexpected", async (t) => {
    const d = startDaemon(
      t,
      "[program:ok]\ncommand=/bin/sh -c 'sleep 0.2; exit 0'\nstartsecs=0\n[program:bad]\ncommand=/bin/sh -c 'sleep 0.2; exit 3'\nstartsecs=0\nexitcodes=0,2\n",
    );
    await d.waitFor(/INFO exited: ok \(exit status 0; expected\)/);
    await d.waitFor(/WARN exited: bad \(exit status 3; not expected\)/);
    await d.waitForCount(/spawned: 'bad' with pid/, 2);
    assert.equal(d.lines.filter((l) => l.includes("spawned: 'ok'")).length, 1);
    await d.stop();
  });

  test("a program that exits too quickly backs off 1, 2 s and then is FATAL", async (t) => {
    const d = startDaemon(t, "[program:quick]\ncommand=/bin/sh -c 'exit 1'\nstartretries=2\nstartsecs=1\n");
    await d.waitFor(/gave up: quick entered FATAL state, too many start retries too quickly/);
    const spawns = d.lines.filter((l) => l.includes("spawned: 'quick'"));
    assert.equal(spawns.length, 3);
    assert.equal(
      d.lines.filter((l) => l.includes("WARN exited: quick (exit status 1; not expected)")).length,
      3,
    );
    await d.stop();
  });

  test("a command that cannot be found is a spawn error, then FATAL", async (t) => {
    const d = startDaemon(t, "[program:nope]\ncommand=/nonexistent/program\nstartretries=0\n");
    await d.waitFor(/INFO spawnerr: can't find command '\/nonexistent\/program'/);
    await d.waitFor(/gave up: nope entered FATAL state/);
    await d.stop();
  });
});

describe("stopping", () => {
  test("a program ignoring its stop signal is killed with SIGKILL after stopwaitsecs", async (t) => {
    const d = startDaemon(
      t,
      "[program:stubborn]\ncommand=/bin/sh -c 'trap \"\" TERM; while :; do sleep 0.1; done'\nstartsecs=0\nstopwaitsecs=1\n",
    );
    const spawned = await d.waitFor(/spawned: 'stubborn' with pid/);
    await d.waitFor(/success: stubborn/);
    d.proc.kill("SIGTERM");
    await d.waitFor(/WARN received SIGTERM indicating exit request/);
    await d.waitFor(/DEBG killing stubborn \(pid \d+\) with signal SIGTERM/);
    await d.waitFor(new RegExp(`WARN killing 'stubborn' \\(${pidOf(spawned)}\\) with SIGKILL`));
    await d.waitFor(/WARN stopped: stubborn \(terminated by SIGKILL\)/);
    assert.equal(await d.exited, 0);
  });

  test("stopasgroup stops the whole process group: no grandchild is left", async (t) => {
    const d = startDaemon(
      t,
      "[program:family]\ncommand=/bin/sh -c '/bin/sleep 1000 & echo grandchild $!; wait'\nstartsecs=0\nstopasgroup=true\nstdout_logfile=%(here)s/family.log\n",
    );
    await d.waitFor(/success: family/);
    const logFile = join(d.dir, "family.log");
    let grandchild = 0;
    for (let i = 0; i < 200 && grandchild === 0; i++) {
      const m = /grandchild (\d+)/.exec(readFileSync(logFile, "utf8"));
      if (m) grandchild = Number(m[1]);
      else await d.waitFor(/stdout output/, 2000).catch(() => undefined);
    }
    assert.ok(grandchild > 0, "the grandchild's pid was logged");
    assert.ok(isAlive(grandchild));
    await d.stop();
    await d.waitFor(/stopped: family/);
    assert.ok(!isAlive(grandchild));
  });
});

describe("logs", () => {
  test("child output reaches its log file byte for byte, with rotation keeping every byte", async (t) => {
    const d = startDaemon(
      t,
      "[program:spew]\ncommand=/bin/sh -c 'head -c 300000 /dev/zero | tr \"\\\\0\" x'\nstartsecs=0\nautorestart=false\nstdout_logfile=%(here)s/spew.log\nstdout_logfile_maxbytes=100KB\nstdout_logfile_backups=10\n",
      { supervisord: "loglevel=info" },
    );
    await d.waitFor(/exited: spew \(exit status 0; expected\)/);
    let total = 0;
    for (const suffix of ["", ".1", ".2", ".3", ".4"]) {
      try {
        total += statSync(join(d.dir, `spew.log${suffix}`)).size;
      } catch {}
    }
    assert.equal(total, 300000);
    await d.stop();
  });

  test("log_timestamps: each line of the log files begins with when it was read, lines split across writes too", async (t) => {
    const d = startDaemon(
      t,
      '[program:talk]\ncommand=/bin/sh -c \'printf "one\\\\ntw"; sleep 0.2; printf "o\\\\nthree\\\\n"; echo oops >&2\'\n' +
        "startsecs=0\nautorestart=false\nlog_timestamps=true\nstdout_logfile=%(here)s/talk.log\nstderr_logfile=%(here)s/talk.err\n",
      { supervisord: "loglevel=info" },
    );
    await d.waitFor(/exited: talk \(exit status 0; expected\)/);
    const stamp = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} ";
    assert.match(
      readFileSync(join(d.dir, "talk.log"), "utf8"),
      new RegExp(`^${stamp}one\\n${stamp}two\\n${stamp}three\\n$`),
    );
    assert.match(readFileSync(join(d.dir, "talk.err"), "utf8"), new RegExp(`^${stamp}oops\\n$`));
    await d.stop();
  });

  test("child environment has supervisord's variables and the configured ones", async (t) => {
    const d = startDaemon(
      t,
      '[program:env]\ncommand=/usr/bin/env\nstartsecs=0\nautorestart=false\nenvironment=GREETING="hello world"\n',
      { supervisord: "environment=GLOBAL=yes" },
    );
    await d.waitFor(/exited: env/);
    const out = d.lines.join("\n");
    for (const v of [
      "SUPERVISOR_ENABLED=1",
      "SUPERVISOR_PROCESS_NAME=env",
      "SUPERVISOR_GROUP_NAME=env",
      "GREETING=hello world",
      "GLOBAL=yes",
    ]) {
      assert.ok(out.includes(v), v);
    }
    await d.stop();
  });
});

describe("signals", () => {
  test("SIGUSR2 reopens the log files", async (t) => {
    const d = startDaemon(t, "[program:cat]\ncommand=/bin/cat\nstartsecs=0\n");
    await d.waitFor(/success: cat/);
    d.proc.kill("SIGUSR2");
    await d.waitFor(/INFO received SIGUSR2 indicating log reopen request/);
    await d.waitFor(/INFO supervisord logreopen/);
    await d.stop();
  });
});

describe("resource limits", () => {
  // Node itself raises its open-file soft limit to the hard limit at start-up, so minprocs is the
  // limit whose raise can be observed here.
  test("minprocs raises the process limit of the daemon and its children", async (t) => {
    const d = startDaemon(
      t,
      "[program:limits]\ncommand=/bin/bash -c 'ulimit -u; exec sleep 1000'\nstartsecs=0\n",
      {
        supervisord: "minprocs=1500",
        ulimit: "-Su 700",
      },
    );
    await d.waitFor(/INFO Increased RLIMIT_NPROC limit to 1500/);
    await d.waitFor(/^1500$/);
    await d.stop();
  });
});

describe("AUTO logs, directory and umask", () => {
  test("AUTO logs are named as supervisord names them; directory= and umask= apply to the child", async (t) => {
    const d = startDaemon(
      t,
      "[program:where]\ncommand=/bin/sh -c 'pwd; rm -f made-here; touch made-here; exit 0'\ndirectory=/tmp\numask=077\nstartsecs=0\nautorestart=false\n",
      { supervisord: "identifier=e2etest" },
    );
    await d.waitFor(/exited: where \(exit status 0; expected\)/);
    const auto = readdirSync(d.dir).filter((n) => /^where-stdout---e2etest-[a-z0-9_]{8}\.log$/.test(n));
    assert.equal(auto.length, 1);
    assert.equal(readFileSync(join(d.dir, auto[0]!), "utf8"), "/tmp\n");
    assert.ok(readdirSync(d.dir).some((n) => /^where-stderr---e2etest-[a-z0-9_]{8}\.log$/.test(n)));
    assert.equal(statSync("/tmp/made-here").mode & 0o777, 0o600);
    rmSync("/tmp/made-here", { force: true });
    await d.stop();
  });
});

describe("exit detection", () => {
  test("an exit is seen while a grandchild still holds the pipes", async (t) => {
    const d = startDaemon(
      t,
      "[program:leaver]\ncommand=/bin/sh -c '/bin/sleep 1000 & exit 3'\nstartsecs=0\nautorestart=false\nstopasgroup=true\n",
    );
    await d.waitFor(/exited: leaver \(exit status 3; not expected\)/, 5000);
    await d.stop();
  });

  test("everything written before the exit is in the log when the exit is reported", async (t) => {
    const d = startDaemon(
      t,
      "[program:burst]\ncommand=/bin/sh -c 'head -c 1000000 /dev/zero; exit 0'\nstartsecs=0\nautorestart=false\nstdout_logfile=%(here)s/burst.log\nstdout_logfile_maxbytes=0\n",
      { supervisord: "loglevel=info" },
    );
    await d.waitFor(/exited: burst \(exit status 0; expected\)/);
    assert.equal(statSync(join(d.dir, "burst.log")).size, 1000000);
    await d.stop();
  });
});

describe("an idle daemon", () => {
  test("with no programs and no servers it keeps running until told to stop", async (t) => {
    const d = startDaemon(t, "");
    await d.waitFor(/supervisord started with pid/);
    d.proc.kill("SIGUSR2");
    await d.waitFor(/supervisord logreopen/);
    assert.equal(d.proc.exitCode, null);
    assert.equal(await d.stop(), 0);
  });
});
