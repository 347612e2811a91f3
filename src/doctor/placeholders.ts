/**
 * BlueKing's `__NAME__` placeholders (render_tpl's pattern `__[A-Z][A-Z0-9]+(_[A-Z0-9]+){0,9}__`)
 * still in a file: what the installer should have replaced. Pure.
 */

const PLACEHOLDER = /__[A-Z][A-Z0-9]+(?:_[A-Z0-9]+){0,9}__/g;

/** Whether `text` holds a placeholder. */
export function hasPlaceholder(text: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(text);
}

export interface PlaceholderLine {
  /** 1-based. */
  readonly line: number;
  /** The placeholders on the line, in order, without repeats. */
  readonly names: readonly string[];
}

/**
 * The lines of `text` with placeholders. Lines whose first non-blank character starts a comment
 * (`comment`, e.g. `#;` for INI, `#` for shell and Python) are skipped: nothing reads them.
 */
export function findPlaceholders(text: string, comment = "#"): PlaceholderLine[] {
  const found: PlaceholderLine[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    const first = line.trimStart()[0];
    if (first !== undefined && comment.includes(first)) return;
    const names = [...new Set(line.match(PLACEHOLDER) ?? [])];
    if (names.length > 0) found.push({ line: i + 1, names });
  });
  return found;
}
