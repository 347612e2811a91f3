import assert from "node:assert/strict";
import { test } from "node:test";
import { AnsiStripper } from "../../../src/logs/strip-ansi.js";

const b = (s: string) => Buffer.from(s, "latin1");

/** Single-chunk results checked against supervisord 4.2.5's stripEscapes. */
const GOLDEN: Array<[string, string]> = [
  ["\x1b[31mred\x1b[0m plain", "red plain"],
  ["a\x1b[12;40Hb", "ab"],
  ["no escape", "no escape"],
  ["\x1b[?25lhidden", "hidden"],
  ["x\x1b[12", "x"],
  ["\x1b\x1b[mA", "\x1bA"],
  ["\x1bXy", "\x1bXy"],
  ["a\x1b[zzzmb", "ab"],
  ["\x1b[\x1b[Ax", "x"],
];

test("one chunk: the same result as supervisord's stripEscapes", () => {
  for (const [input, expected] of GOLDEN) {
    const stripper = new AnsiStripper();
    const out = Buffer.concat([stripper.push(b(input)), stripper.end()]);
    assert.equal(out.toString("latin1"), expected, JSON.stringify(input));
  }
});

test("a chunk without ESC is returned as the same Buffer", () => {
  const chunk = b("plain text\n");
  assert.equal(new AnsiStripper().push(chunk), chunk);
});

test("sequences split at every byte boundary are still removed", () => {
  for (const [input, expected] of GOLDEN) {
    if (input.endsWith("\x1b[12")) continue; // unterminated: supervisord drops it, and so do we
    const data = b(input);
    for (let i = 0; i <= data.length; i++) {
      const stripper = new AnsiStripper();
      const out = Buffer.concat([
        stripper.push(data.subarray(0, i)),
        stripper.push(data.subarray(i)),
        stripper.end(),
      ]);
      assert.equal(out.toString("latin1"), expected, `${JSON.stringify(input)} split at ${i}`);
    }
  }
});

test("an unterminated sequence swallows the next chunk up to its terminator", () => {
  const stripper = new AnsiStripper();
  assert.equal(stripper.push(b("x\x1b[12")).toString(), "x");
  assert.equal(stripper.push(b(";1Hvisible")).toString(), "visible");
  assert.equal(stripper.push(b("\x1b")).toString(), "");
  assert.equal(stripper.push(b("")).toString(), "");
  assert.equal(stripper.push(b("Q")).toString("latin1"), "\x1bQ");
  assert.equal(stripper.end().length, 0);
});
