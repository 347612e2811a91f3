/** The `program` check against a real stewardd: getProcessInfo over its unix socket, with credentials. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import type { ProbeSpec } from "../../src/config/types.js";
import { runProbe } from "../../src/daemon/probes.js";
import { startDaemon } from "../helpers/daemon.js";

const CTX = { timeoutMs: 15000 };

const SERVER = `
[unix_http_server]
file=%(here)s/stewardd.sock
username=probe
password=s3cret
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
`;

test("program check: the other daemon's state of a program", async (t) => {
  const d = startDaemon(
    t,
    `${SERVER}
[program:api]
command=/bin/sleep 1000
startsecs=0
[program:slow]
command=/bin/sleep 1000
startsecs=1000
[program:off]
command=/bin/sleep 1000
autostart=false
[program:worker]
command=/bin/sleep 1000
startsecs=0
[group:grp]
programs=worker
`,
  );
  await d.waitFor(/success: api entered RUNNING/);
  await d.waitFor(/success: worker entered RUNNING/);
  await d.waitFor(/spawned: 'slow' with pid/);
  const serverurl = `unix://${join(d.dir, "stewardd.sock")}`;
  const check = (name: string, username: string | null = "probe", password: string | null = "s3cret") =>
    runProbe(
      { kind: "program", text: `program:${name}`, name, serverurl, username, password } satisfies ProbeSpec,
      CTX,
    );

  assert.deepEqual(await check("api"), { ok: true, detail: "api is RUNNING there" });
  assert.deepEqual(await check("grp:worker"), { ok: true, detail: "grp:worker is RUNNING there" });
  assert.deepEqual(await check("slow"), { ok: false, detail: "slow is STARTING there" });
  assert.deepEqual(await check("off"), { ok: false, detail: "off is STOPPED there" });
  assert.deepEqual(await check("bklog-api"), { ok: false, detail: "no such process bklog-api" });
  assert.deepEqual(await check("api", null, null), { ok: false, detail: "401 unauthorized" });
  assert.deepEqual(await check("api", "probe", "wrong"), { ok: false, detail: "401 unauthorized" });

  assert.equal(await d.stop(), 0);
  const gone = await check("api");
  assert.equal(gone.ok, false);
  assert.match(
    gone.detail,
    /^cannot reach unix:\/\/.*stewardd\.sock: (no such socket file|connection refused)$/,
  );
});
