/**
 * Capture mode's token scan, pure: splits a channel's byte stream at `<!--XSUPERVISOR:BEGIN-->` and
 * `<!--XSUPERVISOR:END-->` into data to log, data to capture, and the mode changes. Only a possible
 * token prefix at the end of a chunk is held back (supervisord also holds back any output shorter
 * than the token; Steward does not).
 */

export const BEGIN_TOKEN: Buffer = Buffer.from("<!--XSUPERVISOR:BEGIN-->");
export const END_TOKEN: Buffer = Buffer.from("<!--XSUPERVISOR:END-->");

/** One piece of the stream, in order. */
export type CaptureSegment =
  /** Bytes to log normally (`capturing: false`) or to keep in the capture buffer. */
  | { readonly type: "data"; readonly capturing: boolean; readonly data: Buffer }
  /** A token was seen: capture mode is now `capturing`. */
  | { readonly type: "toggle"; readonly capturing: boolean };

const LT = 0x3c;

/** The length of the longest proper prefix of `token` that `data` ends with. */
export function heldPrefixLength(data: Buffer, token: Buffer): number {
  const from = Math.max(0, data.length - token.length + 1);
  let at = data.indexOf(LT, from);
  while (at !== -1) {
    const tail = data.subarray(at);
    if (token.subarray(0, tail.length).equals(tail)) return tail.length;
    at = data.indexOf(LT, at + 1);
  }
  return 0;
}

export class CaptureScanner {
  #capturing = false;
  #held: Buffer = Buffer.alloc(0);

  get capturing(): boolean {
    return this.#capturing;
  }

  /** The segments of `chunk`, after whatever was held back from the previous chunk. */
  push(chunk: Buffer): CaptureSegment[] {
    const segments: CaptureSegment[] = [];
    let data = this.#held.length > 0 ? Buffer.concat([this.#held, chunk]) : chunk;
    this.#held = Buffer.alloc(0);
    for (;;) {
      const token = this.#capturing ? END_TOKEN : BEGIN_TOKEN;
      const at = data.indexOf(token);
      if (at !== -1) {
        if (at > 0) segments.push({ type: "data", capturing: this.#capturing, data: data.subarray(0, at) });
        this.#capturing = !this.#capturing;
        segments.push({ type: "toggle", capturing: this.#capturing });
        data = data.subarray(at + token.length);
        continue;
      }
      const held = heldPrefixLength(data, token);
      const cut = data.length - held;
      if (cut > 0) segments.push({ type: "data", capturing: this.#capturing, data: data.subarray(0, cut) });
      if (held > 0) this.#held = Buffer.from(data.subarray(cut));
      return segments;
    }
  }

  /**
   * At end of output: the held-back bytes as data of the current mode, then back to normal mode
   * (an unterminated capture is abandoned without a toggle segment).
   */
  end(): CaptureSegment[] {
    const held = this.#held;
    const capturing = this.#capturing;
    this.#held = Buffer.alloc(0);
    this.#capturing = false;
    return held.length > 0 ? [{ type: "data", capturing, data: held }] : [];
  }
}
