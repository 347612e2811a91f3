import assert from "node:assert/strict";
import { test } from "node:test";
import { readRange, tailRange } from "../../../src/logs/read-log.js";

test("readLog offsets and lengths (semantics 11.4)", () => {
  assert.deepEqual(readRange(100, -10, 0), { start: 90, end: 100 });
  assert.deepEqual(readRange(5, -10, 0), { start: 0, end: 5 });
  assert.equal(readRange(100, -10, 5), "bad-arguments");
  assert.equal(readRange(100, 0, -1), "bad-arguments");
  assert.deepEqual(readRange(100, 40, 0), { start: 40, end: 100 });
  assert.deepEqual(readRange(100, 200, 0), { start: 100, end: 100 });
  assert.deepEqual(readRange(100, 40, 10), { start: 40, end: 50 });
});

test("tail*Log on a 106-byte file, as verified against supervisord", () => {
  const last10 = { start: 96, end: 106, next: 106 };
  assert.deepEqual(tailRange(106, 0, 10), { ...last10, overflow: true });
  assert.deepEqual(tailRange(106, 95, 10), { ...last10, overflow: true });
  assert.deepEqual(tailRange(106, 100, 10), { ...last10, overflow: false });
  assert.deepEqual(tailRange(106, 106, 10), { start: 106, end: 106, next: 106, overflow: false });
  assert.deepEqual(tailRange(106, 0, 1000), { start: 0, end: 106, next: 106, overflow: false });
});
