/**
 * Python's printf-style `format % mapping`, which supervisord applies to option values
 * (`%(program_name)s`, `%(process_num)02d`, `%%`). Pure. Errors carry Python's messages, since
 * supervisord quotes them verbatim.
 */
import { pyRepr } from "./py-text.js";

/** A value an expansion name can hold: names are strings, `process_num`/`numprocs` are integers. */
export type FormatValue = string | number;
export type FormatMapping = ReadonlyMap<string, FormatValue>;

/** `KeyError`: a name the mapping does not have. `message` is Python's `str(KeyError)`. */
export class PyKeyError extends Error {
  readonly key: string;
  constructor(key: string) {
    super(pyRepr(key));
    this.name = "PyKeyError";
    this.key = key;
  }
}

/** Any other formatting failure (`ValueError`/`TypeError` in Python). */
export class PyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PyFormatError";
  }
}

interface Spec {
  flags: string;
  width: number;
  precision: number | null;
}

function pad(body: string, spec: Spec, numeric: boolean): string {
  if (body.length >= spec.width) return body;
  if (spec.flags.includes("-")) return body.padEnd(spec.width);
  if (numeric && spec.flags.includes("0")) {
    const sign = /^[+\- ]/.test(body) ? body[0]! : "";
    const rest = body.slice(sign.length);
    const prefix = /^0[xXo]/.test(rest) && spec.flags.includes("#") ? rest.slice(0, 2) : "";
    return sign + prefix + rest.slice(prefix.length).padStart(spec.width - sign.length - prefix.length, "0");
  }
  return body.padStart(spec.width);
}

function signed(n: number, digits: string, spec: Spec): string {
  if (n < 0) return `-${digits}`;
  if (spec.flags.includes("+")) return `+${digits}`;
  if (spec.flags.includes(" ")) return ` ${digits}`;
  return digits;
}

function typeName(v: FormatValue): string {
  return typeof v === "number" ? "int" : "str";
}

function formatInteger(v: FormatValue, conv: string, spec: Spec): string {
  if (typeof v !== "number") {
    const what = conv === "d" || conv === "i" || conv === "u" ? "a real number" : "an integer";
    throw new PyFormatError(`%${conv} format: ${what} is required, not ${typeName(v)}`);
  }
  const base = conv === "o" ? 8 : conv === "x" || conv === "X" ? 16 : 10;
  let digits = Math.abs(v).toString(base);
  if (conv === "X") digits = digits.toUpperCase();
  if (spec.precision !== null) digits = digits.padStart(spec.precision, "0");
  if (spec.flags.includes("#") && base !== 10)
    digits = (base === 8 ? "0o" : conv === "X" ? "0X" : "0x") + digits;
  return pad(signed(v, digits, spec), spec, true);
}

function pyExponent(s: string): string {
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

function formatFloat(v: FormatValue, conv: string, spec: Spec): string {
  if (typeof v !== "number") throw new PyFormatError(`must be real number, not ${typeName(v)}`);
  const prec = spec.precision ?? 6;
  const lower = conv.toLowerCase();
  const abs = Math.abs(v);
  let digits: string;
  if (lower === "f") digits = abs.toFixed(prec);
  else if (lower === "e") digits = pyExponent(abs.toExponential(prec));
  else {
    const p = prec === 0 ? 1 : prec;
    const exp = abs === 0 ? 0 : Math.floor(Math.log10(abs));
    digits =
      exp < -4 || exp >= p ? pyExponent(abs.toExponential(p - 1)) : abs.toFixed(Math.max(p - 1 - exp, 0));
    if (!spec.flags.includes("#")) {
      const [mantissa = "", exponent] = digits.split("e");
      const trimmed = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
      digits = exponent === undefined ? trimmed : `${trimmed}e${exponent}`;
    }
  }
  if (conv === conv.toUpperCase()) digits = digits.toUpperCase();
  return pad(signed(v, digits, spec), spec, true);
}

function formatOne(v: FormatValue, conv: string, spec: Spec, index: number): string {
  switch (conv) {
    case "s":
    case "r":
    case "a": {
      let text = typeof v === "number" ? String(v) : conv === "s" ? v : pyRepr(v);
      if (conv === "a") text = asciiEscape(text);
      if (spec.precision !== null) text = [...text].slice(0, spec.precision).join("");
      return pad(text, spec, false);
    }
    case "d":
    case "i":
    case "u":
    case "o":
    case "x":
    case "X":
      return formatInteger(v, conv, spec);
    case "e":
    case "E":
    case "f":
    case "F":
    case "g":
    case "G":
      return formatFloat(v, conv, spec);
    case "c":
      if (typeof v === "number") return pad(String.fromCodePoint(v), spec, false);
      if ([...v].length === 1) return pad(v, spec, false);
      throw new PyFormatError("%c requires int or char");
    default: {
      const cp = conv.codePointAt(0)!;
      const shown = cp >= 0x20 && cp < 0x7f ? conv : "?";
      throw new PyFormatError(
        `unsupported format character '${shown}' (0x${cp.toString(16)}) at index ${index}`,
      );
    }
  }
}

/** Python's repr of a dict of str→str|int, as a bare `%s` with a mapping prints it. */
function reprMapping(mapping: FormatMapping): string {
  const items = [...mapping].map(([k, v]) => `${pyRepr(k)}: ${typeof v === "number" ? v : pyRepr(v)}`);
  return `{${items.join(", ")}}`;
}

/** Python's `ascii()` escaping of non-ASCII characters. */
function asciiEscape(text: string): string {
  return text.replace(/[^\x00-\x7f]/gu, (c) => {
    const cp = c.codePointAt(0)!;
    if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, "0")}`;
    if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, "0")}`;
    return `\\U${cp.toString(16).padStart(8, "0")}`;
  });
}

const PY_SSIZE_T_MAX = 2n ** 63n - 1n;
/** Widths beyond this would need more memory than a config value can sensibly take. */
const MAX_PAD = 1 << 24;

/** A value being formatted: one of the mapping's, or the mapping itself for an unnamed conversion. */
type Arg = { readonly kind: "value"; readonly value: FormatValue } | { readonly kind: "mapping" };

/**
 * Evaluates `format % mapping` exactly as CPython does for a dict argument: `%(key)` makes the
 * looked-up value the only argument left, an unnamed conversion takes the whole mapping, and `*`
 * takes an argument too.
 */
export function pyFormat(format: string, mapping: FormatMapping): string {
  const chars = [...format];
  const n = chars.length;
  let out = "";
  let i = 0;
  let current: Arg = { kind: "mapping" };
  let available = true;
  const nextArg = (): Arg => {
    if (!available) throw new PyFormatError("not enough arguments for format string");
    available = false;
    return current;
  };
  const readNumber = (what: string): number => {
    let digits = "";
    while (i < n && /[0-9]/.test(chars[i]!)) digits += chars[i++];
    if (BigInt(digits || "0") > PY_SSIZE_T_MAX) throw new PyFormatError(`${what} too big`);
    const value = Number(digits || "0");
    if (value > MAX_PAD) throw new PyFormatError("");
    return value;
  };
  const starArg = (): number => {
    const arg = nextArg();
    if (arg.kind !== "value" || typeof arg.value !== "number") throw new PyFormatError("* wants int");
    return arg.value;
  };
  while (i < n) {
    const c = chars[i]!;
    if (c !== "%") {
      out += c;
      i++;
      continue;
    }
    i++;
    if (chars[i] === "%") {
      out += "%";
      i++;
      continue;
    }
    if (chars[i] === "(") {
      let depth = 1;
      const keyStart = ++i;
      while (i < n && depth > 0) {
        if (chars[i] === ")") depth--;
        else if (chars[i] === "(") depth++;
        i++;
      }
      if (depth > 0) throw new PyFormatError("incomplete format key");
      const key = chars.slice(keyStart, i - 1).join("");
      if (!mapping.has(key)) throw new PyKeyError(key);
      current = { kind: "value", value: mapping.get(key)! };
      available = true;
    }
    let flags = "";
    while (i < n && "-+ #0".includes(chars[i]!)) flags += chars[i++];
    let width = 0;
    if (chars[i] === "*") {
      i++;
      width = starArg();
      if (width < 0) {
        flags += "-";
        width = -width;
      }
    } else width = readNumber("width");
    let precision: number | null = null;
    if (chars[i] === ".") {
      i++;
      if (chars[i] === "*") {
        i++;
        precision = Math.max(starArg(), 0);
      } else precision = readNumber("precision");
    }
    while (i < n && "hlL".includes(chars[i]!)) i++;
    if (i >= n) throw new PyFormatError("incomplete format");
    const conv = chars[i]!;
    const index = i;
    i++;
    const arg = nextArg();
    const spec = { flags, width, precision };
    if (arg.kind === "value") {
      out += formatOne(arg.value, conv, spec, index);
      continue;
    }
    if ("diuoxX".includes(conv)) {
      const what = "diu".includes(conv) ? "a real number" : "an integer";
      throw new PyFormatError(`%${conv} format: ${what} is required, not dict`);
    }
    if ("eEfFgG".includes(conv)) throw new PyFormatError("must be real number, not dict");
    if (conv === "c") throw new PyFormatError("%c requires int or char");
    if (conv === "s" || conv === "r" || conv === "a") {
      const text = conv === "a" ? asciiEscape(reprMapping(mapping)) : reprMapping(mapping);
      out += formatOne(text, "s", spec, index);
      continue;
    }
    out += formatOne("", conv, spec, index);
  }
  return out;
}
