/**
 * The `supervisor.*` namespace (supervisord's `SupervisorNamespaceRPCInterface`), method for
 * method, over the daemon's Control. Names, parameter orders, return shapes and faults are
 * supervisord's; docs/rpc.md lists where Steward knowingly differs.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { diffGroups } from "../config/diff.js";
import type { Config, GroupConfig } from "../config/types.js";
import { readRange, tailRange } from "../logs/read-log.js";
import { RUNNING_STATES, STOPPED_STATES, SupervisorStates } from "../process/states.js";
import { Faults, RpcFault } from "../rpc/faults.js";
import type { RpcMethod, RpcParam, SignatureType } from "../rpc/registry.js";
import type { XmlRpcValue } from "../rpc/values.js";
import { SUPERVISOR_COMPAT_VERSION } from "../version.js";
import type { Control, ProcessResult } from "./control.js";
import type { ProcessRunner } from "./process-runner.js";

export interface NamespaceHooks {
  readonly control: Control;
  /** Re-reads the config file (throws ConfigError). */
  readonly reread: () => Config;
  readonly shutdown: () => void;
  readonly restart: () => void;
}

const p = (name: string, type: SignatureType, extra: Partial<RpcParam> = {}): RpcParam => ({
  name,
  type,
  ...extra,
});
const WAIT = p("wait", "boolean", { default: true });
const NAME = p("name", "string");

/** Reads `[start, end)` of a file; decodes with replacement (supervisord answers 500 on a cut character). */
function readBytes(path: string, start: number, end: number): string {
  if (end <= start) return "";
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(end - start);
    const n = readSync(fd, buffer, 0, buffer.length, start);
    return buffer.subarray(0, n).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function sizeOf(path: string | null): number | null {
  if (!path || path === "syslog") return null;
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

function readLogFile(path: string | null, offset: number, length: number): string {
  const size = sizeOf(path);
  if (size === null) throw new RpcFault(Faults.NO_FILE, path ?? "None");
  const range = readRange(size, offset, length);
  if (range === "bad-arguments") throw new RpcFault(Faults.BAD_ARGUMENTS);
  try {
    return readBytes(path!, range.start, range.end);
  } catch (error) {
    throw new RpcFault(Faults.FAILED, (error as Error).message);
  }
}

function tailLogFile(path: string | null, offset: number, length: number): XmlRpcValue {
  const size = sizeOf(path);
  if (size === null) return ["", 0, false];
  const range = tailRange(size, offset, length);
  return [readBytes(path!, range.start, range.end), range.next, range.overflow];
}

const results = (list: ProcessResult[]): XmlRpcValue => list.map((r) => ({ ...r }));

export function supervisorMethods(hooks: NamespaceHooks): RpcMethod[] {
  const { control } = hooks;
  let pending: Config | null = null;
  const running = () => {
    if (control.supervisor.mood !== "RUNNING") throw new RpcFault(Faults.SHUTDOWN_STATE);
  };
  const m = (
    name: string,
    params: RpcParam[],
    returns: SignatureType,
    help: string,
    handler: (args: readonly XmlRpcValue[]) => XmlRpcValue | Promise<XmlRpcValue>,
    options: { checkMood?: boolean } = {},
  ): RpcMethod => ({
    name: `supervisor.${name}`,
    params,
    returns,
    help: `${help}\n\n${params.map((x) => `@param ${x.type} ${x.name}`).join("\n")}${params.length ? "\n" : ""}@return ${returns} result`,
    handler: (args) => {
      if (options.checkMood !== false) running();
      return handler(args);
    },
  });
  const perProcess = (spec: string, act: (runner: ProcessRunner) => Promise<unknown> | unknown) => {
    const found = control.find(spec);
    if (found.runner) return null;
    return control.each(control.targets(found.group), act);
  };
  const activeConfigs = (): GroupConfig[] => control.supervisor.groups.map((g) => g.config);

  const methods: RpcMethod[] = [
    m("getAPIVersion", [], "string", "Return the version of the RPC API used by supervisord", () => "3.0"),
    m(
      "getSupervisorVersion",
      [],
      "string",
      "Return the version of the supervisor package this daemon is compatible with",
      () => SUPERVISOR_COMPAT_VERSION,
    ),
    m(
      "getIdentification",
      [],
      "string",
      "Return identifying string of supervisord",
      () => control.supervisor.config.supervisord.identifier,
    ),
    m("getState", [], "struct", "Return current state of supervisord as a struct", () => {
      const mood = control.supervisor.mood;
      return { statecode: SupervisorStates[mood], statename: mood };
    }),
    m("getPID", [], "int", "Return the PID of supervisord", () => process.pid),
    m(
      "readLog",
      [p("offset", "int"), p("length", "int")],
      "string",
      "Read length bytes from the main log starting at offset",
      ([o, l]) => readLogFile(control.supervisor.config.supervisord.logfile, o as number, l as number),
    ),
    m("clearLog", [], "boolean", "Clear the main log.", () => {
      const logfile = control.supervisor.config.supervisord.logfile;
      if (sizeOf(logfile) === null) throw new RpcFault(Faults.NO_FILE, logfile);
      control.supervisor.log.info("reopening log file");
      control.supervisor.log.clear();
      return true;
    }),
    m("shutdown", [], "boolean", "Shut down the supervisor process", () => {
      setImmediate(hooks.shutdown);
      return true;
    }),
    m("restart", [], "boolean", "Restart the supervisor process", () => {
      setImmediate(hooks.restart);
      return true;
    }),
    m(
      "reloadConfig",
      [],
      "array",
      "Reload the configuration. The result is [[added, changed, removed]] group names.",
      () => {
        try {
          pending = hooks.reread();
        } catch (error) {
          const issues = (error as { issues?: Array<{ message: string }> }).issues;
          throw new RpcFault(Faults.CANT_REREAD, issues?.[0]?.message ?? (error as Error).message);
        }
        const diff = diffGroups(activeConfigs(), pending.groups);
        return [
          [diff.added.map((g) => g.name), diff.changed.map((g) => g.name), diff.removed.map((g) => g.name)],
        ];
      },
    ),
    m(
      "addProcessGroup",
      [NAME],
      "boolean",
      "Update the config for a running process from config file.",
      ([name]) => {
        const source = pending ?? control.supervisor.config;
        const group = source.groups.find((g) => g.name === name);
        if (!group) throw new RpcFault(Faults.BAD_NAME, name as string);
        if (control.supervisor.group(name as string))
          throw new RpcFault(Faults.ALREADY_ADDED, name as string);
        control.supervisor.addGroup(group);
        return true;
      },
    ),
    m(
      "removeProcessGroup",
      [NAME],
      "boolean",
      "Remove a stopped process from the active configuration.",
      ([name]) => {
        const group = control.supervisor.group(name as string);
        if (!group) throw new RpcFault(Faults.BAD_NAME, name as string);
        if (group.runners.some((r) => !STOPPED_STATES.has(r.state)))
          throw new RpcFault(Faults.STILL_RUNNING, name as string);
        control.supervisor.removeGroup(name as string);
        return true;
      },
    ),
    m(
      "startProcess",
      [NAME, WAIT],
      "boolean",
      "Start a process (name, or group:* for a whole group).",
      async ([name, wait]) => {
        const group = perProcess(name as string, (r) => control.start(r, wait as boolean));
        if (group) return results(await group);
        return control.start(control.findProcess(name as string).runner, wait as boolean);
      },
    ),
    m(
      "startProcessGroup",
      [NAME, WAIT],
      "array",
      "Start all processes in the group named 'name'.",
      async ([name, wait]) => {
        const g = control.supervisor.group(name as string);
        if (!g) throw new RpcFault(Faults.BAD_NAME, name as string);
        const targets = control.targets(g).filter((t) => !RUNNING_STATES.has(t.runner.state));
        return results(await control.each(targets, (r) => control.start(r, wait as boolean)));
      },
    ),
    m(
      "startAllProcesses",
      [WAIT],
      "array",
      "Start all processes listed in the configuration file.",
      async ([wait]) => {
        const targets = control.targets().filter((t) => !RUNNING_STATES.has(t.runner.state));
        return results(await control.each(targets, (r) => control.start(r, wait as boolean)));
      },
    ),
    m(
      "stopProcess",
      [NAME, WAIT],
      "boolean",
      "Stop a process named by name (group:* for a whole group).",
      async ([name, wait]) => {
        const group = perProcess(name as string, (r) => control.stop(r, wait as boolean, false));
        if (group) return results(await group);
        return control.stop(control.findProcess(name as string).runner, wait as boolean);
      },
    ),
    m(
      "stopProcessGroup",
      [NAME, WAIT],
      "array",
      "Stop all processes in the process group named 'name'.",
      async ([name, wait]) => {
        const g = control.supervisor.group(name as string);
        if (!g) throw new RpcFault(Faults.BAD_NAME, name as string);
        const targets = control.targets(g).filter((t) => RUNNING_STATES.has(t.runner.state));
        return results(await control.stopInOrder(targets, wait as boolean));
      },
    ),
    m("stopAllProcesses", [WAIT], "array", "Stop all processes in the process list.", async ([wait]) => {
      const targets = control.targets().filter((t) => RUNNING_STATES.has(t.runner.state));
      return results(await control.stopInOrder(targets, wait as boolean));
    }),
    m(
      "signalProcess",
      [NAME, p("signal", "string", { accepts: ["int"] })],
      "boolean",
      "Send an arbitrary UNIX signal to the process named by name.",
      async ([name, signal]) => {
        const group = perProcess(name as string, (r) => control.signal(r, signal as string));
        if (group) return results(await group);
        return control.signal(control.findProcess(name as string).runner, signal as string);
      },
    ),
    m(
      "signalProcessGroup",
      [NAME, p("signal", "string", { accepts: ["int"] })],
      "array",
      "Send a signal to all processes in the group named 'name'.",
      async ([name, signal]) => {
        const g = control.supervisor.group(name as string);
        if (!g) throw new RpcFault(Faults.BAD_NAME, name as string);
        const targets = control
          .targets(g)
          .filter((t) => ["RUNNING", "STARTING", "STOPPING"].includes(t.runner.state));
        return results(await control.each(targets, (r) => control.signal(r, signal as string)));
      },
    ),
    m(
      "signalAllProcesses",
      [p("signal", "string", { accepts: ["int"] })],
      "array",
      "Send a signal to all processes in the process list.",
      async ([signal]) => {
        const targets = control
          .targets()
          .filter((t) => ["RUNNING", "STARTING", "STOPPING"].includes(t.runner.state));
        return results(await control.each(targets, (r) => control.signal(r, signal as string)));
      },
    ),
    m("getProcessInfo", [NAME], "struct", "Get info about a process named name", ([name]) => {
      const { group, runner } = control.findProcess(name as string);
      return control.info(group, runner);
    }),
    m("getAllProcessInfo", [], "array", "Get info about all processes", () => control.allInfo()),
    m("getAllConfigInfo", [], "array", "Get info about all available process configurations.", () =>
      allConfigInfo(control),
    ),
    ...logMethods(m, control),
    m(
      "clearProcessLogs",
      [NAME],
      "boolean",
      "Clear the stdout and stderr logs for the named process and reopen them.",
      ([name]) => {
        const { runner } = control.findProcess(name as string);
        clearLogs(runner);
        return true;
      },
    ),
    m("clearAllProcessLogs", [], "array", "Clear all process log files", async () =>
      results(
        await control.each(control.targets(), (r) => {
          clearLogs(r);
        }),
      ),
    ),
    m(
      "sendProcessStdin",
      [NAME, p("chars", "string")],
      "boolean",
      "Send a string of chars to the stdin of the process name.",
      ([name, chars]) => {
        const { runner } = control.findProcess(name as string);
        if (!runner.snapshot.pid || runner.snapshot.killing)
          throw new RpcFault(Faults.NOT_RUNNING, name as string);
        const stdin = runner.child?.stdin;
        if (!stdin || stdin.destroyed || !stdin.writable) throw new RpcFault(Faults.NO_FILE, name as string);
        stdin.write(Buffer.from(chars as string, "utf8"));
        return true;
      },
    ),
    m(
      "sendRemoteCommEvent",
      [p("type", "string"), p("data", "string")],
      "boolean",
      "Send an event that will be received by event listener subprocesses subscribing to the RemoteCommunicationEvent.",
      ([type, data]) => {
        control.supervisor.sendRemoteCommunication(type as string, data as string);
        return true;
      },
      {
        checkMood: false,
      },
    ),
  ];
  return withAliases(methods);
}

/** supervisord's alias → method names: the same method under a second name. */
const ALIASES: Readonly<Record<string, string>> = {
  getVersion: "getAPIVersion",
  readMainLog: "readLog",
  readProcessLog: "readProcessStdoutLog",
  tailProcessLog: "tailProcessStdoutLog",
  clearProcessLog: "clearProcessLogs",
};

function withAliases(methods: RpcMethod[]): RpcMethod[] {
  const aliases = Object.entries(ALIASES).map(([alias, target]) => {
    const method = methods.find((x) => x.name === `supervisor.${target}`)!;
    return { ...method, name: `supervisor.${alias}`, help: `${method.help}\n\n(alias of ${target})` };
  });
  return [...methods, ...aliases];
}

/** clearProcessLogs: remove and reopen the open log files (supervisord: a no-op when not running). */
function clearLogs(runner: ProcessRunner): void {
  try {
    runner.clearLogs();
  } catch {
    throw new RpcFault(Faults.FAILED, runner.name);
  }
}

function logMethods(
  m: (
    name: string,
    params: RpcParam[],
    returns: SignatureType,
    help: string,
    handler: (args: readonly XmlRpcValue[]) => XmlRpcValue,
  ) => RpcMethod,
  control: Control,
): RpcMethod[] {
  const range = [NAME, p("offset", "int"), p("length", "int")];
  const path = (name: XmlRpcValue, channel: "stdout" | "stderr") =>
    control.findProcess(name as string).runner.logPaths[channel];
  const read =
    (channel: "stdout" | "stderr") =>
    ([n, o, l]: readonly XmlRpcValue[]) =>
      readLogFile(path(n!, channel), o as number, l as number);
  const tail =
    (channel: "stdout" | "stderr") =>
    ([n, o, l]: readonly XmlRpcValue[]) =>
      tailLogFile(path(n!, channel), o as number, l as number);
  return [
    m(
      "readProcessStdoutLog",
      range,
      "string",
      "Read length bytes from name's stdout log starting at offset",
      read("stdout"),
    ),
    m(
      "readProcessStderrLog",
      range,
      "string",
      "Read length bytes from name's stderr log starting at offset",
      read("stderr"),
    ),
    m(
      "tailProcessStdoutLog",
      range,
      "array",
      "Provides a more efficient way to tail the (stdout) log than readProcessStdoutLog.",
      tail("stdout"),
    ),
    m(
      "tailProcessStderrLog",
      range,
      "array",
      "Provides a more efficient way to tail the (stderr) log than readProcessStderrLog.",
      tail("stderr"),
    ),
  ];
}

function allConfigInfo(control: Control): XmlRpcValue {
  const value = (v: string | number | null) => (v === null ? "none" : v);
  const logfile = (l: { kind: string; path?: string }) =>
    l.kind === "auto" ? "auto" : l.kind === "none" ? "none" : l.path!;
  const active = new Set(control.supervisor.groups.map((g) => g.config.name));
  const rows = control.supervisor.config.groups.flatMap((g) =>
    g.processes.map((p) => ({
      autostart: p.autostart,
      directory: value(p.directory),
      uid: value(p.user),
      command: p.command,
      exitcodes: [...p.exitcodes],
      group: g.name,
      group_prio: g.priority,
      inuse: active.has(g.name),
      killasgroup: p.killasgroup,
      name: p.name,
      process_prio: p.priority,
      redirect_stderr: p.redirect_stderr,
      startretries: p.startretries,
      startsecs: p.startsecs,
      stdout_capture_maxbytes: p.stdout.capture_maxbytes,
      stdout_events_enabled: p.stdout.events_enabled,
      stdout_logfile: logfile(p.stdout.logfile),
      stdout_logfile_backups: p.stdout.logfile_backups,
      stdout_logfile_maxbytes: p.stdout.logfile_maxbytes,
      stdout_syslog: p.stdout.syslog,
      stopsignal: p.stopsignal,
      stopwaitsecs: p.stopwaitsecs,
      stderr_capture_maxbytes: p.stderr.capture_maxbytes,
      stderr_events_enabled: p.stderr.events_enabled,
      stderr_logfile: logfile(p.stderr.logfile),
      stderr_logfile_backups: p.stderr.logfile_backups,
      stderr_logfile_maxbytes: p.stderr.logfile_maxbytes,
      stderr_syslog: p.stderr.syslog,
      serverurl: value(p.serverurl),
    })),
  );
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
