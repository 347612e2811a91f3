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
  readonly #out: string[];
  readonly #allowNone: boolean;
  readonly #open = new Set<object>();

  constructor(out: string[], options: MarshalOptions) {
    this.#out = out;
    this.#allowNone = options.allowNone === true;
  }

  dump(value: XmlRpcValue): void {
    const out = this.#out;
    if (typeof value === "string") {
      out.push("<value><string>", escapeXmlText(value), "</string></value>\n");
    } else if (typeof value === "number") {
      if (!Number.isInteger(value)) out.push("<value><double>", pyFloatRepr(value), "</double></value>\n");
      else if (value > MAXINT || value < MININT) fail("int exceeds XML-RPC limits");
      else out.push("<value><int>", String(value), "</int></value>\n");
    } else if (typeof value === "boolean") {
      out.push("<value><boolean>", value ? "1" : "0", "</boolean></value>\n");
    } else if (value === null) {
      if (!this.#allowNone) fail("cannot marshal None unless allow_none is enabled");
      out.push("<value><nil/></value>");
    } else if (value instanceof XmlRpcDouble) {
      out.push("<value><double>", pyFloatRepr(value.value), "</double></value>\n");
    } else if (value instanceof XmlRpcDateTime) {
      out.push("<value><dateTime.iso8601>", escapeXmlText(value.value), "</dateTime.iso8601></value>\n");
    } else if (value instanceof Uint8Array) {
      out.push("<value><base64>\n", encodeBytes(value), "</base64></value>\n");
    } else if (Array.isArray(value)) {
      this.#enter(value, "sequences");
      out.push("<value><array><data>\n");
      for (const item of value) this.dump(item);
      out.push("</data></array></value>\n");
      this.#open.delete(value);
    } else if (isStruct(value)) {
      this.#enter(value, "dictionaries");
      out.push("<value><struct>\n");
      for (const key of Object.keys(value)) {
        out.push("<member>\n<name>", escapeXmlText(key), "</name>\n");
        this.dump(value[key]!);
        out.push("</member>\n");
      }
      out.push("</struct></value>\n");
      this.#open.delete(value);
    } else {
      fail(`cannot marshal ${describe(value)} objects`);
    }
  }

  #enter(value: object, what: string): void {
    if (this.#open.has(value)) fail(`cannot marshal recursive ${what}`);
    this.#open.add(value);
  }
}

/** Appends one `<value>…</value>\n` (Python's layout) to `out`. */
export function marshalValue(value: XmlRpcValue, out: string[], options: MarshalOptions = {}): void {
  new Marshaller(out, options).dump(value);
}
