/** Mutated and random bodies: the decoders return a value or throw RpcCodecError, nothing else. */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { decodeRequest, decodeResponse } from "../../../src/rpc/codec.js";
import { RpcCodecError } from "../../../src/rpc/errors.js";
import { fixture, fixtureJson, RPC_FIXTURES } from "./tagged.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TOKENS = [
  "<",
  ">",
  "&",
  ";",
  "/",
  "'",
  '"',
  "=",
  "]]>",
  "<![CDATA[",
  "<!--",
  "-->",
  "<?",
  "?>",
  "&#0;",
  "&#x41;",
  "&lt;",
  "&bogus;",
  "\u0000",
  "\u001b",
  "\ud800",
  "é",
  "<value>",
  "</value>",
  "<struct>",
  "<member>",
  "<name>",
  "<data>",
  "<array>",
  "<int>",
  "</int>",
  "99999999999999999999",
  "<nil/>",
  "<base64>",
  "<!DOCTYPE x>",
  "<params>",
  "<param>",
  " ",
  "\n",
  "\r",
];

function mutate(text: string, r: () => number): string {
  let s = text;
  const edits = 1 + Math.floor(r() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = Math.floor(r() * 4);
    if (op === 0) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 8));
    else if (op === 1) s = s.slice(0, at) + TOKENS[Math.floor(r() * TOKENS.length)] + s.slice(at);
    else if (op === 2) {
      const len = Math.floor(r() * 20);
      s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at);
    } else s = s.slice(0, at);
  }
  return s;
}

function onlyCodecErrors(decode: () => unknown, input: string): void {
  try {
    decode();
  } catch (error) {
    assert.ok(error instanceof RpcCodecError, `${String(error)} for ${JSON.stringify(input)}`);
  }
}

const requestSeeds = [
  ...fixtureJson<{ body: string }[]>("codec/decode-request.json").map((c) => c.body),
  ...readdirSync(join(RPC_FIXTURES, "codec/requests")).map((f) => fixture(`codec/requests/${f}`)),
];
const responseSeeds = [
  ...readdirSync(join(RPC_FIXTURES, "codec/responses")).map((f) => fixture(`codec/responses/${f}`)),
  ...readdirSync(join(RPC_FIXTURES, "codec/faults")).map((f) => fixture(`codec/faults/${f}`)),
];

test("mutated requests: a value or RpcCodecError (20,000 cases)", () => {
  const r = rng(7);
  for (let i = 0; i < 20_000; i++) {
    const input = mutate(requestSeeds[i % requestSeeds.length]!, r);
    onlyCodecErrors(() => decodeRequest(input), input);
    onlyCodecErrors(() => decodeRequest(Buffer.from(input, "latin1")), input);
  }
});

test("mutated responses: a value, a fault, or RpcCodecError (20,000 cases)", () => {
  const r = rng(11);
  for (let i = 0; i < 20_000; i++) {
    const input = mutate(responseSeeds[i % responseSeeds.length]!, r);
    onlyCodecErrors(() => decodeResponse(input), input);
  }
});

test("random bytes: RpcCodecError", () => {
  const r = rng(3);
  for (let i = 0; i < 5000; i++) {
    const bytes = Buffer.from(Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256)));
    onlyCodecErrors(() => decodeRequest(bytes), bytes.toString("hex"));
    onlyCodecErrors(() => decodeResponse(bytes), bytes.toString("hex"));
  }
});

test("huge inputs stay linear: 200,000 nested arrays are refused quickly, 1 MB of text is read", () => {
  const started = Date.now();
  const deep = `<methodCall><methodName>a.b</methodName><params><param>${"<value><array><data>".repeat(200_000)}`;
  assert.throws(() => decodeRequest(deep), RpcCodecError);
  const big = `<methodCall><methodName>a.b</methodName><params><param><value>${"x&amp;".repeat(200_000)}</value></param></params></methodCall>`;
  assert.equal((decodeRequest(big).params[0] as string).length, 400_000);
  const many = `<methodCall><methodName>a.b</methodName><params><param><value><array><data>${"<value><int>1</int></value>".repeat(50_000)}</data></array></value></param></params></methodCall>`;
  assert.equal((decodeRequest(many).params[0] as number[]).length, 50_000);
  assert.ok(Date.now() - started < 5000);
});
