/**
 * The daemon's life after its command line and config were accepted: supervisord's start-up order
 * (privileges, main log, queued config messages, AUTO log cleanup, groups, pidfile, autostart),
 * then signals until shutdown. Returns the exit status.
 */
import { loadConfig } from "../config/load.js";
import type { Config, SupervisordOptions } from "../config/types.js";
import { isConfigError } from "../errors.js";
import { cleanAutoLogs } from "../logs/auto-log.js";
import { type MainLog, openMainLog } from "../logs/main-log.js";
import type { ProcessSpawner } from "./child-handle.js";
import { livePidfileOwner, removePidfile, writePidfile } from "./pidfile.js";
import { dropPrivileges } from "./privileges.js";
import { raiseLimits } from "./rlimits.js";
import { Supervisor } from "./supervisor.js";

export interface RunOptions {
  readonly configFile: string;
  /** The loaded config with command-line overrides applied. */
  readonly config: Config;
  /** Re-reads the config for a reload (same file, same overrides). */
  readonly reload: () => Config;
  readonly env: ReadonlyMap<string, string>;
  readonly spawner: ProcessSpawner;
  /** Called once the daemon runs and its pidfile is written (the daemonizing parent then exits). */
  readonly onReady: () => void;
  /** True in the re-spawned daemon process (not in the foreground). */
  readonly daemonized: boolean;
  readonly stderr: (text: string) => void;
}

const EXIT_SIGNALS = ["SIGTERM", "SIGINT", "SIGQUIT"] as const;

function openLog(s: SupervisordOptions): MainLog {
  return openMainLog({
    logfile: s.logfile,
    maxBytes: s.logfile_maxbytes,
    backups: s.logfile_backups,
    level: s.loglevel,
    echo: s.nodaemon && !s.silent ? process.stdout : null,
  });
}

/** Logs the config's queued messages as supervisord does: CRIT, then WARN, then INFO. */
function logStartupMessages(log: MainLog, config: Config, criticals: string[], infos: string[]): void {
  for (const m of criticals) log.critical(m);
  for (const m of config.warnings) log.warn(m);
  for (const m of [...config.infos, ...infos]) log.info(m);
}

export async function runDaemon(options: RunOptions): Promise<number> {
  let config = options.config;
  const s = config.supervisord;
  const owner = livePidfileOwner(s.pidfile);
  if (owner !== null) {
    options.stderr(
      `Error: Another stewardd or supervisord is already running as pid ${owner} (pidfile ${s.pidfile}). Shut it down first, or use another pidfile.\nFor help, use stewardd -h\n`,
    );
    return 2;
  }
  const criticals: string[] = [];
  const infos: string[] = [];
  const dropped = dropPrivileges(s.user);
  if ("error" in dropped) {
    options.stderr(`Error: ${dropped.error}\nFor help, use stewardd -h\n`);
    return 2;
  }
  if (dropped.message) infos.push(dropped.message);
  const limits = raiseLimits(s.minfds, s.minprocs);
  if ("error" in limits) {
    options.stderr(`Error: ${limits.error}\nFor help, use stewardd -h\n`);
    return 2;
  }
  infos.push(...limits.infos);
  if (dropped.rootWarning) criticals.push(dropped.rootWarning);

  let log: MainLog;
  try {
    log = openLog(s);
  } catch (error) {
    options.stderr(
      `Error: could not open the log file ${s.logfile}: ${(error as Error).message}\nFor help, use stewardd -h\n`,
    );
    return 2;
  }
  logStartupMessages(log, config, criticals, infos);
  if (options.daemonized) {
    log.info("daemonizing the supervisord process");
    if (s.directory !== null) {
      try {
        process.chdir(s.directory);
        log.info(`set current directory: '${s.directory}'`);
      } catch (error) {
        log.critical(`can't chdir into '${s.directory}': ${(error as Error).message}`);
      }
    }
    process.umask(s.umask);
  }

  let supervisor: Supervisor;
  return new Promise<number>((resolve) => {
    let shuttingDown = false;
    const onExitSignal = (signal: string) => {
      log.warn(`received ${signal} indicating exit request`);
      if (shuttingDown) return;
      shuttingDown = true;
      void supervisor.stopAll("SHUTDOWN").then(() => {
        removePidfile(config.supervisord.pidfile, process.pid);
        log.close();
        for (const sig of [...EXIT_SIGNALS, "SIGHUP", "SIGUSR2"] as const) process.removeAllListeners(sig);
        resolve(0);
      });
    };
    const onHangup = () => {
      if (shuttingDown) {
        log.warn("ignored SIGHUP indicating restart request (shutdown in progress)");
        return;
      }
      log.warn("received SIGHUP indicating restart request");
      let next: Config;
      try {
        next = options.reload();
      } catch (error) {
        const message = isConfigError(error) ? error.issues.map((i) => i.message).join("; ") : String(error);
        log.error(`not reloading: the configuration has errors, keeping the running one: ${message}`);
        return;
      }
      shuttingDown = true;
      void supervisor.stopAll("RESTARTING").then(() => {
        config = next;
        log.close();
        log = openLog(config.supervisord);
        logStartupMessages(log, config, [], []);
        supervisor = startSupervisor(config, log, options);
        log.info(`supervisord started with pid ${process.pid}`);
        shuttingDown = false;
        supervisor.start();
      });
    };
    const onUsr2 = () => {
      log.info("received SIGUSR2 indicating log reopen request");
      log.reopen();
      supervisor.reopenLogs();
      log.info("supervisord logreopen");
    };
    for (const sig of EXIT_SIGNALS) process.on(sig, () => onExitSignal(sig));
    process.on("SIGHUP", onHangup);
    process.on("SIGUSR2", onUsr2);

    // Handlers first (as supervisord installs them before it starts anything), then the processes.
    supervisor = startSupervisor(config, log, options);
    if (!writePidfile(s.pidfile, process.pid)) log.critical(`could not write pidfile ${s.pidfile}`);
    log.info(`supervisord started with pid ${process.pid}`);
    options.onReady();
    supervisor.start();
  });
}

function startSupervisor(config: Config, log: MainLog, options: RunOptions): Supervisor {
  const s = config.supervisord;
  if (!s.nocleanup) {
    try {
      cleanAutoLogs(s.childlogdir, s.identifier);
    } catch {
      log.warn("Could not clear childlog dir");
    }
  }
  return new Supervisor(config, { spawner: options.spawner, log, now: Date.now, env: options.env });
}

export { loadConfig };
