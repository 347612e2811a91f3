/**
 * Steward's dependencies, readiness, health checks and restart policy, end to end: stewardd runs real
 * servers (test/fixtures/servers/slow-server.mjs: listens after a delay, turns unhealthy on SIGUSR1)
 * and the stock supervisorctl reads their state. Waits follow the daemon's log lines.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { RpcClient } from "../../src/rpc/client.js";
import { type Daemon, startDaemon, writeDaemonConfig } from "../helpers/daemon.js";
import { FIXTURES } from "../helpers/paths.js";
import { freePort } from "../helpers/ports.js";

const SERVER = join(FIXTURES, "servers/slow-server.mjs");
const NODE = process.execPath;
const CONTROL = (here: string) =>
  `[unix_http_server]\nfile=${here}/ctl.sock\n[supervisorctl]\nserverurl=unix://${here}/ctl.sock\n` +
  "[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n";

function ctl(d: Daemon, ...args: string[]) {
  const r = spawnSync("supervisorctl", ["-c", d.conf, ...args], { encoding: "utf8", timeout: 30000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** The index of the first main-log line matching `pattern` (fails when none). */
function lineIndex(d: Daemon, pattern: RegExp): number {
  const i = d.lines.findIndex((l) => pattern.test(l));
  assert.ok(i >= 0, `no line matches ${pattern}\n${d.lines.join("\n")}`);
  return i;
}

async function running(t: TestContext, body: string): Promise<Daemon> {
  const d = startDaemon(t, body);
  await d.waitFor(/supervisord started with pid/);
  return d;
}

test("depends_on=healthy: the dashboard is spawned only after the API answers, and status says why it waits", async (t) => {
  const port = await freePort();
  const d = await running(
    t,
    CONTROL("%(here)s") +
      `[program:api]\ncommand=${NODE} ${SERVER} --http --port ${port} --delay-ms 2500\nstartsecs=0\n` +
      `healthcheck=http://127.0.0.1:${port}/health\nhealthcheck_start_interval=1\n` +
      `[program:dashboard]\ncommand=/bin/sleep 100\nstartsecs=0\ndepends_on=api=healthy\npriority=1\n`,
  );
  await d.waitFor(/dashboard: waiting for api \(healthy\)/);
  const status = ctl(d, "status");
  assert.match(status.out, /dashboard\s+STARTING\s+waiting for api \(healthy\)/);
  const client = new RpcClient({ serverurl: `unix://${d.dir}/ctl.sock` });
  t.after(() => client.close());
  const deps = (await client.call("steward.getDependencies")) as Array<Record<string, unknown>>;
  const dashboard = deps.find((e) => e.name === "dashboard")!;
  assert.equal(dashboard.waiting, "waiting for api (healthy)");
  assert.deepEqual(dashboard.depends_on, [
    { target: "api", condition: "healthy", processes: ["api:api"], met: false },
  ]);
  assert.deepEqual(deps.find((e) => e.name === "api")!.dependents, ["dashboard:dashboard"]);
  assert.match(status.out, /api\s+STARTING\s+waiting for its health check/);
  await d.waitFor(/success: dashboard entered RUNNING state/, 20000);
  assert.ok(
    lineIndex(d, /api: health check passed/) < lineIndex(d, /spawned: 'dashboard'/),
    "the dashboard was spawned after the API's first passing check",
  );
  assert.ok(lineIndex(d, /success: api entered RUNNING state/) < lineIndex(d, /spawned: 'dashboard'/));
  const after = ctl(d, "status");
  assert.equal(after.status, 0, after.out);
  assert.match(after.out, /api\s+RUNNING\s+pid \d+, uptime [\d:]+, healthy/);
  const [health] = (await client.call("steward.getHealth")) as Array<Record<string, unknown>>;
  assert.equal(health!.name, "api");
  assert.equal(health!.status, "healthy");
  assert.equal(health!.detail, "HTTP 200");
  assert.equal(health!.healthcheck, `http://127.0.0.1:${port}/health`);
});

test("depends_on=completed waits for a one-shot job; =started and =running follow their states", async (t) => {
  const d = await running(
    t,
    `[program:migrate]\ncommand=/bin/sh -c "sleep 0.5; exit 0"\nstartsecs=0\nautorestart=false\n` +
      `[program:web]\ncommand=/bin/sleep 100\nstartsecs=0\ndepends_on=migrate=completed\n` +
      `[program:cache]\ncommand=/bin/sleep 100\nstartsecs=1\n` +
      `[program:warm]\ncommand=/bin/sleep 100\nstartsecs=0\ndepends_on=cache=started\n` +
      `[program:worker]\ncommand=/bin/sleep 100\nstartsecs=0\ndepends_on=cache\n`,
  );
  await d.waitFor(/success: web entered RUNNING state/);
  assert.ok(lineIndex(d, /exited: migrate \(exit status 0; expected\)/) < lineIndex(d, /spawned: 'web'/));
  await d.waitFor(/success: worker entered RUNNING state/);
  assert.ok(lineIndex(d, /spawned: 'cache'/) < lineIndex(d, /spawned: 'warm'/));
  assert.ok(
    lineIndex(d, /spawned: 'warm'/) < lineIndex(d, /success: cache entered RUNNING state/),
    "started: no need to wait for RUNNING",
  );
  assert.ok(lineIndex(d, /success: cache entered RUNNING state/) < lineIndex(d, /spawned: 'worker'/));
});

test("start X starts what X depends on first; stop all and shutdown stop dependents first", async (t) => {
  const d = await running(
    t,
    CONTROL("%(here)s") +
      // api stops first by priority alone (999 > 100); the dependency must win.
      `[program:api]\ncommand=/bin/sleep 100\nstartsecs=0\nautostart=false\n` +
      `[program:web]\ncommand=/bin/sh -c "trap 'sleep 0.5; exit 0' TERM; while :; do sleep 0.1; done"\nstartsecs=0\nautostart=false\npriority=100\ndepends_on=api\n`,
  );
  const started = ctl(d, "start", "web");
  assert.match(started.out, /web: started/);
  await d.waitFor(/success: web entered RUNNING state/);
  assert.ok(lineIndex(d, /spawned: 'api'/) < lineIndex(d, /spawned: 'web'/));
  const stopped = ctl(d, "stop", "all");
  assert.equal(stopped.status, 0, stopped.out);
  await d.waitFor(/stopped: api/);
  assert.ok(lineIndex(d, /stopped: web/) < lineIndex(d, /stopped: api/), "web (the dependent) stopped first");
  ctl(d, "start", "web");
  await d.waitForCount(/spawned: 'web'/, 2);
  const before = d.lines.length;
  await d.stop();
  const tail = d.lines.slice(before);
  const webStop = tail.findIndex((l) => /stopped: web/.test(l));
  const apiStop = tail.findIndex((l) => /stopped: api/.test(l));
  assert.ok(webStop >= 0 && apiStop > webStop, `shutdown order:\n${tail.join("\n")}`);
});

test("wait_for: a port that opens late, a timeout, and a program of a second daemon", async (t) => {
  const port = await freePort();
  const d = await running(
    t,
    `[program:client]\ncommand=/bin/sleep 100\nstartsecs=0\nwait_for=tcp://127.0.0.1:${port}\n` +
      `[program:never]\ncommand=/bin/sleep 100\nstartsecs=0\nwait_for=tcp://127.0.0.1:1\nwait_for_timeout=1\nstartretries=0\n`,
  );
  await d.waitFor(/client: waiting for tcp:\/\/127\.0\.0\.1:\d+/);
  await d.waitFor(/gave up: never entered FATAL state/, 15000);
  assert.match(
    d.lines.join("\n"),
    /spawnerr: timed out after 1 s waiting for tcp:\/\/127\.0\.0\.1:1 \(connection refused\)/,
  );
  assert.ok(!d.lines.some((l) => /spawned: 'client'/.test(l)), "not spawned before the port opens");
  const server: ChildProcess = spawn(NODE, [SERVER, "--port", String(port), "--delay-ms", "300"], {
    stdio: "ignore",
  });
  t.after(() => server.kill("SIGKILL"));
  await d.waitFor(/success: client entered RUNNING state/, 15000);

  // A program under another daemon, reached through its control socket.
  const api = await running(t, `${CONTROL("%(here)s")}[program:api]\ncommand=/bin/sleep 100\nstartsecs=2\n`);
  const other = await running(
    t,
    `[program:grafana]\ncommand=/bin/sleep 100\nstartsecs=0\nwait_for=program:api@unix://${api.dir}/ctl.sock\n`,
  );
  await other.waitFor(/success: grafana entered RUNNING state/, 15000);
  await api.waitFor(/success: api entered RUNNING state/);
  const grafanaSpawned = other.lines.find((l) => /spawned: 'grafana'/.test(l))!;
  const apiRunning = api.lines.find((l) => /success: api entered RUNNING state/.test(l))!;
  assert.ok(grafanaSpawned.slice(0, 23) >= apiRunning.slice(0, 23), `${apiRunning}\n${grafanaSpawned}`);
});

test("liveness: failing checks restart a RUNNING program; readiness failure is a failed start", async (t) => {
  const port = await freePort();
  const d = await running(
    t,
    `[program:api]\ncommand=${NODE} ${SERVER} --http --port ${port}\nstartsecs=0\n` +
      `healthcheck=http://127.0.0.1:${port}/health\nhealthcheck_start_interval=1\nhealthcheck_interval=1\nhealthcheck_retries=2\n` +
      `[program:mute]\ncommand=/bin/sleep 100\nstartsecs=0\nhealthcheck=tcp://127.0.0.1:1\n` +
      `healthcheck_start_interval=1\nhealthcheck_start_period=2\nstartretries=0\n`,
  );
  await d.waitFor(/success: api entered RUNNING state/);
  const pid = Number(/spawned: 'api' with pid (\d+)/.exec(d.lines.join("\n"))![1]);
  process.kill(pid, "SIGUSR1");
  await d.waitFor(/WARN api is unhealthy: HTTP 503 \(2 checks in a row\); restarting it/, 15000);
  await d.waitForCount(/success: api entered RUNNING state/, 2, 15000);
  assert.ok(lineIndex(d, /stopped: api/) < d.lines.findLastIndex((l) => /spawned: 'api'/.test(l)));
  await d.waitFor(/gave up: mute entered FATAL state/, 15000);
  assert.match(
    d.lines.join("\n"),
    /WARN mute: not healthy within healthcheck_start_period \(2 seconds\), stopping it/,
  );
});

test("environment_file: a real shell script's variables reach the program and its exec health check", async (t) => {
  const { dir } = writeDaemonConfig("");
  writeFileSync(
    join(dir, "environ.sh"),
    'export APP_HOME="$(pwd)/app"\nGREETING="hello | & / \\\\ world"\nexport PATH="/opt/none:$PATH"\n',
  );
  const d = await running(
    t,
    `[program:show]\ncommand=/bin/sh -c 'echo "$APP_HOME|$GREETING"; exec sleep 100'\ndirectory=${dir}\n` +
      `environment_file=environ.sh\nstartsecs=0\nstdout_logfile=${dir}/show.log\n` +
      // an exec health check sees the same variables as the program
      `healthcheck=exec:test "$APP_HOME" = "${dir}/app"\nhealthcheck_start_interval=1\n` +
      `[program:broken]\ncommand=/bin/true\nenvironment_file=${dir}/missing.sh\nstartretries=0\n`,
  );
  await d.waitFor(/show: health check passed \(exit status 0\)/);
  await d.waitFor(/success: show entered RUNNING state/);
  await d.waitFor(/gave up: broken entered FATAL state/);
  assert.match(d.lines.join("\n"), /spawnerr: environment_file \S+missing\.sh: .*No such file or directory/);
  const { readFileSync } = await import("node:fs");
  const { waitUntil } = await import("../helpers/wait.js");
  await waitUntil("the output", () => readFileSync(join(dir, "show.log"), "utf8").includes("\n"));
  assert.equal(readFileSync(join(dir, "show.log"), "utf8"), `${dir}/app|hello | & / \\ world\n`);
});

test("backoff=exponential doubles the delay up to backoff_max; startretries=infinite never gives up", async (t) => {
  const d = await running(
    t,
    `[program:flaky]\ncommand=/bin/sh -c "exit 1"\nstartretries=infinite\nbackoff=exponential\nbackoff_max=4\n`,
  );
  await d.waitForCount(/spawned: 'flaky'/, 5, 30000);
  const times = d.lines
    .filter((l) => /spawned: 'flaky'/.test(l))
    .map((l) => Date.parse(`${l.slice(0, 10)}T${l.slice(11, 19)}.${l.slice(20, 23)}`));
  const gaps = times.slice(1).map((t2, i) => (t2 - times[i]!) / 1000);
  // Delays of 1, 2, 4, 4 s after each failed attempt (plus the attempt's own run time).
  for (const [i, expected] of [1, 2, 4, 4].entries()) {
    assert.ok(
      gaps[i]! >= expected && gaps[i]! < expected + 1.5,
      `gap ${i}: ${gaps[i]} s, expected about ${expected} s`,
    );
  }
  assert.ok(!d.lines.some((l) => /gave up: flaky/.test(l)));
});

test("an exec health check runs as the program's user=, with that user's groups and the program's environment", async (t) => {
  assert.ok(
    process.getuid?.() === 0,
    "user= switching needs root: this project's machines and CI run as root",
  );
  const d = startDaemon(
    t,
    `[program:svc]\ncommand=/bin/sleep 100\nuser=nobody\nstartsecs=0\nhealthcheck_start_interval=1\n` +
      `healthcheck=exec:test "$(id -u)" = "$(id -u nobody)" && test "$(id -G)" = "$(id -G nobody)" && test "$SUPERVISOR_PROCESS_NAME" = svc || { echo "ran as $(id) for $SUPERVISOR_PROCESS_NAME" >&2; exit 1; }\n`,
  );
  await d.waitFor(/svc: health check passed \(exit status 0\)/);
  assert.ok(!d.lines.some((l) => l.includes("ran as")), d.lines.join("\n"));
  await d.stop();
});

test("a dependency cycle or an unknown name: stewardd refuses to start and says which", () => {
  for (const [body, message] of [
    [
      "[program:a]\ncommand=/bin/true\ndepends_on=b\n[program:b]\ncommand=/bin/true\ndepends_on=a\n",
      "dependency cycle a -> b -> a",
    ],
    ["[program:a]\ncommand=/bin/true\ndepends_on=nope\n", "no program or group named 'nope'"],
  ] as const) {
    const { conf } = writeDaemonConfig(body);
    const r = spawnSync(NODE, [join(FIXTURES, "../../dist/src/bin/stewardd.js"), "-c", conf], {
      encoding: "utf8",
    });
    assert.equal(r.status, 2, r.stderr);
    assert.ok(r.stderr.includes(message), r.stderr);
  }
});
