/**
 * XML-RPC messages: `methodCall` and `methodResponse` (values and faults) written as Python's
 * `xmlrpc.client.dumps` writes them, and read as supervisord (requests) and supervisorctl
 * (responses) read them. Pure. Malformed input throws `RpcCodecError` and nothing else.
 */
import { RpcCodecError } from "./errors.js";
import { RpcFault } from "./faults.js";
import { type MarshalOptions, marshalValue } from "./marshal.js";
import { marshalFast } from "./marshal-fast.js";
import { decodeRequestFast } from "./request-fast.js";
import { decodeValue, elementsOnly, localName, malformed, onlyChild } from "./unmarshal.js";
import { isStruct, type XmlRpcValue } from "./values.js";
import { escapeXmlText, parseXml, textOf } from "./xml.js";

const HEADER = "<?xml version='1.0'?>\n";
const RESPONSE_HEAD = `${HEADER}<methodResponse>\n<params>\n<param>\n`;
const RESPONSE_TAIL = "</param>\n</params>\n</methodResponse>\n";

/** One `<value>` in parts: the fast path for the common shapes, else the general marshaller. */
function marshalParts(value: XmlRpcValue, options: MarshalOptions): string[] {
  return marshalFast(value) ?? [marshalValue(value, options)];
}

function marshal(value: XmlRpcValue, options: MarshalOptions): string {
  const parts = marshalParts(value, options);
  return parts.length === 1 ? parts[0]! : parts.join("");
}

/**
 * A successful answer as parts of text that are written one after the other (a large answer is
 * cheaper to turn into bytes that way than as one string).
 */
export function encodeResponseParts(value: XmlRpcValue, options: MarshalOptions = {}): string[] {
  const parts = marshalParts(value, options);
  parts[0] = RESPONSE_HEAD + parts[0];
  parts[parts.length - 1] += RESPONSE_TAIL;
  return parts;
}

/** A successful answer: `<methodResponse><params><param>…`. */
export function encodeResponse(value: XmlRpcValue, options: MarshalOptions = {}): string {
  return encodeResponseParts(value, options).join("");
}

/** A fault answer: `<methodResponse><fault><value><struct>` with faultCode and faultString. */
export function encodeFault(fault: { readonly faultCode: number; readonly faultString: string }): string {
  const value = marshal({ faultCode: fault.faultCode, faultString: fault.faultString }, {});
  return `${HEADER}<methodResponse>\n<fault>\n${value}</fault>\n</methodResponse>\n`;
}

/** A call. Python writes the method name raw; it is escaped here so that any name stays valid XML. */
export function encodeRequest(
  method: string,
  params: readonly XmlRpcValue[],
  options: MarshalOptions = {},
): string {
  let out = `${HEADER}<methodCall>\n<methodName>${escapeXmlText(method)}</methodName>\n<params>\n`;
  for (const param of params) out += `<param>\n${marshal(param, options)}</param>\n`;
  return `${out}</params>\n</methodCall>\n`;
}

export interface DecodedRequest {
  readonly method: string;
  readonly params: XmlRpcValue[];
}

export type DecodedResponse =
  | { readonly kind: "value"; readonly value: XmlRpcValue }
  | { readonly kind: "fault"; readonly fault: RpcFault };

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });
const LENIENT_UTF8 = new TextDecoder("utf-8");

/**
 * A request body, read as supervisord reads it: always UTF-8 (an XML declaration's `encoding` is
 * ignored, as supervisord decodes the body before parsing), then as `parseRequest` reads it.
 */
export function decodeRequest(body: string | Uint8Array): DecodedRequest {
  let text: string;
  if (typeof body === "string") text = body;
  else {
    try {
      text = STRICT_UTF8.decode(body);
    } catch {
      throw new RpcCodecError("STEWARD_ERR_RPC_XML", "XML: the body is not valid UTF-8");
    }
  }
  return decodeRequestFast(text) ?? parseRequest(text);
}

/**
 * A request's text, read as supervisord reads it, by the XML parser (the general path): no missing
 * `<methodName>`, an absent `<params>` meaning no parameters. The method name is kept as sent,
 * spaces included.
 */
export function parseRequest(text: string): DecodedRequest {
  const root = parseXml(text);
  if (localName(root) !== "methodCall") malformed(`expected <methodCall>, found <${root.name}>`);
  let method: string | null = null;
  let params: XmlRpcValue[] | null = null;
  for (const child of elementsOnly(root)) {
    const name = localName(child);
    if (name === "methodName" && method === null) method = textOf(child);
    else if (name === "params" && params === null) {
      params = elementsOnly(child).map((param) => {
        if (localName(param) !== "param") malformed(`expected <param>, found <${param.name}>`);
        return decodeValue(onlyChild(param, "value"), "request");
      });
    } else malformed(`unexpected <${child.name}> in <methodCall>`);
  }
  if (method === null || method === "") malformed("no method name");
  return { method, params: params ?? [] };
}

/** The text of a response body: UTF-8 unless its XML declaration names ISO-8859-1 or ASCII. */
function responseText(body: Uint8Array): string {
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, 200)).toString("latin1");
  const declared = /^(?:\ufeff)?<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  if (declared !== undefined && /^(?:iso-8859-1|latin-?1|us-ascii|ascii)$/i.test(declared)) {
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("latin1");
  }
  return LENIENT_UTF8.decode(body);
}

/**
 * A response body, read as Python's `xmlrpc.client` reads it, but tolerant of the characters
 * supervisord writes unescaped (they become U+FFFD) so that a log holding a control character
 * does not make the answer unreadable.
 */
export function decodeResponse(body: string | Uint8Array): DecodedResponse {
  const text = typeof body === "string" ? body : responseText(body);
  const root = parseXml(text, { invalidChars: "replace" });
  if (localName(root) !== "methodResponse") malformed(`expected <methodResponse>, found <${root.name}>`);
  const children = elementsOnly(root);
  if (children.length !== 1) malformed("<methodResponse> must hold <params> or <fault>");
  const child = children[0]!;
  if (localName(child) === "fault") {
    const struct = decodeValue(onlyChild(child, "value"), "response");
    if (!isStruct(struct)) return malformed("a fault must be a struct");
    const { faultCode, faultString } = struct;
    if (typeof faultCode !== "number" || !Number.isInteger(faultCode) || typeof faultString !== "string") {
      malformed("a fault needs an int faultCode and a string faultString");
    }
    return { kind: "fault", fault: new RpcFault(faultCode, { faultString }) };
  }
  if (localName(child) !== "params") malformed(`unexpected <${child.name}> in <methodResponse>`);
  const param = onlyChild(child, "param");
  return { kind: "value", value: decodeValue(onlyChild(param, "value"), "response") };
}
