/** A configuration read as a deployment: what runs, where, with which environment, ports and services. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { API_CONF, apiFiles, build } from "./support.js";

describe("the BK-LOG API behind its bash -c wrapper", () => {
  test("the program exec'd, its environment, binds and services", () => {
    const { d, conf } = build(API_CONF);
    const [p] = d.programs;
    assert.ok(p);
    assert.equal(p.commandWhere, `${conf}:6 [program:bklog-api] command`);
    assert.equal(p.cwd, "/data/bkee/bklog/api");
    assert.deepEqual(p.outer, {
      ok: true,
      filename: "/usr/bin/bash",
      argv: [
        "bash",
        "-c",
        "sleep 10 && source bin/environ.sh && exec gunicorn -c gunicorn_config.py wsgi:application",
      ],
    });
    assert.equal(p.wrapper?.shell, "bash");
    assert.deepEqual(p.target, {
      argv: ["gunicorn", "-c", "gunicorn_config.py", "wsgi:application"],
      via: "exec",
      resolution: { status: "ok", path: "/data/bkee/.envs/bklog-api/bin/gunicorn" },
    });
    assert.deepEqual(
      p.sourced.map((s) => [s.written, s.path, s.found, s.from]),
      [["bin/environ.sh", "/data/bkee/bklog/api/bin/environ.sh", true, p.commandWhere]],
    );
    assert.deepEqual(p.waits, [{ kind: "sleep", seconds: 10, line: 1 }]);
    assert.deepEqual(
      p.files.map((f) => [f.role, f.path, f.found]),
      [["gunicorn config", "/data/bkee/bklog/api/gunicorn_config.py", true]],
    );
    assert.deepEqual(p.binds, [
      {
        host: "10.0.0.12",
        port: 10400,
        program: "bklog-api",
        where: "/data/bkee/bklog/api/gunicorn_config.py:3 bind",
        source:
          "gunicorn bind with LAN_IP=10.0.0.12 from /data/bkee/bklog/api/bin/environ.sh:2 and BKLOG_API_PORT=10400 from /data/bkee/bklog/api/bin/environ.sh:3",
      },
    ]);
    // Redis in sentinel mode: the sentinel, not the plain host.
    assert.deepEqual(
      p.needs.map((e) => [e.host, e.port, e.what, e.where]),
      [
        [
          "mysql.service.consul",
          3306,
          "DB_HOST/DB_PORT",
          "/data/bkee/bklog/api/bin/environ.sh:5 (DB_HOST, DB_PORT)",
        ],
        [
          "redis-sentinel.service.consul",
          26379,
          "BK_BKLOG_REDIS_SENTINEL_HOST/BK_BKLOG_REDIS_SENTINEL_PORT",
          "/data/bkee/bklog/api/bin/environ.sh:10 (BK_BKLOG_REDIS_SENTINEL_HOST, BK_BKLOG_REDIS_SENTINEL_PORT)",
        ],
      ],
    );
    assert.deepEqual(p.filesRead, [
      "/data/bkee/bklog/api/bin/environ.sh",
      "/data/bkee/bklog/api/gunicorn_config.py",
    ]);
  });

  test("without the virtualenv on PATH, gunicorn is not found; with --bind, the bind is the argument's", () => {
    const files = { ...apiFiles(), "/data/bkee/.envs/bklog-api/bin/gunicorn": undefined };
    const conf = API_CONF.replace(
      "-c gunicorn_config.py",
      "-c gunicorn_config.py -b 127.0.0.1:$BKLOG_API_PORT",
    );
    const [p] = build(conf, files).d.programs;
    assert.equal(p?.target?.resolution.status, "not-found");
    assert.deepEqual(
      p?.binds.map((b) => [b.host, b.port, b.source]),
      [["127.0.0.1", 10400, "gunicorn --bind"]],
    );
  });

  test("no gunicorn config and no --bind: gunicorn's default", () => {
    const conf = API_CONF.replace("-c gunicorn_config.py ", "");
    const [p] = build(conf).d.programs;
    assert.deepEqual(
      p?.binds.map((b) => [b.host, b.port, b.source]),
      [["127.0.0.1", 8000, "gunicorn's default bind"]],
    );
  });

  test("the last command is the target when nothing is exec'd; shell builtins resolve as builtins", () => {
    const conf = `[supervisord]\n[program:crash]\ncommand=/bin/sh -c "echo boom >&2; exit 1"\n[program:last]\ncommand=bash -lc "cd /data/bkee/bklog/api && gunicorn -c gunicorn_config.py app"\n`;
    const [crash, last] = build(conf).d.programs;
    assert.deepEqual(crash?.target, {
      argv: ["exit", "1"],
      via: "last command",
      resolution: { status: "builtin" },
    });
    assert.equal(last?.target?.via, "last command");
    assert.equal(
      last?.target?.resolution.status,
      "not-found",
      "no environ.sh sourced: the venv is not on PATH",
    );
    assert.equal(last?.files[0]?.path, "/data/bkee/bklog/api/gunicorn_config.py", "relative to the cd");
  });

  test("a command that is not found is supervisord's spawn error", () => {
    const [p] = build(`[supervisord]\n[program:x]\ncommand=nosuchprogram --flag\n`).d.programs;
    assert.deepEqual(p?.outer, {
      ok: false,
      failure: "not-found",
      message: "can't find command 'nosuchprogram'",
    });
    assert.equal(p?.target, null);
  });

  test("environment_file: sourced first, its PATH finds the command, missing is recorded", () => {
    const conf = `[supervisord]\n[program:x]\ncommand=gunicorn app\ndirectory=/data/bkee/bklog/api\nenvironment_file=bin/environ.sh\n[program:y]\ncommand=/bin/sh -c true\nenvironment_file=/nope.env\n`;
    const [x, y] = build(conf).d.programs;
    assert.deepEqual(x?.outer, {
      ok: true,
      filename: "/data/bkee/.envs/bklog-api/bin/gunicorn",
      argv: ["gunicorn", "app"],
    });
    assert.deepEqual(
      y?.files.map((f) => [f.role, f.path, f.found]),
      [["environment_file", "/nope.env", false]],
    );
  });

  test("healthchecks on this machine are binds; wait_for targets are services", () => {
    const conf = `[supervisord]\n[program:x]\ncommand=/bin/sh -c "exec sleep 1000"\nhealthcheck=http://127.0.0.1:9100/health\nwait_for=tcp://db.example:5432, http://cache:8080/\n[program:y]\ncommand=/bin/sh -c true\nhealthcheck=tcp://remote.example:80\n`;
    const [x, y] = build(conf).d.programs;
    assert.deepEqual(
      x?.binds.map((b) => [b.host, b.port, b.source]),
      [["127.0.0.1", 9100, "healthcheck"]],
    );
    assert.deepEqual(
      x?.needs.map((e) => [e.host, e.port]),
      [
        ["db.example", 5432],
        ["cache", 8080],
      ],
    );
    assert.deepEqual(y?.binds, []);
  });

  test("numprocs: each process's health check port is a bind", () => {
    const conf = `[supervisord]\n[program:web]\ncommand=/bin/sh -c "exec sleep 1000"\nnumprocs=3\nprocess_name=%(program_name)s_%(process_num)d\nhealthcheck=tcp://127.0.0.1:91%(process_num)02d\n`;
    const [web] = build(conf).d.programs;
    assert.deepEqual(web?.processes, ["web:web_0", "web:web_1", "web:web_2"]);
    assert.deepEqual(
      web?.binds.map((b) => b.port),
      [9100, 9101, 9102],
    );
  });
});

describe("grafana-server", () => {
  const CONF = `[supervisord]
directory=/data/bkee/bklog/grafana
[program:grafana]
command=/data/bkee/bklog/grafana/bin/grafana-server --homepath ./ --config ./conf/grafana.ini cfg:default.paths.logs=/data/bkee/logs/bklog/
priority=520
`;
  const INI =
    "[server]\nhttp_addr = 10.0.0.12\nhttp_port = 10401\n[database]\ntype = mysql\nhost = mysql-log.service.consul:3306\n";

  test("its config and defaults.ini under the home path; [server] and [database]", () => {
    const { d } = build(CONF, {
      "/data/bkee/bklog/grafana/bin/grafana-server": "",
      "/data/bkee/bklog/grafana/conf/defaults.ini": "",
      "/data/bkee/bklog/grafana/conf/grafana.ini": INI,
    });
    const [g] = d.programs;
    assert.equal(g?.cwd, "/data/bkee/bklog/grafana");
    assert.deepEqual(
      g?.files.map((f) => [f.role, f.path, f.found]),
      [
        ["grafana defaults", "/data/bkee/bklog/grafana/conf/defaults.ini", true],
        ["grafana config", "/data/bkee/bklog/grafana/conf/grafana.ini", true],
      ],
    );
    assert.deepEqual(
      g?.binds.map((b) => [b.host, b.port, b.where]),
      [["10.0.0.12", 10401, "/data/bkee/bklog/grafana/conf/grafana.ini:3 [server] http_port"]],
    );
    assert.deepEqual(
      g?.needs.map((e) => [e.host, e.port, e.what]),
      [["mysql-log.service.consul", 3306, "grafana [database] host (mysql)"]],
    );
  });

  test("a missing home path: defaults.ini not found, Grafana's default port", () => {
    const { d } = build(CONF, { "/data/bkee/bklog/grafana/bin/grafana-server": "" });
    const [g] = d.programs;
    assert.deepEqual(
      g?.files.map((f) => f.found),
      [false, false],
    );
    assert.deepEqual(
      g?.binds.map((b) => [b.host, b.port]),
      [["0.0.0.0", 3000]],
    );
  });
});

test("daemon binds: [inet_http_server] and tcp fcgi sockets", () => {
  const conf = `[supervisord]\n[inet_http_server]\nport=127.0.0.1:9001\nusername=u\npassword=p\n[fcgi-program:f]\ncommand=/bin/sh -c true\nsocket=tcp://127.0.0.1:9002\n`;
  const { d } = build(conf);
  assert.deepEqual(
    d.daemonBinds.map((b) => [b.host, b.port, b.source]),
    [
      ["127.0.0.1", 9001, "[inet_http_server]"],
      ["127.0.0.1", 9002, "[fcgi-program:f] socket"],
    ],
  );
});

test("a file named by a computed word is not looked for", () => {
  const conf = API_CONF.replace("-c gunicorn_config.py", "-c $(ls *.py)");
  const [p] = build(conf).d.programs;
  assert.deepEqual(p?.target?.argv, ["gunicorn", "-c", "$(ls *.py)", "wsgi:application"]);
  assert.deepEqual(
    p?.files.map((f) => [f.written, f.path]),
    [["$(ls *.py)", null]],
  );
});
