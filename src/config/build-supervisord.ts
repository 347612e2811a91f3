/** `[supervisord]` → SupervisordOptions, in supervisord's order of evaluation. Pure. */
import type { BuildContext } from "./build-context.js";
import {
  type LogLevel,
  toBoolean,
  toByteSize,
  toExistingDirectory,
  toExistingDirpath,
  toInteger,
  toLogLevel,
  toOctal,
} from "./convert.js";
import { parseKeyValuePairs } from "./py-shlex.js";
import type { OptionReader } from "./reader.js";
import { defaultOf, SCHEMA } from "./schema.js";
import type { SupervisordOptions } from "./types.js";

const SECTION = "supervisord";
const spec = SCHEMA.supervisord;

/** Builds the section and adds its `environment` to the reader's `ENV_*` names, as supervisord does. */
export function buildSupervisord(reader: OptionReader, ctx: BuildContext): SupervisordOptions {
  const here = new Map([["here", ctx.here]]);
  const paths = { env: ctx.env, host: ctx.host };
  const read = <T>(option: string, convert: (v: string) => T, onError: T, fallback?: string | null) =>
    reader.convert(spec, SECTION, option, convert, onError, { extra: here, fallback });

  const minfds = read("minfds", toInteger, 1024);
  const minprocs = read("minprocs", toInteger, 200);
  const directory = read("directory", (v) => toExistingDirectory(v, paths), null);
  const user = reader.get(SECTION, "user", null, here).value;
  const umask = read("umask", toOctal, 0o22);
  const logfile = read("logfile", (v) => toExistingDirpath(v, paths), "supervisord.log");
  const logfile_maxbytes = read("logfile_maxbytes", toByteSize, 0);
  const logfile_backups = read("logfile_backups", toInteger, 10);
  const loglevel = read<LogLevel>("loglevel", toLogLevel, "info");
  const pidfile = read("pidfile", (v) => toExistingDirpath(v, paths), "supervisord.pid");
  const identifier = reader.get(SECTION, "identifier", defaultOf(spec, "identifier"), here).value;
  const nodaemon = read("nodaemon", toBoolean, false);
  const silent = read("silent", toBoolean, false);
  const childlogdir = read("childlogdir", (v) => toExistingDirectory(v, paths), ctx.tempdir, ctx.tempdir);
  const nocleanup = read("nocleanup", toBoolean, false);
  const strip_ansi = read("strip_ansi", toBoolean, false);

  // `environment` is expanded twice (supervisord 4.2), the second time with host_node_name too.
  const envRead = reader.get(SECTION, "environment", "", here);
  const envNames = new Map(reader.environ);
  envNames.set("here", ctx.here);
  envNames.set("host_node_name", ctx.hostname);
  const envText =
    envRead.value === null
      ? null
      : reader.tryExpand(envRead.value, envNames, "environment", SECTION, "environment", envRead.origin);
  const environment =
    envText === null
      ? new Map<string, string>()
      : reader.attempt(
          () => parseKeyValuePairs(envText),
          new Map<string, string>(),
          SECTION,
          "environment",
          envRead.origin,
        );
  for (const [k, v] of environment) reader.environ.set(`ENV_${k}`, v);

  return {
    logfile,
    logfile_maxbytes,
    logfile_backups,
    loglevel,
    pidfile,
    umask,
    nodaemon,
    silent,
    minfds,
    minprocs,
    nocleanup,
    childlogdir,
    user,
    directory,
    strip_ansi,
    environment: Object.fromEntries(environment),
    identifier: identifier ?? "supervisor",
  };
}
