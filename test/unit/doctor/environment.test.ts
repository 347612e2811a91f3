/** Environment scripts read without running them. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { applyEnvScript, shellState } from "../../../src/doctor/environment.js";
import { memoryFiles } from "../../../src/doctor/files.js";
import type { EnvValue } from "../../../src/doctor/shell.js";

const base = new Map<string, EnvValue>([["PATH", { value: "/usr/bin:/bin", origin: "daemon" }]]);
const values = (env: ReadonlyMap<string, EnvValue>) =>
  Object.fromEntries([...env].map(([k, v]) => [k, v.value]));

test("BK-LOG's environ.sh: exports in order, PATH extended, origins with lines", () => {
  const text = [
    "#!/bin/sh",
    'export LAN_IP="10.0.0.12"',
    'export BKLOG_API_PORT="10400"',
    "export PATH=/data/bkee/.envs/bklog-api/bin:$PATH",
    "export DB_PASSWORD='p@ss w0rd$!'",
    "export BK_BKLOG_REDIS_HOST=redis.service.consul",
    "",
  ].join("\n");
  const state = shellState(base, "/srv/api");
  applyEnvScript(text, "/srv/api/bin/environ.sh", state, memoryFiles({}));
  assert.deepEqual(values(state.env), {
    PATH: "/data/bkee/.envs/bklog-api/bin:/usr/bin:/bin",
    LAN_IP: "10.0.0.12",
    BKLOG_API_PORT: "10400",
    DB_PASSWORD: "p@ss w0rd$!",
    BK_BKLOG_REDIS_HOST: "redis.service.consul",
  });
  assert.equal(state.env.get("BKLOG_API_PORT")?.origin, "/srv/api/bin/environ.sh:3");
});

test("nested sources relative to the shell's directory; missing ones recorded", () => {
  const files = memoryFiles({
    "/srv/api/venv/bin/activate":
      'deactivate () {\n  PATH="$OLD"\n}\nVIRTUAL_ENV="$(cd .. && pwd)"\nPATH="/srv/api/venv/bin:$PATH"\nexport PATH\n',
  });
  const state = shellState(base, "/srv/api");
  applyEnvScript(
    ". venv/bin/activate\nsource missing.sh\nexport A=1\n",
    "/srv/api/bin/environ.sh",
    state,
    files,
  );
  assert.equal(state.env.get("PATH")?.value, "/srv/api/venv/bin:/usr/bin:/bin");
  assert.equal(state.env.get("VIRTUAL_ENV")?.value, null);
  assert.equal(state.env.get("A")?.value, "1");
  assert.deepEqual(
    state.sourced.map((s) => [s.path, s.found, s.from, s.depth]),
    [
      ["/srv/api/venv/bin/activate", true, "/srv/api/bin/environ.sh:1", 0],
      ["/srv/api/missing.sh", false, "/srv/api/bin/environ.sh:2", 0],
    ],
  );
});

test("unset, cd, declare -x, a command's own assignments", () => {
  const state = shellState(base, "/");
  applyEnvScript(
    "A=1\nB=2\nunset A\ncd /opt\nsource rel.sh\ndeclare -x C=3\nD=4 some-command\nreadonly E=5\n",
    "/x.sh",
    state,
    memoryFiles({ "/opt/rel.sh": "F=6\n" }),
  );
  assert.deepEqual(values(state.env), { PATH: "/usr/bin:/bin", B: "2", C: "3", E: "5", F: "6" });
  assert.equal(state.cwd, "/opt");
});

test("a source loop stops", () => {
  const files = memoryFiles({ "/a.sh": "source /b.sh\nA=1\n", "/b.sh": "source /a.sh\nB=1\n" });
  const state = shellState(base, "/");
  applyEnvScript("source /a.sh\n", "/start.sh", state, files);
  assert.equal(state.env.get("A")?.value, "1");
  assert.equal(state.env.get("B")?.value, "1");
});
