/** Python's `repr()` of a float and Python's `float()` of a string, for XML-RPC `<double>`. Pure. */

/** `repr(x)` as Python 3 prints a float: `1.0`, `0.1`, `1e+16`, `1e-05`, `-0.0`, `inf`, `nan`. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  // toExponential() without digits gives the shortest digits that read back as x, as repr() does.
  const [mantissa, exponentText] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const exponent = Number(exponentText);
  // repr() switches to exponent notation when the decimal point would sit more than 16 digits
  // right of the first digit, or 4 or more zeros left of it.
  if (exponent >= 16 || exponent < -4) {
    const rest = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const e = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    return `${sign}${digits[0]}${rest}e${e}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === "" ? "0" : fraction}`;
}

const DIGITS = "[0-9](?:_?[0-9])*";
const FLOAT = new RegExp(`^[+-]?(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;
const PY_SPACE = /^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g;

/** Python's `float(s)` for ASCII text; null where Python raises ValueError. */
export function pyFloat(s: string): number | null {
  const t = s.replace(PY_SPACE, "");
  const special = SPECIAL.exec(t);
  if (special !== null) {
    if (special[2]!.toLowerCase() === "nan") return Number.NaN;
    return special[1] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!FLOAT.test(t)) return null;
  return Number(t.replace(/_/g, ""));
}
