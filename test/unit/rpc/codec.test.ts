import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import {
  decodeRequest,
  decodeResponse,
  encodeFault,
  encodeRequest,
  encodeResponse,
} from "../../../src/rpc/codec.js";
import { RpcCodecError } from "../../../src/rpc/errors.js";
import { Faults, RpcFault } from "../../../src/rpc/faults.js";
import {
  cappedInt,
  makeStruct,
  XmlRpcDateTime,
  XmlRpcDouble,
  type XmlRpcValue,
} from "../../../src/rpc/values.js";

const PYTHON = "/usr/bin/python3";

/** A deterministic pseudo-random generator (tests must not flake). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomString(r: () => number): string {
  const pool = [
    "a",
    "Z",
    " ",
    "\t",
    "\n",
    "&",
    "<",
    ">",
    "'",
    '"',
    "é",
    "中",
    "😀",
    "]]>",
    "&amp;",
    "\u007f",
    "\u2028",
  ];
  let s = "";
  const n = Math.floor(r() * 12);
  for (let i = 0; i < n; i++) s += pool[Math.floor(r() * pool.length)];
  return s;
}

function randomValue(r: () => number, depth: number): XmlRpcValue {
  const kind = Math.floor(r() * (depth > 3 ? 6 : 9));
  switch (kind) {
    case 0:
      return Math.floor(r() * 2 ** 32) - 2 ** 31;
    case 1:
      return r() < 0.5;
    case 2:
      return randomString(r);
    case 3:
      return (r() - 0.5) * 10 ** Math.floor(r() * 30 - 15);
    case 4:
      return new XmlRpcDateTime(`2024${String(1 + Math.floor(r() * 12)).padStart(2, "0")}01T00:00:00`);
    case 5:
      return new Uint8Array(Array.from({ length: Math.floor(r() * 80) }, () => Math.floor(r() * 256)));
    case 6:
    case 7:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default:
      return makeStruct(
        Array.from(
          { length: Math.floor(r() * 4) },
          (_, i) => [`${randomString(r)}${i}`, randomValue(r, depth + 1)] as const,
        ),
      );
  }
}

test("responses and requests round-trip: 500 random values", () => {
  const r = rng(42);
  for (let i = 0; i < 500; i++) {
    const value = randomValue(r, 0);
    assert.deepEqual(decodeResponse(encodeResponse(value)), { kind: "value", value }, `case ${i}`);
    // requests read base64 as text, as supervisord does: compare those without bytes
    if (!JSON.stringify(value, (_k, v) => (v instanceof Uint8Array ? "BYTES" : v)).includes("BYTES")) {
      assert.deepEqual(decodeRequest(encodeRequest("ns.method", [value])), {
        method: "ns.method",
        params: [value],
      });
    }
  }
});

test("a __proto__ key is an ordinary struct member, both ways", () => {
  const xml = encodeResponse(
    makeStruct([
      ["__proto__", 1],
      ["constructor", "x"],
    ]),
  );
  const decoded = decodeResponse(xml);
  assert.ok(decoded.kind === "value");
  assert.deepEqual(Object.keys(decoded.value as object), ["__proto__", "constructor"]);
  assert.equal(Object.getPrototypeOf(decoded.value), Object.prototype);
});

test("control characters cannot break the XML (supervisord's bug): they become U+FFFD; CR survives", () => {
  const text = "ok\u0000\u0001\u0007\u001b[31mred\u001b[0m\r\nline\u000b\u000c\ud800end";
  const xml = encodeResponse(text);
  const decoded = decodeResponse(xml);
  assert.deepEqual(decoded, {
    kind: "value",
    value: "ok\ufffd\ufffd\ufffd\ufffd[31mred\ufffd[0m\r\nline\ufffd\ufffd\ufffdend",
  });
  assert.ok(xml.includes("&#13;\n"));
});

test("Python's xmlrpc.client reads what Steward writes, control characters included", {}, () => {
  const value = makeStruct([
    ["log", "a\u0001b\u001b[0m\r\n\u0000"],
    ["n", 5],
    ["d", new XmlRpcDouble(2)],
    ["list", [true, "x", new Uint8Array([0, 255])]],
  ]);
  const script =
    "import sys,json,xmlrpc.client as x\nv=x.loads(sys.stdin.buffer.read())[0][0]\nv['list'][2]=list(v['list'][2].data)\nprint(json.dumps(v))";
  const result = spawnSync(PYTHON, ["-c", script], { input: encodeResponse(value), encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), {
    log: "a\ufffdb\ufffd[0m\r\n\ufffd",
    n: 5,
    d: 2,
    list: [true, "x", [0, 255]],
  });
});

test("marshal errors: null (no allow_none), ints beyond 32 bits, recursion, unknown objects", () => {
  const marshalError = (e: unknown) => e instanceof RpcCodecError && e.code === "STEWARD_ERR_RPC_MARSHAL";
  assert.throws(() => encodeResponse(null), marshalError);
  assert.throws(() => encodeResponse(2 ** 31), marshalError);
  assert.throws(() => encodeResponse(-(2 ** 31) - 1), marshalError);
  const loop: XmlRpcValue[] = [];
  loop.push(loop);
  assert.throws(() => encodeResponse(loop), /recursive sequences/);
  assert.throws(() => encodeResponse(new Map() as unknown as XmlRpcValue), /cannot marshal Map objects/);
  assert.throws(() => encodeResponse(undefined as unknown as XmlRpcValue), /cannot marshal undefined/);
  assert.equal(encodeResponse(null, { allowNone: true }).includes("<value><nil/></value></param>"), true);
  // the same object twice (not a cycle) is fine
  const shared = [1];
  assert.doesNotThrow(() => encodeResponse([shared, shared]));
  assert.equal(cappedInt(2 ** 40), 2 ** 31 - 1);
  assert.equal(cappedInt(-(2 ** 40)), -(2 ** 31));
  assert.equal(cappedInt(1700000000.9), 1700000000);
});

test("faults: encoded as supervisord does, decoded into RpcFault", () => {
  const xml = encodeFault(new RpcFault(Faults.BAD_NAME, "foo"));
  const decoded = decodeResponse(xml);
  assert.ok(decoded.kind === "fault");
  assert.equal(decoded.fault.faultCode, 10);
  assert.equal(decoded.fault.faultString, "BAD_NAME: foo");
  assert.throws(() =>
    decodeResponse(
      "<methodResponse><fault><value><struct><member><name>faultCode</name><value>x</value></member></struct></value></fault></methodResponse>",
    ),
  );
});

test("requests: Steward's leniencies and checks beyond supervisord", () => {
  const call = (value: string) =>
    decodeRequest(
      `<methodCall><methodName>a.b</methodName><params><param><value>${value}</value></param></params></methodCall>`,
    ).params[0];
  assert.equal(call("<i8>9007199254740991</i8>"), 9007199254740991);
  assert.throws(() => call("<int>9007199254740993</int>"), RpcCodecError);
  assert.throws(() => call("<base64>//79</base64>"), /not UTF-8/);
  assert.throws(() => call("<boolean><x/></boolean>"), RpcCodecError);
  assert.throws(() => call("<int>1</int><int>2</int>"), /one type element/);
  assert.throws(() => call("<foo>1</foo>"), /unknown value type/);
  assert.throws(() => call("<dateTime.iso8601>20240230T00:00:00</dateTime.iso8601>"), RpcCodecError);
  assert.throws(() => decodeRequest("<methodResponse/>"), /expected <methodCall>/);
  assert.throws(
    () => decodeRequest("<methodCall><methodName>a.b</methodName>text</methodCall>"),
    /unexpected text/,
  );
  assert.throws(() => decodeRequest(Buffer.from([0x3c, 0xff, 0x3e])), /not valid UTF-8/);
  assert.equal(call("<boolean>true</boolean>"), false); // supervisord: only "1" is true
});

test("responses: UTF-8, or ISO-8859-1 when declared; a BOM is skipped", () => {
  const latin1 = Buffer.concat([
    Buffer.from("<?xml version='1.0' encoding='ISO-8859-1'?><methodResponse><params><param><value>caf"),
    Buffer.from([0xe9]),
    Buffer.from("</value></param></params></methodResponse>"),
  ]);
  assert.deepEqual(decodeResponse(latin1), { kind: "value", value: "café" });
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(encodeResponse("x"))]);
  assert.deepEqual(decodeResponse(bom), { kind: "value", value: "x" });
});
