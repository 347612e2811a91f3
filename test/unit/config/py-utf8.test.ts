import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeUtf8LikePython } from "../../../src/config/py-utf8.js";

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));

test("valid UTF-8, a BOM kept as a character", () => {
  assert.equal(decodeUtf8LikePython(bytes("ok é")), "ok é");
  assert.equal(decodeUtf8LikePython(bytes([0xef, 0xbb, 0xbf], "x")), "\ufeffx");
});

test("Python's UnicodeDecodeError messages", () => {
  assert.throws(() => decodeUtf8LikePython(bytes("ab", [0xff])), {
    message: "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte",
  });
  assert.throws(() => decodeUtf8LikePython(bytes("a", [0xe9], "x")), {
    message: "'utf-8' codec can't decode byte 0xe9 in position 1: invalid continuation byte",
  });
  assert.throws(() => decodeUtf8LikePython(bytes([0xe1, 0x80, 0x41])), {
    message: "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte",
  });
  assert.throws(() => decodeUtf8LikePython(bytes([0xed, 0xa0, 0x80])), {
    message: "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte",
  });
  assert.throws(() => decodeUtf8LikePython(bytes("x", [0xe2, 0x82])), {
    message: "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data",
  });
});

test("positions count from the start of the 8192-byte chunk being decoded", () => {
  const data = bytes("a".repeat(10087), [0xff]);
  assert.throws(() => decodeUtf8LikePython(data), {
    message: "'utf-8' codec can't decode byte 0xff in position 1895: invalid start byte",
  });
});
