import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PLACEHOLDER_PATTERN, scan, substitute } from "../../../src/render/placeholders.js";

const names = (text: string) => scan(text).map((o) => o.name);

describe("the placeholder pattern, __[A-Z][A-Z0-9]+(_[A-Z0-9]+){0,9}__", () => {
  test("is render_tpl's", () => {
    assert.equal(PLACEHOLDER_PATTERN, "__[A-Z][A-Z0-9]+(_[A-Z0-9]+){0,9}__");
  });

  test("the variable is the name without the leading and trailing __", () => {
    assert.deepEqual(names("logfile=__BK_HOME__/logs"), ["BK_HOME"]);
    assert.deepEqual(names("__BK_BKLOG_REDIS_SENTINEL_MASTER_NAME__"), [
      "BK_BKLOG_REDIS_SENTINEL_MASTER_NAME",
    ]);
  });

  test("the first part has at least two characters and starts with a letter", () => {
    assert.deepEqual(names("__X__ __AB__ __A1__ __1A__ __X_Y__"), ["AB", "A1"]);
  });

  test("lower case, double inner underscores and empty parts do not match", () => {
    assert.deepEqual(names("__Bk_HOME__ __bk__ __AB__CD__ __AB___ ___AB__"), ["AB", "AB", "AB"]);
    // `__AB__CD__` holds `__AB__` then `CD__`; `__AB___` holds `__AB__`; `___AB__` holds `__AB__`.
  });

  test("up to ten parts (one plus {0,9}); a name of eleven parts is not a placeholder", () => {
    const ten = "AA_B_C_D_E_F_G_H_I_J";
    const eleven = `${ten}_K`;
    assert.deepEqual(names(`__${ten}__`), [ten]);
    assert.deepEqual(names(`__${eleven}__`), []);
    assert.equal(substitute(`x=__${eleven}__`, () => "v").text, `x=__${eleven}__`);
  });

  test("the pattern is not anchored: it matches inside words", () => {
    assert.deepEqual(names("http://__HOST__:__PORT__/x"), ["HOST", "PORT"]);
    assert.deepEqual(names("abc__AB__def"), ["AB"]);
  });

  test("Go-template {{.name}} placeholders are not BlueKing's", () => {
    assert.deepEqual(names("file = {{.app_container_path}}run/supervisord.sock"), []);
  });
});

describe("substitution", () => {
  test("reports each occurrence with its line, in order", () => {
    const r = substitute("a=__AA__\n\nb=__BB__ __AA__\n", (n) => (n === "AA" ? "1" : undefined));
    assert.equal(r.text, "a=1\n\nb=__BB__ 1\n");
    assert.deepEqual(r.occurrences, [
      { name: "AA", line: 1, resolved: true },
      { name: "BB", line: 3, resolved: false },
      { name: "AA", line: 3, resolved: true },
    ]);
  });

  test("values are inserted literally: | & / \\ quotes spaces newlines and $& survive", () => {
    const hostile = `p|a&s/s\\w"o'r d\nline2 $& $1 $$ \\1 &`;
    const r = substitute("password = __DB_PASSWORD__;\n", () => hostile);
    assert.equal(r.text, `password = ${hostile};\n`);
  });

  test("one pass: a value holding a placeholder is never expanded again", () => {
    const values: Record<string, string> = { AA: "__BB__", BB: "never" };
    const r = substitute("__AA__ __BB__", (n) => values[n]);
    assert.equal(r.text, "__BB__ never");
    assert.deepEqual(
      r.occurrences.map((o) => o.name),
      ["AA", "BB"],
    );
  });

  test("line numbers are the template's, not shifted by multi-line values", () => {
    const r = substitute("__AA__\n__BB__\n", () => "x\ny\nz");
    assert.deepEqual(
      r.occurrences.map((o) => o.line),
      [1, 2],
    );
  });

  test("a line of many placeholders, and none at all", () => {
    const line = Array.from({ length: 50 }, (_, i) => `__V${i}X__`).join("");
    assert.equal(substitute(line, () => "").text, "");
    assert.deepEqual(substitute("no placeholders __ here\n", () => "x").occurrences, []);
  });
});
