/**
 * XML-RPC `<value>` elements → JavaScript values, in two dialects. Pure.
 *
 * - `"request"`: what supervisord's own request unmarshaller makes of a call's parameters:
 *   `<boolean>` is true only for exactly `1`, `<base64>` becomes a (UTF-8) string,
 *   `<dateTime.iso8601>` must read as `%Y%m%dT%H:%M:%S`.
 * - `"response"`: what Python's `xmlrpc.client` (supervisorctl) makes of an answer: `<boolean>` must
 *   be `0` or `1`, `<base64>` becomes bytes, a date is kept as sent.
 *
 * Both accept untyped `<value>text</value>` (a string), `int`/`i4` (and `i1`, `i2`, `i8`,
 * `biginteger`), `double` (and `float`), `string`, `array`, `struct` and `nil` (null). Integers
 * beyond ±2^53 and anything else are refused with `RpcCodecError` (`STEWARD_ERR_RPC_MALFORMED`).
 */
import { pyInt } from "../config/py-text.js";
import { RpcCodecError } from "./errors.js";
import { pyFloat } from "./py-float.js";
import { makeStruct, XmlRpcDateTime, type XmlRpcValue } from "./values.js";
import { childElements, textOf, type XmlElement } from "./xml.js";

export type Dialect = "request" | "response";

export function malformed(message: string): never {
  throw new RpcCodecError("STEWARD_ERR_RPC_MALFORMED", `XML-RPC: ${message}`);
}

/** The name without a namespace prefix (`ex:nil` → `nil`), as xmlrpc.client reads it. */
export function localName(element: XmlElement): string {
  const colon = element.name.indexOf(":");
  return colon < 0 ? element.name : element.name.slice(colon + 1);
}

/** The element children, after checking that any text between them is only whitespace. */
export function elementsOnly(element: XmlElement): XmlElement[] {
  for (const child of element.children) {
    if (typeof child === "string" && child.trim() !== "") {
      malformed(`unexpected text in <${element.name}>`);
    }
  }
  return childElements(element);
}

/** The single child element named `name` of `element`, which must have no other. */
export function onlyChild(element: XmlElement, name: string): XmlElement {
  const children = elementsOnly(element);
  if (children.length !== 1 || localName(children[0]!) !== name) {
    malformed(`<${element.name}> must hold one <${name}>`);
  }
  return children[0]!;
}

function scalarText(element: XmlElement): string {
  if (childElements(element).length > 0) malformed(`unexpected element in <${element.name}>`);
  return textOf(element);
}

const DATE_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** supervisord's `time.strptime(text, "%Y%m%dT%H:%M:%S")`, in its zero-padded form. */
function checkDateTime(text: string): void {
  const m = DATE_TIME.exec(text);
  const [year, month, day, hour, minute, second] = (m?.slice(1) ?? []).map(Number) as number[];
  const valid =
    m !== null &&
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= new Date(Date.UTC(year!, month!, 0)).getUTCDate() &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 61;
  if (!valid) malformed(`bad dateTime.iso8601 value ${JSON.stringify(text)}`);
}

function decodeBase64(text: string): Buffer {
  const cleaned = text.replace(/[^A-Za-z0-9+/]/g, "");
  if (cleaned.length % 4 === 1) malformed("incorrect base64 padding");
  return Buffer.from(cleaned, "base64");
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

function decodeScalar(type: XmlElement, dialect: Dialect): XmlRpcValue {
  const name = localName(type);
  switch (name) {
    case "int":
    case "i4":
    case "i1":
    case "i2":
    case "i8":
    case "biginteger": {
      const text = scalarText(type);
      const n = pyInt(text);
      if (n === null) malformed(`bad integer ${JSON.stringify(text)}`);
      return n;
    }
    case "boolean": {
      const text = scalarText(type);
      if (dialect === "request") return text === "1";
      if (text !== "0" && text !== "1") malformed(`bad boolean value ${JSON.stringify(text)}`);
      return text === "1";
    }
    case "string":
      return scalarText(type);
    case "double":
    case "float":
    case "bigdecimal": {
      const text = scalarText(type);
      const x = pyFloat(text);
      if (x === null) malformed(`bad double ${JSON.stringify(text)}`);
      return x;
    }
    case "dateTime.iso8601": {
      const text = scalarText(type);
      if (dialect === "request") checkDateTime(text);
      return new XmlRpcDateTime(text);
    }
    case "base64": {
      const bytes = decodeBase64(scalarText(type));
      if (dialect === "response") return new Uint8Array(bytes);
      try {
        return UTF8.decode(bytes);
      } catch {
        return malformed("base64 value is not UTF-8 text");
      }
    }
    case "nil":
      return null;
    default:
      return malformed(`unknown value type <${type.name}>`);
  }
}

/** Decodes a `<value>` element. */
export function decodeValue(value: XmlElement, dialect: Dialect): XmlRpcValue {
  if (localName(value) !== "value") malformed(`expected <value>, found <${value.name}>`);
  let type: XmlElement | null = null;
  for (const child of value.children) {
    if (typeof child === "string") continue;
    if (type !== null) malformed("<value> must hold one type element");
    type = child;
  }
  if (type === null) return textOf(value);
  const name = localName(type);
  if (name === "array") {
    const data = onlyChild(type, "data");
    return elementsOnly(data).map((item) => decodeValue(item, dialect));
  }
  if (name === "struct") {
    return makeStruct(
      elementsOnly(type).map((member): [string, XmlRpcValue] => {
        if (localName(member) !== "member") malformed(`expected <member>, found <${member.name}>`);
        const parts = elementsOnly(member);
        if (parts.length !== 2 || localName(parts[0]!) !== "name" || localName(parts[1]!) !== "value") {
          malformed("<member> must hold <name> then <value>");
        }
        return [scalarText(parts[0]!), decodeValue(parts[1]!, dialect)];
      }),
    );
  }
  return decodeScalar(type, dialect);
}
