/**
 * XML-RPC values as JavaScript sees them. Pure.
 *
 * | XML-RPC            | JavaScript                                                         |
 * |--------------------|--------------------------------------------------------------------|
 * | int, i4            | integral number (encoded as `<int>` when within 32 bits)           |
 * | double             | non-integral number, or `XmlRpcDouble` to force `<double>` for 2.0  |
 * | boolean            | boolean                                                            |
 * | string             | string                                                             |
 * | base64             | Uint8Array (a server-side request decodes it to a string instead,  |
 * |                    | as supervisord does)                                               |
 * | dateTime.iso8601   | XmlRpcDateTime                                                     |
 * | array              | array                                                              |
 * | struct             | plain object                                                       |
 * | nil                | null (decoded only; supervisord never sends it: no `allow_none`)   |
 */

/** A `dateTime.iso8601` value: the text as sent (`20240102T03:04:05`), without a time zone. */
export class XmlRpcDateTime {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }

  /** The date's fields in UTC (the default) or in local time, as `YYYYMMDDTHH:MM:SS`. */
  static fromDate(date: Date, zone: "utc" | "local" = "utc"): XmlRpcDateTime {
    const utc = zone === "utc";
    const f = (n: number, width = 2) => String(n).padStart(width, "0");
    const year = utc ? date.getUTCFullYear() : date.getFullYear();
    const month = (utc ? date.getUTCMonth() : date.getMonth()) + 1;
    const day = utc ? date.getUTCDate() : date.getDate();
    const hours = utc ? date.getUTCHours() : date.getHours();
    const minutes = utc ? date.getUTCMinutes() : date.getMinutes();
    const seconds = utc ? date.getUTCSeconds() : date.getSeconds();
    return new XmlRpcDateTime(`${f(year, 4)}${f(month)}${f(day)}T${f(hours)}:${f(minutes)}:${f(seconds)}`);
  }
}

/** A number to be sent as `<double>` even when it is integral (Python's `2.0`). */
export class XmlRpcDouble {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

export type XmlRpcValue =
  | number
  | boolean
  | string
  | null
  | XmlRpcDouble
  | XmlRpcDateTime
  | Uint8Array
  | XmlRpcArray
  | XmlRpcStruct;

export type XmlRpcArray = readonly XmlRpcValue[];

export interface XmlRpcStruct {
  readonly [key: string]: XmlRpcValue;
}

/** XML-RPC's 32-bit `<int>` range (Python's `xmlrpc.client.MAXINT`/`MININT`). */
export const MAXINT = 2 ** 31 - 1;
export const MININT = -(2 ** 31);

/** supervisord's `capped_int`: an integer clamped into `<int>` range (used for timestamps). */
export function cappedInt(value: number): number {
  const i = Math.trunc(value);
  return Math.min(MAXINT, Math.max(MININT, i));
}

/** Whether a value is a plain object (a struct), not an array, byte array, date or wrapper. */
export function isStruct(value: unknown): value is XmlRpcStruct {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The type name `system.methodSignature` uses for a decoded value (`nil` for null). */
export type XmlRpcTypeName =
  | "int"
  | "double"
  | "boolean"
  | "string"
  | "base64"
  | "dateTime.iso8601"
  | "array"
  | "struct"
  | "nil";

/** The XML-RPC type of a value; an integral number counts as `int`. */
export function typeOf(value: XmlRpcValue): XmlRpcTypeName | null {
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "double";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return "string";
  if (value === null) return "nil";
  if (value instanceof XmlRpcDouble) return "double";
  if (value instanceof XmlRpcDateTime) return "dateTime.iso8601";
  if (value instanceof Uint8Array) return "base64";
  if (Array.isArray(value)) return "array";
  if (isStruct(value)) return "struct";
  return null;
}

/** A struct built without the `__proto__` setter pitfall: every key, even `__proto__`, is an own key. */
export function makeStruct(entries: Iterable<readonly [string, XmlRpcValue]>): XmlRpcStruct {
  const struct: Record<string, XmlRpcValue> = {};
  for (const [key, value] of entries) {
    if (key === "__proto__") {
      Object.defineProperty(struct, key, { value, enumerable: true, writable: true, configurable: true });
    } else struct[key] = value;
  }
  return struct;
}
