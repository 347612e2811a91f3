/**
 * supervisord's value converters (`supervisor/datatypes.py`), with its exact error messages.
 * Each takes the option's string and returns the typed value or throws a ConversionError. Pure,
 * apart from the host facts passed in for directories and users.
 */
import type { HostFacts } from "./host.js";
import { dirname, expanduser } from "./py-path.js";
import { isPyIntTooLarge, pyInt, pyIntError, pyRepr, pyStrip } from "./py-text.js";
import { SIGNAL_NUMBERS_BY_NAME, VALID_SIGNAL_NUMBERS } from "./signals.js";

/** A value supervisord would refuse; `message` is its text. */
export class ConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConversionError";
  }
}

const fail = (message: string): never => {
  throw new ConversionError(message);
};

/** Runs a conversion and replaces its message with `message` on failure, as supervisord often does. */
export function rewrap<T>(fn: () => T, message: string): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ConversionError) throw new ConversionError(message);
    throw error;
  }
}

/** `integer`: Python's `int()`. */
export function toInteger(value: string): number {
  return pyInt(value) ?? fail(pyIntError(value));
}

const TRUTHY = ["yes", "true", "on", "1"];
const FALSY = ["no", "false", "off", "0"];

/** `boolean`: yes/true/on/1 and no/false/off/0, any case. */
export function toBoolean(value: string): boolean {
  const lower = value.toLowerCase();
  if (TRUTHY.includes(lower)) return true;
  if (FALSY.includes(lower)) return false;
  return fail(`not a valid boolean value: ${pyRepr(value)}`);
}

const BYTE_SUFFIXES: ReadonlyArray<readonly [string, number]> = [
  ["kb", 1024],
  ["mb", 1024 ** 2],
  ["gb", 1024 ** 3],
];

/** `byte_size`: an integer with an optional kb/mb/gb suffix (1024-based, any case). */
export function toByteSize(value: string): number {
  const lower = value.toLowerCase();
  for (const [suffix, factor] of BYTE_SUFFIXES) {
    if (lower.slice(-2) === suffix) {
      const head = lower.slice(0, -2);
      return (pyInt(head) ?? fail(pyIntError(head))) * factor;
    }
  }
  return pyInt(lower) ?? fail(pyIntError(lower));
}

/** `octal_type`: Python's `int(value, 8)`. */
export function toOctal(value: string): number {
  return (
    pyInt(value, 8) ??
    fail(isPyIntTooLarge(value, 8) ? pyIntError(value, 8) : `${value} can not be converted to an octal type`)
  );
}

/** `signal_number`: a number Python's signal module knows, or a name with or without `SIG`. */
export function toSignal(value: string): number {
  let num = pyInt(value);
  if (num === null) {
    let name = pyStrip(value).toUpperCase();
    if (!name.startsWith("SIG")) name = `SIG${name}`;
    num = SIGNAL_NUMBERS_BY_NAME.get(name) ?? fail(`value ${pyRepr(value)} is not a valid signal name`);
  }
  if (!VALID_SIGNAL_NUMBERS.has(num)) fail(`value ${pyRepr(value)} is not a valid signal number`);
  return num;
}

/** `list_of_strings`: comma-separated, each stripped; empty → []. */
export function toStringList(value: string): string[] {
  return value === "" ? [] : value.split(",").map(pyStrip);
}

/** `list_of_exitcodes`: comma-separated integers 0…255; empty → []. */
export function toExitCodes(value: string): number[] {
  if (value === "") return [];
  const codes = value.split(",").map((c) => pyInt(c));
  if (codes.some((c) => c === null || c < 0 || c > 255))
    fail(`not a valid list of exit codes: ${pyRepr(value)}`);
  return codes as number[];
}

/** The restart policies of `autorestart`. */
export type AutoRestart = "true" | "false" | "unexpected";

/** `auto_restart`: boolean words or `unexpected`. */
export function toAutoRestart(value: string): AutoRestart {
  const lower = value.toLowerCase();
  if (TRUTHY.includes(lower)) return "true";
  if (FALSY.includes(lower)) return "false";
  if (lower === "unexpected") return "unexpected";
  return fail(`invalid 'autorestart' value ${pyRepr(lower)}`);
}

/** The level names supervisord accepts, lowest verbosity first. */
export const LOG_LEVELS = ["critical", "error", "warn", "info", "debug", "trace", "blather"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `logging_level`: one of LOG_LEVELS, any case. */
export function toLogLevel(value: string): LogLevel {
  const lower = value.toLowerCase();
  return LOG_LEVELS.find((l) => l === lower) ?? fail(`bad logging level name ${pyRepr(value)}`);
}

/** `process_or_group_name`: stripped; no space, `:` or `/`. */
export function toName(value: string): string {
  const stripped = pyStrip(value);
  for (const ch of [" ", ":", "/"]) {
    if (stripped.includes(ch)) fail(`Invalid name: ${pyRepr(value)} because of character: ${pyRepr(ch)}`);
  }
  return stripped;
}

/** Context the path converters need. */
export interface PathContext {
  readonly env: ReadonlyMap<string, string>;
  readonly host: HostFacts;
}

/** `existing_directory`: `~` expanded; must be a directory. */
export function toExistingDirectory(value: string, ctx: PathContext): string {
  const expanded = expanduser(value, ctx.env, ctx.host);
  if (ctx.host.isDirectory(expanded)) return expanded;
  return fail(`${value} is not an existing directory`);
}

/** `existing_dirpath`: `~` expanded; a bare file name, or a path whose directory exists. */
export function toExistingDirpath(value: string, ctx: PathContext): string {
  const expanded = expanduser(value, ctx.env, ctx.host);
  const dir = dirname(expanded);
  if (dir === "" || ctx.host.isDirectory(dir)) return expanded;
  return fail(`The directory named as part of the path ${value} does not exist`);
}

/** What a `*_logfile` value means. */
export type LogfileValue =
  | { kind: "none" }
  | { kind: "auto" }
  | { kind: "syslog" }
  | { kind: "path"; path: string };

/** `logfile_name`: NONE/OFF, AUTO, syslog (any case), else an existing dirpath. */
export function toLogfile(value: string, ctx: PathContext): LogfileValue {
  const lower = value.toLowerCase();
  if (lower === "none" || lower === "off") return { kind: "none" };
  if (lower === "auto") return { kind: "auto" };
  if (lower === "syslog") return { kind: "syslog" };
  return { kind: "path", path: toExistingDirpath(value, ctx) };
}

/** `name_to_uid`: a user name or a numeric uid that exists. */
export function toUid(value: string, host: HostFacts): number {
  const asNumber = pyInt(value);
  if (asNumber === null) return host.uidOfName(value) ?? fail(`Invalid user name ${value}`);
  if (!host.uidExists(asNumber)) fail(`Invalid user id ${value}`);
  return asNumber;
}

/** `name_to_gid`: a group name or a numeric gid that exists. */
export function toGid(value: string, host: HostFacts): number {
  const asNumber = pyInt(value);
  if (asNumber === null) return host.gidOfName(value) ?? fail(`Invalid group name ${value}`);
  if (!host.gidExists(asNumber)) fail(`Invalid group id ${value}`);
  return asNumber;
}

/** `colon_separated_user_group`: `user` or `user:group`, both resolvable. */
export function toUserGroup(value: string, host: HostFacts): { uid: number; gid: number } {
  const colon = value.indexOf(":");
  return rewrap(() => {
    if (colon < 0) return { uid: toUid(value, host), gid: -1 };
    return { uid: toUid(value.slice(0, colon), host), gid: toGid(value.slice(colon + 1), host) };
  }, `Invalid user:group definition ${value}`);
}

/** `port_number`: an integer 1…65535. */
export function toPortNumber(value: string): number {
  const n = toInteger(value);
  if (n < 1) fail(`${n} is below lower bound (1)`);
  if (n > 0xffff) fail(`${n} is above upper bound (65535)`);
  return n;
}

/** `inet_address`: `port`, `host:port`, `:port`, `*:port`; host lower-cased, `""` for all interfaces. */
export function toInetAddress(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(":");
  if (colon >= 0) {
    const portText = value.slice(colon + 1);
    if (portText === "") fail(`no port number specified in ${pyRepr(portText)}`);
    const port = toPortNumber(portText);
    const host = value.slice(0, colon).toLowerCase();
    return { host: host === "*" ? "" : host, port };
  }
  return rewrap(
    () => ({ host: "", port: toPortNumber(value) }),
    `not a valid port number: ${pyRepr(value)} `,
  );
}
