/**
 * request-fast.ts against the XML parser (parseRequest): on every request it reads, the same call;
 * on every other request, it gives up.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeRequest, encodeRequest, parseRequest } from "../../../src/rpc/codec.js";
import { RpcCodecError } from "../../../src/rpc/errors.js";
import { decodeRequestFast } from "../../../src/rpc/request-fast.js";
import type { XmlRpcValue } from "../../../src/rpc/values.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Characters of every kind: markup, references, line ends, controls, surrogates, unicode. */
const POOL = [
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)),
  "&",
  "<",
  ">",
  "]",
  "]]>",
  "'",
  '"',
  "&amp;",
  "&#13;",
  "<![CDATA[x]]>",
  "\u007f",
  "é",
  "中",
  "\u2028",
  "\ufffd",
  "\ufffe",
  "\uffff",
  "\ud83d\ude00",
  "\ud800",
  "\udc00",
  "a",
  "Z",
  "0",
  ".",
  "_",
  " ",
];

function randomText(r: () => number, max = 12): string {
  let s = "";
  const n = Math.floor(r() * max);
  for (let i = 0; i < n; i++) {
    s += r() < 0.7 ? POOL[Math.floor(r() * POOL.length)] : String.fromCharCode(32 + Math.floor(r() * 0x3000));
  }
  return s;
}

const METHODS = ["supervisor.getProcessInfo", "supervisor.getAllProcessInfo", "system.listMethods", "a.b"];

/** A call as xmlrpc.client writes it: mostly strings, sometimes other types. */
function randomCall(r: () => number): string {
  const method = r() < 0.8 ? METHODS[Math.floor(r() * METHODS.length)]! : randomText(r, 6);
  const params: XmlRpcValue[] = Array.from({ length: Math.floor(r() * 4) }, () => {
    const k = r();
    if (k < 0.75) return r() < 0.5 ? `p${Math.floor(r() * 1000)}` : randomText(r);
    if (k < 0.85) return Math.floor(r() * 100);
    if (k < 0.95) return r() < 0.5;
    return [randomText(r)];
  });
  try {
    return encodeRequest(method, params);
  } catch {
    return encodeRequest("a.b", []);
  }
}

const TOKENS = [
  "<",
  ">",
  "/",
  "\n",
  "\r",
  " ",
  "<string>",
  "</string>",
  "<value>",
  "<param>",
  "&",
  "]]>",
  "\ufeff",
];

/** A call with a few random edits. */
function mutate(r: () => number, text: string): string {
  let s = text;
  const edits = 1 + Math.floor(r() * 3);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const token = r() < 0.5 ? TOKENS[Math.floor(r() * TOKENS.length)]! : randomText(r, 3);
    const kind = r();
    if (kind < 0.4) s = s.slice(0, at) + token + s.slice(at);
    else if (kind < 0.7) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 5));
    else s = s.slice(0, at) + token + s.slice(at + token.length);
  }
  return s;
}

/** What the XML parser makes of a request's text: the call, or "error". */
function general(text: string): ReturnType<typeof parseRequest> | "error" {
  try {
    return parseRequest(text);
  } catch (error) {
    assert.ok(error instanceof RpcCodecError, String(error));
    return "error";
  }
}

test("calls as xmlrpc.client writes them: the fast path reads what the parser reads (20,000 calls)", () => {
  const r = rng(11);
  let taken = 0;
  for (let i = 0; i < 20_000; i++) {
    const text = randomCall(r);
    const fast = decodeRequestFast(text);
    if (fast === undefined) continue;
    taken++;
    assert.deepEqual(fast, general(text), `case ${i}: ${JSON.stringify(text)}`);
  }
  assert.ok(taken > 5000, `taken: ${taken}`);
});

test("mutated calls: the same call as the parser, or it gives up (40,000 cases)", () => {
  const r = rng(12);
  let taken = 0;
  for (let i = 0; i < 40_000; i++) {
    const text = mutate(r, randomCall(r));
    const fast = decodeRequestFast(text);
    if (fast === undefined) continue;
    taken++;
    assert.deepEqual(fast, general(text), `case ${i}: ${JSON.stringify(text)}`);
  }
  assert.ok(taken > 1000, `taken: ${taken}`);
});

test("the common calls take the fast path; what the parser would change or refuse does not", () => {
  const call = (method: string, ...params: string[]) => encodeRequest(method, params);
  assert.deepEqual(decodeRequestFast(call("supervisor.getAllProcessInfo")), {
    method: "supervisor.getAllProcessInfo",
    params: [],
  });
  assert.deepEqual(decodeRequestFast(call("supervisor.getProcessInfo", "web:web_00", "é 中 😀 ' \"\t\n")), {
    method: "supervisor.getProcessInfo",
    params: ["web:web_00", "é 中 😀 ' \"\t\n"],
  });
  const raw = (text: string) =>
    `<?xml version='1.0'?>\n<methodCall>\n<methodName>a.b</methodName>\n<params>\n<param>\n<value><string>${text}</string></value>\n</param>\n</params>\n</methodCall>\n`;
  // CR LF becomes LF, references are expanded, `]]>` and controls are refused: all for the parser.
  for (const text of ["a\r\nb", "&amp;", "&#13;", "a]]>b", "a]b", "\u0001", "<![CDATA[x]]>", "\ufffe"]) {
    assert.equal(decodeRequestFast(raw(text)), undefined, JSON.stringify(text));
  }
  assert.deepEqual(decodeRequest(Buffer.from(raw("a\r\nb"))).params, ["a\nb"]);
  assert.deepEqual(decodeRequest(Buffer.from(raw("&amp;&#13;"))).params, ["&\r"]);
  assert.throws(() => decodeRequest(Buffer.from(raw("a]]>b"))), RpcCodecError);
  // A BOM is dropped by the UTF-8 decoding before either path sees the text.
  assert.deepEqual(decodeRequest(Buffer.from(`\ufeff${raw("x")}`)).params, ["x"]);
});
