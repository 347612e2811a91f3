/**
 * BlueKing's placeholders, `__[A-Z][A-Z0-9]+(_[A-Z0-9]+){0,9}__`, found and replaced in one pass: a value
 * is inserted literally and never scanned again, so a value holding `__OTHER__`, `$&`, `\`, `|` or a
 * newline arrives intact. Pure; works on any string, including bytes held one per character.
 */

/** The placeholder as render_tpl's grep pattern has it (POSIX ERE). */
export const PLACEHOLDER_PATTERN = "__[A-Z][A-Z0-9]+(_[A-Z0-9]+){0,9}__";

/** The same pattern, capturing the variable name. A match is unique from where it starts. */
const PLACEHOLDER = /__([A-Z][A-Z0-9]+(?:_[A-Z0-9]+){0,9})__/g;

export interface Occurrence {
  /** The variable: the placeholder without its leading and trailing `__`. */
  readonly name: string;
  /** 1-based, in the template. */
  readonly line: number;
  readonly resolved: boolean;
}

export interface Substitution {
  readonly text: string;
  readonly occurrences: readonly Occurrence[];
}

/**
 * Replaces each placeholder in `text` by `resolve(name)`; one that resolves to undefined is left in place.
 * Occurrences are listed in order, with the template's line numbers.
 */
export function substitute(text: string, resolve: (name: string) => string | undefined): Substitution {
  const occurrences: Occurrence[] = [];
  let line = 1;
  let counted = 0;
  const out = text.replace(PLACEHOLDER, (match: string, name: string, offset: number) => {
    for (let i = counted; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
    counted = offset;
    const value = resolve(name);
    occurrences.push({ name, line, resolved: value !== undefined });
    return value ?? match;
  });
  return { text: out, occurrences };
}

/** The placeholders of `text`, in order, with line numbers; nothing is replaced. */
export function scan(text: string): readonly Occurrence[] {
  return substitute(text, () => undefined).occurrences;
}
