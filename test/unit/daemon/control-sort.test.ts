/** Control's getAllProcessInfo order: the string comparison gives the order of the UTF-8 bytes. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sortByUtf8 } from "../../../src/daemon/control.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Units where UTF-16 order and code point order part: BMP above the surrogates, astral, lone halves. */
const POOL = [
  "a",
  "b",
  "_",
  "-",
  "0",
  "\0",
  "é",
  "中",
  "\ud7ff",
  "\ue000",
  "\uffff",
  "😀",
  "\ud800",
  "\udfff",
];

function randomKey(r: () => number, surrogates: boolean): string {
  let key = "";
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const pool = surrogates ? POOL : POOL.filter((c) => !/[\ud800-\udfff]/.test(c));
    key += pool[Math.floor(r() * pool.length)];
  }
  return key;
}

test("sortByUtf8 orders as Buffer.compare of the UTF-8 bytes (2,000 random lists)", () => {
  const r = rng(3);
  for (let i = 0; i < 2000; i++) {
    const surrogates = i % 2 === 1;
    const entries = Array.from({ length: 1 + Math.floor(r() * 30) }, (_, n) => ({
      key: `${randomKey(r, surrogates)}\0${randomKey(r, surrogates)}`,
      n,
    }));
    const expected = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    assert.deepEqual(sortByUtf8([...entries]), expected, `case ${i}`);
  }
});
