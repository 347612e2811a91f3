/**
 * examples/bklog renders and runs as its README says, on Debian's gunicorn (.ci/run installs it):
 * - both template variants render with no placeholder left and load in `steward config check`;
 * - the improved one under one stewardd: gunicorn's master and its 8 workers serve the health
 *   endpoint, the Grafana stand-in is spawned only after the API's health check passed, a killed
 *   gunicorn master is respawned (its orphaned workers killed with it: killasgroup) and serves again,
 *   and after SIGTERM no process of the deployment is left;
 * - the as-shipped one under its two daemons (daemonized, as shipped): nothing orders them, so Grafana
 *   runs while the API is not even started; the API then comes up on gunicorn; `shutdown` on both
 *   leaves no process behind.
 * Everything is rendered into a temporary prefix with free ports, so nothing is written into the
 * repository and nothing needs /var/run.
 */
import assert from "node:assert/strict";
import { execFile, spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { promisify } from "node:util";
import { isAlive } from "../helpers/daemon.js";
import { waitForLine } from "../helpers/lines.js";
import { BIN, REPO_ROOT } from "../helpers/paths.js";
import { freePort } from "../helpers/ports.js";
import { childrenOf, commandLine, processesIn } from "../helpers/procs.js";
import { waitUntil } from "../helpers/wait.js";

const EXAMPLE = join(REPO_ROOT, "examples/bklog");
const run = promisify(execFile);

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, timeout: 5000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on("error", reject);
    req.end();
  });
}

/** GET, retried while the connection is refused (a server still starting), for up to `timeoutMs`. */
async function answered(
  port: number,
  path: string,
  timeoutMs = 15000,
): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await get(port, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ECONNREFUSED" || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

/** Debian's gunicorn on PATH: this test is about it (CI installs the package), so it fails without. */
function assertGunicorn(): void {
  const found = spawnSync("sh", ["-c", "command -v gunicorn"], { encoding: "utf8" });
  assert.equal(found.status, 0, "gunicorn is not on PATH: apt-get install gunicorn (.ci/run does)");
}

/** `stewardctl -c CONF ARGS…` (async: the daemons are other processes, but keep the loop free). */
async function ctl(conf: string, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(BIN, "stewardctl.js"), "-c", conf, ...args],
      {
        encoding: "utf8",
        timeout: 90000,
      },
    );
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** The pid `stewardctl pid NAME` reports (0 when not running). */
async function pidOf(conf: string, name: string): Promise<number> {
  const { code, out } = await ctl(conf, "pid", name);
  assert.equal(code, 0, out);
  return Number(out.trim());
}

/**
 * gunicorn's master `pid` and its 8 workers (waited for: a worker may still be booting when the first
 * one has answered the health check). Returns the workers' pids.
 */
async function gunicornWorkers(master: number): Promise<number[]> {
  assert.match(commandLine(master), /gunicorn -c gunicorn_config\.py wsgi:application/);
  await waitUntil("gunicorn has 8 workers", () => childrenOf(master).length === 8, 30000);
  const workers = childrenOf(master);
  for (const w of workers) assert.match(commandLine(w), /gunicorn/, `worker ${w}`);
  return workers;
}

/** The API answers /healthz, and / from one of `workers` (not the master). */
async function assertServedBy(port: number, workers: number[]): Promise<void> {
  assert.deepEqual(await get(port, "/healthz"), { status: 200, body: "ok\n" });
  for (let i = 0; i < 4; i++) {
    const root = await get(port, "/");
    assert.equal(root.status, 200);
    const pid = JSON.parse(root.body).pid as number;
    assert.ok(workers.includes(pid), `answered by ${pid}, one of the workers ${workers.join(",")}`);
  }
}

/**
 * Renders one template variant into PREFIX (BK_HOME) with the given ports and further `-E` values;
 * returns the files written.
 */
function render(
  variant: string,
  prefix: string,
  apiPort: number,
  grafanaPort: number,
  ...extra: string[]
): string[] {
  const dir = join(EXAMPLE, "templates", variant);
  const templates = readdirSync(dir).map((name) => join(dir, name));
  const values = [
    `BK_HOME=${prefix}`,
    `BK_BKLOG_API_PORT=${apiPort}`,
    `BK_BKLOG_GRAFANA_PORT=${grafanaPort}`,
    ...extra,
  ];
  const result = spawnSync(
    process.execPath,
    [
      join(BIN, "steward.js"),
      "render",
      "-p",
      prefix,
      "-m",
      "bklog",
      "-e",
      join(EXAMPLE, "bklog.env"),
      ...values.flatMap((v) => ["-E", v]),
      ...templates,
    ],
    { encoding: "utf8" },
  );
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const written = filesUnder(prefix);
  assert.equal(written.length, templates.length, written.join("\n"));
  for (const file of written) {
    const text = readFileSync(file, "utf8");
    assert.doesNotMatch(text, /__[A-Z][A-Z0-9]+(_[A-Z0-9]+){0,9}__/, file);
    assert.ok(!text.includes(EXAMPLE), file);
  }
  return written;
}

/** What the README's install step does: the code next to the rendered files, and the run/log dirs. */
function install(prefix: string): void {
  cpSync(join(EXAMPLE, "api"), join(prefix, "bklog/api"), { recursive: true });
  cpSync(join(EXAMPLE, "grafana"), join(prefix, "bklog/grafana"), { recursive: true });
  mkdirSync(join(prefix, "logs/bklog"), { recursive: true });
  mkdirSync(join(prefix, "run/bklog"), { recursive: true });
}

function configCheck(conf: string, ...options: string[]) {
  const result = spawnSync(
    process.execPath,
    [join(BIN, "steward.js"), "config", "check", "--strict", ...options, "-c", conf],
    { encoding: "utf8" },
  );
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^OK: /);
}

/** A temporary prefix (its real path: /proc shows working directories resolved). */
function tempPrefix(name: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), name)));
}

/**
 * `stewardd -n -c CONF`, its main log lines collected; on the test's end it and whatever is left in
 * the prefix are killed and the prefix removed.
 */
function runInForeground(t: TestContext, prefix: string, conf: string) {
  const daemon = spawn(process.execPath, [join(BIN, "stewardd.js"), "-n", "-c", conf], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  // "close": the exit status, once every line of the daemon's stdout has been read
  const exited = new Promise((resolve) => daemon.on("close", resolve));
  t.after(async () => {
    if (daemon.exitCode === null && daemon.signalCode === null) {
      daemon.kill("SIGKILL");
      await exited;
    }
    for (const p of processesIn(prefix)) process.kill(p.pid, "SIGKILL");
    rmSync(prefix, { recursive: true, force: true });
  });
  const lines: string[] = [];
  daemon.stdout!.setEncoding("utf8");
  daemon.stdout!.on("data", (text: string) => lines.push(...text.split("\n").filter((l) => l !== "")));
  const index = (re: RegExp) => lines.findIndex((l) => re.test(l));
  return { daemon, lines, exited, index };
}

const describeProcesses = (list: { pid: number; command: string }[]) =>
  list.map((p) => `${p.pid} ${p.command}`).join("\n");

test("examples/bklog: the as-shipped templates render and load", async (t) => {
  const prefix = tempPrefix("steward-bklog-shipped-");
  t.after(() => rmSync(prefix, { recursive: true, force: true }));
  const written = render("as-shipped", prefix, await freePort(), await freePort());
  const api = join(prefix, "etc/supervisor-bklog-api.conf");
  const grafana = join(prefix, "etc/supervisor-bklog-grafana.conf");
  assert.ok(written.includes(api) && written.includes(grafana), written.join("\n"));
  assert.ok(statSync(join(prefix, "bklog/api/bin/environ.sh")).mode & 0o100, "environ.sh keeps its mode");
  const apiText = readFileSync(api, "utf8");
  assert.match(apiText, /command=bash -c "sleep 10 && source bin\/environ.sh && exec gunicorn/);
  assert.match(
    apiText,
    /^file=\/var\/run\/bklog\/api-supervisor\.sock$/m,
    "bklog.env keeps BK-LOG's run dir",
  );
  // as shipped, the sockets and pidfiles are in /var/run/bklog, which need not exist here
  configCheck(api, "--no-host-checks");
  configCheck(grafana, "--no-host-checks");
});

test("examples/bklog: the improved deployment on gunicorn: Grafana after the API is healthy, a killed master respawned, nothing left", async (t) => {
  assertGunicorn();
  const prefix = tempPrefix("steward-bklog-");
  const [apiPort, grafanaPort, dashboardPort] = [await freePort(), await freePort(), await freePort()];
  // BK-LOG's MySQL (the API's and Grafana's) and Redis: ports where nothing answers
  const [dbPort, redisPort] = [await freePort(), await freePort()];
  render(
    "improved",
    prefix,
    apiPort,
    grafanaPort,
    `BK_BKLOG_SUPERVISOR_HTTP_PORT=${dashboardPort}`,
    `BK_PAAS_MYSQL_PORT=${dbPort}`,
    `BK_BKLOG_MYSQL_PORT=${dbPort}`,
    `BK_BKLOG_REDIS_PORT=${redisPort}`,
  );
  const conf = join(prefix, "etc/supervisor-bklog.conf");
  install(prefix);
  configCheck(conf);
  // steward doctor finds only what is not there: BK-LOG's MySQL and Redis
  const doctor = spawnSync(
    process.execPath,
    [join(BIN, "steward.js"), "doctor", "--json", "--timeout", "1", "-c", conf],
    {
      encoding: "utf8",
    },
  );
  const problems = (JSON.parse(doctor.stdout) as { level: string; check: string; message: string }[]).filter(
    (f) => f.level !== "pass",
  );
  assert.deepEqual(
    problems.map((f) => `${f.check}: ${f.message.replace(/ does not answer.*/, "")}`),
    [
      `services: 127.0.0.1:${dbPort} (DB_HOST/DB_PORT)`,
      `services: 127.0.0.1:${redisPort} (BK_BKLOG_REDIS_HOST/BK_BKLOG_REDIS_PORT)`,
    ],
  );

  const { daemon, lines, exited, index } = runInForeground(t, prefix, conf);
  await waitForLine(daemon, lines, /success: grafana entered RUNNING state/, 60000);

  // gunicorn's master is the supervised pid; its 8 workers answer
  const master = await pidOf(conf, "bklog-api");
  const workers = await gunicornWorkers(master);
  await assertServedBy(apiPort, workers);
  const root = await get(apiPort, "/");
  assert.equal(JSON.parse(root.body).service, "bklog-api");
  assert.equal(JSON.parse(root.body).grafana, `http://127.0.0.1:${grafanaPort}`, "environ.sh was sourced");
  const health = await get(grafanaPort, "/api/health");
  assert.equal(health.status, 200);
  assert.equal(JSON.parse(health.body).database, "ok");

  // Grafana was held back until the API's health check had passed
  assert.ok(index(/grafana: waiting for bklog-api \(healthy\)/) >= 0, lines.join("\n"));
  assert.ok(index(/bklog-api: health check passed/) >= 0, lines.join("\n"));
  assert.ok(index(/bklog-api: health check passed/) < index(/spawned: 'grafana'/), lines.join("\n"));

  // the control socket is the owner's only, and asks for the env file's credentials
  assert.equal(statSync(join(prefix, "run/bklog/supervisor.sock")).mode & 0o777, 0o700);
  const status = await ctl(conf, "status");
  assert.equal(status.code, 0, status.out);
  assert.match(status.out, /bklog-api\s+RUNNING\s+pid \d+, uptime [\d:]+, healthy/);
  assert.match(status.out, /grafana\s+RUNNING\s+pid \d+, uptime [\d:]+, healthy/);

  // the dashboard and metrics, on LAN_IP behind the env file's credentials
  const dashboard = (path: string, auth = "bklog:change-me") =>
    fetch(`http://127.0.0.1:${dashboardPort}${path}`, {
      headers: { Authorization: `Basic ${Buffer.from(auth).toString("base64")}` },
    });
  assert.equal((await dashboard("/", "bklog:wrong")).status, 401);
  const page = await (await dashboard("/")).text();
  assert.match(
    page,
    /RUNNING<\/span><\/td><td>pid \d+, uptime [\d:]+, healthy<\/td><td><a href="tail\.html\?processname=bklog-api">/,
  );
  assert.match(
    page,
    /RUNNING<\/span><\/td><td>pid \d+, uptime [\d:]+, healthy<\/td><td><a href="tail\.html\?processname=grafana">/,
  );
  assert.match(
    await (await dashboard("/metrics")).text(),
    /^steward_process_healthy\{group="grafana",name="grafana"\} 1$/m,
  );

  // kill gunicorn's master: its orphaned workers are killed with it, and a new master comes up
  const grafana = await pidOf(conf, "grafana");
  process.kill(master, "SIGKILL");
  await waitForLine(daemon, lines, /exited: bklog-api \(terminated by SIGKILL; not expected\)/);
  assert.ok(
    index(new RegExp(`bklog-api \\(pid ${master}\\) exited, leaving processes in its group`)) >= 0,
    lines.join("\n"),
  );
  await waitUntil("the old workers are gone", () => !workers.some(isAlive), 5000);
  await waitForLine(daemon, lines, new RegExp(`spawned: 'bklog-api' with pid (?!${master}\\b)\\d+`));
  const waited = await ctl(conf, "wait", "--timeout", "60", "bklog-api");
  assert.equal(waited.code, 0, waited.out);
  const newMaster = await pidOf(conf, "bklog-api");
  assert.notEqual(newMaster, master);
  const newWorkers = await gunicornWorkers(newMaster);
  await assertServedBy(apiPort, newWorkers);
  assert.equal(await pidOf(conf, "grafana"), grafana, "Grafana kept running");

  // SIGTERM: Grafana stops first, then the API; nothing of the deployment is left
  daemon.kill("SIGTERM");
  assert.equal(await exited, 0, lines.join("\n"));
  assert.ok(index(/stopped: grafana/) < index(/stopped: bklog-api/), lines.join("\n"));
  assert.equal(describeProcesses(processesIn(prefix)), "", "no process left in the prefix");
  for (const pid of [newMaster, ...newWorkers, grafana]) assert.ok(!isAlive(pid), `pid ${pid} is gone`);
  assert.match(readFileSync(join(prefix, "logs/bklog/api.log"), "utf8"), /GET \/healthz/);
});

test("examples/bklog: the as-shipped deployment under its two daemons: nothing orders them", async (t) => {
  assertGunicorn();
  const prefix = tempPrefix("steward-bklog-two-");
  const [apiPort, grafanaPort] = [await freePort(), await freePort()];
  // the run dir moved into the prefix; BK-LOG's "sleep 10" shortened to 1 s
  render(
    "as-shipped",
    prefix,
    apiPort,
    grafanaPort,
    `BK_BKLOG_RUN_DIR=${prefix}/run/bklog`,
    "BK_BKLOG_API_START_DELAY=1",
  );
  install(prefix);
  const apiConf = join(prefix, "etc/supervisor-bklog-api.conf");
  const grafanaConf = join(prefix, "etc/supervisor-bklog-grafana.conf");
  configCheck(apiConf);
  configCheck(grafanaConf);
  const pidfile = (name: string) => join(prefix, "run/bklog", `${name}-supervisord.pid`);
  const daemonPid = (name: string) => Number(readFileSync(pidfile(name), "utf8").trim());
  t.after(() => {
    for (const p of processesIn(prefix)) process.kill(p.pid, "SIGKILL");
    for (const name of ["api", "grafana"])
      if (existsSync(pidfile(name))) {
        try {
          process.kill(daemonPid(name), "SIGKILL");
        } catch {}
      }
    rmSync(prefix, { recursive: true, force: true });
  });
  /** `stewardd -c CONF`: daemonizes (nodaemon=false, as shipped); the launcher exits once it runs. */
  const launch = async (conf: string) => {
    const { stderr } = await run(process.execPath, [join(BIN, "stewardd.js"), "-c", conf], {
      encoding: "utf8",
      timeout: 30000,
    });
    assert.equal(stderr, "");
  };

  // Grafana's daemon first (an order nothing forbids): Grafana runs, the API is not even started
  await launch(grafanaConf);
  let r = await ctl(grafanaConf, "wait", "--timeout", "30", "grafana");
  assert.equal(r.code, 0, r.out);
  // as shipped, startsecs=0: RUNNING at the spawn, before the stand-in listens; it answers soon after
  assert.equal((await answered(grafanaPort, "/api/health")).status, 200);
  await assert.rejects(
    get(apiPort, "/healthz"),
    /ECONNREFUSED/,
    "the API is not up, and Grafana runs anyway",
  );
  const grafana = await pidOf(grafanaConf, "grafana");
  // as shipped, the program has no directory=: it runs in the daemon's ([supervisord] directory=)
  assert.equal(
    processesIn(join(prefix, "bklog/grafana")).some((p) => p.pid === grafana),
    true,
  );

  // then the API's daemon: bash sleeps, sources environ.sh and execs gunicorn (8 workers)
  await launch(apiConf);
  r = await ctl(apiConf, "wait", "--timeout", "60", "bklog-api");
  assert.equal(r.code, 0, r.out);
  const master = await pidOf(apiConf, "bklog-api");
  const workers = await gunicornWorkers(master);
  await assertServedBy(apiPort, workers);
  assert.equal(JSON.parse((await get(apiPort, "/")).body).grafana, `http://127.0.0.1:${grafanaPort}`);

  // four log files in two layouts, as shipped
  for (const log of ["api-supervisord.log", "grafana-supervisord.log", "api.log", "grafana-error.log"])
    assert.ok(existsSync(join(prefix, "logs/bklog", log)), log);

  // shutdown, one daemon at a time: each waits for its programs, then removes its pidfile
  const daemons = [daemonPid("api"), daemonPid("grafana")];
  for (const conf of [apiConf, grafanaConf]) {
    r = await ctl(conf, "shutdown");
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Shut down/);
  }
  await waitUntil("both daemons have exited", () => !daemons.some(isAlive), 30000);
  assert.ok(!existsSync(pidfile("api")) && !existsSync(pidfile("grafana")));
  assert.equal(describeProcesses(processesIn(prefix)), "", "no process left in the prefix");
  for (const pid of [master, ...workers, grafana]) assert.ok(!isAlive(pid), `pid ${pid} is gone`);
});

test("examples/bklog: with the database wait enabled, the API waits for the database, not for 10 s", async (t) => {
  const prefix = tempPrefix("steward-bklog-db-");
  const [apiPort, grafanaPort, dbPort] = [await freePort(), await freePort(), await freePort()];
  render(
    "improved",
    prefix,
    apiPort,
    grafanaPort,
    `BK_PAAS_MYSQL_PORT=${dbPort}`,
    `BK_BKLOG_SUPERVISOR_HTTP_PORT=${await freePort()}`,
  );
  install(prefix);
  // what the config's comment tells an operator with a database to do: remove the ";"
  const conf = join(prefix, "etc/supervisor-bklog.conf");
  const text = readFileSync(conf, "utf8");
  assert.match(text, /^;wait_for=tcp:\/\/127\.0\.0\.1:\d+$/m);
  writeFileSync(conf, text.replace(/^;(wait_for(_timeout)?=)/gm, "$1"));
  configCheck(conf);

  const { daemon, lines, exited, index } = runInForeground(t, prefix, conf);
  await waitForLine(daemon, lines, new RegExp(`bklog-api: waiting for tcp://127\\.0\\.0\\.1:${dbPort}`));
  await waitForLine(daemon, lines, /grafana: waiting for bklog-api \(healthy\)/);
  const status = await ctl(conf, "status", "bklog-api");
  assert.match(
    status.out,
    new RegExp(`bklog-api\\s+STARTING\\s+waiting for tcp://127\\.0\\.0\\.1:${dbPort} \\(`),
  );
  await assert.rejects(
    get(apiPort, "/healthz"),
    /ECONNREFUSED/,
    "nothing is spawned before the database answers",
  );

  // the database comes up (a TCP listener stands in for MySQL): the API starts, then Grafana
  const db = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => db.listen(dbPort, "127.0.0.1", resolve));
  t.after(() => db.close());
  await waitForLine(daemon, lines, /success: grafana entered RUNNING state/, 60000);
  assert.ok(index(/bklog-api: done waiting after/) < index(/spawned: 'bklog-api'/), lines.join("\n"));
  assert.ok(index(/spawned: 'bklog-api'/) < index(/spawned: 'grafana'/), lines.join("\n"));
  assert.equal((await get(apiPort, "/healthz")).status, 200);
  daemon.kill("SIGTERM");
  assert.equal(await exited, 0, lines.join("\n"));
});
