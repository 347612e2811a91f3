/**
 * The typed JSON of test/fixtures/rpc (written by generate.py) → XML-RPC values. Not a test file;
 * imported by the rpc tests.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makeStruct, XmlRpcDateTime, XmlRpcDouble, type XmlRpcValue } from "../../../src/rpc/values.js";
import { FIXTURES } from "../../helpers/paths.js";

export type Tagged =
  | { int: number }
  | { boolean: boolean }
  | { string: string }
  | { double: string }
  | { nil: null }
  | { base64: string }
  | { dateTime: string }
  | { array: Tagged[] }
  | { struct: [string, Tagged][] };

export const RPC_FIXTURES = join(FIXTURES, "rpc");

export function fixture(path: string): string {
  return readFileSync(join(RPC_FIXTURES, path), "utf8");
}

export function fixtureJson<T>(path: string): T {
  return JSON.parse(fixture(path)) as T;
}

/** Python's float(repr) for the repr strings Python writes. */
function pyNumber(repr: string): number {
  if (repr === "nan") return Number.NaN;
  if (repr === "inf") return Number.POSITIVE_INFINITY;
  if (repr === "-inf") return Number.NEGATIVE_INFINITY;
  return Number(repr);
}

/**
 * `encode`: doubles as XmlRpcDouble (so 2.0 stays a double), base64 as bytes.
 * `response`: as the response decoder returns them (numbers, bytes).
 * `request`: as the request decoder returns them (numbers; base64 never appears: it is text).
 */
export function fromTagged(t: Tagged, mode: "encode" | "request" | "response"): XmlRpcValue {
  if ("int" in t) return t.int;
  if ("boolean" in t) return t.boolean;
  if ("string" in t) return t.string;
  if ("double" in t) return mode === "encode" ? new XmlRpcDouble(pyNumber(t.double)) : pyNumber(t.double);
  if ("nil" in t) return null;
  if ("base64" in t) return new Uint8Array(Buffer.from(t.base64, "base64"));
  if ("dateTime" in t) return new XmlRpcDateTime(t.dateTime);
  if ("array" in t) return t.array.map((x) => fromTagged(x, mode));
  return makeStruct(t.struct.map(([k, v]) => [k, fromTagged(v, mode)] as const));
}
