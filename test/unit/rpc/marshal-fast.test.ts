/**
 * marshal-fast.ts against the general marshaller: on every value it takes, the same text; on every
 * other value, it gives up (and the general path writes it or throws).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeFault, encodeRequest, encodeResponse, encodeResponseParts } from "../../../src/rpc/codec.js";
import { marshalValue } from "../../../src/rpc/marshal.js";
import { marshalFast as marshalParts } from "../../../src/rpc/marshal-fast.js";
import {
  MAXINT,
  MININT,
  makeStruct,
  XmlRpcDateTime,
  XmlRpcDouble,
  type XmlRpcValue,
} from "../../../src/rpc/values.js";

/** A deterministic pseudo-random generator (tests must not flake). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Every character the escaping treats specially, and some it must leave alone. */
const SPECIAL = [
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)),
  "&",
  "<",
  ">",
  "'",
  '"',
  "]]>",
  "&amp;",
  "\u007f",
  "\u0085",
  "é",
  "中",
  "\u2028",
  "\ud7ff",
  "\ue000",
  "\ufffd",
  "\ufffe",
  "\uffff",
  "\ud83d\ude00",
  "\ud800",
  "\udfff",
  "\udc00\ud800",
  "a",
  " ",
];

function randomString(r: () => number): string {
  let s = "";
  const n = Math.floor(r() * 14);
  for (let i = 0; i < n; i++) {
    s +=
      r() < 0.6 ? SPECIAL[Math.floor(r() * SPECIAL.length)] : String.fromCharCode(Math.floor(r() * 0x10000));
  }
  return s;
}

const INTS = [0, -0, 1, -1, MAXINT, MININT, MAXINT - 1, MININT + 1, 2 ** 16, -(2 ** 16)];
const BIG_INTS = [MAXINT + 1, MININT - 1, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, 1e21];

function randomInt(r: () => number): number {
  return r() < 0.3 ? INTS[Math.floor(r() * INTS.length)]! : Math.floor(r() * 2 ** 32) - 2 ** 31;
}

function randomStruct(r: () => number, depth: number, item: () => XmlRpcValue): XmlRpcValue {
  const entries = Array.from({ length: Math.floor(r() * 5) }, (_, i) => {
    const key = r() < 0.1 ? "__proto__" : r() < 0.5 ? `k${Math.floor(r() * 20)}` : `${randomString(r)}${i}`;
    return [key, item()] as const;
  });
  const struct = makeStruct(entries);
  return depth % 2 === 1 && r() < 0.3 ? Object.assign(Object.create(null), struct) : struct;
}

/** Values of the shapes the fast path writes: strings, 32-bit ints, booleans, arrays, structs. */
function plainValue(r: () => number, depth: number): XmlRpcValue {
  const kind = Math.floor(r() * (depth > 4 ? 4 : 7));
  if (kind === 0 || kind === 1) return randomString(r);
  if (kind === 2) return randomInt(r);
  if (kind === 3) return r() < 0.5;
  if (kind === 4) return Array.from({ length: Math.floor(r() * 5) }, () => plainValue(r, depth + 1));
  return randomStruct(r, depth, () => plainValue(r, depth + 1));
}

/** Any value, including those only the general path writes (or refuses). */
function anyValue(r: () => number, depth: number): XmlRpcValue {
  const kind = Math.floor(r() * (depth > 4 ? 9 : 12));
  switch (kind) {
    case 0:
      return randomString(r);
    case 1:
      return randomInt(r);
    case 2:
      return BIG_INTS[Math.floor(r() * BIG_INTS.length)]!;
    case 3:
      return (r() - 0.5) * 10 ** Math.floor(r() * 30 - 15);
    case 4:
      return r() < 0.5 ? null : new XmlRpcDouble(Math.floor(r() * 10));
    case 5:
      return new XmlRpcDateTime(r() < 0.5 ? "20240102T03:04:05" : randomString(r));
    case 6:
      return new Uint8Array(Array.from({ length: Math.floor(r() * 100) }, () => Math.floor(r() * 256)));
    case 7:
      return r() < 0.5 ? (new Map() as unknown as XmlRpcValue) : (undefined as unknown as XmlRpcValue);
    case 8:
      return plainValue(r, depth);
    case 9:
      return Array.from({ length: Math.floor(r() * 5) }, () => anyValue(r, depth + 1));
    default:
      return randomStruct(r, depth, () => anyValue(r, depth + 1));
  }
}

/** The fast path's text (its parts joined), or undefined. */
function marshalFast(value: XmlRpcValue): string | undefined {
  return marshalParts(value)?.join("");
}

/** The general marshaller's text, or its error message. */
function general(value: XmlRpcValue): string {
  try {
    return marshalValue(value);
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

test("the shapes of answers: the fast path writes exactly what the general marshaller writes (5,000 values)", () => {
  const r = rng(4);
  for (let i = 0; i < 5000; i++) {
    const value = plainValue(r, 0);
    const fast = marshalFast(value);
    assert.notEqual(fast, undefined, `case ${i}: the fast path gave up on ${JSON.stringify(value)}`);
    assert.equal(fast, general(value), `case ${i}`);
  }
});

test("any value: the same text as the general path, or it gives up (10,000 values)", () => {
  const r = rng(5);
  let taken = 0;
  let refused = 0;
  for (let i = 0; i < 10_000; i++) {
    const value = anyValue(r, 0);
    const fast = marshalFast(value);
    const expected = general(value);
    if (fast === undefined) {
      if (expected.startsWith("error: ")) refused++;
      continue;
    }
    taken++;
    assert.equal(fast, expected, `case ${i}`);
  }
  // Both kinds occur, so the comparison above means something.
  assert.ok(taken > 1000, `taken: ${taken}`);
  assert.ok(refused > 1000, `refused: ${refused}`);
});

test("it gives up on what only the general path writes or refuses", () => {
  const cycle: XmlRpcValue[] = ["x"];
  cycle.push(cycle);
  const self: Record<string, XmlRpcValue> = { a: 1 };
  self.b = self;
  for (const value of [
    1.5,
    MAXINT + 1,
    MININT - 1,
    Number.NaN,
    null,
    new XmlRpcDouble(2),
    new XmlRpcDateTime("20240102T03:04:05"),
    new Uint8Array([1, 2]),
    { a: [1, { b: 2.5 }] },
    cycle,
    self,
  ]) {
    assert.equal(marshalFast(value), undefined, String(value));
  }
  assert.throws(() => encodeResponse(cycle), /recursive sequences/);
  assert.throws(() => encodeResponse(self), /recursive dictionaries/);
  assert.throws(() => encodeResponse({ a: [1, { b: null }] }), /allow_none/);
  assert.equal(encodeResponse({ a: null }, { allowNone: true }).includes("<value><nil/></value>"), true);
});

test("deep nesting is left to the general path, which writes it", () => {
  let value: XmlRpcValue = "deep";
  for (let i = 0; i < 40; i++) value = i % 2 === 0 ? [value] : { k: value };
  assert.equal(marshalFast(value), undefined);
  assert.equal(encodeResponse(value).split("<value>").length - 1, 41);
});

test("member names beyond the cached ones are written the same", () => {
  const struct = makeStruct(Array.from({ length: 3000 }, (_, i) => [`n${i}<&>\r`, i] as const));
  assert.equal(marshalFast(struct), general(struct));
  assert.equal(marshalFast(struct), general(struct));
});

test("requests and faults use the same marshalling", () => {
  const r = rng(6);
  for (let i = 0; i < 500; i++) {
    const a = anyValue(r, 0);
    const b = plainValue(r, 0);
    const text = (value: XmlRpcValue) => general(value).replace(/^error: .*/s, "");
    let expected: string | null =
      `<?xml version='1.0'?>\n<methodCall>\n<methodName>x.y</methodName>\n<params>\n<param>\n${text(a)}</param>\n<param>\n${text(b)}</param>\n</params>\n</methodCall>\n`;
    if (general(a).startsWith("error: ")) expected = null;
    let actual: string | null;
    try {
      actual = encodeRequest("x.y", [a, b]);
    } catch {
      actual = null;
    }
    assert.equal(actual, expected, `case ${i}`);
  }
  assert.equal(
    encodeFault({ faultCode: 10, faultString: "BAD_NAME: <&>\r\u0000" }),
    "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>10</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>BAD_NAME: &lt;&amp;&gt;&#13;\ufffd</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
  );
});

test("a long text comes in parts, cut between items and members, that join into the same text", () => {
  const r = rng(7);
  const infos = Array.from({ length: 200 }, (_, i) =>
    makeStruct([
      ["name", `p${i}`],
      ["pid", 1000 + i],
      ["description", randomString(r)],
      ["list", [randomString(r), i, i % 2 === 0]],
      ["nested", { text: "é中😀<&>\r".repeat(i % 7), empty: [] }],
    ]),
  );
  const parts = marshalParts(infos)!;
  assert.ok(parts.length > 10, `parts: ${parts.length}`);
  assert.equal(parts.join(""), general(infos));
  for (const part of parts.slice(0, -1)) {
    assert.ok(part.length >= 8192, `a part of ${part.length} characters`);
    assert.ok(part.endsWith("\n"));
  }
  assert.equal(encodeResponseParts(infos).join(""), encodeResponse(infos));
  assert.deepEqual(marshalParts(""), ["<value><string></string></value>\n"]);
  assert.deepEqual(encodeResponseParts(1.5), [encodeResponse(1.5)]);
});

test("member order is Object.keys' (integer-like names first); an enumerable Object.prototype name makes it give up", () => {
  const value = makeStruct([
    ["b", 1],
    ["2", "two"],
    ["a", [true]],
    ["1", "one"],
    ["__proto__", "p"],
  ]);
  assert.equal(marshalFast(value), general(value));
  assert.ok(general(value).indexOf("<name>1</name>") < general(value).indexOf("<name>b</name>"));
  const proto = Object.prototype as Record<string, unknown>;
  proto.polluted = "x";
  try {
    assert.equal(marshalFast(value), undefined);
    assert.equal(encodeResponse(value).includes("polluted"), false);
  } finally {
    delete proto.polluted;
  }
  assert.equal(marshalFast(value), general(value));
});
