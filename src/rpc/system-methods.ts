/**
 * The `system.*` namespace supervisord always serves: listMethods, methodHelp, methodSignature and
 * multicall, over any registry. Pure.
 */
import { Faults, RpcFault } from "./faults.js";
import type { RpcCallContext, RpcMethod, RpcRegistry } from "./registry.js";
import { isStruct, makeStruct, type XmlRpcValue } from "./values.js";

function unsupported(): never {
  throw new RpcFault(Faults.SIGNATURE_UNSUPPORTED);
}

function faultStruct(fault: RpcFault): XmlRpcValue {
  return makeStruct([
    ["faultCode", fault.faultCode],
    ["faultString", fault.faultString],
  ]);
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}:${error.message}` : `${typeof error}:${String(error)}`;
}

/** One multicall entry: its value (wrapped or bare), or a fault struct. Never rejects. */
async function callOne(
  registry: RpcRegistry,
  call: XmlRpcValue,
  context: RpcCallContext,
): Promise<XmlRpcValue> {
  let name: XmlRpcValue | undefined;
  try {
    if (!isStruct(call)) throw new RpcFault(Faults.INCORRECT_PARAMETERS, "a call must be a struct");
    name = Object.hasOwn(call, "methodName") ? call.methodName : undefined;
    if (name === undefined) throw new RpcFault(Faults.INCORRECT_PARAMETERS, "No methodName");
    if (typeof name !== "string")
      throw new RpcFault(Faults.INCORRECT_PARAMETERS, "methodName must be a string");
    if (name === "system.multicall") {
      throw new RpcFault(Faults.INCORRECT_PARAMETERS, "Recursive system.multicall forbidden");
    }
    const params = Object.hasOwn(call, "params") ? call.params : [];
    if (!Array.isArray(params)) throw new RpcFault(Faults.INCORRECT_PARAMETERS, "params must be an array");
    const value = await registry.call(name, params as readonly XmlRpcValue[], context);
    return registry.multicallResults === "wrapped" ? [value] : value;
  } catch (error) {
    if (error instanceof RpcFault) return faultStruct(error);
    // supervisord reports an unexpected exception inside a multicall as FAILED, "<type>:<value>".
    registry.reportUnexpected(error, String(name));
    return faultStruct(new RpcFault(Faults.FAILED, describeError(error)));
  }
}

const LIST_METHODS_HELP = `Return the names of all methods this server offers, sorted.

@return array result  An array of method names (strings).`;

const METHOD_HELP_HELP = `Return the documentation of a method.

@param string name  The method's name.
@return string result  Its documentation.`;

const METHOD_SIGNATURE_HELP = `Return a method's signature as [return type, parameter type, ...].

@param string name  The method's name.
@return array result  The types, as XML-RPC names them (string, int, boolean, array, struct, ...).`;

const MULTICALL_HELP = `Run several calls in one request, in order, each waiting for the one before it. Each call
is a struct {'methodName': string, 'params': array}. Each result is a one-element array holding the
call's value, or a struct {'faultCode': int, 'faultString': string} when the call failed.

@param array calls  The calls.
@return array result  One result per call.`;

/** system.listMethods, methodHelp, methodSignature and multicall, answering from `registry`. */
export function systemMethods(registry: RpcRegistry): RpcMethod[] {
  return [
    {
      name: "system.listMethods",
      params: [],
      returns: "array",
      help: LIST_METHODS_HELP,
      handler: () => registry.names(),
    },
    {
      name: "system.methodHelp",
      params: [{ name: "name", type: "string" }],
      returns: "string",
      help: METHOD_HELP_HELP,
      handler: ([name]) => registry.method(name as string)?.help ?? unsupported(),
    },
    {
      name: "system.methodSignature",
      params: [{ name: "name", type: "string" }],
      returns: "array",
      help: METHOD_SIGNATURE_HELP,
      handler: ([name]) => {
        const method = registry.method(name as string) ?? unsupported();
        return [method.returns, ...method.params.map((p) => p.type)];
      },
    },
    {
      name: "system.multicall",
      params: [{ name: "calls", type: "array" }],
      returns: "array",
      help: MULTICALL_HELP,
      handler: async ([calls], context) => {
        const results: XmlRpcValue[] = [];
        for (const call of calls as readonly XmlRpcValue[])
          results.push(await callOne(registry, call, context));
        return results;
      },
    },
  ];
}
