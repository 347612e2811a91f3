/**
 * supervisord's `expand(s, expansions, name)`: `%`-formatting of an option value with the names
 * available to that option, and its two error messages. Pure.
 */
import { type FormatMapping, PyKeyError, pyFormat } from "./py-format.js";
import { pyCompare, pyRepr } from "./py-text.js";

/** A failed expansion; `message` is supervisord's text. */
export class ExpansionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpansionError";
  }
}

/** Expands `value`; `where` is the name supervisord quotes (`program:x.command`, `stdout_logfile`). */
export function expand(value: string, expansions: FormatMapping, where: string): string {
  try {
    return pyFormat(value, expansions);
  } catch (error) {
    if (error instanceof PyKeyError) {
      const available = [...expansions.keys()].sort(pyCompare).join(", ");
      throw new ExpansionError(
        `Format string ${pyRepr(value)} for ${pyRepr(where)} contains names (${error.message}) which cannot be expanded. Available names: ${available}`,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExpansionError(
      `Format string ${pyRepr(value)} for ${pyRepr(where)} is badly formatted: ${reason}`,
    );
  }
}
