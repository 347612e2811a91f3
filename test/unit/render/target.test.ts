import assert from "node:assert/strict";
import { test } from "node:test";
import { needsModule, targetPath } from "../../../src/render/target.js";

const target = (name: string, module = "bklog") => targetPath(name, "/data/bkee", module);

test("a name starting with # lands under the prefix", () => {
  assert.deepEqual(target("#etc#supervisor-bklog-api.conf"), {
    target: "/data/bkee/etc/supervisor-bklog-api.conf",
  });
  assert.deepEqual(targetPath("#etc#supervisor-bklog-grafana.conf", "/data/bkee", undefined), {
    target: "/data/bkee/etc/supervisor-bklog-grafana.conf",
  });
});

test("any other name lands under prefix/module", () => {
  assert.deepEqual(target("api#bin#environ.sh"), { target: "/data/bkee/bklog/api/bin/environ.sh" });
  assert.deepEqual(target("grafana#conf#grafana.ini"), {
    target: "/data/bkee/bklog/grafana/conf/grafana.ini",
  });
  assert.deepEqual(target("settings.py"), { target: "/data/bkee/bklog/settings.py" });
  assert.deepEqual(target("x#y", "bkmonitorv3/monitor"), { target: "/data/bkee/bkmonitorv3/monitor/x/y" });
});

test("a trailing .tpl is dropped, only at the end", () => {
  assert.deepEqual(target("#etc#nginx.conf.tpl"), { target: "/data/bkee/etc/nginx.conf" });
  assert.deepEqual(target("api#conf#a.tpl.ini"), { target: "/data/bkee/bklog/api/conf/a.tpl.ini" });
});

test("only the file name counts, not the directory the template is read from", () => {
  assert.deepEqual(target("/src/bklog/support-files/templates/#etc#a.conf"), {
    target: "/data/bkee/etc/a.conf",
  });
  assert.ok(needsModule("/x/#y/api#z"));
  assert.ok(!needsModule("/x/y/#etc#z"));
});

test("a name that is not under the prefix is refused", () => {
  for (const name of ["#..#..#etc#passwd", "#etc#", "#etc##x", "api#.#x", "#", ".tpl", "#.tpl"]) {
    const r = target(name);
    assert.ok("error" in r, `${name} → ${JSON.stringify(r)}`);
    assert.match(r.error, /empty, '\.' or '\.\.' part/);
  }
});

test("a name needing a module without -m, or a bad module, is refused", () => {
  const r = targetPath("api#bin#environ.sh", "/data/bkee", undefined);
  assert.ok("error" in r);
  assert.match(r.error, /give -m MODULE/);
  const bad = target("api#x", "../up");
  assert.ok("error" in bad);
  assert.match(bad.error, /module '..\/up'/);
});
