/**
 * stewardd's entry point. This release loads and validates the configuration exactly as
 * supervisord would (same search path, same errors, exit status 2); the process engine that then
 * runs it is the subject of the next issue, and stewardd says so instead of pretending to run.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import type { CliIo } from "../cli/io.js";
import { loadConfig } from "../config/load.js";
import { findConfigFile } from "../config/search-path.js";
import { isConfigError } from "../errors.js";
import { STEWARD_VERSION } from "../version.js";
import { DAEMON_HELP } from "./usage.js";

const OPTIONS = {
  configuration: { type: "string", short: "c" },
  nodaemon: { type: "boolean", short: "n" },
  silent: { type: "boolean", short: "s" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
  user: { type: "string", short: "u" },
  umask: { type: "string", short: "m" },
  directory: { type: "string", short: "d" },
  logfile: { type: "string", short: "l" },
  logfile_maxbytes: { type: "string", short: "y" },
  logfile_backups: { type: "string", short: "z" },
  loglevel: { type: "string", short: "e" },
  pidfile: { type: "string", short: "j" },
  identifier: { type: "string", short: "i" },
  childlogdir: { type: "string", short: "q" },
  nocleanup: { type: "boolean", short: "k" },
  minfds: { type: "string", short: "a" },
  strip_ansi: { type: "boolean", short: "t" },
  minprocs: { type: "string" },
} as const;

export function daemonMain(args: string[], io: CliIo, argv0 = "stewardd"): number {
  const usageError = (message: string) => {
    io.stderr(`Error: ${message}\nFor help, use ${argv0} -h\n`);
    return 2;
  };
  if (args.includes("-?")) {
    io.stdout(DAEMON_HELP.replace("%s", argv0));
    return 0;
  }
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const opt = /'(-[^']+)'/.exec((error as Error).message)?.[1];
    return usageError(opt ? `option ${opt} not recognized` : (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(DAEMON_HELP.replace("%s", argv0));
    return 0;
  }
  if (values.version) {
    io.stdout(`${STEWARD_VERSION}\n`);
    return 0;
  }
  if (positionals.length > 0) {
    return usageError(
      `positional arguments are not supported: [${positionals.map((p) => `'${p}'`).join(", ")}]`,
    );
  }
  let file = values.configuration;
  if (file === undefined) {
    const found = findConfigFile(argv0, (p) => existsSync(p));
    if ("error" in found) return usageError(found.error);
    file = found.file;
  }
  try {
    loadConfig({ file, env: io.env, cwd: io.cwd });
  } catch (error) {
    if (isConfigError(error)) return usageError(error.issues[0]?.message ?? error.message);
    throw error;
  }
  io.stderr(
    `stewardd: ${file} is valid, but this build has no process engine yet (see issue #3); nothing was started.\n`,
  );
  return 1;
}
