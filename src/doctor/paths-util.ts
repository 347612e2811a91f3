/** Paths and places for messages: absolute paths against a directory, and `file:line` strings. Pure. */
import { abspath, dirname } from "../config/py-path.js";

/** `p` made absolute against `cwd` and normalised. */
export function resolvePath(p: string, cwd: string): string {
  return abspath(p, cwd);
}

/** The directory a path is in. */
export function parentDir(p: string): string {
  return dirname(p) || ".";
}

/** `file:line`. */
export function placeLine(file: string, line: number): string {
  return `${file}:${line}`;
}

/** Whether a host name or address means this machine's loopback or every interface. */
export function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return (
    h === "" ||
    h === "localhost" ||
    h === "*" ||
    h === "0.0.0.0" ||
    h === "::" ||
    h === "::1" ||
    /^127\.\d+\.\d+\.\d+$/.test(h)
  );
}

/** `host:port`, with IPv6 addresses in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
