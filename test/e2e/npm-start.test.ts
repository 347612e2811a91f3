/**
 * `npm start` (scripts/start-bklog.mjs after the build): renders examples/bklog's improved variant,
 * runs stewardd on it, announces the URLs once Grafana is RUNNING, and a Ctrl-C (SIGINT) stops
 * everything with nothing left behind. Run here with a temporary prefix and free ports.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { isAlive } from "../helpers/daemon.js";
import { BIN, REPO_ROOT } from "../helpers/paths.js";
import { freePort } from "../helpers/ports.js";
import { processesIn } from "../helpers/procs.js";

function fetchText(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    }).on("error", reject);
  });
}

test("npm start runs the BK-LOG example and Ctrl-C stops it all", async (t) => {
  const prefix = realpathSync(mkdtempSync(join(tmpdir(), "steward-npm-start-")));
  t.after(() => rmSync(prefix, { recursive: true, force: true }));
  const [apiPort, grafanaPort, dashboardPort] = [await freePort(), await freePort(), await freePort()];
  const start = spawn(process.execPath, [join(REPO_ROOT, "scripts/start-bklog.mjs")], {
    env: {
      ...process.env,
      STEWARD_EXAMPLE_PREFIX: prefix,
      STEWARD_EXAMPLE_API_PORT: String(apiPort),
      STEWARD_EXAMPLE_GRAFANA_PORT: String(grafanaPort),
      STEWARD_EXAMPLE_DASHBOARD_PORT: String(dashboardPort),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => start.on("exit", (code) => resolve(code)));
  t.after(() => {
    if (start.exitCode === null) start.kill("SIGKILL");
  });
  let out = "";
  start.stderr!.setEncoding("utf8");
  start.stderr!.on("data", (text: string) => (out += text));
  start.stdout!.setEncoding("utf8");
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no announcement in 60 s:\n${out}`)), 60000);
    start.stdout!.on("data", (text: string) => {
      out += text;
      if (out.includes("BK-LOG example is up")) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => reject(new Error(`npm start exited (${code}) early:\n${out}`)));
  });
  assert.match(out, new RegExp(`http://127\\.0\\.0\\.1:${apiPort}/healthz`));
  assert.equal((await fetchText(`http://127.0.0.1:${apiPort}/healthz`)).status, 200);
  assert.equal((await fetchText(`http://127.0.0.1:${grafanaPort}/api/health`)).status, 200);
  assert.match(out, new RegExp(`Steward dashboard  http://127\\.0\\.0\\.1:${dashboardPort}/`));
  const dashboard = await fetch(`http://127.0.0.1:${dashboardPort}/metrics`, {
    headers: { Authorization: `Basic ${Buffer.from("bklog:change-me").toString("base64")}` },
  });
  assert.match(await dashboard.text(), /^steward_process_up\{group="bklog-api",name="bklog-api"\} 1$/m);
  const conf = join(prefix, "etc/supervisor-bklog.conf");
  const status = spawnSync(process.execPath, [join(BIN, "stewardctl.js"), "-c", conf, "status"], {
    encoding: "utf8",
  });
  assert.equal(status.status, 0, status.stdout + status.stderr);
  const pids = [...status.stdout.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
  assert.equal(pids.length, 2, status.stdout);
  assert.ok(out.indexOf("health check passed") < out.indexOf("spawned: 'grafana'"), out);
  start.kill("SIGINT");
  assert.equal(await exited, 0, out);
  for (const pid of pids) assert.ok(!isAlive(pid), `pid ${pid} is gone`);
  // nor any other process of the deployment (gunicorn's workers, when it runs on gunicorn)
  const left = processesIn(prefix).map((p) => `${p.pid} ${p.command}`);
  assert.deepEqual(left, [], "no process left in the prefix");
});
