/**
 * stewardd's command line, as supervisord's: getopt options, each value checked with the config
 * option's converter (`invalid value for -e 'loud': bad logging level name 'loud'`), a repeated
 * option refused, and the values that override `[supervisord]`. Pure, given the host facts.
 */
import { type GetoptError, getopt, type OptionDef } from "../cli/getopt.js";
import {
  ConversionError,
  toByteSize,
  toExistingDirectory,
  toExistingDirpath,
  toInteger,
  toLogLevel,
  toOctal,
} from "../config/convert.js";
import type { HostFacts } from "../config/host.js";
import { pyRepr } from "../config/py-text.js";
import type { SupervisordOptions } from "../config/types.js";

type Override = Partial<{ -readonly [K in keyof SupervisordOptions]: SupervisordOptions[K] }>;

interface DaemonOptionDef extends OptionDef {
  /** The `[supervisord]` option it overrides, if any. */
  readonly target?: keyof SupervisordOptions;
  readonly convert?: (value: string, ctx: { env: ReadonlyMap<string, string>; host: HostFacts }) => unknown;
}

const d = (
  short: string | undefined,
  long: string,
  takesValue: boolean,
  target?: keyof SupervisordOptions,
  convert?: DaemonOptionDef["convert"],
): DaemonOptionDef => {
  const def: { -readonly [K in keyof DaemonOptionDef]: DaemonOptionDef[K] } = { long, takesValue };
  if (short) def.short = short;
  if (target) def.target = target;
  if (convert) def.convert = convert;
  return def;
};

export const DAEMON_OPTIONS: readonly DaemonOptionDef[] = [
  d("c", "configuration", true),
  d("n", "nodaemon", false, "nodaemon"),
  d("s", "silent", false, "silent"),
  d("h", "help", false),
  d("?", "", false),
  d("v", "version", false),
  d("u", "user", true, "user", (v) => v),
  d("m", "umask", true, "umask", (v) => toOctal(v)),
  d("d", "directory", true, "directory", (v, c) => toExistingDirectory(v, c)),
  d("l", "logfile", true, "logfile", (v, c) => toExistingDirpath(v, c)),
  d("y", "logfile_maxbytes", true, "logfile_maxbytes", (v) => toByteSize(v)),
  d("z", "logfile_backups", true, "logfile_backups", (v) => toInteger(v)),
  d("e", "loglevel", true, "loglevel", (v) => toLogLevel(v)),
  d("j", "pidfile", true, "pidfile", (v, c) => toExistingDirpath(v, c)),
  d("i", "identifier", true, "identifier", (v) => v),
  d("q", "childlogdir", true, "childlogdir", (v, c) => toExistingDirectory(v, c)),
  d("k", "nocleanup", false, "nocleanup"),
  d("a", "minfds", true, "minfds", (v) => toInteger(v)),
  d("t", "strip_ansi", false, "strip_ansi"),
  d(undefined, "minprocs", true, "minprocs", (v) => toInteger(v)),
  d(undefined, "profile_options", true),
];

export type DaemonCommand =
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "run"; readonly configFile: string | null; readonly overrides: Override }
  | { readonly kind: "error"; readonly message: string };

/** Parses stewardd's arguments the way supervisord's `Options.realize` does. */
export function parseDaemonArgs(
  args: readonly string[],
  ctx: { env: ReadonlyMap<string, string>; host: HostFacts },
): DaemonCommand {
  let parsed: ReturnType<typeof getopt>;
  try {
    parsed = getopt(
      args,
      DAEMON_OPTIONS.filter((o) => o.long !== "" || o.short),
    );
  } catch (error) {
    return { kind: "error", message: (error as GetoptError).message };
  }
  const seen = new Set<string>();
  const overrides: Override = {};
  let configFile: string | null = null;
  for (const { flag, def, value } of parsed.options) {
    const o = def as DaemonOptionDef;
    if (o.short === "h" || o.short === "?") return { kind: "help" };
    if (o.short === "v") return { kind: "version" };
    const key = o.long || o.short!;
    if (seen.has(key)) return { kind: "error", message: `conflicting command line option ${pyRepr(flag)}` };
    seen.add(key);
    if (o.long === "configuration") {
      configFile = value;
      continue;
    }
    if (!o.target) continue;
    let converted: unknown = true;
    if (o.takesValue && o.convert) {
      try {
        converted = o.convert(value!, ctx);
      } catch (error) {
        if (!(error instanceof ConversionError)) throw error;
        return { kind: "error", message: `invalid value for ${flag} ${pyRepr(value!)}: ${error.message}` };
      }
    }
    (overrides as Record<string, unknown>)[o.target] = converted;
  }
  if (parsed.positionals.length > 0) {
    return {
      kind: "error",
      message: `positional arguments are not supported: [${parsed.positionals.map(pyRepr).join(", ")}]`,
    };
  }
  return { kind: "run", configFile, overrides };
}
