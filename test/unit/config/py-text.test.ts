import assert from "node:assert/strict";
import { test } from "node:test";
import { pyCompare, pyInt, pyRepr, pyStrip } from "../../../src/config/py-text.js";

test("pyRepr quotes and escapes like Python's repr()", () => {
  const cases: Array<[string, string]> = [
    ["abc", "'abc'"],
    ["it's", `"it's"`],
    [`a'b"c`, `'a\\'b"c'`],
    ["line\n", "'line\\n'"],
    ["tab\there", "'tab\\there'"],
    ["\x1b[0m", "'\\x1b[0m'"],
    ["back\\slash", "'back\\\\slash'"],
    ["naïve 日本", "'naïve 日本'"],
    ["\u00a0nbsp", "'\\xa0nbsp'"],
    ["\u2028", "'\\u2028'"],
  ];
  for (const [input, expected] of cases) assert.equal(pyRepr(input), expected, input);
});

test("pyStrip strips Python's whitespace set, not JavaScript's", () => {
  assert.equal(pyStrip(" \t\x1c x \x85\n"), "x");
  assert.equal(pyStrip("\ufeffx"), "\ufeffx");
});

test("pyInt accepts what Python's int() accepts", () => {
  const ok: Array<[string, number]> = [
    ["12", 12],
    [" 12 ", 12],
    ["+5", 5],
    ["-1", -1],
    ["1_000", 1000],
    ["0", 0],
    ["00", 0],
    ["012", 12],
    ["١٢", 12],
  ];
  for (const [s, n] of ok) assert.equal(pyInt(s), n, s);
  for (const s of ["", "0x10", "1e3", "1_", "_1", "1__0", "abc", "1.0"]) assert.equal(pyInt(s), null, s);
  assert.equal(pyInt("022", 8), 18);
  assert.equal(pyInt("0o22", 8), 18);
  assert.equal(pyInt("999", 8), null);
});

test("pyCompare orders by code point, as Python sorts str", () => {
  assert.ok(pyCompare("\uff5a", "\u{1d41a}") < 0);
  assert.ok("\uff5a" > "\u{1d41a}");
  assert.equal(pyCompare("a", "a"), 0);
});

test("integers beyond 2^53 are refused rather than rounded", () => {
  assert.equal(pyInt("9007199254740991"), 9007199254740991);
  assert.equal(pyInt("9007199254740993"), null);
});
