/** The stock supervisorctl (Debian's supervisor 4.2.5) drives stewardd over its unix socket. */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { RpcClient } from "../../src/rpc/client.js";
import { type Daemon, startDaemon } from "../helpers/daemon.js";
import { FIXTURES } from "../helpers/paths.js";

function ctl(d: Daemon, ...args: string[]) {
  const r = spawnSync("supervisorctl", ["-c", d.conf, ...args], { encoding: "utf8", timeout: 30000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

function withControl(t: Parameters<typeof startDaemon>[0], body: string): Promise<Daemon> {
  // The socket path depends on the temp dir, which startDaemon creates: the section names it via %(here)s.
  const d = startDaemon(
    t,
    `${body}\n[unix_http_server]\nfile=%(here)s/stewardd.sock\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n[supervisorctl]\nserverurl=unix://%(here)s/stewardd.sock\n`,
  );
  return d.waitFor(/supervisord started with pid/).then(() => d);
}

describe("stock supervisorctl against stewardd", () => {
  test("status, start, stop, restart, pid, version, tail", async (t) => {
    const d = await withControl(
      t,
      "[program:cat]\ncommand=/bin/sh -c 'echo hello from cat; exec cat'\nstartsecs=0\n[program:off]\ncommand=/bin/sleep 1000\nautostart=false\nstartsecs=0\n[program:w]\ncommand=/bin/sleep 1000\nnumprocs=2\nprocess_name=w_%(process_num)d\nstartsecs=0\n",
    );
    await d.waitFor(/success: cat entered RUNNING/);
    await d.waitFor(/success: w_1 entered RUNNING/);
    let r = ctl(d, "status");
    assert.equal(r.status, 3, r.out);
    assert.match(r.out, /^cat\s+RUNNING\s+pid \d+, uptime 0:00:\d\d$/m);
    assert.match(r.out, /^off\s+STOPPED\s+Not started$/m);
    assert.match(r.out, /^w:w_0\s+RUNNING\s+pid \d+/m);
    r = ctl(d, "start", "off");
    assert.equal(r.out, "off: started\n");
    r = ctl(d, "stop", "w:*");
    assert.match(r.out, /w:w_0: stopped\nw:w_1: stopped\n|w:w_1: stopped\nw:w_0: stopped\n/);
    r = ctl(d, "status", "cat");
    assert.equal(r.status, 0);
    r = ctl(d, "pid");
    assert.equal(r.out.trim(), String(d.pid));
    r = ctl(d, "version");
    assert.equal(r.out.trim(), "4.2.5");
    r = ctl(d, "tail", "cat");
    assert.match(r.out, /hello from cat/);
    r = ctl(d, "start", "cat");
    assert.equal(r.out, "cat: ERROR (already started)\n");
    r = ctl(d, "stop", "nosuch");
    assert.equal(r.out, "nosuch: ERROR (no such process)\n");
    r = ctl(d, "shutdown");
    assert.equal(r.out, "Shut down\n");
    assert.equal(await d.exited, 0);
  });

  test("a program that cannot start: start reports the spawn error", async (t) => {
    const d = await withControl(
      t,
      "[program:quick]\ncommand=/bin/sh -c 'exit 1'\nautostart=false\nstartretries=0\n",
    );
    const r = ctl(d, "start", "quick");
    assert.equal(r.out, "quick: ERROR (spawn error)\n");
    await d.stop();
  });

  test("reread and update apply config changes", async (t) => {
    const d = await withControl(t, "[program:a]\ncommand=/bin/sleep 1000\nstartsecs=0\n");
    await d.waitFor(/success: a entered RUNNING/);
    writeFileSync(
      d.conf,
      `${readFileSync(d.conf, "utf8")}\n[program:b]\ncommand=/bin/sleep 1000\nstartsecs=0\n`,
    );
    let r = ctl(d, "reread");
    assert.equal(r.out, "b: available\n");
    r = ctl(d, "update");
    assert.equal(r.out, "b: added process group\n");
    await d.waitFor(/success: b entered RUNNING/);
    await d.stop();
  });

  test("tail -f follows the program's output through /logtail", async (t) => {
    const d = await withControl(
      t,
      "[program:ticker]\ncommand=/bin/sh -c 'i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.1; done'\nstartsecs=0\n",
    );
    await d.waitFor(/success: ticker/);
    const tail = spawn("supervisorctl", ["-c", d.conf, "tail", "-f", "ticker"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    t.after(() => tail.kill("SIGKILL"));
    const seen = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`no growing output: ${out}`)), 15000);
      tail.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const ticks = [...out.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
        if (ticks.length >= 2 && ticks.at(-1)! > ticks[0]! + 2) {
          clearTimeout(timer);
          resolve(out);
        }
      });
    });
    assert.match(seen, /==> Press Ctrl-C to exit <==/);
    tail.kill("SIGINT");
    await d.stop();
  });

  test("system.listMethods and every methodSignature are supervisord 4.2.5's", async (t) => {
    const d = await withControl(t, "");
    const wire = JSON.parse(readFileSync(join(FIXTURES, "rpc/wire/supervisor-methods.json"), "utf8"));
    const client = new RpcClient({ serverurl: `unix://${d.dir}/stewardd.sock` });
    t.after(() => client.close());
    // Steward's own read-only steward.* methods are listed too; everything else is supervisord's.
    const listed = (await client.call("system.listMethods")) as string[];
    assert.deepEqual(
      listed.filter((m) => !m.startsWith("steward.")),
      wire.listMethods,
    );
    assert.deepEqual(
      listed.filter((m) => m.startsWith("steward.")),
      ["steward.getDependencies", "steward.getHealth", "steward.getUsage", "steward.getVersion"],
    );
    for (const [name, signature] of Object.entries(wire.signatures)) {
      assert.deepEqual(await client.call("system.methodSignature", [name]), signature, name);
    }
    await d.stop();
  });
});
