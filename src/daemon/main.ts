/**
 * stewardd's entry point: supervisord's command line and config search, supervisord's usage
 * errors (exit status 2), daemonizing unless `nodaemon`, then the daemon itself.
 */
import { existsSync } from "node:fs";
import type { CliIo } from "../cli/io.js";
import { systemHost } from "../config/host-system.js";
import { loadConfig } from "../config/load.js";
import { normalizePath } from "../config/py-path.js";
import { findConfigFile } from "../config/search-path.js";
import type { Config } from "../config/types.js";
import { isConfigError } from "../errors.js";
import { NodeSpawner } from "../process/spawner.js";
import { STEWARD_VERSION } from "../version.js";
import { DAEMON_CHILD_ENV, launchDaemon, signalReady } from "./daemonize.js";
import { parseDaemonArgs } from "./options.js";
import { runDaemon } from "./run.js";
import { DAEMON_HELP } from "./usage.js";

const ROOT_SEARCH_WARNING =
  'Supervisord is running as root and it is searching for its configuration file in default locations (including its current working directory); you probably want to specify a "-c" argument specifying an absolute path to a configuration file for improved security.';

export async function daemonMain(args: string[], io: CliIo, argv0 = "stewardd"): Promise<number> {
  const usageError = (message: string) => {
    io.stderr(`Error: ${message}\nFor help, use ${argv0} -h\n`);
    return 2;
  };
  const host = systemHost();
  const command = parseDaemonArgs(args, { env: io.env, host });
  if (command.kind === "help") {
    io.stdout(DAEMON_HELP.replace("%s", argv0));
    return 0;
  }
  if (command.kind === "version") {
    io.stdout(`${STEWARD_VERSION}\n`);
    return 0;
  }
  if (command.kind === "error") return usageError(command.message);

  let configFile = command.configFile;
  if (configFile === null) {
    if (process.getuid?.() === 0) io.stderr(`UserWarning: ${ROOT_SEARCH_WARNING}\n`);
    const found = findConfigFile(argv0, (p) => existsSync(p));
    if ("error" in found) return usageError(found.error);
    configFile = found.file;
  }
  const file = configFile;
  const load = (): Config => {
    const config = loadConfig({ file, env: io.env, cwd: io.cwd });
    const merged = { ...config.supervisord, ...command.overrides };
    const normalize = (p: string) => normalizePath(p, io.cwd, io.env, host);
    return {
      ...config,
      supervisord: {
        ...merged,
        logfile: merged.logfile === "syslog" ? "syslog" : normalize(merged.logfile),
        pidfile: normalize(merged.pidfile),
      },
    };
  };
  let config: Config;
  try {
    config = load();
  } catch (error) {
    if (isConfigError(error)) return usageError(error.issues[0]?.message ?? error.message);
    throw error;
  }

  const daemonized = io.env.get(DAEMON_CHILD_ENV) === "1";
  if (!config.supervisord.nodaemon && !daemonized) {
    return launchDaemon([process.argv[1]!, ...args], io.stderr);
  }
  const env = new Map(io.env);
  env.delete(DAEMON_CHILD_ENV);
  const spawner = new NodeSpawner();
  const status = await runDaemon({
    configFile: file,
    config,
    reload: load,
    env,
    spawner,
    onReady: daemonized ? signalReady : () => {},
    daemonized,
    stderr: io.stderr,
  });
  spawner.close();
  return status;
}
