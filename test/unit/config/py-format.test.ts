import assert from "node:assert/strict";
import { test } from "node:test";
import { PyFormatError, PyKeyError, pyFormat } from "../../../src/config/py-format.js";

const names = new Map<string, string | number>([
  ["program_name", "web"],
  ["process_num", 7],
  ["here", "/etc"],
]);

test("%(name)s with any printf spec, and %%", () => {
  const cases: Array<[string, string]> = [
    ["%(program_name)s_%(process_num)02d", "web_07"],
    ["%(process_num)s", "7"],
    ["%(process_num)x/%(process_num)o/%(process_num)#x", "7/7/0x7"],
    ["%(process_num)-3d|", "7  |"],
    ["%(process_num)+d", "+7"],
    ["%(process_num).3d", "007"],
    ["%(program_name)5s|%(program_name)-5s|", "  web|web  |"],
    ["%(program_name).2s", "we"],
    ["%(program_name)r", "'web'"],
    ["%(process_num)f", "7.000000"],
    ["100%%", "100%"],
    ["%(here)s/x", "/etc/x"],
    ["no formats", "no formats"],
  ];
  for (const [format, expected] of cases) assert.equal(pyFormat(format, names), expected, format);
});

test("Python's errors: unknown name, bad type, bad character, incomplete", () => {
  assert.throws(
    () => pyFormat("%(nope)s", names),
    (e: unknown) => e instanceof PyKeyError && e.message === "'nope'",
  );
  const bad: Array<[string, string]> = [
    ["%(here)d", "%d format: a real number is required, not str"],
    ["%(here)x", "%x format: an integer is required, not str"],
    ["%USER%", "unsupported format character 'U' (0x55) at index 1"],
    ["50%", "incomplete format"],
    ["%(here", "incomplete format key"],
    ["%d", "%d format: a real number is required, not dict"],
  ];
  for (const [format, message] of bad) {
    assert.throws(
      () => pyFormat(format, names),
      (e: unknown) => e instanceof PyFormatError && e.message === message,
      format,
    );
  }
});

test("a bare %s formats the whole mapping, as Python does", () => {
  assert.equal(pyFormat("%s", new Map([["a", "b"]])), "{'a': 'b'}");
  assert.throws(() => pyFormat("%s %s", new Map()), /not enough arguments/);
});

test("CPython's argument rules: %% only adjacent, one argument per %(key), * consumes it", () => {
  assert.throws(() => pyFormat("%(here)%", names), {
    message: "unsupported format character '%' (0x25) at index 7",
  });
  assert.throws(() => pyFormat("%5%", names), {
    message: "unsupported format character '%' (0x25) at index 2",
  });
  assert.throws(() => pyFormat("%(here)s %s", names), { message: "not enough arguments for format string" });
  assert.throws(() => pyFormat("%(process_num)*d", names), {
    message: "not enough arguments for format string",
  });
  assert.throws(() => pyFormat("%(here)*s", names), { message: "* wants int" });
  assert.equal(pyFormat("%r", new Map([["a", "b"]])), "{'a': 'b'}");
  assert.equal(pyFormat("%(x)a", new Map([["x", "é中😀"]])), "'\\xe9\\u4e2d\\U0001f600'");
  assert.throws(() => pyFormat("%99999999999999999999d", names), { message: "width too big" });
});
