/**
 * XML-RPC messages: `methodCall` and `methodResponse` (values and faults) written as Python's
 * `xmlrpc.client.dumps` writes them, and read as supervisord (requests) and supervisorctl
 * (responses) read them. Pure. Malformed input throws `RpcCodecError` and nothing else.
 */
import { RpcCodecError } from "./errors.js";
import { RpcFault } from "./faults.js";
import { type MarshalOptions, marshalValue } from "./marshal.js";
import { decodeValue, elementsOnly, localName, malformed, onlyChild } from "./unmarshal.js";
import { isStruct, type XmlRpcValue } from "./values.js";
import { escapeXmlText, parseXml, textOf } from "./xml.js";

const HEADER = "<?xml version='1.0'?>\n";

/** A successful answer: `<methodResponse><params><param>…`. */
export function encodeResponse(value: XmlRpcValue, options: MarshalOptions = {}): string {
  const out = [HEADER, "<methodResponse>\n<params>\n<param>\n"];
  marshalValue(value, out, options);
  out.push("</param>\n</params>\n</methodResponse>\n");
  return out.join("");
}

/** A fault answer: `<methodResponse><fault><value><struct>` with faultCode and faultString. */
export function encodeFault(fault: { readonly faultCode: number; readonly faultString: string }): string {
  const out = [HEADER, "<methodResponse>\n<fault>\n"];
  marshalValue({ faultCode: fault.faultCode, faultString: fault.faultString }, out);
  out.push("</fault>\n</methodResponse>\n");
  return out.join("");
}

/** A call. Python writes the method name raw; it is escaped here so that any name stays valid XML. */
export function encodeRequest(
  method: string,
  params: readonly XmlRpcValue[],
  options: MarshalOptions = {},
): string {
  const out = [HEADER, "<methodCall>\n<methodName>", escapeXmlText(method), "</methodName>\n<params>\n"];
  for (const param of params) {
    out.push("<param>\n");
    marshalValue(param, out, options);
    out.push("</param>\n");
  }
  out.push("</params>\n</methodCall>\n");
  return out.join("");
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
 * ignored, as supervisord decodes the body before parsing), no missing `<methodName>`, an absent
 * `<params>` meaning no parameters. The method name is kept as sent, spaces included.
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
