import assert from "node:assert/strict";
import { test } from "node:test";
import { readLimit } from "../../../src/daemon/rlimits.js";

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             96365                96365                processes
Max open files            1024                 unlimited            files
`;

test("limits are read from /proc/self/limits, unlimited as null", () => {
  assert.deepEqual(readLimit(LIMITS, "Max open files"), { soft: 1024, hard: null });
  assert.deepEqual(readLimit(LIMITS, "Max processes"), { soft: 96365, hard: 96365 });
  assert.equal(readLimit(LIMITS, "Max nothing"), null);
});
