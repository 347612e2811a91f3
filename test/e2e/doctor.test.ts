/**
 * `steward doctor` end to end: a rendered-looking BK-LOG deployment (the API's supervisord config with
 * its bash -c wrapper, bin/environ.sh, gunicorn_config.py and a stand-in gunicorn; Grafana's config,
 * grafana.ini and a stand-in grafana-server) in a temporary tree, with a database and a cache that
 * this test serves. A clean deployment is found clean; each failure seeded is found, with where and
 * what to do. Then a running stewardd with a program that crashes: doctor reports it FATAL with its
 * log. Waits follow the daemon's log lines.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import type { Finding } from "../../src/doctor/finding.js";
import { startDaemon } from "../helpers/daemon.js";
import { BIN, FIXTURES } from "../helpers/paths.js";

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `steward doctor ARGS` (asynchronously: this process serves the database meanwhile). */
function doctor(args: string[], cwd = "/", path = "/usr/bin:/bin"): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(BIN, "steward.js"), "doctor", ...args],
      { cwd, env: { PATH: path, HOME: "/root" }, timeout: 60000 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

async function doctorJson(
  conf: string,
  path?: string,
): Promise<{ status: number | null; findings: Finding[] }> {
  const r = await doctor(["-c", conf, "--json", "--timeout", "1"], "/", path);
  assert.equal(r.stderr, "");
  return { status: r.status, findings: JSON.parse(r.stdout) as Finding[] };
}

/** A TCP server on 127.0.0.1 (a database, a cache, or a port taken), closed after the test. */
async function listen(t: TestContext, host = "127.0.0.1", port = 0): Promise<number> {
  const server: Server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Deployment {
  readonly root: string;
  readonly api: string;
  readonly grafana: string;
  readonly ports: {
    readonly api: number;
    readonly grafana: number;
    readonly db: number;
    readonly redis: number;
  };
  write(path: string, text: string, mode?: number): void;
  remove(path: string): void;
}

const GUNICORN_PY = `import os
import sys

bind = f"{os.getenv('LAN_IP', '0.0.0.0')}:{os.getenv('BKLOG_API_PORT', '8000')}"
workers = 8
accesslog = "-"
`;

/** A rendered BK-LOG deployment under a temporary root, written the way Steward would have it. */
async function deployment(t: TestContext): Promise<Deployment> {
  const root = mkdtempSync(join(tmpdir(), "steward-doctor-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const ports = {
    api: await freePort(),
    grafana: await freePort(),
    db: await listen(t),
    redis: await listen(t),
  };
  const write = (path: string, text: string, mode = 0o644) => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    chmodSync(full, mode);
  };
  for (const dir of ["logs/bklog", "run/bklog", "bklog/grafana/data"])
    mkdirSync(join(root, dir), { recursive: true });
  write(
    "etc/supervisor-bklog-api.conf",
    `[supervisord]
loglevel=info
logfile=${root}/logs/bklog/api-supervisord.log
pidfile=${root}/run/bklog/api-supervisord.pid
umask=022
nodaemon=false

[program:bklog-api]
command=bash -c "source bin/environ.sh && exec gunicorn -c gunicorn_config.py wsgi:application"
numprocs=1
autostart=true
autorestart=true
startsecs=3
stopwaitsecs=10
stopsignal=TERM
stopasgroup=true
stdout_logfile=${root}/logs/bklog/api.log
redirect_stderr=true
directory=${root}/bklog/api

[unix_http_server]
file =${root}/run/bklog/api-supervisor.sock
chmod = 0700

[supervisorctl]
serverurl = unix://${root}/run/bklog/api-supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
`,
  );
  write(
    "bklog/api/bin/environ.sh",
    `#!/bin/sh

export LAN_IP="127.0.0.1"
export BKLOG_API_PORT="${ports.api}"

# virtualenv
export PATH=${root}/.envs/bklog-api/bin:$PATH

export BK_ENV="production"
export BK_LOG_DIR="${root}/logs/bklog"

# MySQL
export DB_NAME="bk_log_search"
export DB_USERNAME="bklog"
export DB_PASSWORD='p@ss w0rd$!'
export DB_HOST="127.0.0.1"
export DB_PORT="${ports.db}"

# redis
export BK_BKLOG_REDIS_MODE=single
export BK_BKLOG_REDIS_HOST=127.0.0.1
export BK_BKLOG_REDIS_PORT=${ports.redis}
export BK_BKLOG_REDIS_SENTINEL_HOST=127.0.0.1
export BK_BKLOG_REDIS_SENTINEL_PORT=1
`,
    0o755,
  );
  write("bklog/api/gunicorn_config.py", GUNICORN_PY);
  write(".envs/bklog-api/bin/gunicorn", "#!/bin/sh\nexec sleep 1000\n", 0o755);

  write(
    "etc/supervisor-bklog-grafana.conf",
    `[unix_http_server]
file=${root}/run/bklog/grafana-supervisor.sock             ; (the path to the socket file)

[supervisord]
logfile=${root}/logs/bklog/grafana-supervisord.log ; (main log file;default $CWD/supervisord.log)
pidfile=${root}/run/bklog/grafana-supervisord.pid ; (supervisord pidfile;default supervisord.pid)
nodaemon=false               ; (start in foreground if true;default false)
environment=LOGGER_WITHOUT_CONSOLE=1
directory=${root}/bklog/grafana

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://${root}/run/bklog/grafana-supervisor.sock

[program:grafana]
process_name=grafana
command=${root}/bklog/grafana/bin/grafana-server --homepath ./ --config ./conf/grafana.ini cfg:default.paths.logs=${root}/logs/bklog/ cfg:default.paths.data=./data
numprocs=1                    ; number of processes copies to start (def 1)
priority=520                  ; the relative start priority (default 999)
startsecs=0                   ; number of secs prog must stay running (def. 1)
stopwaitsecs=30
autostart=true
autorestart=true
stdout_logfile=/dev/null
stderr_logfile=${root}/logs/bklog/grafana-error.log
redirect_stderr=false
stopasgroup=true
killasgroup=true
`,
  );
  write("bklog/grafana/bin/grafana-server", "#!/bin/sh\nexec sleep 1000\n", 0o755);
  write("bklog/grafana/conf/defaults.ini", "[server]\nhttp_port = 3000\n");
  write(
    "bklog/grafana/conf/grafana.ini",
    `[auth]
disable_login_form = true
[server]
root_url = /o/bk_log_search/grafana/
serve_from_sub_path = true
http_addr = 127.0.0.1
http_port = ${ports.grafana}
[database]
type = mysql
host = 127.0.0.1:${ports.db}
name = bklog_grafana
user = bklog
password = """secret"""
`,
  );
  return {
    root,
    api: join(root, "etc/supervisor-bklog-api.conf"),
    grafana: join(root, "etc/supervisor-bklog-grafana.conf"),
    ports,
    write,
    remove: (path) => rmSync(join(root, path), { recursive: true, force: true }),
  };
}

/** The findings that are not passes. */
function problems(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.level !== "pass");
}

function only(findings: readonly Finding[], check: string): Finding {
  const found = problems(findings);
  assert.equal(found.length, 1, JSON.stringify(found, null, 2));
  assert.equal(found[0]!.check, check, JSON.stringify(found, null, 2));
  return found[0]!;
}

describe("a clean deployment", () => {
  test("the API: every check passes, exit status 0", async (t) => {
    const d = await deployment(t);
    const r = await doctor(["-c", d.api], d.root);
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /^steward doctor .*supervisor-bklog-api\.conf\n/);
    assert.match(r.stdout, /\n {2}PASS {2}.*: 1 port can be listened on: bklog-api 127\.0\.0\.1:\d+\n/);
    assert.match(
      r.stdout,
      /\n {2}PASS {2}.*: 2 services answer: 127\.0\.0\.1:\d+ \(DB_HOST\/DB_PORT\) and 127\.0\.0\.1:\d+ \(BK_BKLOG_REDIS_HOST\/BK_BKLOG_REDIS_PORT\)\n/,
    );
    assert.match(r.stdout, /\nsummary: 0 fail, 0 warn, 9 pass: all checks pass \(exit status 0\)\n$/);
  });

  test("Grafana: every check passes, exit status 0", async (t) => {
    const d = await deployment(t);
    const { status, findings } = await doctorJson(d.grafana);
    assert.deepEqual(problems(findings), []);
    assert.equal(status, 0);
    assert.ok(
      findings.some((f) => f.check === "services" && f.message.includes("grafana [database] host (mysql)")),
    );
  });
});

describe("each failure seeded is found", () => {
  test("the file the wrapper sources is missing", async (t) => {
    const d = await deployment(t);
    d.remove("bklog/api/bin/environ.sh");
    const { status, findings } = await doctorJson(d.api);
    assert.equal(status, 2);
    const f = only(findings, "commands");
    assert.equal(f.where, `${d.api}:9 [program:bklog-api] command`);
    assert.match(
      f.message,
      new RegExp(`sources bin/environ\\.sh, and ${d.root}/bklog/api/bin/environ\\.sh does not exist`),
    );
  });

  test("gunicorn, the program behind exec, is not executable; then missing", async (t) => {
    const d = await deployment(t);
    // a PATH without the system's gunicorn (CI installs Debian's for the BK-LOG example's test), which
    // bash would run in place of a venv's that is not executable or missing
    const bin = join(d.root, "system-bin");
    mkdirSync(bin);
    for (const tool of ["bash", "sh", "sleep"]) symlinkSync(`/bin/${tool}`, join(bin, tool));
    chmodSync(join(d.root, ".envs/bklog-api/bin/gunicorn"), 0o644);
    let f = only((await doctorJson(d.api, bin)).findings, "commands");
    assert.match(
      f.message,
      /^the wrapper's exec gunicorn -c gunicorn_config\.py …: .*\/gunicorn is not executable$/,
    );
    d.remove(".envs/bklog-api/bin/gunicorn");
    f = only((await doctorJson(d.api, bin)).findings, "commands");
    assert.match(
      f.message,
      new RegExp(`gunicorn is not found in PATH ${d.root}/\\.envs/bklog-api/bin:${bin}`),
    );
  });

  test("the gunicorn config named by -c, grafana's config and its defaults.ini", async (t) => {
    const d = await deployment(t);
    d.remove("bklog/api/gunicorn_config.py");
    let f = only((await doctorJson(d.api)).findings, "commands");
    assert.match(f.message, /^gunicorn config gunicorn_config\.py: .* does not exist/);
    d.remove("bklog/grafana/conf/defaults.ini");
    f = only((await doctorJson(d.grafana)).findings, "commands");
    assert.match(f.message, /^grafana-server needs .*\/bklog\/grafana\/conf\/defaults\.ini/);
  });

  test("a missing directory=", async (t) => {
    const d = await deployment(t);
    const text = readFileSync(d.api, "utf8");
    d.write("etc/supervisor-bklog-api.conf", text.replace("/bklog/api\n", "/bklog/api-old\n"));
    const found = problems((await doctorJson(d.api)).findings);
    const f = found.find((x) => x.check === "paths");
    assert.ok(f, JSON.stringify(found, null, 2));
    assert.equal(f.where, `${d.api}:19 [program:bklog-api] directory`);
    assert.match(
      f.message,
      /bklog\/api-old does not exist: \[program:bklog-api\] directory cannot be entered/,
    );
  });

  test("the log directory, and the directory of the pidfile and the socket", async (t) => {
    const d = await deployment(t);
    d.remove("logs/bklog");
    d.remove("run/bklog");
    const { status, findings } = await doctorJson(d.api);
    assert.equal(status, 2);
    const paths = problems(findings).filter((f) => f.check === "paths");
    assert.deepEqual(
      paths.map((f) => [
        f.where,
        f.message.replace(d.root, "ROOT").split(":")[0],
        f.fix.split(";")[0]!.replace(d.root, "ROOT"),
      ]),
      [
        [`${d.api}:3 [supervisord] logfile`, "ROOT/logs/bklog does not exist", "mkdir -p ROOT/logs/bklog"],
        [`${d.api}:4 [supervisord] pidfile`, "ROOT/run/bklog does not exist", "mkdir -p ROOT/run/bklog"],
      ],
    );
    assert.match(
      paths[1]!.message,
      /the pidfile .* and the control socket .*api-supervisor\.sock cannot be created/,
    );
  });

  test("placeholders left in environ.sh and grafana.ini, with file:line", async (t) => {
    const d = await deployment(t);
    const env = readFileSync(join(d.root, "bklog/api/bin/environ.sh"), "utf8");
    d.write(
      "bklog/api/bin/environ.sh",
      env.replace('DB_USERNAME="bklog"', 'DB_USERNAME="__BK_PAAS_MYSQL_USER__"'),
      0o755,
    );
    const f = only((await doctorJson(d.api)).findings, "placeholders");
    assert.equal(f.where, `${d.root}/bklog/api/bin/environ.sh:14`);
    assert.equal(f.message, "__BK_PAAS_MYSQL_USER__ left unrendered");
    const ini = readFileSync(join(d.root, "bklog/grafana/conf/grafana.ini"), "utf8");
    d.write(
      "bklog/grafana/conf/grafana.ini",
      ini.replace('"""secret"""', '"""__BK_BKLOG_MYSQL_PASSWORD__"""'),
    );
    const g = only((await doctorJson(d.grafana)).findings, "placeholders");
    assert.equal(g.where, `${d.root}/bklog/grafana/conf/grafana.ini:13`);
  });

  test("the API's port is taken; Grafana's http_addr is not this machine's", async (t) => {
    const d = await deployment(t);
    await listen(t, "127.0.0.1", d.ports.api);
    let f = only((await doctorJson(d.api)).findings, "ports");
    assert.equal(f.where, `${d.root}/bklog/api/gunicorn_config.py:4 bind`);
    assert.match(
      f.message,
      new RegExp(
        `^127\\.0\\.0\\.1:${d.ports.api} is already in use, so bklog-api cannot listen there \\(from gunicorn bind with LAN_IP=127\\.0\\.0\\.1 from .*environ\\.sh:3 and BKLOG_API_PORT=${d.ports.api} from .*environ\\.sh:4\\)`,
      ),
    );
    const ini = readFileSync(join(d.root, "bklog/grafana/conf/grafana.ini"), "utf8");
    d.write("bklog/grafana/conf/grafana.ini", ini.replace("http_addr = 127.0.0.1", "http_addr = 192.0.2.1"));
    f = only((await doctorJson(d.grafana)).findings, "ports");
    assert.equal(f.where, `${d.root}/bklog/grafana/conf/grafana.ini:7 [server] http_port`);
    assert.match(f.message, /^192\.0\.2\.1 is not an address of this machine/);
  });

  test("the database does not answer", async (t) => {
    const d = await deployment(t);
    const closed = await freePort();
    const env = readFileSync(join(d.root, "bklog/api/bin/environ.sh"), "utf8");
    d.write("bklog/api/bin/environ.sh", env.replace(`DB_PORT="${d.ports.db}"`, `DB_PORT="${closed}"`), 0o755);
    const f = only((await doctorJson(d.api)).findings, "services");
    assert.equal(f.where, `${d.root}/bklog/api/bin/environ.sh:16 (DB_HOST, DB_PORT)`);
    assert.equal(
      f.message,
      `127.0.0.1:${closed} (DB_HOST/DB_PORT) does not answer: connection refused; bklog-api needs it`,
    );
    const ini = readFileSync(join(d.root, "bklog/grafana/conf/grafana.ini"), "utf8");
    d.write("bklog/grafana/conf/grafana.ini", ini.replace(`127.0.0.1:${d.ports.db}`, `127.0.0.1:${closed}`));
    const g = only((await doctorJson(d.grafana)).findings, "services");
    assert.equal(g.where, `${d.root}/bklog/grafana/conf/grafana.ini:10 [database] host`);
  });

  test("BK-LOG's chmod = 0777 control socket", async (t) => {
    const d = await deployment(t);
    d.write(
      "etc/supervisor-bklog-api.conf",
      readFileSync(d.api, "utf8").replace("chmod = 0700", "chmod = 0777"),
    );
    const f = only((await doctorJson(d.api)).findings, "socket");
    assert.equal(f.where, `${d.api}:23 [unix_http_server] chmod`);
  });

  test("BK-LOG's sleep 10 with startsecs=3: a warning, exit status 1", async (t) => {
    const d = await deployment(t);
    d.write(
      "etc/supervisor-bklog-api.conf",
      readFileSync(d.api, "utf8").replace('bash -c "source', 'bash -c "sleep 10 && source'),
    );
    const r = await doctor(["-c", d.api]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(
      r.stdout,
      /\n {2}WARN {2}.*:9 \[program:bklog-api\] command: it sleeps 10 s before it starts gunicorn: .*startsecs=3 .* \(heuristic\) -> drop the wait and write wait_for = tcp:\/\/127\.0\.0\.1:\d+, tcp:\/\/127\.0\.0\.1:\d+/,
    );
    assert.match(r.stdout, /\nsummary: 0 fail, 1 warn, 8 pass: warnings \(exit status 1\)\n$/);
  });

  test("a config stewardd refuses: the loader's message", async (t) => {
    const d = await deployment(t);
    d.write(
      "etc/supervisor-bklog-api.conf",
      readFileSync(d.api, "utf8").replace("autorestart=true", "autorestart=maybe"),
    );
    const { status, findings } = await doctorJson(d.api);
    assert.equal(status, 2);
    assert.deepEqual(findings, [
      {
        level: "fail",
        check: "config",
        where: `${d.api}:12 [program:bklog-api] autorestart`,
        message: "stewardd refuses this configuration: invalid 'autorestart' value 'maybe'",
        fix: "write true, false or unexpected",
      },
    ]);
  });
});

test("bad usage: exit status 2, a message on stderr, nothing checked", async () => {
  const r = await doctor(["--bogus"]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, "steward doctor: option --bogus not recognized\nFor help, use steward doctor -h\n");
});

/** The sections a running stewardd needs for doctor to find it through the config's socket. */
const CONTROL_SOCKET = `[unix_http_server]
file=%(here)s/steward.sock
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
`;

test("with stewardd running: a crashing program is FATAL, with 'boom' from its log; a serving one holds its port", async (t) => {
  const port = await freePort();
  const d = startDaemon(
    t,
    `${CONTROL_SOCKET}[program:crash]
command=/bin/sh -c "echo boom >&2; exit 1"
startsecs=1
startretries=1
[program:web]
command=${process.execPath} ${join(FIXTURES, "servers/slow-server.mjs")} --port ${port}
startsecs=0
healthcheck=tcp://127.0.0.1:${port}
healthcheck_start_interval=1
`,
  );
  await d.waitFor(/gave up: crash entered FATAL state/);
  await d.waitFor(/success: web entered RUNNING state/);
  const { status, findings } = await doctorJson(d.conf);
  assert.equal(status, 2);
  const f = only(findings, "processes");
  assert.equal(f.level, "fail");
  assert.equal(f.where, "process crash:crash");
  assert.match(
    f.message,
    /^crash:crash is FATAL: Exited too quickly \(process log may have details\): it exited within startsecs \(1 s\) on each of its 2 attempts/,
  );
  assert.ok(f.log?.includes("stderr: boom"), JSON.stringify(f.log));
  const ports = findings.find((x) => x.check === "ports");
  assert.equal(ports?.level, "pass", "the port is held by web itself");
  assert.ok(!findings.some((x) => x.check === "processes" && x.level === "pass"));
});

test("with stewardd running: a program that keeps exiting within startsecs is flapping, with its log", async (t) => {
  const d = startDaemon(
    t,
    `${CONTROL_SOCKET}[program:flap]
command=/bin/sh -c "echo cannot reach the database >&2; exit 1"
startsecs=1
startretries=infinite
backoff=linear
`,
  );
  // after the second quick exit it waits 2 s in BACKOFF before the next attempt: doctor asks then
  await d.waitForCount(/exited: flap \(exit status 1; not expected\)/, 2);
  const { status, findings } = await doctorJson(d.conf);
  assert.equal(status, 2);
  const f = only(findings, "processes");
  assert.equal(f.where, "process flap:flap");
  assert.match(
    f.message,
    /^flap:flap is flapping \(BACKOFF\): Exited too quickly \(process log may have details\): it exited within startsecs \(1 s\); stewardd keeps retrying$/,
  );
  assert.ok(f.log?.includes("stderr: cannot reach the database"), JSON.stringify(f.log));
});
