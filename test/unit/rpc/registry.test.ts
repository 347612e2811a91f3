import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeRequest, decodeResponse, encodeFault, encodeResponse } from "../../../src/rpc/codec.js";
import { Faults, RpcFault } from "../../../src/rpc/faults.js";
import {
  type RpcCallContext,
  type RpcMethod,
  RpcRegistry,
  type RpcRegistryOptions,
  type SignatureType,
} from "../../../src/rpc/registry.js";
import type { XmlRpcValue } from "../../../src/rpc/values.js";
import { fixture, fixtureJson } from "./tagged.js";

const context: RpcCallContext = { signal: new AbortController().signal, username: null };

function method(name: string, handler: RpcMethod["handler"], params: RpcMethod["params"] = []): RpcMethod {
  return { name, params, returns: "string", help: `${name} help\n\n@return string result`, handler };
}

async function faultOf(promise: Promise<unknown>): Promise<[number, string]> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RpcFault, String(error));
    return [error.faultCode, error.faultString];
  }
  assert.fail("expected a fault");
}

/** A registry with supervisord's 37 supervisor.* names and signatures, answering a few calls. */
function supervisorLike(options: RpcRegistryOptions = {}): RpcRegistry {
  const { signatures } = fixtureJson<{ signatures: Record<string, string[]> }>(
    "wire/supervisor-methods.json",
  );
  const methods = Object.entries(signatures)
    .filter(([name]) => name.startsWith("supervisor."))
    .map(
      ([name, [returns, ...params]]): RpcMethod => ({
        name,
        returns: returns as SignatureType,
        params: params.map((type, i) => ({ name: `p${i}`, type: type as SignatureType })),
        help: name,
        handler: ([first]) => {
          if (name === "supervisor.getAPIVersion") return "3.0";
          if (name === "supervisor.getProcessInfo") throw new RpcFault(Faults.BAD_NAME, String(first));
          throw new Error("not in this test");
        },
      }),
    );
  return new RpcRegistry(methods, options);
}

/** What the server answers to a request body. */
async function answer(registry: RpcRegistry, body: string): Promise<string> {
  const { method: name, params } = decodeRequest(body);
  try {
    return encodeResponse(await registry.call(name, params, context));
  } catch (error) {
    if (error instanceof RpcFault) return encodeFault(error);
    throw error;
  }
}

describe("answers byte for byte as supervisord 4.2 did (test/fixtures/rpc/wire)", () => {
  const cases = fixtureJson<{ name: string; kind: string }[]>("wire/cases.json").filter(
    (c) => c.kind === "rpc",
  );
  for (const c of cases) {
    test(c.name, async () => {
      const registry = supervisorLike({ multicallResults: "bare" });
      const got = await answer(registry, fixture(`wire/${c.name}.request.xml`));
      assert.equal(got, fixture(`wire/${c.name}.response.xml`));
    });
  }
});

test("multicall results are wrapped in one-element arrays by default (Steward's fix); faults are not", async () => {
  const registry = supervisorLike();
  const bare = decodeResponse(fixture("wire/multicall.response.xml"));
  const wrapped = decodeResponse(await answer(registry, fixture("wire/multicall.request.xml")));
  assert.ok(bare.kind === "value" && wrapped.kind === "value");
  const expected = (bare.value as XmlRpcValue[]).map((v) =>
    typeof v === "object" && v !== null && !Array.isArray(v) && "faultCode" in v ? v : [v],
  );
  assert.deepEqual(wrapped.value, expected);
});

test("system.listMethods is sorted and holds system.*; methodHelp and methodSignature", async () => {
  const registry = new RpcRegistry([
    method("b.z", () => "z"),
    method("a.y", () => "y", [
      { name: "n", type: "int" },
      { name: "w", type: "boolean", default: true },
    ]),
  ]);
  assert.deepEqual(await registry.call("system.listMethods", [], context), [
    "a.y",
    "b.z",
    "system.listMethods",
    "system.methodHelp",
    "system.methodSignature",
    "system.multicall",
  ]);
  assert.equal(
    await registry.call("system.methodHelp", ["a.y"], context),
    "a.y help\n\n@return string result",
  );
  assert.deepEqual(await registry.call("system.methodSignature", ["a.y"], context), [
    "string",
    "int",
    "boolean",
  ]);
  assert.deepEqual(await registry.call("system.methodSignature", ["system.multicall"], context), [
    "array",
    "array",
  ]);
  assert.deepEqual(await faultOf(registry.call("system.methodHelp", ["x.y"], context)), [
    4,
    "SIGNATURE_UNSUPPORTED",
  ]);
  const help = (await registry.call("system.methodHelp", ["system.multicall"], context)) as string;
  assert.match(help, /@param array calls/);
  assert.match(help, /@return array result/);
});

test("dispatch: unknown names, argument counts and types, defaults", async () => {
  const seen: (readonly XmlRpcValue[])[] = [];
  const registry = new RpcRegistry([
    method(
      "t.m",
      (params) => {
        seen.push(params);
        return "ok";
      },
      [
        { name: "name", type: "string" },
        { name: "signal", type: "string", accepts: ["int"] },
        { name: "wait", type: "boolean", default: true },
      ],
    ),
    method("t.d", () => "ok", [{ name: "x", type: "double" }]),
  ]);
  for (const name of ["t", "t.m.x", "t._m", "nope.m", "t.nope", "t.constructor", "__proto__.x", ""]) {
    assert.deepEqual(await faultOf(registry.call(name, [], context)), [1, "UNKNOWN_METHOD"], name);
  }
  assert.deepEqual(await faultOf(registry.call("t.m", ["a"], context)), [2, "INCORRECT_PARAMETERS"]);
  assert.deepEqual(await faultOf(registry.call("t.m", ["a", 1, true, 4], context)), [
    2,
    "INCORRECT_PARAMETERS",
  ]);
  assert.deepEqual(await faultOf(registry.call("t.m", [1, "HUP"], context)), [
    2,
    "INCORRECT_PARAMETERS: name must be string, not int",
  ]);
  assert.deepEqual(await faultOf(registry.call("t.m", ["a", 1.5], context)), [
    2,
    "INCORRECT_PARAMETERS: signal must be string, not double",
  ]);
  assert.equal(await registry.call("t.m", ["a", 15], context), "ok");
  assert.equal(await registry.call("t.m", ["a", "HUP", false], context), "ok");
  assert.deepEqual(seen, [
    ["a", 15, true],
    ["a", "HUP", false],
  ]);
  assert.equal(await registry.call("t.d", [2], context), "ok"); // <double>2.0</double> reads as 2
});

test("registration refuses bad names, duplicates, system.* and misplaced defaults", () => {
  const registry = new RpcRegistry();
  assert.throws(() => registry.register(method("nodot", () => "")), TypeError);
  assert.throws(() => registry.register(method("a.b.c", () => "")), TypeError);
  assert.throws(() => registry.register(method("a._b", () => "")), TypeError);
  assert.throws(() => registry.register(method("system.x", () => "")), TypeError);
  registry.register(method("a.b", () => ""));
  assert.throws(() => registry.register(method("a.b", () => "")), TypeError);
  assert.throws(
    () =>
      registry.register(
        method("a.c", () => "", [
          { name: "x", type: "int", default: 1 },
          { name: "y", type: "int" },
        ]),
      ),
    TypeError,
  );
});

test("handlers may be async (supervisord's deferred results); multicall waits for each in order", async () => {
  const order: string[] = [];
  const registry = new RpcRegistry([
    method(
      "t.slow",
      async ([ms, tag]) => {
        await new Promise((resolve) => setTimeout(resolve, ms as number));
        order.push(tag as string);
        return tag as string;
      },
      [
        { name: "ms", type: "int" },
        { name: "tag", type: "string" },
      ],
    ),
  ]);
  const results = await registry.call(
    "system.multicall",
    [
      [
        { methodName: "t.slow", params: [30, "first"] },
        { methodName: "t.slow", params: [1, "second"] },
      ],
    ],
    context,
  );
  assert.deepEqual(results, [["first"], ["second"]]);
  assert.deepEqual(order, ["first", "second"]);
});

test("multicall entries: no methodName, recursion, bad shapes, unexpected errors → fault structs", async () => {
  const unexpected: [unknown, string][] = [];
  const registry = new RpcRegistry(
    [
      method("t.boom", () => {
        throw new TypeError("bad");
      }),
    ],
    { onUnexpectedError: (error, name) => unexpected.push([error, name]) },
  );
  const results = await registry.call(
    "system.multicall",
    [
      [
        {},
        { methodName: "system.multicall", params: [[]] },
        "not a struct",
        { methodName: 5 },
        { methodName: "system.listMethods", params: "x" },
        { methodName: "t.boom" },
      ],
    ],
    context,
  );
  assert.deepEqual(results, [
    { faultCode: 2, faultString: "INCORRECT_PARAMETERS: No methodName" },
    { faultCode: 2, faultString: "INCORRECT_PARAMETERS: Recursive system.multicall forbidden" },
    { faultCode: 2, faultString: "INCORRECT_PARAMETERS: a call must be a struct" },
    { faultCode: 2, faultString: "INCORRECT_PARAMETERS: methodName must be a string" },
    { faultCode: 2, faultString: "INCORRECT_PARAMETERS: params must be an array" },
    { faultCode: 30, faultString: "FAILED: TypeError:bad" },
  ]);
  assert.equal(unexpected.length, 1);
  assert.equal(unexpected[0]![1], "t.boom");
  // at top level an unexpected error rejects as itself (the HTTP handler answers 500)
  await assert.rejects(registry.call("t.boom", [], context), TypeError);
});
