/**
 * HTTP Basic authentication as supervisord's server checks it: the `Authorization: Basic <token>`
 * header against one username and a password stored as cleartext or as `{SHA}` + the hex SHA-1 of
 * the password. Comparisons take the same time whether or not they match. Pure.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export interface Credentials {
  readonly username: string;
  /** Cleartext, or `{SHA}` followed by the hex SHA-1 of the UTF-8 password. */
  readonly password: string;
}

export type AuthResult =
  | { readonly ok: true; readonly username: string }
  /** 401: missing, non-Basic or wrong credentials; 400: a token that is not base64 of UTF-8. */
  | { readonly ok: false; readonly status: 400 | 401 };

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Constant-time string equality: compares fixed-length digests, so lengths do not leak either. */
export function safeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Python's lenient `base64.decodebytes`: characters outside the alphabet are skipped, but missing
 * padding is an error. Returns null for an error.
 */
function decodeToken(token: string): Buffer | null {
  const cleaned = token.replace(/[^A-Za-z0-9+/=]/g, "");
  const data = cleaned.replace(/=+$/, "");
  if (data.includes("=")) return null;
  const missing = (4 - (data.length % 4)) % 4;
  if (data.length % 4 === 1 || cleaned.length - data.length < missing) return null;
  return Buffer.from(data, "base64");
}

/** Whether `password` matches the stored one (cleartext, or `{SHA}` hex, in either letter case). */
export function passwordMatches(stored: string, password: string): boolean {
  if (stored.startsWith("{SHA}")) {
    const hash = createHash("sha1").update(password, "utf8").digest("hex");
    return safeEqual(stored.slice(5).toLowerCase(), hash);
  }
  return safeEqual(stored, password);
}

/** Checks an `Authorization` header value against the server's credentials. */
export function checkBasicAuth(header: string | undefined, credentials: Credentials): AuthResult {
  const space = header === undefined ? -1 : header.indexOf(" ");
  if (header === undefined || space <= 0) return { ok: false, status: 401 };
  if (header.slice(0, space).toLowerCase() !== "basic") return { ok: false, status: 401 };
  const bytes = decodeToken(header.slice(space + 1));
  let decoded: string;
  try {
    if (bytes === null) return { ok: false, status: 400 };
    decoded = UTF8.decode(bytes);
  } catch {
    return { ok: false, status: 400 };
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return { ok: false, status: 401 };
  const username = decoded.slice(0, colon);
  // Both checks run every time, so the answer's timing does not tell which one failed.
  const userOk = safeEqual(username, credentials.username);
  const passwordOk = passwordMatches(credentials.password, decoded.slice(colon + 1));
  return userOk && passwordOk ? { ok: true, username } : { ok: false, status: 401 };
}

/** The header value a client sends: `Basic base64(username:password)`. */
export function basicAuthHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}
