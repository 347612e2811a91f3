import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { loadCtlConfig } from "../../../src/config/load-ctl.js";
import { ConfigError } from "../../../src/errors.js";
import { writeTree } from "../../helpers/temp-config.js";

const env = new Map([
  ["HOME", "/home/op"],
  ["SOCK", "s.sock"],
]);

test("[supervisorctl]: serverurl made absolute for unix://, defaults, %(here)s and ENV_*", () => {
  const dir = writeTree({
    "ctl.conf":
      "[supervisorctl]\nserverurl=unix://%(here)s/../run/%(ENV_SOCK)s\nusername=u\npassword=p\nhistory_file=~/.hist\n",
  });
  assert.deepEqual(loadCtlConfig({ file: join(dir, "ctl.conf"), env, cwd: "/" }), {
    serverurl: `unix://${join(dir, "../run/s.sock")}`,
    username: "u",
    password: "p",
    prompt: "supervisor",
    history_file: "/home/op/.hist",
  });
  const bare = writeTree({ "c.conf": "[supervisorctl]\n" });
  assert.equal(
    loadCtlConfig({ file: join(bare, "c.conf"), env, cwd: "/" }).serverurl,
    "http://localhost:9001",
  );
});

test("a config file without [supervisorctl] is refused as supervisorctl refuses it", () => {
  const dir = writeTree({ "c.conf": "[supervisord]\n" });
  assert.throws(
    () => loadCtlConfig({ file: join(dir, "c.conf"), env, cwd: "/" }),
    (e: unknown) =>
      e instanceof ConfigError && e.message === ".ini file does not include supervisorctl section",
  );
});
