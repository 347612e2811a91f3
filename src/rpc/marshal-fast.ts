/**
 * The fast path of marshal.ts, for the shapes answers are made of: strings, ints, booleans, and
 * arrays and structs of them (process info, result arrays, config info). It writes exactly what
 * `marshalValue` writes, by string concatenation, with each struct member's opening text
 * (`<member>\n<name>…</name>\n<value><string>`) built once per member name, and hands a large text
 * over in parts of about PART_LENGTH characters (cut between array items and struct members), which
 * are cheaper to turn into bytes than one long string. Pure.
 *
 * Anything else — a double, a date, bytes, null, an int beyond 32 bits, an unknown object, nesting
 * deeper than MAX_DEPTH (which is where a cycle ends) — makes it give up and return undefined; the
 * caller then runs the general marshaller, which writes the value or throws its error.
 */
import { isStruct, MAXINT, MININT, type XmlRpcArray, type XmlRpcStruct, type XmlRpcValue } from "./values.js";
import { escapeXmlText } from "./xml.js";

/** Deeper values are left to the general marshaller, which detects cycles. */
const MAX_DEPTH = 32;
/** Member names whose opening text is kept; beyond that many, it is built on each use. */
const MAX_CACHED_NAMES = 1024;
/** A part is closed once it is this long. */
const PART_LENGTH = 8192;

const STRING_MEMBER_END = "</string></value>\n</member>\n";
const INT_MEMBER_END = "</int></value>\n</member>\n";
const MEMBER_END = "</member>\n";
const TRUE = "<value><boolean>1</boolean></value>\n";
const FALSE = "<value><boolean>0</boolean></value>\n";

interface MemberHead {
  /** `<member>\n<name>NAME</name>\n` */
  readonly name: string;
  /** …followed by `<value><string>` */
  readonly string: string;
  /** …followed by `<value><int>` */
  readonly int: string;
}

const heads = new Map<string, MemberHead>();

function memberHead(key: string): MemberHead {
  let head = heads.get(key);
  if (head === undefined) {
    const name = `<member>\n<name>${escapeXmlText(key)}</name>\n`;
    head = { name, string: `${name}<value><string>`, int: `${name}<value><int>` };
    if (heads.size < MAX_CACHED_NAMES) heads.set(key, head);
  }
  return head;
}

function isInt(value: number): boolean {
  return Number.isInteger(value) && value <= MAXINT && value >= MININT;
}

/**
 * Whether Object.prototype has no enumerable property, as always unless something adds one. Then
 * `for…in` on a struct lists exactly its own names, in Object.keys' order.
 */
function prototypeIsPlain(): boolean {
  for (const _ in Object.prototype) return false;
  return true;
}

/** The text written so far: closed parts, and the open one. */
interface Text {
  readonly parts: string[];
  open: string;
}

function endOfItem(text: Text): void {
  if (text.open.length >= PART_LENGTH) {
    text.parts.push(text.open);
    text.open = "";
  }
}

/** Appends one value to `text`; false when it is not one of the shapes written here. */
function dump(value: XmlRpcValue, depth: number, text: Text): boolean {
  if (typeof value === "string") text.open += `<value><string>${escapeXmlText(value)}</string></value>\n`;
  else if (typeof value === "number") {
    if (!isInt(value)) return false;
    text.open += `<value><int>${value}</int></value>\n`;
  } else if (typeof value === "boolean") text.open += value ? TRUE : FALSE;
  else if (depth >= MAX_DEPTH) return false;
  else if (Array.isArray(value)) return array(value, depth + 1, text);
  else if (isStruct(value)) return struct(value, depth + 1, text);
  else return false;
  return true;
}

function array(values: XmlRpcArray, depth: number, text: Text): boolean {
  text.open += "<value><array><data>\n";
  for (const item of values) {
    if (!dump(item, depth, text)) return false;
    endOfItem(text);
  }
  text.open += "</data></array></value>\n";
  return true;
}

function struct(value: XmlRpcStruct, depth: number, text: Text): boolean {
  text.open += "<value><struct>\n";
  // for…in: the names Object.keys gives, in its order (see marshalFast), and faster.
  for (const key in value) {
    const item = value[key]!;
    const head = memberHead(key);
    if (typeof item === "string") text.open += head.string + escapeXmlText(item) + STRING_MEMBER_END;
    else if (typeof item === "number" && isInt(item)) text.open += head.int + String(item) + INT_MEMBER_END;
    else {
      text.open += head.name;
      if (!dump(item, depth, text)) return false;
      text.open += MEMBER_END;
    }
    endOfItem(text);
  }
  text.open += "</struct></value>\n";
  return true;
}

/**
 * `marshalValue(value)` as parts to be joined (one part for a short text), or undefined when the
 * value is not one of the shapes this path writes.
 */
export function marshalFast(value: XmlRpcValue): string[] | undefined {
  if (!prototypeIsPlain()) return undefined;
  const text: Text = { parts: [], open: "" };
  if (!dump(value, 0, text)) return undefined;
  if (text.open !== "" || text.parts.length === 0) text.parts.push(text.open);
  return text.parts;
}
