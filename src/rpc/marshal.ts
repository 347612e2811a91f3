/**
 * JavaScript values → XML-RPC `<value>` text, byte for byte as Python's `xmlrpc.client.Marshaller`
 * writes it (supervisord answers through `xmlrpc.client.dumps`), except for the character fixes of
 * `escapeXmlText`. Pure.
 */
import { RpcCodecError } from "./errors.js";
import { pyFloatRepr } from "./py-float.js";
import { isStruct, MAXINT, MININT, XmlRpcDateTime, XmlRpcDouble, type XmlRpcValue } from "./values.js";
import { escapeXmlText } from "./xml.js";

export interface MarshalOptions {
  /**
   * Write null as `<nil/>`. Python's `allow_none`; supervisord marshals without it, so a null in a
   * response is an error there (HTTP 500) and here (`STEWARD_ERR_RPC_MARSHAL`).
   * @default false
   */
  readonly allowNone?: boolean;
}

function fail(message: string): never {
  throw new RpcCodecError("STEWARD_ERR_RPC_MARSHAL", message);
}

/** Python's `base64.encodebytes`: lines of 76 characters, each ending in a newline. */
function encodeBytes(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let out = "";
  for (let i = 0; i < text.length; i += 76) out += `${text.slice(i, i + 76)}\n`;
  return out;
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value !== "object" || value === null) return typeof value;
  return value.constructor?.name ?? "Object";
}

class Marshaller {
  readonly #allowNone: boolean;
  readonly #open = new Set<object>();

  constructor(options: MarshalOptions) {
    this.#allowNone = options.allowNone === true;
  }

  dump(value: XmlRpcValue): string {
    if (typeof value === "string") return `<value><string>${escapeXmlText(value)}</string></value>\n`;
    if (typeof value === "number") {
      if (!Number.isInteger(value)) return `<value><double>${pyFloatRepr(value)}</double></value>\n`;
      if (value > MAXINT || value < MININT) fail("int exceeds XML-RPC limits");
      return `<value><int>${value}</int></value>\n`;
    }
    if (typeof value === "boolean") return `<value><boolean>${value ? "1" : "0"}</boolean></value>\n`;
    if (value === null) {
      if (!this.#allowNone) fail("cannot marshal None unless allow_none is enabled");
      return "<value><nil/></value>";
    }
    if (value instanceof XmlRpcDouble) return `<value><double>${pyFloatRepr(value.value)}</double></value>\n`;
    if (value instanceof XmlRpcDateTime) {
      return `<value><dateTime.iso8601>${escapeXmlText(value.value)}</dateTime.iso8601></value>\n`;
    }
    if (value instanceof Uint8Array) return `<value><base64>\n${encodeBytes(value)}</base64></value>\n`;
    if (Array.isArray(value)) {
      this.#enter(value, "sequences");
      let out = "<value><array><data>\n";
      for (const item of value) out += this.dump(item);
      this.#open.delete(value);
      return `${out}</data></array></value>\n`;
    }
    if (isStruct(value)) {
      this.#enter(value, "dictionaries");
      let out = "<value><struct>\n";
      for (const key of Object.keys(value)) {
        out += `<member>\n<name>${escapeXmlText(key)}</name>\n${this.dump(value[key]!)}</member>\n`;
      }
      this.#open.delete(value);
      return `${out}</struct></value>\n`;
    }
    return fail(`cannot marshal ${describe(value)} objects`);
  }

  #enter(value: object, what: string): void {
    if (this.#open.has(value)) fail(`cannot marshal recursive ${what}`);
    this.#open.add(value);
  }
}

/**
 * One `<value>…</value>\n` (Python's layout), for any value: the general path, which also reports
 * what cannot be sent (see marshal-fast.ts for the common shapes).
 */
export function marshalValue(value: XmlRpcValue, options: MarshalOptions = {}): string {
  return new Marshaller(options).dump(value);
}
