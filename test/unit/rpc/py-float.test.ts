import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { pyFloat, pyFloatRepr } from "../../../src/rpc/py-float.js";

const PYTHON = "/usr/bin/python3";

test("repr() of floats, as Python 3 prints them", () => {
  const cases: [number, string][] = [
    [0, "0.0"],
    [-0, "-0.0"],
    [1, "1.0"],
    [2.5, "2.5"],
    [0.1, "0.1"],
    [1 / 3, "0.3333333333333333"],
    [1e15, "1000000000000000.0"],
    [1e16, "1e+16"],
    [1.5e16, "1.5e+16"],
    [123456789012345680, "1.2345678901234568e+17"],
    [1e-4, "0.0001"],
    [1e-5, "1e-05"],
    [-2.5e-7, "-2.5e-07"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [Number.POSITIVE_INFINITY, "inf"],
    [Number.NEGATIVE_INFINITY, "-inf"],
    [Number.NaN, "nan"],
  ];
  for (const [x, repr] of cases) assert.equal(pyFloatRepr(x), repr, String(x));
});

test("float() of strings, as Python parses them", () => {
  const cases: [string, number | null][] = [
    ["1.5", 1.5],
    [" -2 ", -2],
    ["1e3", 1000],
    [".5", 0.5],
    ["5.", 5],
    ["1_000.5", 1000.5],
    ["+inf", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["", null],
    [".", null],
    ["1e", null],
    ["0x10", null],
    ["1__0", null],
    ["_1", null],
    ["Infinityx", null],
  ];
  for (const [text, x] of cases) assert.equal(pyFloat(text), x, text);
  assert.ok(Number.isNaN(pyFloat("nan")));
});

test("repr() matches Python's on 2000 random doubles, and float() reads it back", {}, () => {
  const view = new DataView(new ArrayBuffer(8));
  const xs: number[] = [];
  for (let i = 0; xs.length < 2000; i++) {
    for (let b = 0; b < 8; b++) view.setUint8(b, (i * 7919 + b * 104729 + ((i * b) ^ 0x5a)) % 256);
    const x = i % 2 === 0 ? view.getFloat64(0) : ((i % 97) - 48) * 10 ** ((i % 41) - 20) + i / 7;
    if (Number.isFinite(x)) xs.push(x);
  }
  const hex = xs.map((x) => {
    view.setFloat64(0, x);
    return view.getBigUint64(0).toString(16).padStart(16, "0");
  });
  const script =
    "import sys,struct\nfor h in sys.stdin.read().split():\n print(repr(struct.unpack('>d', bytes.fromhex(h))[0]))";
  const result = spawnSync(PYTHON, ["-c", script], { input: hex.join("\n"), encoding: "utf8" });
  const reprs = result.stdout.trim().split("\n");
  xs.forEach((x, i) => {
    assert.equal(pyFloatRepr(x), reprs[i], String(x));
    assert.equal(pyFloat(reprs[i]!), x);
  });
});
