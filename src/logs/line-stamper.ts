/**
 * `log_timestamps`: puts a prefix (the time) before each line of a byte stream, across chunks that
 * split lines anywhere. A line is stamped when its first byte arrives. Pure, stateful.
 */
const NEWLINE = 0x0a;

export class LineStamper {
  #atLineStart = true;

  /** `chunk` with `prefix()` before each line that begins in it; the prefix is asked at most once. */
  push(chunk: Uint8Array, prefix: () => string): Buffer {
    if (chunk.length === 0) return Buffer.alloc(0);
    const stamp = Buffer.from(prefix(), "utf8");
    const parts: Uint8Array[] = [];
    let from = 0;
    while (from < chunk.length) {
      if (this.#atLineStart) parts.push(stamp);
      const newline = chunk.indexOf(NEWLINE, from);
      const end = newline === -1 ? chunk.length : newline + 1;
      parts.push(chunk.subarray(from, end));
      this.#atLineStart = newline !== -1;
      from = end;
    }
    return Buffer.concat(parts);
  }
}
