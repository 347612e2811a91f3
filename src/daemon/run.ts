/**
 * The daemon's life after its command line and config were accepted: supervisord's start-up order
 * (privileges, limits, main log, queued config messages, HTTP servers, AUTO log cleanup, groups,
 * pidfile, autostart), then signals and RPC requests until shutdown. Returns the exit status.
 */
import type { Config, SupervisordOptions } from "../config/types.js";
import { isConfigError } from "../errors.js";
import { cleanAutoLogs } from "../logs/auto-log.js";
import { type MainLog, openMainLog } from "../logs/main-log.js";
import { RpcRegistry } from "../rpc/registry.js";
import { openHttpServers, type RunningHttpServer } from "../rpc/server.js";
import type { ProcessSpawner } from "./child-handle.js";
import { Control } from "./control.js";
import { EventBus } from "./event-bus.js";
import { logtailRoutes } from "./logtail.js";
import { livePidfileOwner, removePidfile, writePidfile } from "./pidfile.js";
import { dropPrivileges } from "./privileges.js";
import { raiseLimits } from "./rlimits.js";
import { stewardMethods } from "./steward-methods.js";
import { Supervisor } from "./supervisor.js";
import { supervisorMethods } from "./supervisor-methods.js";
import { webRoutes } from "./web-routes.js";

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
    deferWrites: true,
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
  const usage = (message: string) => {
    options.stderr(`Error: ${message}\nFor help, use stewardd -h\n`);
    return 2;
  };
  const owner = livePidfileOwner(s.pidfile);
  if (owner !== null) {
    return usage(
      `Another stewardd or supervisord is already running as pid ${owner} (pidfile ${s.pidfile}). Shut it down first, or use another pidfile.`,
    );
  }
  const criticals: string[] = [];
  const infos: string[] = [];
  const dropped = dropPrivileges(s.user);
  if ("error" in dropped) return usage(dropped.error);
  if (dropped.message) infos.push(dropped.message);
  const limits = raiseLimits(s.minfds, s.minprocs);
  if ("error" in limits) return usage(limits.error);
  infos.push(...limits.infos);
  if (dropped.rootWarning) criticals.push(dropped.rootWarning);

  let log: MainLog;
  try {
    log = openLog(s);
  } catch (error) {
    return usage(`could not open the log file ${s.logfile}: ${(error as Error).message}`);
  }
  logStartupMessages(log, config, criticals, infos);

  let supervisor: Supervisor | null = null;
  let shuttingDown = false;
  // One event system for the daemon's life: a reload drops the pools, the global serial carries on.
  const events = new EventBus({ server: () => config.supervisord.identifier, log: () => log });
  let finish: (status: number) => void = () => {};
  const control = new Control(() => supervisor!, options.env);
  const methods = () => [
    ...supervisorMethods({
      control,
      reread: options.reload,
      shutdown: () => shutdown(null),
      restart: () => restart(null),
    }),
    ...stewardMethods(control),
  ];
  const registryOptions = {
    onUnexpectedError: (error: unknown, method: string) =>
      log.critical(`${method} raised an unexpected exception: ${String(error)}`),
  };
  const registryFor = (c: Config) =>
    new RpcRegistry(c.rpcinterfaces.some((r) => r.name === "supervisor") ? methods() : [], registryOptions);
  // The web pages use the methods whatever [rpcinterface:x] says, as supervisord's do.
  const ui = webRoutes({
    control,
    registry: new RpcRegistry(methods(), registryOptions),
    startTime: Math.floor(Date.now() / 1000),
  });
  let servers: RunningHttpServer[] = [];
  const openServers = async (c: Config): Promise<string | null> => {
    try {
      servers = await openHttpServers(c.servers, {
        registry: registryFor(c),
        log,
        stderr: options.stderr,
        routes: { ...logtailRoutes(() => supervisor!), ui },
      });
    } catch (error) {
      return (error as Error).message;
    }
    for (const server of c.servers) {
      for (const r of c.rpcinterfaces) log.info(`RPC interface '${r.name}' initialized`);
      if (!server.username)
        log.critical(`Server '${server.section}' running without any HTTP authentication checking`);
    }
    return null;
  };
  const closeServers = async () => {
    await Promise.all(servers.map((server) => server.close(1000)));
    servers = [];
  };

  const shutdown = (signal: string | null) => {
    if (signal) log.warn(`received ${signal} indicating exit request`);
    if (shuttingDown || !supervisor) return;
    shuttingDown = true;
    void supervisor.stopAll("SHUTDOWN").then(async () => {
      await closeServers();
      removePidfile(config.supervisord.pidfile, process.pid);
      events.dispose();
      log.close();
      for (const sig of [...EXIT_SIGNALS, "SIGHUP", "SIGUSR2"] as const) process.removeAllListeners(sig);
      finish(0);
    });
  };
  const restart = (signal: string | null) => {
    if (shuttingDown || !supervisor) {
      if (signal) log.warn(`ignored ${signal} indicating restart request (shutdown in progress)`);
      return;
    }
    if (signal) log.warn(`received ${signal} indicating restart request`);
    let next: Config;
    try {
      next = options.reload();
    } catch (error) {
      const message = isConfigError(error) ? error.issues.map((i) => i.message).join("; ") : String(error);
      log.error(`not reloading: the configuration has errors, keeping the running one: ${message}`);
      return;
    }
    shuttingDown = true;
    void supervisor.stopAll("RESTARTING").then(async () => {
      await closeServers();
      config = next;
      log.close();
      log = openLog(config.supervisord);
      logStartupMessages(log, config, [], []);
      const failure = await openServers(config);
      if (failure) {
        log.critical(`could not reopen the HTTP servers after a reload: ${failure}`);
        removePidfile(config.supervisord.pidfile, process.pid);
        finish(2);
        return;
      }
      events.clear();
      supervisor = startSupervisor(config, log, options, events);
      log.info(`supervisord started with pid ${process.pid}`);
      log.flush(); // visible before the start loop spawns anything
      shuttingDown = false;
      supervisor.start();
    });
  };

  // The HTTP servers come first: a second daemon on the same socket stops here, before it touches
  // anything of the first one's (AUTO logs included).
  const failure = await openServers(config);
  if (failure) {
    log.close();
    return usage(failure);
  }
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

  // Signal handlers do not keep Node's event loop alive: with no program and no server the daemon
  // would simply exit. One ref'd handle holds it until shutdown (it never fires: no polling).
  const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
  return new Promise<number>((resolve) => {
    finish = (status) => {
      clearInterval(keepAlive);
      resolve(status);
    };
    for (const sig of EXIT_SIGNALS) process.on(sig, () => shutdown(sig));
    process.on("SIGHUP", () => restart("SIGHUP"));
    process.on("SIGUSR2", () => {
      log.info("received SIGUSR2 indicating log reopen request");
      log.reopen();
      supervisor?.reopenLogs();
      log.info("supervisord logreopen");
    });
    supervisor = startSupervisor(config, log, options, events);
    if (!writePidfile(s.pidfile, process.pid)) log.critical(`could not write pidfile ${s.pidfile}`);
    log.info(`supervisord started with pid ${process.pid}`);
    log.flush(); // visible before the start loop spawns anything
    options.onReady();
    supervisor.start();
  });
}

function startSupervisor(config: Config, log: MainLog, options: RunOptions, events: EventBus): Supervisor {
  const s = config.supervisord;
  if (!s.nocleanup) {
    try {
      cleanAutoLogs(s.childlogdir, s.identifier);
    } catch {
      log.warn("Could not clear childlog dir");
    }
  }
  return new Supervisor(config, { spawner: options.spawner, log, now: Date.now, env: options.env, events });
}
