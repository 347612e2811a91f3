/**
 * The fast path of decodeRequest, for the calls clients send most: the exact text Python's
 * `xmlrpc.client.dumps` (supervisorctl) and Steward's own encodeRequest write for a method with
 * string parameters only (`getProcessInfo`, `getAllProcessInfo`, `getState`, …). It reads them with
 * two regular expressions instead of the XML parser, and returns what the parser would. Pure.
 *
 * A string here holds no markup and nothing the parser would change or refuse: no `<`, `&`, `]`
 * (so no `]]>`), no CR (XML turns CR LF into LF), no character XML forbids (a lone surrogate, say).
 * Any other request — another layout, another type, any of those characters — returns undefined,
 * and the caller parses it in full, as it does a long request (where the parser is as fast).
 */
import type { DecodedRequest } from "./codec.js";

/** Longer requests go to the parser. */
const MAX_LENGTH = 16 * 1024;

/** Text of those characters (with the `u` flag, a surrogate pair is one character, and allowed). */
const TEXT = "[^<&\\]\\r\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ud800-\\udfff\\ufffe\\uffff]*";
const PARAM = `<param>\\n<value><string>${TEXT}</string></value>\\n</param>\\n`;
const CALL = new RegExp(
  `^<\\?xml version='1\\.0'\\?>\\n<methodCall>\\n<methodName>([A-Za-z0-9_.]+)</methodName>\\n<params>\\n((?:${PARAM})*)</params>\\n</methodCall>\\n$`,
  "u",
);
const STRING = new RegExp(`<string>(${TEXT})</string>`, "gu");

/** The call, when `text` is a string-parameters-only call in xmlrpc.client's layout; else undefined. */
export function decodeRequestFast(text: string): DecodedRequest | undefined {
  if (text.length > MAX_LENGTH) return undefined;
  const call = CALL.exec(text);
  if (call === null) return undefined;
  const params: string[] = [];
  for (const match of call[2]!.matchAll(STRING)) params.push(match[1]!);
  return { method: call[1]!, params };
}
