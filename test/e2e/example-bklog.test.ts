/**
 * examples/bklog renders and runs as its README says: both template variants render with no
 * placeholder left and load in `steward config check`; the improved one runs under stewardd with the
 * API stand-in (gunicorn when on PATH, else wsgiref) and the Grafana stand-in, Grafana is spawned only
 * after the API's health check passed, and SIGTERM stops the daemon with status 0. Everything is
 * rendered into a temporary prefix with free ports, so nothing is written into the repository.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { waitForLine } from "../helpers/lines.js";
import { BIN, REPO_ROOT } from "../helpers/paths.js";
import { freePort } from "../helpers/ports.js";

const EXAMPLE = join(REPO_ROOT, "examples/bklog");

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

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

/** Renders one template variant into PREFIX (BK_HOME) with the given ports; returns the files written. */
function render(variant: string, prefix: string, apiPort: number, grafanaPort: number): string[] {
  const dir = join(EXAMPLE, "templates", variant);
  const templates = readdirSync(dir).map((name) => join(dir, name));
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
      "-E",
      `BK_HOME=${prefix}`,
      "-E",
      `BK_BKLOG_API_PORT=${apiPort}`,
      "-E",
      `BK_BKLOG_GRAFANA_PORT=${grafanaPort}`,
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

function configCheck(conf: string, ...options: string[]) {
  const result = spawnSync(
    process.execPath,
    [join(BIN, "steward.js"), "config", "check", "--strict", ...options, "-c", conf],
    {
      encoding: "utf8",
    },
  );
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^OK: /);
}

test("examples/bklog: the as-shipped templates render and load", async (t) => {
  const prefix = mkdtempSync(join(tmpdir(), "steward-bklog-shipped-"));
  t.after(() => rmSync(prefix, { recursive: true, force: true }));
  const written = render("as-shipped", prefix, await freePort(), await freePort());
  const api = join(prefix, "etc/supervisor-bklog-api.conf");
  const grafana = join(prefix, "etc/supervisor-bklog-grafana.conf");
  assert.ok(written.includes(api) && written.includes(grafana), written.join("\n"));
  assert.ok(statSync(join(prefix, "bklog/api/bin/environ.sh")).mode & 0o100, "environ.sh keeps its mode");
  assert.match(
    readFileSync(api, "utf8"),
    /command=bash -c "sleep 10 && source bin\/environ.sh && exec gunicorn/,
  );
  // as shipped, the sockets and pidfiles are in /var/run/bklog, which need not exist here
  configCheck(api, "--no-host-checks");
  configCheck(grafana, "--no-host-checks");
});

test("examples/bklog: the improved deployment starts Grafana after the API is healthy", async (t) => {
  const prefix = mkdtempSync(join(tmpdir(), "steward-bklog-"));
  const [apiPort, grafanaPort] = [await freePort(), await freePort()];
  render("improved", prefix, apiPort, grafanaPort);
  const conf = join(prefix, "etc/supervisor-bklog.conf");
  // what the README's install step does: the code next to the rendered files, and the run/log dirs
  cpSync(join(EXAMPLE, "api"), join(prefix, "bklog/api"), { recursive: true });
  cpSync(join(EXAMPLE, "grafana"), join(prefix, "bklog/grafana"), { recursive: true });
  mkdirSync(join(prefix, "logs/bklog"), { recursive: true });
  mkdirSync(join(prefix, "run/bklog"), { recursive: true });
  configCheck(conf);

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
    rmSync(prefix, { recursive: true, force: true });
  });
  const lines: string[] = [];
  daemon.stdout!.setEncoding("utf8");
  daemon.stdout!.on("data", (text: string) => lines.push(...text.split("\n").filter((l) => l !== "")));
  await waitForLine(daemon, lines, /success: grafana entered RUNNING state/, 60000);

  const healthz = await get(apiPort, "/healthz");
  assert.deepEqual(healthz, { status: 200, body: "ok\n" });
  const root = await get(apiPort, "/");
  assert.equal(root.status, 200);
  assert.equal(JSON.parse(root.body).service, "bklog-api");
  assert.equal(JSON.parse(root.body).grafana, `http://127.0.0.1:${grafanaPort}`, "environ.sh was sourced");
  const health = await get(grafanaPort, "/api/health");
  assert.equal(health.status, 200);
  assert.equal(JSON.parse(health.body).database, "ok");

  const index = (re: RegExp) => lines.findIndex((l) => re.test(l));
  assert.ok(index(/grafana: waiting for bklog-api \(healthy\)/) >= 0, lines.join("\n"));
  assert.ok(index(/bklog-api: health check passed/) >= 0, lines.join("\n"));
  assert.ok(index(/bklog-api: health check passed/) < index(/spawned: 'grafana'/), lines.join("\n"));

  // the control socket is the owner's only, and asks for the env file's credentials
  assert.equal(statSync(join(prefix, "run/bklog/supervisor.sock")).mode & 0o777, 0o700);
  const status = spawnSync(process.execPath, [join(BIN, "stewardctl.js"), "-c", conf, "status"], {
    encoding: "utf8",
  });
  assert.equal(status.status, 0, status.stdout + status.stderr);
  assert.match(status.stdout, /bklog-api\s+RUNNING\s+pid \d+, uptime [\d:]+, healthy/);
  assert.match(status.stdout, /grafana\s+RUNNING\s+pid \d+, uptime [\d:]+, healthy/);

  daemon.kill("SIGTERM");
  assert.equal(await exited, 0, lines.join("\n"));
  assert.ok(index(/stopped: grafana/) < index(/stopped: bklog-api/), lines.join("\n"));
  assert.match(readFileSync(join(prefix, "logs/bklog/api.log"), "utf8"), /GET \/healthz/);
});
