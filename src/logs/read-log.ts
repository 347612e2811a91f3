/**
 * The offset arithmetic of `readLog`/`read*Log` and `tail*Log` (supervisord's `readFile` and
 * `tailFile`), pure: which byte range to read for a file of a given size.
 */

/** `readLog(offset, length)`: the range to read, or "bad-arguments" (fault BAD_ARGUMENTS). */
export function readRange(
  size: number,
  offset: number,
  length: number,
): { start: number; end: number } | "bad-arguments" {
  if (offset < 0) {
    if (length !== 0) return "bad-arguments";
    return { start: Math.max(0, size + offset), end: size };
  }
  if (length < 0) return "bad-arguments";
  const start = Math.min(offset, size);
  return { start, end: length === 0 ? size : Math.min(size, offset + length) };
}

/** `tail*Log(offset, length)`: the range to read, the offset to return (the size) and overflow. */
export function tailRange(
  size: number,
  offset: number,
  length: number,
): { start: number; end: number; next: number; overflow: boolean } {
  let overflow = false;
  let o = offset;
  let l = length;
  if (size > o + l) {
    overflow = true;
    o = size - 1;
  }
  if (o + l > size) {
    if (o > size - 1) l = 0;
    o = size - l;
  }
  o = Math.max(0, o);
  l = Math.max(0, l);
  return { start: o, end: Math.min(size, o + l), next: size, overflow };
}
