/**
 * Python string semantics that supervisord's messages and parsing depend on:
 * `str.isspace`, `str.strip`, `repr(str)` and `int(str)`. Pure.
 */

/** Characters for which Python's `str.isspace()` is true. */
const PY_SPACE = new Set(
  "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000",
);

export function isPySpace(ch: string): boolean {
  return PY_SPACE.has(ch);
}

/** Python's `str.strip()` with no argument. */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && PY_SPACE.has(s[start]!)) start++;
  while (end > start && PY_SPACE.has(s[end - 1]!)) end--;
  return s.slice(start, end);
}

/** Python's `str.strip(chars)`. */
export function pyStripChars(s: string, chars: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && chars.includes(s[start]!)) start++;
  while (end > start && chars.includes(s[end - 1]!)) end--;
  return s.slice(start, end);
}

const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

/** Python's `repr()` of a str, as it appears inside supervisord's messages. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp < 0x7f || ch === " ") out += ch;
    else if (NON_PRINTABLE.test(ch)) {
      if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, "0")}`;
      else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, "0")}`;
      else out += `\\U${cp.toString(16).padStart(8, "0")}`;
    } else out += ch;
  }
  return out + quote;
}

/** `repr()` of a Python list of str, e.g. `['a', 'b']`. */
export function pyReprList(items: readonly string[]): string {
  return `[${items.map(pyRepr).join(", ")}]`;
}

const DIGITS_BY_BASE: Record<number, RegExp> = {
  8: /^[+-]?(?:0[oO]_?)?[0-7](?:_?[0-7])*$/,
  10: /^[+-]?[0-9](?:_?[0-9])*$/,
};

const DECIMAL_DIGIT = /\p{Nd}/u;

/** Replaces every Unicode decimal digit (Python's int() accepts them all) with its ASCII digit. */
function asciiDigits(s: string): string {
  return s.replace(/\p{Nd}/gu, (d) => {
    const cp = d.codePointAt(0)!;
    let start = cp;
    while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
    return String((cp - start) % 10);
  });
}

/**
 * Python's `int(s)` / `int(s, 8)`: surrounding whitespace, a sign, underscores between digits, any
 * Unicode decimal digits, leading zeros. Returns null where Python raises ValueError.
 */
export function pyInt(s: string, base: 8 | 10 = 10): number | null {
  const t = asciiDigits(pyStrip(s));
  if (!DIGITS_BY_BASE[base]!.test(t)) return null;
  let body = t.replace(/_/g, "");
  let sign = 1;
  if (body.startsWith("-") || body.startsWith("+")) {
    if (body.startsWith("-")) sign = -1;
    body = body.slice(1);
  }
  if (base === 8) body = body.replace(/^0[oO]/, "");
  const n = Number.parseInt(body, base) * sign;
  if (!Number.isSafeInteger(n)) return null;
  return Object.is(n, -0) ? 0 : n;
}

/** Whether Python would accept `s` as an integer that is beyond JavaScript's exact range (±2^53). */
export function isPyIntTooLarge(s: string, base: 8 | 10 = 10): boolean {
  const t = asciiDigits(pyStrip(s));
  return DIGITS_BY_BASE[base]!.test(t) && pyInt(s, base) === null;
}

/** The message of the ValueError Python's `int(s)` raises (or Steward's, for a number too large). */
export function pyIntError(s: string, base: 8 | 10 = 10): string {
  if (isPyIntTooLarge(s, base))
    return `integer ${pyStrip(s)} is too large (Steward's limit is 9007199254740991)`;
  return `invalid literal for int() with base ${base}: ${pyRepr(s)}`;
}

const SURROGATE = /[\ud800-\udfff]/;

/** Python's ordering of str: by code point (JavaScript's `<` compares UTF-16 code units). */
export function pyCompare(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
