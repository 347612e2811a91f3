import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../../src/config/load.js";
import { load, loadError, writeTree } from "../../helpers/temp-config.js";

const S = "[supervisord]\n";

test("every default is filled in", () => {
  const c = load(`${S}[program:a]\ncommand=/bin/cat\n`);
  assert.equal(c.supervisord.logfile, "/supervisord.log");
  assert.equal(c.supervisord.pidfile, "/supervisord.pid");
  assert.equal(c.supervisord.umask, 0o22);
  assert.equal(c.supervisord.loglevel, "info");
  assert.equal(c.supervisord.logfile_maxbytes, 50 * 1024 * 1024);
  const p = c.groups[0]!.processes[0]!;
  assert.equal(p.name, "a");
  assert.equal(p.priority, 999);
  assert.equal(p.autorestart, "unexpected");
  assert.deepEqual(p.exitcodes, [0]);
  assert.equal(p.stopsignal, 15);
  assert.deepEqual(p.stdout.logfile, { kind: "auto" });
  assert.equal(p.stdout.logfile_maxbytes, 52428800);
  assert.equal(p.serverurl, null);
});

test("numprocs expands process_name, and process_num reaches command, directory and environment", () => {
  const c = load(
    `${S}[program:w]\ncommand=/bin/w --n %(process_num)d\nnumprocs=3\nnumprocs_start=1\nprocess_name=%(program_name)s_%(process_num)02d\ndirectory=/srv/%(process_num)s\nenvironment=N="%(process_num)s",T="%(numprocs)s"\n`,
  );
  const ps = c.groups[0]!.processes;
  assert.deepEqual(
    ps.map((p) => p.name),
    ["w_01", "w_02", "w_03"],
  );
  assert.equal(ps[2]!.command, "/bin/w --n 3");
  assert.equal(ps[1]!.directory, "/srv/2");
  assert.deepEqual(ps[0]!.environment, { N: "1", T: "3" });
});

test("numprocs > 1 needs %(process_num) in process_name", () => {
  const e = loadError(`${S}[program:x]\ncommand=c\nnumprocs=2\n`);
  assert.match(
    e.issues[0]!.message,
    /^%\(process_num\) must be present within process_name when numprocs > 1 in section 'program:x' \(file: '.*supervisord.conf'\)$/,
  );
});

test("[supervisord] environment is inherited, overridden per program, and usable as ENV_*", () => {
  const c = load(
    `${S}environment=A="1",B="2"\n[program:x]\ncommand=/bin/echo %(ENV_A)s\nenvironment=B="3"\n`,
  );
  const p = c.groups[0]!.processes[0]!;
  assert.equal(p.command, "/bin/echo 1");
  assert.deepEqual(p.environment, { A: "1", B: "3" });
});

test("%(ENV_X)s comes from the loader's environment; unknown names list the available ones", () => {
  const env = new Map([["X", "from-env"]]);
  assert.equal(
    load(`${S}[program:a]\ncommand=%(ENV_X)s\n`, { env }).groups[0]!.processes[0]!.command,
    "from-env",
  );
  const e = loadError(`${S}[program:a]\ncommand=%(ENV_Y)s\n`, { env });
  assert.match(
    e.issues[0]!.message,
    /^Format string '%\(ENV_Y\)s' for 'program:a.command' contains names \('ENV_Y'\) which cannot be expanded\. Available names: ENV_X, group_name, here, host_node_name, numprocs, process_num, program_name in section 'program:a'/,
  );
});

test("[group:x] takes its programs, which then form no group of their own", () => {
  const c = load(
    `${S}[group:g]\nprograms=b,a\npriority=5\n[program:a]\ncommand=a\n[program:b]\ncommand=b\n[program:c]\ncommand=c\n`,
  );
  assert.deepEqual(
    c.groups.map((g) => [g.kind, g.name, g.priority]),
    [
      ["group", "g", 5],
      ["program", "c", 999],
    ],
  );
  assert.deepEqual(
    c.groups[0]!.processes.map((p) => [p.name, p.group_name]),
    [
      ["b", "g"],
      ["a", "g"],
    ],
  );
});

test("[group:x] naming an unknown program is an error naming the group section", () => {
  assert.equal(
    loadError(`${S}[group:g]\nprograms=a,zz\n[program:a]\ncommand=a\n`).issues[0]!.message,
    "[group:g] names unknown program or fcgi-program zz",
  );
});

test("event listeners: events, buffer_size and priority -1 by default", () => {
  const c = load(`${S}[eventlistener:m]\ncommand=m\nevents=process_state, TICK_60,PROCESS_STATE\n`);
  const g = c.groups[0]!;
  assert.equal(g.kind, "eventlistener");
  if (g.kind !== "eventlistener") return;
  assert.deepEqual(g.events, ["PROCESS_STATE", "TICK_60"]);
  assert.equal(g.priority, -1);
  assert.equal(g.buffer_size, 10);
  assert.equal(
    loadError(`${S}[eventlistener:m]\ncommand=m\n`).issues[0]!.message,
    '[eventlistener:m] section requires an "events" line',
  );
  assert.equal(
    loadError(`${S}[eventlistener:m]\ncommand=m\nevents=FOO\n`).issues[0]!.message,
    "Unknown event type FOO in [eventlistener:m] events",
  );
  assert.equal(
    loadError(`${S}[eventlistener:m]\ncommand=m\nevents=TICK_5\nbuffer_size=0\n`).issues[0]!.message,
    "[eventlistener:m] section sets invalid buffer_size (0)",
  );
});

test("fcgi-program sockets", () => {
  const c = load(`${S}[fcgi-program:f]\ncommand=f\nsocket=unix:///run/%(program_name)s.sock\nuser=www\n`);
  const g = c.groups[0]!;
  assert.ok(g.kind === "fcgi-program" && g.socket.kind === "unix");
  if (g.kind !== "fcgi-program" || g.socket.kind !== "unix") return;
  assert.equal(g.socket.path, "/run/f.sock");
  assert.equal(g.socket.mode, 0o700);
  assert.equal(g.socket.owner, "www");
  assert.equal(
    loadError(`${S}[fcgi-program:f]\ncommand=f\nsocket=unix://rel.sock\n`).issues[0]!.message,
    "('Unix socket path %s is not an absolute path', 'rel.sock') in [fcgi-program:f] socket",
  );
  assert.equal(
    loadError(`${S}[fcgi-program:f]\ncommand=f\n`).issues[0]!.message,
    '[fcgi-program:f] section requires a "socket" line',
  );
});

test("servers: inet first then unix; serverurl prefers the first unix socket", () => {
  const c = load(
    `${S}[unix_http_server]\nfile=/run/s.sock\nchmod=0770\n[inet_http_server]\nport=127.0.0.1:9001\nusername=u\npassword={SHA}abc\n`,
  );
  assert.deepEqual(
    c.servers.map((s) => s.kind),
    ["inet_http_server", "unix_http_server"],
  );
  assert.equal(c.serverurl, "unix:///run/s.sock");
  assert.equal(load(`${S}[inet_http_server]\nport=:9001\n`).serverurl, "http://localhost:9001");
  assert.match(
    loadError(`${S}[inet_http_server]\nport=9001\nusername=u\n`).issues[0]!.message,
    /incomplete authentication/,
  );
  assert.equal(
    loadError(`${S}[unix_http_server]\nchmod=0700\n`).issues[0]!.message,
    "section [unix_http_server] has no file value",
  );
});

test("warnings supervisord gives: redirect_stderr with a stderr file, AUTO without rollover, syslog", () => {
  const c = load(
    `${S}[program:x]\ncommand=c\nredirect_stderr=true\nstderr_logfile=/tmp/e.log\nstdout_logfile_maxbytes=0\n[program:y]\ncommand=c\nstdout_logfile=syslog\n`,
  );
  assert.deepEqual(c.warnings, [
    "For [program:x], AUTO logging used for stdout_logfile without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally",
    "For [program:x], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored",
    "For [program:y], stdout_logfile=syslog but this is deprecated and will be removed.  Use stdout_syslog=true to enable syslog instead.",
  ]);
  const y = c.groups[1]!.processes[0]!;
  assert.equal(y.stdout.syslog, true);
  assert.deepEqual(y.stdout.logfile, { kind: "none" });
});

test("[include] globs relative to the including file; each file's %(here)s is its own directory", () => {
  const dir = writeTree({
    "supervisord.conf": `${S}[include]\nfiles=conf.d/*.conf missing/*.ini\n`,
    "conf.d/b.conf": "[program:b]\ncommand=%(here)s/run\n",
    "conf.d/a.conf": "[program:a]\ncommand=a\n",
    "conf.d/.hidden.conf": "[program:h]\ncommand=h\n",
  });
  const c = loadConfig({ file: join(dir, "supervisord.conf"), env: new Map(), cwd: "/", hostChecks: false });
  assert.deepEqual(
    c.groups.map((g) => g.name),
    ["a", "b"],
  );
  assert.equal(c.groups[1]!.processes[0]!.command, `${dir}/conf.d/run`);
  assert.deepEqual(c.warnings, [`No file matches via include "${dir}/missing/*.ini"`]);
  assert.deepEqual(c.infos, [
    `Included extra file "${dir}/conf.d/a.conf" during parsing`,
    `Included extra file "${dir}/conf.d/b.conf" during parsing`,
  ]);
});

test("a config without [supervisord] is rejected", () => {
  assert.equal(
    loadError("[program:a]\ncommand=a\n").issues[0]!.message,
    ".ini file does not include supervisord section",
  );
});

test("every problem is collected, each with file, line, section and option", () => {
  const e = loadError(`${S}loglevel=loud\n[program:a]\ncommand=a\nstartsecs=x\nstopsignal=FOO\n`);
  assert.deepEqual(
    e.issues.map((i) => [i.line, i.section, i.option]),
    [
      [2, "supervisord", "loglevel"],
      [5, "program:a", "startsecs"],
      [6, "program:a", "stopsignal"],
    ],
  );
  assert.equal(e.issues[0]!.message, "bad logging level name 'loud'");
  assert.ok(e.issues.every((i) => i.hint));
});

test("host checks: missing directories and users are refused unless disabled", () => {
  const text = `${S}childlogdir=/nonexistent-dir\n[program:a]\ncommand=a\nuser=no-such-user-xyz\n`;
  const e = loadError(text, { hostChecks: true });
  assert.equal(e.issues[0]!.message, "/nonexistent-dir is not an existing directory");
  assert.match(e.issues[1]!.message, /^Invalid user name no-such-user-xyz in section 'program:a'/);
  assert.equal(load(text).groups.length, 1);
});
