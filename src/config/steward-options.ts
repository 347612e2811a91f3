/**
 * Steward's own program options (supervisord ignores them, so a config stays loadable by supervisord,
 * except `startretries = infinite`): dependencies, wait conditions, health checks, restart policy.
 * Converters from the option text, throwing ConversionError with a message that says what is wrong.
 * Pure.
 */
import { ConversionError, toBoolean, toInteger } from "./convert.js";
import { defaultOf, SCHEMA } from "./schema.js";
import type { BackoffPolicy, DependencyCondition, ProbeSpec, UnhealthyAction } from "./types.js";

const fail = (message: string): never => {
  throw new ConversionError(message);
};

const CONDITIONS: readonly DependencyCondition[] = ["started", "running", "healthy", "completed"];

/** A dependency as written: a program, `group:name` or `group:*`, and its condition. */
export interface DependencySpec {
  readonly target: string;
  readonly condition: DependencyCondition;
}

/** `depends_on = NAME[=CONDITION], …` (CONDITION: started, running (default), healthy, completed). */
export function toDependencies(value: string): DependencySpec[] {
  const specs: DependencySpec[] = [];
  for (const raw of value.split(",")) {
    const item = raw.trim();
    if (item === "") continue;
    const eq = item.indexOf("=");
    const target = (eq < 0 ? item : item.slice(0, eq)).trim();
    const condition = (
      eq < 0
        ? "running"
        : item
            .slice(eq + 1)
            .trim()
            .toLowerCase()
    ) as DependencyCondition;
    if (target === "" || /\s/.test(target))
      fail(`bad dependency ${JSON.stringify(item)}: expected NAME[=CONDITION]`);
    if (!CONDITIONS.includes(condition)) {
      fail(
        `unknown condition ${JSON.stringify(condition)} in ${JSON.stringify(item)}: use ${CONDITIONS.join(", ")}`,
      );
    }
    if (specs.some((s) => s.target === target)) fail(`${target} is listed twice`);
    specs.push({ target, condition });
  }
  return specs;
}

/** `startretries`: a whole number, or `infinite` (never FATAL). */
export function toRetries(value: string): number {
  return value.trim().toLowerCase() === "infinite" ? Number.POSITIVE_INFINITY : toInteger(value);
}

/** A whole number of seconds, 0 or more. */
export function toSeconds(value: string): number {
  const n = toInteger(value);
  return n < 0 ? fail(`${n} is negative: write a number of seconds, 0 or more`) : n;
}

/** A whole number, 1 or more. */
export function toPositive(value: string): number {
  const n = toInteger(value);
  return n < 1 ? fail(`${n} is less than 1`) : n;
}

/** One of `choices`, any case. */
export function toChoice<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    const v = value.trim().toLowerCase() as T;
    return choices.includes(v) ? v : fail(`${JSON.stringify(value)} is not one of ${choices.join(", ")}`);
  };
}

type ProbeKind = ProbeSpec["kind"];

const HEALTHCHECK_KINDS: readonly ProbeKind[] = ["tcp", "http", "exec", "log"];
const WAIT_FOR_KINDS: readonly ProbeKind[] = ["tcp", "http", "program"];

/** `healthcheck = tcp://host:port | http(s)://…[ expect STATUS] | exec:COMMAND | log:REGEX`. */
export function toHealthcheck(value: string): ProbeSpec | null {
  const text = value.trim();
  if (text === "" || text.toLowerCase() === "none") return null;
  return toProbe(text, HEALTHCHECK_KINDS);
}

/**
 * `wait_for = URL, …`: `tcp://host:port`, `http(s)://…[ expect STATUS]`, and
 * `program:NAME@SERVERURL` — a program RUNNING under another supervisord or stewardd, reached at its
 * `serverurl` (`unix:///path/to.sock` or `http://[user:password@]host:port`; for a unix socket with
 * credentials, `unix://user:password@/path/to.sock`).
 */
export function toWaitFor(value: string): ProbeSpec[] {
  const items: string[] = [];
  for (const piece of value.split(",")) {
    const trimmed = piece.trim();
    if (trimmed === "") continue;
    // A comma inside a URL (a query string) belongs to the item before unless a new scheme starts.
    if (items.length > 0 && !/^(tcp|https?):\/\/|^program:/i.test(trimmed))
      items[items.length - 1] += `,${piece}`;
    else items.push(trimmed);
  }
  return items.map((item) => toProbe(item, WAIT_FOR_KINDS));
}

function toProbe(text: string, allowed: readonly ProbeKind[]): ProbeSpec {
  const probe = parseProbe(text);
  if (!allowed.includes(probe.kind)) {
    fail(`${JSON.stringify(text)}: a ${probe.kind} check cannot be used here (use ${allowed.join(", ")})`);
  }
  return probe;
}

function parseProbe(text: string): ProbeSpec {
  const lower = text.toLowerCase();
  if (lower.startsWith("tcp://")) {
    const m = /^tcp:\/\/(\[[^\]]+\]|[^:/\s]+):(\d+)\/?$/i.exec(text);
    if (!m) return fail(`bad tcp check ${JSON.stringify(text)}: expected tcp://host:port`);
    return { kind: "tcp", text, host: m[1]!.replace(/^\[|\]$/g, ""), port: toPort(m[2]!, text) };
  }
  if (lower.startsWith("http://") || lower.startsWith("https://")) {
    const m = /^(\S+)(?:\s+expect\s+(\d{3}))?$/i.exec(text);
    if (!m)
      return fail(
        `bad http check ${JSON.stringify(text)}: expected http(s)://host[:port]/path [expect STATUS]`,
      );
    let url: URL;
    try {
      url = new URL(m[1]!);
    } catch {
      return fail(`bad URL ${JSON.stringify(m[1])}`);
    }
    if (url.hostname === "") fail(`bad URL ${JSON.stringify(m[1])}: no host`);
    return { kind: "http", text, url: url.href, expect: m[2] === undefined ? null : Number(m[2]) };
  }
  if (lower.startsWith("exec:")) {
    const command = text.slice(5).trim();
    if (command === "") fail(`${JSON.stringify(text)}: exec: needs a command`);
    return { kind: "exec", text, command };
  }
  if (lower.startsWith("log:")) {
    const pattern = text.slice(4);
    if (pattern === "") fail(`${JSON.stringify(text)}: log: needs a regular expression`);
    try {
      new RegExp(pattern);
    } catch (error) {
      fail(`${JSON.stringify(text)}: bad regular expression: ${(error as Error).message}`);
    }
    return { kind: "log", text, pattern };
  }
  if (lower.startsWith("program:")) return parseProgramProbe(text);
  return fail(
    `unknown check ${JSON.stringify(text)}: write tcp://host:port, http(s)://…, exec:COMMAND, log:REGEX or program:NAME@SERVERURL`,
  );
}

function parseProgramProbe(text: string): ProbeSpec {
  const rest = text.slice("program:".length);
  const at = rest.indexOf("@");
  if (at <= 0) return fail(`bad program check ${JSON.stringify(text)}: expected program:NAME@SERVERURL`);
  const name = rest.slice(0, at);
  let server = rest.slice(at + 1);
  let username: string | null = null;
  let password: string | null = null;
  const unix = /^unix:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?(\/\S+)$/i.exec(server);
  if (unix) {
    if (unix[1] !== undefined) {
      username = decodeURIComponent(unix[1]);
      password = unix[2] === undefined ? null : decodeURIComponent(unix[2]);
    }
    server = `unix://${unix[3]}`;
  } else if (/^https?:\/\//i.test(server)) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      return fail(`bad server URL ${JSON.stringify(server)} in ${JSON.stringify(text)}`);
    }
    if (url.username) {
      username = decodeURIComponent(url.username);
      password = decodeURIComponent(url.password);
      url.username = "";
      url.password = "";
    }
    server = url.origin;
  } else {
    return fail(
      `bad server URL ${JSON.stringify(server)} in ${JSON.stringify(text)}: write unix:///path or http://host:port`,
    );
  }
  return { kind: "program", text, name, serverurl: server, username, password };
}

function toPort(digits: string, text: string): number {
  const port = Number(digits);
  return port >= 1 && port <= 65535 ? port : fail(`bad port ${digits} in ${JSON.stringify(text)}`);
}

/** How each Steward option is converted (the loader and `config dump` share it). */
export const STEWARD_CONVERTERS = {
  depends_on: toDependencies,
  wait_for: toWaitFor,
  wait_for_timeout: toSeconds,
  healthcheck: toHealthcheck,
  healthcheck_interval: toPositive,
  healthcheck_start_interval: toPositive,
  healthcheck_timeout: toPositive,
  healthcheck_retries: toPositive,
  healthcheck_start_period: toSeconds,
  unhealthy_action: toChoice<UnhealthyAction>(["restart", "stop", "none"]),
  backoff: toChoice<BackoffPolicy>(["linear", "exponential"]),
  backoff_max: toPositive,
  log_timestamps: toBoolean,
} as const;

/** Each Steward option's default, converted from the schema's text. */
export function stewardDefault<K extends keyof typeof STEWARD_CONVERTERS>(
  option: K,
): ReturnType<(typeof STEWARD_CONVERTERS)[K]> {
  const convert = STEWARD_CONVERTERS[option] as (value: string) => ReturnType<(typeof STEWARD_CONVERTERS)[K]>;
  return convert(defaultOf(SCHEMA.program, option) ?? "");
}
