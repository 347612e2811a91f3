/** gunicorn's bind, read from its Python config without running it. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { configBind, parseBindAddress } from "../../../src/doctor/gunicorn.js";
import type { EnvValue } from "../../../src/doctor/shell.js";

const env = (vars: Record<string, string | null>) =>
  new Map<string, EnvValue>(Object.entries(vars).map(([k, v]) => [k, { value: v, origin: "environ.sh:2" }]));

describe("configBind", () => {
  test("BK-LOG's f-string with os.getenv and defaults", () => {
    const text = [
      "import os",
      "import sys",
      "",
      "bind = f\"{os.getenv('LAN_IP', '0.0.0.0')}:{os.getenv('BKLOG_API_PORT', '8000')}\"",
      "workers = 8",
    ].join("\n");
    assert.deepEqual(configBind(text, env({ LAN_IP: "10.0.0.12", BKLOG_API_PORT: "10400" })), {
      addresses: ["10.0.0.12:10400"],
      line: 4,
      variables: ["LAN_IP", "BKLOG_API_PORT"],
    });
    assert.deepEqual(configBind(text, env({}))?.addresses, ["0.0.0.0:8000"]);
  });

  test("literals, lists, +, %, .format, environ[], earlier names, continuation lines", () => {
    const cases: [string, string[] | null][] = [
      ['bind = "127.0.0.1:9000"', ["127.0.0.1:9000"]],
      ["bind = ['0.0.0.0:1', \"unix:/tmp/s\"]", ["0.0.0.0:1", "unix:/tmp/s"]],
      ['bind = "0.0.0.0:" + os.environ["PORT"]', ["0.0.0.0:7000"]],
      ['bind = "%s:%s" % ("0.0.0.0", os.environ.get("PORT", 1))', ["0.0.0.0:7000"]],
      ['bind = "{}:{}".format("h", os.getenv("PORT"))', ["h:7000"]],
      ['port = os.getenv("PORT")\nbind = f"0.0.0.0:{port}"', ["0.0.0.0:7000"]],
      ['bind = [\n    "a:1",\n    "b:2",\n]', ["a:1", "b:2"]],
      ['bind = "0.0.0.0:%d" % int(os.getenv("PORT"))', ["0.0.0.0:7000"]],
      ["bind = compute()", null],
      ['bind = "0.0.0.0:" + os.getenv("COMPUTED")', null],
    ];
    for (const [text, expected] of cases) {
      assert.deepEqual(configBind(text, env({ PORT: "7000", COMPUTED: null }))?.addresses, expected, text);
    }
  });

  test("no bind, or bind only inside a function", () => {
    assert.equal(configBind("workers = 4\ndef f():\n    bind = 'x:1'\n", env({})), null);
  });
});

test("parseBindAddress", () => {
  assert.deepEqual(parseBindAddress("0.0.0.0:10400"), { host: "0.0.0.0", port: 10400 });
  assert.deepEqual(parseBindAddress(":80"), { host: "0.0.0.0", port: 80 });
  assert.deepEqual(parseBindAddress("[::1]:81"), { host: "::1", port: 81 });
  assert.deepEqual(parseBindAddress("localhost"), { host: "localhost", port: 8000 });
  assert.equal(parseBindAddress("unix:/run/app.sock"), null);
  assert.equal(parseBindAddress("fd://3"), null);
  assert.equal(parseBindAddress("host:port"), null);
});
