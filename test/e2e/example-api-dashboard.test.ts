/**
 * examples/api-dashboard runs as its README says: the dashboard waits for the API's health check,
 * `status` (stewardctl and the stock supervisorctl) shows it waiting, then both RUNNING, and the
 * dashboard is never spawned before the API answers. The example is copied to a temporary directory
 * (with free ports) so the test writes nothing into the repository.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { waitForLine } from "../helpers/lines.js";
import { BIN, REPO_ROOT } from "../helpers/paths.js";
import { freePort } from "../helpers/ports.js";

test("examples/api-dashboard: the dashboard waits for the API to answer", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "steward-example-"));
  cpSync(join(REPO_ROOT, "examples/api-dashboard"), dir, { recursive: true });
  const [api, dashboard] = [await freePort(), await freePort()];
  const conf = join(dir, "steward.conf");
  writeFileSync(
    conf,
    readFileSync(conf, "utf8")
      .replaceAll("8765", String(api))
      .replaceAll("8766", String(dashboard))
      .replace('API_STARTUP_SECONDS="5"', 'API_STARTUP_SECONDS="3"'),
  );
  const daemon = spawn(process.execPath, [join(BIN, "stewardd.js"), "-n", "-c", conf], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise((resolve) => daemon.on("exit", resolve));
  t.after(async () => {
    if (daemon.exitCode === null) {
      daemon.kill("SIGKILL");
      await exited;
    }
  });
  const lines: string[] = [];
  daemon.stdout!.setEncoding("utf8");
  daemon.stdout!.on("data", (text: string) => lines.push(...text.split("\n").filter((l) => l !== "")));
  await waitForLine(daemon, lines, /dashboard: waiting for api \(healthy\)/);

  const stewardctl = (...args: string[]) =>
    spawnSync(process.execPath, [join(BIN, "stewardctl.js"), "-c", conf, ...args], { encoding: "utf8" });
  const waiting = stewardctl("status");
  assert.equal(waiting.status, 0, waiting.stdout);
  assert.match(waiting.stdout, /dashboard\s+STARTING\s+waiting for api \(healthy\)/);
  assert.match(
    spawnSync("supervisorctl", ["-c", conf, "status", "dashboard"], { encoding: "utf8" }).stdout,
    /waiting for api \(healthy\)/,
  );

  const waited = stewardctl("wait", "--timeout", "30", "dashboard");
  assert.equal(waited.status, 0, waited.stdout + waited.stderr);
  const ready = stewardctl("status");
  assert.equal(ready.status, 0, ready.stdout);
  assert.match(ready.stdout, /api\s+RUNNING\s+pid \d+, uptime [\d:]+, healthy/);
  assert.match(ready.stdout, /dashboard\s+RUNNING/);
  await waitForLine(daemon, lines, /success: dashboard entered RUNNING state/);
  const index = (re: RegExp) => lines.findIndex((l) => re.test(l));
  assert.ok(index(/api: health check passed/) >= 0);
  assert.ok(index(/api: health check passed/) < index(/spawned: 'dashboard'/), lines.join("\n"));
  assert.match(readFileSync(join(dir, "run/dashboard.log"), "utf8"), /dashboard: the API answered 200/);
  assert.equal(stewardctl("shutdown").status, 0);
  assert.equal(await exited, 0);
});
