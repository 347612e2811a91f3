/**
 * The method table behind `/RPC2`: name → handler, parameter list, return type and help text, with
 * supervisord's dispatch rules (an unknown name is `UNKNOWN_METHOD`, a wrong argument count is
 * `INCORRECT_PARAMETERS`) plus a type check supervisord leaves to each method. `system.*` is always
 * there (see system-methods.ts). Pure: no IO, no HTTP types.
 */
import { Faults, RpcFault } from "./faults.js";
import { systemMethods } from "./system-methods.js";
import { typeOf, type XmlRpcTypeName, type XmlRpcValue } from "./values.js";

/** A type as `system.methodSignature` names it. */
export type SignatureType = Exclude<XmlRpcTypeName, "nil">;

export interface RpcParam {
  readonly name: string;
  /** The type `system.methodSignature` reports, and the one checked first. */
  readonly type: SignatureType;
  /**
   * Further types the method takes. supervisord never checks types, so its methods take what Python
   * can use: `signalProcess`'s signal as a name or a number, for instance.
   */
  readonly accepts?: readonly XmlRpcTypeName[];
  /** The value the handler gets when the caller leaves out this parameter (only trailing ones). */
  readonly default?: XmlRpcValue;
}

/** What a handler knows about the call besides its parameters. No HTTP types. */
export interface RpcCallContext {
  /** Aborted when the client goes away before the answer is sent; a long wait may stop early. */
  readonly signal: AbortSignal;
  /** The user that authenticated, or null on a server without credentials. */
  readonly username: string | null;
}

/**
 * A method's implementation. It gets exactly one value per declared parameter (defaults filled in,
 * types checked) and returns a value, or a promise of one for supervisord's "deferred" methods (a
 * start or stop that waits). It throws `RpcFault` for a fault; anything else it throws is a bug and
 * becomes HTTP 500, as in supervisord.
 */
export type RpcHandler = (
  params: readonly XmlRpcValue[],
  context: RpcCallContext,
) => XmlRpcValue | Promise<XmlRpcValue>;

export interface RpcMethod {
  /** `namespace.method`, exactly one dot; the method part does not start with `_`. */
  readonly name: string;
  readonly params: readonly RpcParam[];
  readonly returns: SignatureType;
  /** `system.methodHelp`'s text; `@param`/`@return` lines as in supervisord's docstrings. */
  readonly help: string;
  readonly handler: RpcHandler;
}

export interface RpcRegistryOptions {
  /**
   * How `system.multicall` returns a successful call's value: `"wrapped"` in a one-element array,
   * as the multicall convention, supervisord's own docstring and Python's `xmlrpc.client.MultiCall`
   * expect (Steward's fix), or `"bare"`, as supervisord 4.2 actually sends it.
   * @default "wrapped"
   */
  readonly multicallResults?: "wrapped" | "bare";
  /**
   * Told of an error that is not an RpcFault (a bug) thrown by a call inside `system.multicall`,
   * which answers it with a FAILED fault entry. (At top level such an error rejects `call()`, and
   * the HTTP handler logs it and answers 500.)
   */
  readonly onUnexpectedError?: (error: unknown, method: string) => void;
}

const NAME = /^[^.]+\.[^._][^.]*$/;

function incorrect(detail?: string): RpcFault {
  return new RpcFault(Faults.INCORRECT_PARAMETERS, detail);
}

/** The types a parameter takes: its own, those it lists, and the ones a decoder may turn it into. */
function accepted(param: RpcParam): ReadonlySet<XmlRpcTypeName> {
  const types = new Set<XmlRpcTypeName>([param.type, ...(param.accepts ?? [])]);
  if (types.has("double")) types.add("int"); // <double>2.0</double> decodes to the number 2
  if (types.has("base64")) types.add("string"); // request base64 decodes to text, as in supervisord
  return types;
}

interface Entry {
  readonly method: RpcMethod;
  readonly required: number;
  readonly types: readonly ReadonlySet<XmlRpcTypeName>[];
}

export class RpcRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #options: RpcRegistryOptions;

  constructor(methods: Iterable<RpcMethod> = [], options: RpcRegistryOptions = {}) {
    this.#options = options;
    for (const method of systemMethods(this)) this.#add(method);
    for (const method of methods) this.register(method);
  }

  get multicallResults(): "wrapped" | "bare" {
    return this.#options.multicallResults ?? "wrapped";
  }

  /** Adds a method. Throws a TypeError for a bad name, a taken name or a misplaced default. */
  register(method: RpcMethod): void {
    if (method.name.startsWith("system.")) throw new TypeError(`${method.name}: system.* is built in`);
    this.#add(method);
  }

  #add(method: RpcMethod): void {
    if (!NAME.test(method.name)) throw new TypeError(`${method.name}: not a namespace.method name`);
    if (this.#entries.has(method.name)) throw new TypeError(`${method.name}: registered twice`);
    const required = method.params.findIndex((p) => p.default !== undefined);
    const firstOptional = required < 0 ? method.params.length : required;
    if (method.params.slice(firstOptional).some((p) => p.default === undefined)) {
      throw new TypeError(`${method.name}: a parameter without a default follows one with a default`);
    }
    this.#entries.set(method.name, { method, required: firstOptional, types: method.params.map(accepted) });
  }

  /** Every method name, sorted (what `system.listMethods` returns). */
  names(): string[] {
    return [...this.#entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  method(name: string): RpcMethod | undefined {
    return this.#entries.get(name)?.method;
  }

  /**
   * Calls a method: resolves to its value, rejects with an RpcFault for a fault, and with the
   * handler's own error for anything else.
   */
  async call(name: string, params: readonly XmlRpcValue[], context: RpcCallContext): Promise<XmlRpcValue> {
    const entry = this.#entries.get(name);
    if (entry === undefined) throw new RpcFault(Faults.UNKNOWN_METHOD);
    const { method, required, types } = entry;
    if (params.length < required || params.length > method.params.length) throw incorrect();
    const args = method.params.map((param, i) => {
      if (i >= params.length) return param.default!;
      const value = params[i]!;
      const type = typeOf(value);
      if (type === null || !types[i]!.has(type)) {
        throw incorrect(`${param.name} must be ${param.type}, not ${type ?? typeof value}`);
      }
      return value;
    });
    return await method.handler(args, context);
  }

  /** Passes an unexpected error inside `system.multicall` to `onUnexpectedError`. */
  reportUnexpected(error: unknown, method: string): void {
    this.#options.onUnexpectedError?.(error, method);
  }
}
