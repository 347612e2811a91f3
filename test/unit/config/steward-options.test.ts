import assert from "node:assert/strict";
import { test } from "node:test";
import { toDependencies, toHealthcheck, toRetries, toWaitFor } from "../../../src/config/steward-options.js";
import type { ProcessConfig } from "../../../src/config/types.js";
import { load, loadError } from "../../helpers/temp-config.js";

const HEAD = "[supervisord]\n";

function process(text: string, name: string): ProcessConfig {
  const config = load(HEAD + text);
  const found = config.groups.flatMap((g) => g.processes).find((p) => p.name === name);
  assert.ok(found, `no process ${name}`);
  return found;
}

test("depends_on: names, conditions (running by default), group:name and group:*", () => {
  assert.deepEqual(toDependencies(" api=healthy, db ,jobs:migrate=completed,g:*=started"), [
    { target: "api", condition: "healthy" },
    { target: "db", condition: "running" },
    { target: "jobs:migrate", condition: "completed" },
    { target: "g:*", condition: "started" },
  ]);
  assert.throws(
    () => toDependencies("api=ready"),
    /unknown condition "ready".*started, running, healthy, completed/,
  );
  assert.throws(() => toDependencies("api, api=healthy"), /api is listed twice/);
});

test("checks: tcp, http with expect, exec, log; wait_for adds program:NAME@SERVERURL", () => {
  assert.deepEqual(toHealthcheck("tcp://127.0.0.1:8000"), {
    kind: "tcp",
    text: "tcp://127.0.0.1:8000",
    host: "127.0.0.1",
    port: 8000,
  });
  assert.deepEqual(toHealthcheck("http://localhost:3000/api/health expect 204"), {
    kind: "http",
    text: "http://localhost:3000/api/health expect 204",
    url: "http://localhost:3000/api/health",
    expect: 204,
  });
  assert.equal(toHealthcheck("exec:test -f /tmp/ready")?.kind, "exec");
  assert.deepEqual(toHealthcheck("log:Listening at: http://\\S+"), {
    kind: "log",
    text: "log:Listening at: http://\\S+",
    pattern: "Listening at: http://\\S+",
  });
  assert.equal(toHealthcheck(""), null);
  assert.throws(() => toHealthcheck("tcp://host"), /expected tcp:\/\/host:port/);
  assert.throws(() => toHealthcheck("tcp://host:70000"), /bad port 70000/);
  assert.throws(() => toHealthcheck("log:(unclosed"), /bad regular expression/);
  assert.throws(() => toHealthcheck("ping://x"), /unknown check/);
  assert.throws(() => toHealthcheck("program:api@unix:///run/a.sock"), /cannot be used here/);
  const waits = toWaitFor(
    "tcp://db:3306, http://h/x?a=1,b=2, program:bklog-api@unix://admin:s%40cret@/run/api.sock, program:web@http://u:p@10.0.0.1:9001",
  );
  assert.deepEqual(
    waits.map((w) => (w.kind === "program" ? [w.name, w.serverurl, w.username, w.password] : w.text)),
    [
      "tcp://db:3306",
      "http://h/x?a=1,b=2",
      ["bklog-api", "unix:///run/api.sock", "admin", "s@cret"],
      ["web", "http://10.0.0.1:9001", "u", "p"],
    ],
  );
  assert.throws(() => toWaitFor("exec:true"), /cannot be used here/);
});

test("startretries takes infinite", () => {
  assert.equal(toRetries("infinite"), Number.POSITIVE_INFINITY);
  assert.equal(toRetries("5"), 5);
  const p = process(
    "[program:a]\ncommand=/bin/true\nstartretries=infinite\nbackoff=exponential\nbackoff_max=30\n",
    "a",
  );
  assert.equal(p.startretries, Number.POSITIVE_INFINITY);
  assert.equal(p.backoff, "exponential");
  assert.equal(p.backoff_max, 30);
});

test("log_timestamps is a boolean, false by default", () => {
  assert.equal(process("[program:a]\ncommand=/bin/true\n", "a").log_timestamps, false);
  assert.equal(process("[program:a]\ncommand=/bin/true\nlog_timestamps=true\n", "a").log_timestamps, true);
});

test("defaults come from the schema; process_num expands in checks", () => {
  const p = process(
    "[program:web]\ncommand=/bin/true\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)d\nhealthcheck=tcp://127.0.0.1:80%(process_num)02d\n",
    "web_1",
  );
  assert.deepEqual(p.healthcheck, {
    kind: "tcp",
    text: "tcp://127.0.0.1:8001",
    host: "127.0.0.1",
    port: 8001,
  });
  assert.equal(p.healthcheck_interval, 10);
  assert.equal(p.healthcheck_start_interval, 1);
  assert.equal(p.healthcheck_timeout, 5);
  assert.equal(p.healthcheck_retries, 3);
  assert.equal(p.healthcheck_start_period, 60);
  assert.equal(p.unhealthy_action, "restart");
  assert.equal(p.wait_for_timeout, 60);
  assert.equal(p.backoff, "linear");
  assert.equal(p.environment_file, null);
});

test("dependencies resolve to processes", () => {
  const text =
    "[program:api]\ncommand=/bin/true\nhealthcheck=tcp://127.0.0.1:1\n" +
    "[program:worker]\ncommand=/bin/true\nnumprocs=2\nprocess_name=w%(process_num)d\n" +
    "[program:web]\ncommand=/bin/true\ndepends_on=api=healthy, worker, other:job=completed\n" +
    "[program:job]\ncommand=/bin/true\n[group:other]\nprograms=job\n";
  const web = process(text, "web");
  assert.deepEqual(
    web.depends_on.map((d) => [d.target, d.condition, d.processes]),
    [
      ["api", "healthy", ["api:api"]],
      ["worker", "running", ["worker:w0", "worker:w1"]],
      ["other:job", "completed", ["other:job"]],
    ],
  );
});

test("unknown names, healthy without a healthcheck, self-dependency and cycles are config errors", () => {
  const unknown = loadError(`${HEAD}[program:web]\ncommand=/bin/true\ndepends_on=ap1\n`);
  assert.equal(unknown.issues[0]!.message, "[program:web] depends_on: no program or group named 'ap1'");
  assert.equal(unknown.issues[0]!.line, 4);
  const unhealthy = loadError(
    `${HEAD}[program:api]\ncommand=/bin/true\n[program:web]\ncommand=/bin/true\ndepends_on=api=healthy\n`,
  );
  assert.match(unhealthy.issues[0]!.message, /api=healthy, but api has no healthcheck/);
  const self = loadError(`${HEAD}[program:a]\ncommand=/bin/true\ndepends_on=a\n`);
  assert.match(self.issues[0]!.message, /a depends on itself/);
  const cycle = loadError(
    `${HEAD}[program:a]\ncommand=/bin/true\ndepends_on=b\n[program:b]\ncommand=/bin/true\ndepends_on=c\n[program:c]\ncommand=/bin/true\ndepends_on=a\n`,
  );
  assert.equal(cycle.issues[0]!.message, "[program:a] depends_on: dependency cycle a -> b -> c -> a");
  const bad = loadError(`${HEAD}[program:a]\ncommand=/bin/true\nhealthcheck=tcp://x\n`);
  assert.match(bad.issues[0]!.message, /bad tcp check/);
  assert.equal(bad.issues[0]!.option, "healthcheck");
});
