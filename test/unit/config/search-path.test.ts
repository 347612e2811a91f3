import assert from "node:assert/strict";
import { test } from "node:test";
import { configSearchPaths, findConfigFile } from "../../../src/config/search-path.js";

test("the search path is supervisord's six candidates", () => {
  assert.deepEqual(configSearchPaths("/usr/bin/stewardd"), [
    "/usr/etc/supervisord.conf",
    "/usr/supervisord.conf",
    "supervisord.conf",
    "etc/supervisord.conf",
    "/etc/supervisord.conf",
    "/etc/supervisor/supervisord.conf",
  ]);
});

test("the first existing candidate wins; none is supervisord's error", () => {
  assert.deepEqual(
    findConfigFile("/usr/bin/x", (p) => p === "/etc/supervisord.conf" || p === "etc/supervisord.conf"),
    { file: "etc/supervisord.conf" },
  );
  const none = findConfigFile("/usr/bin/x", () => false);
  assert.ok("error" in none);
  assert.match(
    none.error,
    /^No config file found at default paths \(\/usr\/etc\/supervisord\.conf, .*\); use the -c option to specify a config file at a different path$/,
  );
});
