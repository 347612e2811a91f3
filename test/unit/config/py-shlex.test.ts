import assert from "node:assert/strict";
import { test } from "node:test";
import { parseKeyValuePairs, shlexTokens } from "../../../src/config/py-shlex.js";

test("environment= values parse as supervisord 4.2 parses them (semantics 5.3)", () => {
  const cases: Array<[string, Record<string, string>]> = [
    ["A=1,B=2", { A: "1", B: "2" }],
    [`A="a b",B='c,d'`, { A: "a b", B: "c,d" }],
    [`KEY="val:123",KEY2="val,456"`, { KEY: "val:123", KEY2: "val,456" }],
    ["A=1,", { A: "1" }],
    ["A = 1 , B = 2", { A: "1", B: "2" }],
    ["A=1;B=2", { A: "1", B: "2" }],
    ["A=1,\n  B=2", { A: "1", B: "2" }],
    ["A=x y", { A: "x" }],
    ["A=$HOME", { A: "$" }],
    ["A=@x", { A: "@" }],
    ["A=x#y", { A: "x" }],
    [`A=""`, { A: "" }],
    ["A=it's", { A: "it's" }],
    ["PATH=/usr/bin:/bin", { PATH: "/usr/bin:/bin" }],
  ];
  for (const [input, expected] of cases) {
    assert.deepEqual(Object.fromEntries(parseKeyValuePairs(input)), expected, input);
  }
});

test("malformed lists are refused with supervisord's message", () => {
  for (const input of ["A=1,,B=2", "A=1 B=2", "A=", "A=a=b"]) {
    assert.throws(() => parseKeyValuePairs(input), {
      message: `Unexpected end of key/value pairs in value '${input}'`,
    });
  }
  assert.throws(() => parseKeyValuePairs(`A="open`), { message: "No closing quotation" });
});

test("non-POSIX shlex keeps quotes in tokens and splits punctuation", () => {
  assert.deepEqual(shlexTokens(`a="b c" d!e`), ["a", "=", `"b c"`, "d", "!", "e"]);
});
