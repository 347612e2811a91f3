/**
 * `strip_ansi=true`: removes `ESC [ … <terminator>` sequences from child output the way supervisord's
 * `stripEscapes` does (everything from `ESC [` up to and including the first byte of
 * `HfABCDRsuJKhlpm`), on bytes. Unlike supervisord, a sequence split across reads is still removed:
 * the state carries over, and a lone `ESC` at the end of a chunk is held back until the next one.
 */

const ESC = 0x1b;
const BRACKET = 0x5b;

/** Bytes that end an escape sequence (supervisord's ANSI_TERMINATORS). */
const TERMINATOR = new Uint8Array(256);
for (const ch of "HfABCDRsuJKhlpm") TERMINATOR[ch.charCodeAt(0)] = 1;

const ESC_BYTE = Buffer.from([ESC]);
const EMPTY = Buffer.alloc(0);

export class AnsiStripper {
  /** Inside `ESC [`, waiting for a terminator. */
  #inEscape = false;
  /** The previous chunk ended with a lone ESC that was not passed on. */
  #heldEsc = false;

  /** The chunk without escape sequences (the same Buffer when it holds none). */
  push(chunk: Buffer): Buffer {
    if (!this.#inEscape && !this.#heldEsc && chunk.indexOf(ESC) === -1) return chunk;
    const parts: Buffer[] = [];
    let i = 0;
    if (this.#heldEsc) {
      this.#heldEsc = false;
      if (chunk.length === 0) {
        this.#heldEsc = true;
        return EMPTY;
      }
      if (chunk[0] === BRACKET) {
        this.#inEscape = true;
        i = 1;
      } else parts.push(ESC_BYTE);
    }
    while (i < chunk.length) {
      if (this.#inEscape) {
        while (i < chunk.length && TERMINATOR[chunk[i]!] === 0) i++;
        if (i === chunk.length) break;
        this.#inEscape = false;
        i++;
        continue;
      }
      const n = chunk.indexOf(ESC, i);
      if (n === -1) {
        parts.push(chunk.subarray(i));
        break;
      }
      if (n === chunk.length - 1) {
        parts.push(chunk.subarray(i, n));
        this.#heldEsc = true;
        break;
      }
      if (chunk[n + 1] === BRACKET) {
        parts.push(chunk.subarray(i, n));
        this.#inEscape = true;
        i = n + 2;
      } else {
        parts.push(chunk.subarray(i, n + 1));
        i = n + 1;
      }
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** At end of output: the held-back ESC, if any; resets the state (an open sequence is dropped). */
  end(): Buffer {
    const held = this.#heldEsc;
    this.#heldEsc = false;
    this.#inEscape = false;
    return held ? Buffer.from(ESC_BYTE) : EMPTY;
  }
}
