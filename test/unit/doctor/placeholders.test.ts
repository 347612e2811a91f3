/** BlueKing placeholders left in files. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { findPlaceholders, hasPlaceholder } from "../../../src/doctor/placeholders.js";

test("render_tpl's pattern: upper case, digits, up to ten parts", () => {
  assert.ok(hasPlaceholder("logfile=__BK_HOME__/logs"));
  assert.ok(hasPlaceholder("__A1__"));
  assert.ok(!hasPlaceholder("__A__"), "one letter is not a name");
  assert.ok(!hasPlaceholder("__bk_home__"));
  assert.ok(!hasPlaceholder("__init__.py"));
  assert.ok(!hasPlaceholder("{{.app_code}}"));
});

test("lines with placeholders, comments skipped", () => {
  const text =
    "[supervisord]\nlogfile=__BK_HOME__/logs/__BK_HOME__/x.log\n; __OLD_VALUE__\n  # __X_Y__\nhost = __DB_HOST__:__DB_PORT__\n";
  assert.deepEqual(findPlaceholders(text, "#;"), [
    { line: 2, names: ["__BK_HOME__"] },
    { line: 5, names: ["__DB_HOST__", "__DB_PORT__"] },
  ]);
  assert.deepEqual(findPlaceholders("a=1 ; __NOT_A_COMMENT__\n", "#"), [
    { line: 1, names: ["__NOT_A_COMMENT__"] },
  ]);
});
