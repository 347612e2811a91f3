/**
 * Reading a config file as Python's text mode does: UTF-8, decoded in 8192-byte chunks, and on
 * invalid data the UnicodeDecodeError message supervisord prints (positions count from the start
 * of the chunk being decoded, as CPython's incremental decoder reports them). Pure.
 */

const CHUNK = 8192;

/** Bytes that are not UTF-8; `message` is Python's `str(UnicodeDecodeError)`. */
export class Utf8DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Utf8DecodeError";
  }
}

function fail(buf: Uint8Array, start: number, end: number, reason: string): never {
  const where =
    end - start === 1
      ? `byte 0x${buf[start]!.toString(16).padStart(2, "0")} in position ${start}`
      : `bytes in position ${start}-${end - 1}`;
  throw new Utf8DecodeError(`'utf-8' codec can't decode ${where}: ${reason}`);
}

function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

/** Validates one decoder input; returns how many trailing bytes are an incomplete sequence. */
function validate(buf: Uint8Array, final: boolean): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    if (b < 0xc2 || b > 0xf4) fail(buf, i, i + 1, "invalid start byte");
    const need = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
    for (let k = 1; k <= need; k++) {
      if (i + k >= buf.length) {
        if (final) fail(buf, i, buf.length, "unexpected end of data");
        return buf.length - i;
      }
      const c = buf[i + k]!;
      const [lo, hi] = k === 1 ? secondByteRange(b) : [0x80, 0xbf];
      if (c < lo || c > hi) fail(buf, i, i + k, "invalid continuation byte");
    }
    i += need + 1;
  }
  return 0;
}

const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes like `open(path).read()` in a UTF-8 locale; throws Utf8DecodeError as Python would. */
export function decodeUtf8LikePython(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    // Find the error as Python's chunked incremental decoder reports it.
  }
  // Each read chunk is decoded with final=False; the end of file is a last, empty decode with
  // final=True that sees only the bytes held back.
  let leftover = new Uint8Array(0);
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    const chunk = bytes.subarray(offset, offset + CHUNK);
    const input = new Uint8Array(leftover.length + chunk.length);
    input.set(leftover);
    input.set(chunk, leftover.length);
    leftover = input.slice(input.length - validate(input, false));
  }
  validate(leftover, true);
  return decoder.decode(bytes);
}
