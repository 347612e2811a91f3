/**
 * The codec against golden XML from Python on this machine (test/fixtures/rpc/generate.py):
 * `xmlrpc.client.dumps` for what Steward writes, supervisord's own unmarshaller for requests it
 * reads, and `xmlrpc.client.loads` for responses the client reads.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  decodeRequest,
  decodeResponse,
  encodeFault,
  encodeRequest,
  encodeResponse,
} from "../../../src/rpc/codec.js";
import { RpcCodecError } from "../../../src/rpc/errors.js";
import { fixture, fixtureJson, fromTagged, type Tagged } from "./tagged.js";

interface Cases {
  responses: { name: string; value: Tagged }[];
  requests: { name: string; method: string; params: Tagged[] }[];
  faults: { name: string; faultCode: number; faultString: string }[];
}

const cases = fixtureJson<Cases>("codec/cases.json");

describe("writes exactly what xmlrpc.client.dumps writes", () => {
  for (const c of cases.responses) {
    test(`response: ${c.name}`, () => {
      assert.equal(encodeResponse(fromTagged(c.value, "encode")), fixture(`codec/responses/${c.name}.xml`));
    });
  }
  for (const c of cases.requests) {
    test(`request: ${c.name}`, () => {
      const params = c.params.map((p) => fromTagged(p, "encode"));
      assert.equal(encodeRequest(c.method, params), fixture(`codec/requests/${c.name}.xml`));
    });
  }
  for (const c of cases.faults) {
    test(`fault: ${c.name}`, () => {
      assert.equal(encodeFault(c), fixture(`codec/faults/${c.name}.xml`));
    });
  }
});

describe("reads back what it writes", () => {
  for (const c of cases.responses) {
    test(`response: ${c.name}`, () => {
      const xml = fixture(`codec/responses/${c.name}.xml`);
      assert.deepEqual(decodeResponse(Buffer.from(xml)), {
        kind: "value",
        value: fromTagged(c.value, "response"),
      });
    });
  }
  for (const c of cases.faults) {
    test(`fault: ${c.name}`, () => {
      const decoded = decodeResponse(fixture(`codec/faults/${c.name}.xml`));
      assert.equal(decoded.kind, "fault");
      assert.equal(decoded.kind === "fault" && decoded.fault.faultCode, c.faultCode);
      assert.equal(decoded.kind === "fault" && decoded.fault.faultString, c.faultString);
    });
  }
});

/** Where Steward reads a request differently from supervisord, on purpose. */
const REQUEST_DEVIATIONS: Record<string, "error"> = {
  // supervisord's expat expands entities declared in an internal DTD; Steward refuses any DOCTYPE.
  "error-doctype-entity": "error",
};

describe("reads requests as supervisord's unmarshaller does", () => {
  const bodies =
    fixtureJson<
      { name: string; body: string; supervisord: "error" | { method: string; params: Tagged[] } }[]
    >("codec/decode-request.json");
  for (const c of bodies) {
    test(c.name, () => {
      const expected = REQUEST_DEVIATIONS[c.name] ?? c.supervisord;
      const body = Buffer.from(c.body, "utf8");
      if (expected === "error") {
        assert.throws(() => decodeRequest(body), RpcCodecError);
        return;
      }
      const expectedParams = expected.params.map((p) => fromTagged(p, "request"));
      assert.deepEqual(decodeRequest(body), { method: expected.method, params: expectedParams });
    });
  }
});

describe("reads responses as xmlrpc.client.loads does", () => {
  const bodies = fixtureJson<
    { name: string; body: string; python: "error" | { value: Tagged } | { fault: [number, string] } }[]
  >("codec/decode-response.json");
  for (const c of bodies) {
    test(c.name, () => {
      const body = Buffer.from(c.body, "utf8");
      if (c.python === "error") {
        assert.throws(() => decodeResponse(body), RpcCodecError);
      } else if ("fault" in c.python) {
        const decoded = decodeResponse(body);
        assert.ok(decoded.kind === "fault");
        assert.deepEqual([decoded.fault.faultCode, decoded.fault.faultString], c.python.fault);
      } else {
        assert.deepEqual(decodeResponse(body), {
          kind: "value",
          value: fromTagged(c.python.value, "response"),
        });
      }
    });
  }
});
