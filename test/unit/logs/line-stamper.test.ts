import assert from "node:assert/strict";
import { test } from "node:test";
import { LineStamper } from "../../../src/logs/line-stamper.js";

/** Feeds `chunks` through one stamper whose prefix counts up: [1] , [2] … */
function stamp(chunks: string[]): string {
  const s = new LineStamper();
  let n = 0;
  return chunks.map((c) => s.push(Buffer.from(c), () => `[${++n}] `).toString()).join("");
}

test("each line gets the prefix once, when its first byte arrives", () => {
  assert.equal(stamp(["one\ntwo\n"]), "[1] one\n[1] two\n");
  assert.equal(stamp(["one\ntw", "o more\nthree\n"]), "[1] one\n[1] two more\n[2] three\n");
  assert.equal(stamp(["a", "b", "c\n", "d\n"]), "[1] abc\n[4] d\n");
  assert.equal(stamp(["x\n", "\n", "y"]), "[1] x\n[2] \n[3] y");
});

test("a chunk that ends a line leaves the next line to the next chunk", () => {
  assert.equal(stamp(["end\n", "next"]), "[1] end\n[2] next");
});

test("empty chunks change nothing; bytes are kept as they are", () => {
  const s = new LineStamper();
  assert.equal(s.push(Buffer.alloc(0), () => "T ").length, 0);
  const bytes = Buffer.from([0xff, 0x00, 0x0a, 0xc3]);
  assert.deepEqual(
    s.push(bytes, () => "T "),
    Buffer.concat([Buffer.from("T "), bytes.subarray(0, 3), Buffer.from("T "), bytes.subarray(3)]),
  );
});
