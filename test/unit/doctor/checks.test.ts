/** Each check over fake facts: what it finds, where, and what it says to do. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkCommands } from "../../../src/doctor/checks/commands.js";
import { checkConfig } from "../../../src/doctor/checks/config.js";
import { checkPorts, checkServices } from "../../../src/doctor/checks/network.js";
import { checkOrder } from "../../../src/doctor/checks/order.js";
import { checkPaths } from "../../../src/doctor/checks/paths.js";
import { checkPlaceholders } from "../../../src/doctor/checks/placeholders.js";
import { checkProcesses } from "../../../src/doctor/checks/processes.js";
import { checkSocket } from "../../../src/doctor/checks/socket.js";
import type {
  BindResult,
  ConnectResult,
  DaemonFacts,
  NetworkFacts,
  ProcessFacts,
} from "../../../src/doctor/facts.js";
import type { Finding } from "../../../src/doctor/finding.js";
import { load } from "../../helpers/temp-config.js";
import { API_CONF, apiFiles, build, DIRS, ENVIRON_SH } from "./support.js";

const levels = (findings: readonly Finding[]) => findings.map((f) => f.level);
const problems = (findings: readonly Finding[]) => findings.filter((f) => f.level !== "pass");

function network(
  binds: Record<string, BindResult> = {},
  connects: Record<string, ConnectResult> = {},
): NetworkFacts {
  return {
    binds: new Map(Object.entries(binds)),
    connects: new Map(Object.entries(connects)),
    timeoutMs: 2000,
  };
}

function proc(name: string, statename: string, more: Partial<ProcessFacts> = {}): ProcessFacts {
  return { name, statename, spawnerr: "", exitstatus: 0, pid: 0, description: "", log: [], ...more };
}

const DOWN: DaemonFacts = {
  kind: "down",
  serverurl: "unix:///var/run/bklog/api-supervisor.sock",
  message: "no such file",
};

describe("config", () => {
  test("a loader issue is a fail with its place and hint; warnings warn; else one pass", () => {
    const config = load("[supervisord]\n[program:x]\ncommand=/bin/true\n");
    const issues = [
      {
        message: "bad",
        brief: "invalid 'autorestart' value 'maybe'",
        file: "/e.conf",
        line: 4,
        section: "program:x",
        option: "autorestart",
        hint: "use true, false or unexpected",
      },
    ];
    assert.deepEqual(checkConfig({ file: "/e.conf", issues, config: null }), [
      {
        level: "fail",
        check: "config",
        where: "/e.conf:4 [program:x] autorestart",
        message: "stewardd refuses this configuration: invalid 'autorestart' value 'maybe'",
        fix: "use true, false or unexpected",
      },
    ]);
    assert.deepEqual(levels(checkConfig({ file: config.file, issues: [], config })), ["pass"]);
    const warned = { ...config, warnings: ['No file matches via include "/x/*.conf"'] };
    assert.deepEqual(levels(checkConfig({ file: config.file, issues: [], config: warned })), ["warn"]);
  });
});

describe("commands", () => {
  test("a clean deployment passes", () => {
    assert.deepEqual(levels(checkCommands(build(API_CONF).d)), ["pass"]);
  });

  test("the file the wrapper sources is missing", () => {
    const { d } = build(API_CONF, { ...apiFiles(), "/data/bkee/bklog/api/bin/environ.sh": undefined });
    const found = problems(checkCommands(d));
    assert.equal(found.length, 1, "gunicorn's PATH came from the missing file: not reported on its own");
    assert.equal(found[0]?.level, "fail");
    assert.equal(found[0]?.where, d.programs[0]?.commandWhere);
    assert.match(
      found[0]!.message,
      /sources bin\/environ\.sh, and \/data\/bkee\/bklog\/api\/bin\/environ\.sh does not exist/,
    );
  });

  test("the program behind exec is not found, or not executable", () => {
    let { d } = build(API_CONF, { ...apiFiles(), "/data/bkee/.envs/bklog-api/bin/gunicorn": undefined });
    let [f] = problems(checkCommands(d));
    assert.match(
      f!.message,
      /^the wrapper's exec gunicorn -c gunicorn_config\.py …: gunicorn is not found in PATH \/data\/bkee\/\.envs\/bklog-api\/bin:\/usr\/bin:\/bin/,
    );
    assert.match(f!.fix, /in bin\/environ\.sh/);
    ({ d } = build(API_CONF, apiFiles(), { modes: { "/data/bkee/.envs/bklog-api/bin/gunicorn": 0o644 } }));
    [f] = problems(checkCommands(d));
    assert.equal(
      f?.message,
      "the wrapper's exec gunicorn -c gunicorn_config.py …: /data/bkee/.envs/bklog-api/bin/gunicorn is not executable",
    );
    assert.equal(f?.fix, "chmod +x /data/bkee/.envs/bklog-api/bin/gunicorn");
  });

  test("a PATH computed by a command: not found is only a warning", () => {
    const env = ENVIRON_SH.replace(
      "export PATH=/data/bkee/.envs/bklog-api/bin:$PATH",
      'export PATH="$(venv_bin):$PATH"',
    );
    const { d } = build(API_CONF, { ...apiFiles(), "/data/bkee/bklog/api/bin/environ.sh": env });
    assert.deepEqual(levels(problems(checkCommands(d))), ["warn"]);
  });

  test("the gunicorn config named by -c is missing", () => {
    const { d } = build(API_CONF, { ...apiFiles(), "/data/bkee/bklog/api/gunicorn_config.py": undefined });
    const [f] = problems(checkCommands(d));
    assert.equal(
      f?.message,
      "gunicorn config gunicorn_config.py: /data/bkee/bklog/api/gunicorn_config.py does not exist; the program cannot start without it",
    );
  });

  test("the command itself: supervisord's spawn error", () => {
    const { d } = build("[supervisord]\n[program:x]\ncommand=/opt/app/run --x\n");
    const [f] = problems(checkCommands(d));
    assert.equal(
      f?.message,
      "can't find command '/opt/app/run'; stewardd cannot spawn it (spawn error, then FATAL)",
    );
    assert.match(f!.where, /:3 \[program:x\] command$/);
  });

  test("a missing environment_file", () => {
    const { d } = build(
      "[supervisord]\n[program:x]\ncommand=/bin/sh -c true\nenvironment_file=/etc/app.env\n",
    );
    const [f] = problems(checkCommands(d));
    assert.match(f!.where, /:4 \[program:x\] environment_file$/);
    assert.match(f!.message, /^environment_file \/etc\/app\.env: \/etc\/app\.env does not exist/);
  });

  test("a command with placeholders is left to the placeholders check", () => {
    const { d } = build("[supervisord]\n[program:x]\ncommand=__BK_HOME__/bin/x\n");
    const found = checkCommands(d);
    assert.deepEqual(levels(found), ["pass"]);
    assert.match(found[0]!.message, /1 not checked: their command holds placeholders/);
  });
});

describe("paths", () => {
  test("a clean deployment passes", () => {
    const { d, files } = build(API_CONF);
    assert.deepEqual(levels(checkPaths(d, files, 0)), ["pass"]);
  });

  test("/var/run/bklog missing: one finding for the pidfile and the socket, with a tmpfiles fix", () => {
    const { d, files } = build(API_CONF, apiFiles(), { dirs: ["/data/bkee/logs/bklog", "/tmp"] });
    const found = problems(checkPaths(d, files, 0));
    assert.equal(found.length, 1);
    assert.match(found[0]!.where, /:3 \[supervisord\] pidfile$/);
    assert.equal(
      found[0]!.message,
      "/var/run/bklog does not exist: the pidfile /var/run/bklog/api-supervisord.pid and the control socket /var/run/bklog/api-supervisor.sock cannot be created (stewardd refuses to start)",
    );
    assert.match(found[0]!.fix, /^mkdir -p \/var\/run\/bklog; .*tmpfiles\.d/);
  });

  test("a log directory that is not writable: fail as root, warn as another user", () => {
    const { d, files } = build(API_CONF, apiFiles(), { readOnly: ["/data/bkee/logs/bklog"] });
    const asRoot = problems(checkPaths(d, files, 0));
    assert.deepEqual(levels(asRoot), ["fail"]);
    assert.match(
      asRoot[0]!.message,
      /^\/data\/bkee\/logs\/bklog is not writable by root: the daemon's logfile .* and \[program:bklog-api\] stdout_logfile/,
    );
    assert.deepEqual(levels(problems(checkPaths(d, files, 1000))), ["warn"]);
  });

  test("a log file that exists read-only; a program directory that is missing", () => {
    const conf = `${API_CONF}\n[program:other]\ncommand=/bin/sh -c true\ndirectory=/srv/missing\nstdout_logfile=/data/bkee/logs/bklog/other.log\n`;
    const files = { ...apiFiles(), "/data/bkee/logs/bklog/other.log": "" };
    const { d, files: fs } = build(conf, files, { readOnly: ["/data/bkee/logs/bklog/other.log"] });
    const found = problems(checkPaths(d, fs, 0));
    assert.deepEqual(
      found.map((f) => f.message),
      [
        "/data/bkee/logs/bklog/other.log exists and is not writable by root",
        "/srv/missing does not exist: [program:other] directory cannot be entered (the spawn fails)",
      ],
    );
  });

  test("AUTO logs need childlogdir", () => {
    const { d, files } = build(
      "[supervisord]\nchildlogdir=/var/log/steward\n[program:x]\ncommand=/bin/sh -c true\n",
    );
    const [f] = problems(checkPaths(d, files, 0));
    assert.match(f!.message, /^\/var\/log\/steward does not exist: childlogdir \(AUTO child logs\)/);
  });
});

describe("placeholders", () => {
  test("in the config and in the files it sources and names, with file:line", () => {
    const conf = API_CONF.replace("/data/bkee/logs/bklog/api.log", "__BK_HOME__/logs/bklog/api.log");
    const env = ENVIRON_SH.replace('"10.0.0.12"', '"__LAN_IP__"');
    const py = "bind = '__LAN_IP__:__BK_BKLOG_API_PORT__'\n# __IN_A_COMMENT__\n";
    const {
      d,
      files,
      conf: file,
    } = build(conf, {
      ...apiFiles(),
      "/data/bkee/bklog/api/bin/environ.sh": env,
      "/data/bkee/bklog/api/gunicorn_config.py": py,
    });
    const found = checkPlaceholders(d, files, "/");
    assert.deepEqual(
      found.map((f) => [f.level, f.where, f.message]),
      [
        ["fail", `${file}:8`, "__BK_HOME__ left unrendered"],
        ["fail", "/data/bkee/bklog/api/bin/environ.sh:2", "__LAN_IP__ left unrendered"],
        [
          "fail",
          "/data/bkee/bklog/api/gunicorn_config.py:1",
          "__LAN_IP__, __BK_BKLOG_API_PORT__ left unrendered",
        ],
      ],
    );
  });

  test("none: a pass that counts the files read", () => {
    const { d, files } = build(API_CONF);
    assert.deepEqual(
      checkPlaceholders(d, files, "/").map((f) => [f.level, f.message]),
      [["pass", "none in 3 files read"]],
    );
  });
});

describe("ports", () => {
  const API = "10.0.0.12:10400";

  test("free: pass, naming the ports", () => {
    const { d } = build(API_CONF);
    const found = checkPorts(d, network({ [API]: { status: "free" } }), DOWN);
    assert.deepEqual(
      found.map((f) => [f.level, f.message]),
      [["pass", "1 port can be listened on: bklog-api 10.0.0.12:10400"]],
    );
  });

  test("in use while the program is not running: fail, with where the address comes from", () => {
    const { d } = build(API_CONF);
    const [f] = checkPorts(d, network({ [API]: { status: "in-use" } }), DOWN);
    assert.equal(f?.level, "fail");
    assert.equal(f?.where, "/data/bkee/bklog/api/gunicorn_config.py:3 bind");
    assert.match(
      f!.message,
      /^10\.0\.0\.12:10400 is already in use, so bklog-api cannot listen there \(from gunicorn bind with LAN_IP=10\.0\.0\.12 from/,
    );
    assert.match(f!.fix, /ss -ltnp 'sport = :10400'/);
  });

  test("in use by the program itself while the daemon runs it: pass; by something else while it is FATAL: fail", () => {
    const { d } = build(API_CONF);
    const net = network({ [API]: { status: "in-use" } });
    const running: DaemonFacts = {
      kind: "up",
      serverurl: "u",
      processes: [proc("bklog-api:bklog-api", "RUNNING")],
    };
    assert.deepEqual(levels(checkPorts(d, net, running)), ["pass"]);
    const fatal: DaemonFacts = {
      kind: "up",
      serverurl: "u",
      processes: [proc("bklog-api:bklog-api", "FATAL")],
    };
    const [f] = checkPorts(d, net, fatal);
    assert.match(f!.message, /stewardd is not running bklog-api now, so something else holds it/);
  });

  test("an address that is not this machine's", () => {
    const { d } = build(API_CONF);
    const [f] = checkPorts(d, network({ [API]: { status: "not-local" } }), DOWN);
    assert.equal(f?.level, "fail");
    assert.match(f!.message, /^10\.0\.0\.12 is not an address of this machine/);
    assert.match(f!.fix, /LAN_IP/);
  });

  test("two programs on one port", () => {
    const conf = `[supervisord]\n[program:a]\ncommand=/bin/sh -c "exec sleep 9"\nhealthcheck=tcp://127.0.0.1:7000\n[program:b]\ncommand=/bin/sh -c "exec sleep 9"\nhealthcheck=tcp://127.0.0.1:7000\n`;
    const { d } = build(conf);
    const found = problems(checkPorts(d, network(), DOWN));
    assert.equal(found.length, 1);
    assert.match(found[0]!.message, /^b and a both listen on port 7000/);
  });

  test("offline: not checked", () => {
    assert.deepEqual(
      checkPorts(build(API_CONF).d, null, { kind: "offline" }).map((f) => [f.level, f.message]),
      [["pass", "not checked (--offline)"]],
    );
  });
});

describe("services", () => {
  test("one that does not answer: fail where its host is set", () => {
    const { d } = build(API_CONF);
    const found = checkServices(
      d,
      network(
        {},
        {
          "mysql.service.consul:3306": { ok: false, reason: "connection refused" },
          "redis-sentinel.service.consul:26379": { ok: true },
        },
      ),
    );
    assert.deepEqual(
      found.map((f) => [f.level, f.where, f.message]),
      [
        [
          "fail",
          "/data/bkee/bklog/api/bin/environ.sh:5 (DB_HOST, DB_PORT)",
          "mysql.service.consul:3306 (DB_HOST/DB_PORT) does not answer: connection refused; bklog-api needs it",
        ],
      ],
    );
  });

  test("all answer: a pass naming them", () => {
    const { d } = build(API_CONF);
    const ok = { ok: true } as const;
    const [f] = checkServices(
      d,
      network({}, { "mysql.service.consul:3306": ok, "redis-sentinel.service.consul:26379": ok }),
    );
    assert.equal(f?.level, "pass");
    assert.match(
      f!.message,
      /^2 services answer: mysql\.service\.consul:3306 \(DB_HOST\/DB_PORT\) and redis-sentinel/,
    );
  });
});

describe("socket", () => {
  test("BK-LOG's chmod = 0777 without credentials", () => {
    const { d, conf } = build(API_CONF.replace("chmod=0700", "chmod = 0777"));
    const [f] = checkSocket(d);
    assert.equal(f?.level, "fail");
    assert.equal(f?.where, `${conf}:14 [unix_http_server] chmod`);
    assert.match(f!.message, /is mode 0777 with no username and password: every local user can/);
  });

  test("0777 with username and password, and 0700, pass; an inet server on loopback without credentials warns", () => {
    const creds = API_CONF.replace("chmod=0700", "chmod=0777\nusername=ops\npassword=secret");
    assert.deepEqual(levels(checkSocket(build(creds).d)), ["pass"]);
    assert.deepEqual(levels(checkSocket(build(API_CONF).d)), ["pass"]);
    const inet = `${API_CONF}\n[inet_http_server]\nport=127.0.0.1:9001\n`;
    assert.deepEqual(levels(checkSocket(build(inet).d)), ["warn"]);
  });
});

describe("order (heuristic)", () => {
  test("BK-LOG's sleep 10 with startsecs=3", () => {
    const { d } = build(API_CONF);
    const [f] = checkOrder(d);
    assert.equal(f?.level, "warn");
    assert.equal(
      f?.message,
      "it sleeps 10 s before it starts gunicorn: a guess at when what it needs is ready; with startsecs=3 it is reported RUNNING while it still sleeps (heuristic)",
    );
    assert.match(
      f!.fix,
      /wait_for = tcp:\/\/mysql\.service\.consul:3306, tcp:\/\/redis-sentinel\.service\.consul:26379/,
    );
  });

  test("ordered after another program only by priority", () => {
    const conf = `[supervisord]\n[program:db]\ncommand=/bin/sh -c "exec sleep 100"\npriority=100\n[program:web]\ncommand=/bin/sh -c "until nc -z 127.0.0.1 5432; do sleep 1; done; exec sleep 100"\npriority=200\n`;
    const { d } = build(conf);
    const [f] = problems(checkOrder(d));
    assert.match(
      f!.message,
      /^it waits in a loop \(.*\) before it starts sleep: .*; it starts after db \(priority 100\) only because of priority=200, which does not wait for them to be ready \(heuristic\)$/,
    );
    assert.match(f!.fix, /depends_on = db=healthy/);
  });

  test("no waits: pass", () => {
    const { d } = build("[supervisord]\n[program:x]\ncommand=/bin/sh -c true\n");
    assert.deepEqual(levels(checkOrder(d)), ["pass"]);
  });
});

describe("processes", () => {
  test("FATAL after exiting too quickly, with its log", () => {
    const { d } = build(API_CONF);
    const daemon: DaemonFacts = {
      kind: "up",
      serverurl: "unix:///s",
      processes: [
        proc("bklog-api:bklog-api", "FATAL", {
          spawnerr: "Exited too quickly (process log may have details)",
          log: ["stdout: boom"],
        }),
      ],
    };
    assert.deepEqual(checkProcesses(d, daemon), [
      {
        level: "fail",
        check: "processes",
        where: "process bklog-api:bklog-api",
        message:
          "bklog-api:bklog-api is FATAL: Exited too quickly (process log may have details): it exited within startsecs (3 s) on each of its 4 attempts, and stewardd gave up",
        fix: "read its log (stewardctl tail bklog-api:bklog-api stderr), fix the cause, then stewardctl start bklog-api:bklog-api",
        log: ["stdout: boom"],
      },
    ]);
  });

  test("BACKOFF is flapping; EXITED with an unexpected status warns; expected states pass", () => {
    const conf = `[supervisord]\n[program:a]\ncommand=/bin/sh -c true\n[program:b]\ncommand=/bin/sh -c true\nautorestart=false\n[program:c]\ncommand=/bin/sh -c true\n`;
    const { d } = build(conf);
    const daemon: DaemonFacts = {
      kind: "up",
      serverurl: "u",
      processes: [
        proc("a:a", "BACKOFF", { spawnerr: "Exited too quickly (process log may have details)" }),
        proc("b:b", "EXITED", { exitstatus: 3 }),
        proc("c:c", "EXITED", { exitstatus: 0 }),
      ],
    };
    const found = checkProcesses(d, daemon);
    assert.deepEqual(levels(found), ["fail", "warn"]);
    assert.match(
      found[0]!.message,
      /^a:a is flapping \(BACKOFF\): Exited too quickly .*: it exited within startsecs \(1 s\); stewardd keeps retrying$/,
    );
    assert.match(found[1]!.message, /^b:b EXITED with status 3, not one of its exitcodes \(0\)/);
    const healthy: DaemonFacts = {
      kind: "up",
      serverurl: "u",
      processes: [proc("c:c", "RUNNING"), proc("a:a", "RUNNING")],
    };
    assert.deepEqual(
      checkProcesses(d, healthy).map((f) => [f.level, f.message]),
      [["pass", "2 processes, none FATAL or flapping: RUNNING c:c and a:a"]],
    );
  });

  test("the daemon down, unreachable, or not configured", () => {
    const { d } = build(API_CONF);
    assert.deepEqual(levels(checkProcesses(d, DOWN)), ["pass"]);
    assert.deepEqual(
      levels(checkProcesses(d, { kind: "error", serverurl: "u", message: "permission denied" })),
      ["warn"],
    );
    assert.deepEqual(levels(checkProcesses(d, { kind: "none" })), ["pass"]);
  });
});

test("DIRS is what a clean API host has", () => {
  assert.ok(DIRS.includes("/var/run/bklog"));
});
