/**
 * The headers of every answer, as supervisord's medusa writes them (`Server: Medusa/1.12`, then
 * `Date`), and the 200 XML-RPC answer: `Server`, `Date`, `Content-Type: text/xml`,
 * `Content-Length`, in that order (node:http adds `Connection: keep-alive`), and the body.
 */
import type { ServerResponse } from "node:http";

/** supervisord's server header. Clients never look at it, but it costs nothing to keep. */
export const SERVER = "Medusa/1.12";

/** A body of one part shorter than this is handed to node:http as a string (cheaper than a Buffer). */
const STRING_BODY_MAX = 16 * 1024;

let dateSecond = Number.NaN;
let dateText = "";

/** The `Date` header for now (`Mon, 30 Nov 2026 03:59:24 GMT`), formatted once per second. */
export function httpDate(now: number = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateText = new Date(second * 1000).toUTCString();
    dateSecond = second;
  }
  return dateText;
}

/** Sets `Server` and `Date` on an answer whose status and other headers come later. */
export function setMedusaHeaders(response: ServerResponse): void {
  response.setHeader("Server", SERVER);
  response.setHeader("Date", httpDate());
}

/**
 * The UTF-8 bytes of `parts` joined, written part by part into one buffer. Room for three bytes per
 * UTF-16 unit is made before each part, so no part is measured first (ASCII text never needs more
 * than the first allocation).
 */
function utf8Bytes(parts: readonly string[]): Buffer {
  let chars = 0;
  let longest = 0;
  for (const part of parts) {
    chars += part.length;
    longest = Math.max(longest, part.length);
  }
  let bytes = Buffer.allocUnsafe(chars + 3 * longest);
  let offset = 0;
  for (const part of parts) {
    if (bytes.length - offset < 3 * part.length) {
      const larger = Buffer.allocUnsafe(Math.max(2 * bytes.length, offset + 3 * part.length));
      bytes.copy(larger, 0, 0, offset);
      bytes = larger;
    }
    offset += bytes.write(part, offset, "utf8");
  }
  return bytes.subarray(0, offset);
}

/** A 200 `text/xml` answer whose body is `parts` joined, written at once with its headers. */
export function sendXml(response: ServerResponse, parts: readonly string[]): void {
  const body = parts.length === 1 && parts[0]!.length < STRING_BODY_MAX ? parts[0]! : utf8Bytes(parts);
  const length = typeof body === "string" ? Buffer.byteLength(body, "utf8") : body.length;
  response.writeHead(200, [
    "Server",
    SERVER,
    "Date",
    httpDate(),
    "Content-Type",
    "text/xml",
    "Content-Length",
    String(length),
  ]);
  response.end(body);
}
