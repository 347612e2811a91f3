import assert from "node:assert/strict";
import { test } from "node:test";
import { makeNamespec, parseNamespec } from "../../../src/process/namespec.js";

test("namespecs as supervisord reads and writes them", () => {
  assert.deepEqual(parseNamespec("web"), { kind: "process", group: "web", process: "web" });
  assert.deepEqual(parseNamespec("g:web_01"), { kind: "process", group: "g", process: "web_01" });
  assert.deepEqual(parseNamespec("g:*"), { kind: "group", group: "g" });
  assert.deepEqual(parseNamespec("g:"), { kind: "group", group: "g" });
  assert.equal(makeNamespec("web", "web"), "web");
  assert.equal(makeNamespec("g", "web_01"), "g:web_01");
});
