/**
 * stewardctl's Steward-only `deps`, `health` and `usage` against the real stewardd running an HTTP server
 * (test/fixtures/servers/slow-server.mjs, started when the test says so) that a dashboard depends on,
 * and against Debian's supervisord, which has no steward.* methods. Waits follow the daemon's log
 * lines.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { RpcClient } from "../../src/rpc/client.js";
import { startDaemon } from "../helpers/daemon.js";
import { BIN, FIXTURES } from "../helpers/paths.js";
import { freePort } from "../helpers/ports.js";

const SERVER = join(FIXTURES, "servers/slow-server.mjs");
const NODE = process.execPath;
const CONTROL =
  "[unix_http_server]\nfile=%(here)s/ctl.sock\n[supervisorctl]\nserverurl=unix://%(here)s/ctl.sock\n" +
  "[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n";

type Run = { status: number | null; out: string; err: string };

/** Runs stewardctl without blocking the test's event loop (the daemon's output keeps being read). */
function stewardctl(conf: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      NODE,
      [join(BIN, "stewardctl.js"), "-c", conf, ...args],
      { encoding: "utf8", timeout: 30000 },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        const killed = error?.killed ? `stewardctl ${args.join(" ")}: killed after 30 s\n` : "";
        resolve({ status, out: stdout, err: killed + stderr });
      },
    );
  });
}

const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

test("deps and health follow a dashboard waiting for a healthy API, then an API turning unhealthy", async (t) => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/health`;
  const d = startDaemon(
    t,
    CONTROL +
      // The API listens only once the test writes a line to its stdin: it stays STARTING until then.
      `[program:api]\ncommand=/bin/sh -c 'read go; exec ${NODE} ${SERVER} --http --port ${port}'\nstartsecs=0\n` +
      `healthcheck=${url}\nhealthcheck_start_interval=1\nhealthcheck_interval=1\nhealthcheck_retries=2\n` +
      "unhealthy_action=none\n" +
      "[program:dashboard]\ncommand=/bin/sleep 100\nstartsecs=0\npriority=1\n" +
      `depends_on=api=healthy\nwait_for=tcp://127.0.0.1:${port}\n` +
      "[program:worker]\ncommand=/bin/sleep 100\nstartsecs=0\nhealthcheck=exec:true\nhealthcheck_start_interval=1\n",
  );
  await d.waitFor(/supervisord started with pid/);
  await d.waitFor(/dashboard: waiting for api \(healthy\)/);

  // While the API starts: the dashboard waits for it, and says so.
  const waiting = await stewardctl(d.conf, "deps");
  assert.equal(waiting.status, 0, waiting.out + waiting.err);
  const api = `^api +STARTING\\n└─ needed by dashboard +STARTING$`;
  assert.match(waiting.out, new RegExp(api, "m"));
  assert.match(waiting.out, /^dashboard +STARTING +waiting for api \(healthy\)/m);
  assert.match(waiting.out, /^├─ depends on api \(healthy\) +not met +api STARTING$/m);
  assert.match(waiting.out, new RegExp(`^└─ waits for tcp://127\\.0\\.0\\.1:${port} +not met( +.+)?$`, "m"));
  assert.match(waiting.out, /^worker +(STARTING|RUNNING)$/m);
  // Every line of the tree is aligned: the state column starts at the same place.
  const columns = waiting.out
    .trimEnd()
    .split("\n")
    .map((l) => l.search(/ (STARTING|RUNNING|not met|met)\b/));
  assert.equal(new Set(columns).size, 1, waiting.out);

  const one = await stewardctl(d.conf, "deps", "dashboard");
  assert.doesNotMatch(one.out, /^api/m);
  assert.match(one.out, /^dashboard /);

  const json = await stewardctl(d.conf, "--json", "deps");
  assert.equal(json.status, 0, json.err);
  const records = JSON.parse(json.out) as Array<Record<string, unknown>>;
  const dashboard = records.find((r) => r.namespec === "dashboard")!;
  assert.deepEqual(dashboard.depends_on, [
    { target: "api", condition: "healthy", processes: ["api:api"], met: false },
  ]);
  assert.deepEqual(dashboard.wait_for, [`tcp://127.0.0.1:${port}`]);
  assert.match(String(dashboard.waiting), /^waiting for api \(healthy\)/);

  const starting = await stewardctl(d.conf, "health", "api");
  assert.equal(starting.status, 3, starting.out);
  assert.match(
    starting.out,
    new RegExp(`^api +STARTING +starting +${reEscape(url)} +(not checked yet|failed \\d+s ago)`),
  );

  // Once the API listens and passes its check the dashboard starts, and everything is healthy.
  const client = new RpcClient({ serverurl: `unix://${d.dir}/ctl.sock` });
  t.after(() => client.close());
  await client.call("supervisor.sendProcessStdin", ["api", "go\n"]);
  await d.waitFor(/success: dashboard entered RUNNING state/, 20000);
  await d.waitFor(/success: worker entered RUNNING state/);
  const met = await stewardctl(d.conf, "deps", "dashboard");
  assert.match(met.out, /^dashboard +RUNNING\n├─ depends on api \(healthy\) +met +api RUNNING\n/);
  const healthy = await stewardctl(d.conf, "health");
  assert.equal(healthy.status, 0, healthy.out);
  const lines = healthy.out.trimEnd().split("\n");
  assert.equal(lines.length, 2, healthy.out);
  assert.match(
    lines[0]!,
    new RegExp(`^api +RUNNING +healthy +${reEscape(url)} +passed \\d+s ago: HTTP 200$`),
  );
  assert.match(lines[1]!, /^worker +RUNNING +healthy +exec:true +passed \d+s ago/);
  assert.equal(lines[0]!.indexOf("RUNNING"), 33);
  assert.equal(lines[0]!.indexOf(url), lines[1]!.indexOf("exec:true"));
  const healthJson = JSON.parse((await stewardctl(d.conf, "health", "--json", "api")).out);
  assert.equal(healthJson.length, 1);
  assert.equal(healthJson[0].namespec, "api");
  assert.equal(healthJson[0].status, "healthy");
  assert.equal(healthJson[0].ok, true);
  assert.equal(healthJson[0].healthcheck, url);
  assert.ok(Math.abs(healthJson[0].checked - Date.now() / 1000) < 30, `checked ${healthJson[0].checked}`);

  const unchecked = await stewardctl(d.conf, "health", "dashboard", "nope");
  assert.equal(
    unchecked.out,
    "dashboard: ERROR (no healthcheck)\nnope: ERROR (no such process)\n",
    unchecked.err,
  );
  assert.equal(unchecked.status, 4);

  // The API fails its checks: it stays RUNNING (unhealthy_action=none) but is unhealthy; exit 3.
  const pidRun = await stewardctl(d.conf, "pid", "api");
  const pid = Number(pidRun.out.trim());
  assert.ok(pid > 0, pidRun.out + pidRun.err);
  process.kill(pid, "SIGUSR1");
  await d.waitFor(/api is unhealthy: HTTP 503 \(2 checks in a row\)/, 15000);
  const sick = await stewardctl(d.conf, "health");
  assert.equal(sick.status, 3, sick.out);
  assert.match(
    sick.out,
    new RegExp(
      `^api +RUNNING +unhealthy +${reEscape(url)} +failed \\d+s ago: HTTP 503( \\(\\d+ failures? in a row\\))?$`,
      "m",
    ),
  );
  assert.match(sick.out, /^worker +RUNNING +healthy /m);
  const worker = await stewardctl(d.conf, "health", "worker");
  assert.equal(worker.status, 0, worker.out);
  const after = await stewardctl(d.conf, "deps", "dashboard");
  assert.match(after.out, /^├─ depends on api \(healthy\) +not met +api RUNNING$/m);
  assert.equal(await d.stop(), 0);
});

test("against Debian's supervisord, deps, health and usage say the server is not stewardd", async (t) => {
  const d = startDaemon(t, `${CONTROL}[program:sleeper]\ncommand=/bin/sleep 100\nstartsecs=0\n`, {
    program: "supervisord",
  });
  await d.waitFor(/supervisord started with pid/);
  const message = "this server is not stewardd: it has no steward.* methods\n";
  const deps = await stewardctl(d.conf, "deps");
  assert.deepEqual({ status: deps.status, out: deps.out }, { status: 3, out: message });
  const health = await stewardctl(d.conf, "health", "sleeper");
  assert.deepEqual({ status: health.status, out: health.out }, { status: 4, out: message });
  const usage = await stewardctl(d.conf, "usage");
  assert.deepEqual({ status: usage.status, out: usage.out }, { status: 3, out: message });
  const json = await stewardctl(d.conf, "--json", "health");
  assert.equal(json.status, 4);
  assert.deepEqual(JSON.parse(json.out), [{ error: message.trim() }]);
  // The ordinary commands still work against it.
  const status = await stewardctl(d.conf, "status");
  assert.match(status.out, /^sleeper +(STARTING|RUNNING)/);
  await d.stop();
});

test("usage: a running program's tree (a shell and its two sleeps) with memory and CPU; a stopped one has none", async (t) => {
  const d = startDaemon(
    t,
    `${CONTROL}[program:family]\ncommand=/bin/sh -c 'sleep 100 & sleep 100 & wait'\nstartsecs=0\n` +
      "[program:off]\ncommand=/bin/sleep 100\nautostart=false\n",
  );
  await d.waitFor(/success: family entered RUNNING state/);
  let run: Run = { status: null, out: "", err: "" };
  // the shell forks its sleeps right after its spawn: ask until both are there (bounded)
  for (let i = 0; i < 50 && !/family\s+RUNNING\s+\d+\s+3\s/.test(run.out); i++)
    run = await stewardctl(d.conf, "usage");
  assert.equal(run.status, 0, run.err);
  const lines = run.out.trimEnd().split("\n");
  assert.match(lines[0]!, /^NAME\s+STATE\s+PID\s+PROCS\s+MEMORY\s+CPU$/);
  assert.match(lines[1]!, /^family\s+RUNNING\s+\d+\s+3\s+\d+\.\dM\s+\d+:\d\d:\d\d\.\d$/);
  assert.equal(lines[2], "off                              STOPPED");
  const json = await stewardctl(d.conf, "--json", "usage", "family");
  const [record] = JSON.parse(json.out);
  assert.equal(record.namespec, "family");
  assert.equal(record.processes, 3);
  assert.ok(record.rss_kb > 0);
  await d.stop();
});
