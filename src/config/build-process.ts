/**
 * A program-like section (`[program:x]`, `[eventlistener:x]`, `[fcgi-program:x]`, or a `[group:g]`
 * member) → its ProcessConfigs, following supervisord's `_processes_from_section` step by step,
 * including which `%(name)s` names each option sees. Pure.
 */
import type { BuildContext } from "./build-context.js";
import {
  type AutoRestart,
  ConversionError,
  type LogfileValue,
  toAutoRestart,
  toBoolean,
  toByteSize,
  toExitCodes,
  toInteger,
  toLogfile,
  toName,
  toOctal,
  toSignal,
  toUid,
} from "./convert.js";
import { ExpansionError, expand } from "./expand.js";
import { EXPANSION_HINT } from "./hints.js";
import type { FormatValue } from "./py-format.js";
import { parseKeyValuePairs } from "./py-shlex.js";
import { pyCompare } from "./py-text.js";
import type { OptionReader } from "./reader.js";
import { defaultOf, SCHEMA } from "./schema.js";
import { STEWARD_CONVERTERS as C, toRetries } from "./steward-options.js";
import type { ChannelConfig, ChildLogfile, ProcessConfig } from "./types.js";

const spec = SCHEMA.program;

/** Stops building a section after its first problem, as supervisord does. */
class StopSection extends Error {}

export function buildProcesses(
  reader: OptionReader,
  ctx: BuildContext,
  section: string,
  groupName: string,
  warnings: string[],
): ProcessConfig[] {
  const suffix = reader.sectionSuffix(section);
  const before = reader.issues.length;
  const failed = () => reader.issues.length > before;
  const programName = reader.attempt(
    () => toName(section.slice(section.indexOf(":") + 1)),
    null,
    section,
    undefined,
    undefined,
    "use a name without spaces, ':' or '/'",
    suffix,
  );
  if (programName === null) return [];
  // supervisord's `common_expansions`: one mutable map, which its loop later extends.
  const names = new Map<string, FormatValue>([
    ["here", ctx.here],
    ["program_name", programName],
    ["host_node_name", ctx.hostname],
    ["group_name", groupName],
  ]);
  const read = <T>(option: string, convert: (v: string) => T, onError: T, fallback?: string | null) =>
    reader.convert(spec, section, option, convert, onError, { extra: names, suffix, fallback });

  const priority = read("priority", toInteger, 999);
  const autostart = read("autostart", toBoolean, true);
  const autorestart = read<AutoRestart>("autorestart", toAutoRestart, "unexpected");
  const startsecs = read("startsecs", toInteger, 1);
  const startretries = read("startretries", toRetries, 3);
  const stopsignal = read("stopsignal", toSignal, 15);
  const stopwaitsecs = read("stopwaitsecs", toInteger, 10);
  const stopasgroup = read("stopasgroup", toBoolean, false);
  const killasgroup = read("killasgroup", toBoolean, stopasgroup, stopasgroup ? "true" : "false");
  const exitcodes = read("exitcodes", toExitCodes, [0]);
  const redirect_stderr = read("redirect_stderr", toBoolean, false);
  const numprocs = read("numprocs", toInteger, 1);
  const numprocs_start = read("numprocs_start", toInteger, 0);
  const environmentRead = reader.get(section, "environment", "", names, false);
  const stdoutCapture = read("stdout_capture_maxbytes", toByteSize, 0);
  const stdoutEvents = read("stdout_events_enabled", toBoolean, false);
  const stderrCapture = read("stderr_capture_maxbytes", toByteSize, 0);
  const stderrEvents = read("stderr_events_enabled", toBoolean, false);
  let serverurl = reader.get(section, "serverurl", null, names, true, suffix).value;
  if (serverurl !== null && serverurl.trim().toUpperCase() === "AUTO") serverurl = null;
  const userRead = reader.get(section, "user", null, names, true, suffix);
  const user = userRead.value;
  if (user !== null)
    reader.attempt(
      () => toUid(user, ctx.host),
      null,
      section,
      "user",
      userRead.origin,
      "write a user that exists on this host, or use --no-host-checks",
      suffix,
    );
  const umask = read<number | null>("umask", toOctal, null, null);
  const processNameRead = reader.get(section, "process_name", defaultOf(spec, "process_name"), names, false);
  const processName = reader.attempt(
    () => toName(processNameRead.value ?? ""),
    "",
    section,
    "process_name",
    processNameRead.origin,
    "use a name without spaces, ':' or '/'",
    suffix,
  );
  if (failed()) return [];
  if (numprocs > 1 && !processName.includes("%(process_num)")) {
    reader.report(
      "%(process_num) must be present within process_name when numprocs > 1",
      section,
      "process_name",
      processNameRead.origin,
      "add %(process_num)s to process_name, e.g. process_name=%(program_name)s_%(process_num)02d",
      suffix,
    );
    return [];
  }
  if (stopasgroup && !killasgroup) {
    reader.report(
      "Cannot set stopasgroup=true and killasgroup=false",
      section,
      "killasgroup",
      undefined,
      "remove killasgroup=false, or set stopasgroup=false",
      suffix,
    );
    return [];
  }

  const fail = (
    message: string,
    option: string | undefined,
    origin = option ? reader.get(section, option, null, undefined, false).origin : undefined,
    hint?: string,
  ): never => {
    reader.report(message, section, option, origin, hint, suffix);
    throw new StopSection();
  };
  const guard = <T>(option: string, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof ExpansionError) fail(error.message, option, undefined, EXPANSION_HINT);
      if (error instanceof ConversionError) fail(error.message, option);
      throw error;
    }
  };
  const getOrStop = (option: string, fallback: string | null) => {
    const count = reader.issues.length;
    const r = reader.get(section, option, fallback, names, true, suffix);
    if (reader.issues.length > count) throw new StopSection();
    return r;
  };

  const processes: ProcessConfig[] = [];
  try {
    for (let processNum = numprocs_start; processNum < numprocs + numprocs_start; processNum++) {
      names.set("process_num", processNum);
      names.set("numprocs", numprocs);
      for (const [k, v] of reader.environ) names.set(k, v);
      const envText = guard("environment", () => expand(environmentRead.value ?? "", names, "environment"));
      const environment = guard("environment", () => parseKeyValuePairs(envText));
      for (const [k, v] of environment) names.set(`ENV_${k}`, v);

      const directory = getOrStop("directory", null).value;
      const channel = (ch: "stdout" | "stderr"): { config: ChannelConfig; raw: LogfileValue } => {
        const key = `${ch}_logfile`;
        const lf = getOrStop(key, null);
        let raw: LogfileValue = { kind: "auto" };
        if (lf.origin !== undefined && lf.value !== null) {
          const twice = guard(key, () => expand(lf.value!, names, key));
          raw = guard(key, () => toLogfile(twice, { env: ctx.env, host: ctx.host }));
        }
        const int = (opt: string, conv: (v: string) => number) => {
          const r = getOrStop(opt, defaultOf(spec, opt));
          return guard(opt, () => conv(r.value!));
        };
        const logfile_backups = int(`${ch}_logfile_backups`, toInteger);
        const logfile_maxbytes = int(`${ch}_logfile_maxbytes`, toByteSize);
        const sy = getOrStop(`${ch}_syslog`, defaultOf(spec, `${ch}_syslog`));
        let syslog = guard(`${ch}_syslog`, () => toBoolean(sy.value!));
        let logfile: ChildLogfile =
          raw.kind === "path"
            ? { kind: "file", path: raw.path }
            : raw.kind === "auto"
              ? { kind: "auto" }
              : { kind: "none" };
        if (raw.kind === "syslog") {
          warnings.push(
            `For [${section}], ${key}=syslog but this is deprecated and will be removed.  Use ${ch}_syslog=true to enable syslog instead.`,
          );
          logfile = { kind: "none" };
          syslog = true;
        }
        if (raw.kind === "auto" && !logfile_maxbytes) {
          warnings.push(
            `For [${section}], AUTO logging used for ${key} without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally`,
          );
        }
        const capture_maxbytes = ch === "stdout" ? stdoutCapture : stderrCapture;
        const events_enabled = ch === "stdout" ? stdoutEvents : stderrEvents;
        return {
          config: { logfile, logfile_maxbytes, logfile_backups, capture_maxbytes, events_enabled, syslog },
          raw,
        };
      };
      const stdout = channel("stdout");
      let stderr = channel("stderr");
      if (redirect_stderr) {
        if (stderr.raw.kind === "path") {
          warnings.push(
            `For [${section}], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored`,
          );
        }
        stderr = { ...stderr, config: { ...stderr.config, logfile: { kind: "none" } } };
      }
      const commandRead = getOrStop("command", null);
      if (commandRead.value === null) {
        fail(
          `program section ${section} does not specify a command`,
          "command",
          undefined,
          "add command = /path/to/program and its arguments",
        );
      }
      const name = guard("process_name", () => expand(processName, names, "process_name"));
      const steward = <T>(option: string, convert: (v: string) => T): T => {
        const r = getOrStop(option, defaultOf(spec, option));
        return guard(option, () => convert(r.value ?? ""));
      };
      const environmentFile = getOrStop("environment_file", null).value;
      processes.push({
        name,
        section,
        file: reader.fileOf(section),
        program_name: programName,
        group_name: groupName,
        process_num: processNum,
        command: commandRead.value!,
        directory,
        umask,
        priority,
        autostart,
        autorestart,
        startsecs,
        startretries,
        exitcodes,
        stopsignal,
        stopwaitsecs,
        stopasgroup,
        killasgroup,
        user,
        redirect_stderr,
        stdout: stdout.config,
        stderr: stderr.config,
        environment: Object.fromEntries(environment),
        serverurl,
        depends_on: steward("depends_on", C.depends_on).map((d) => ({ ...d, processes: [] })),
        wait_for: steward("wait_for", C.wait_for),
        wait_for_timeout: steward("wait_for_timeout", C.wait_for_timeout),
        healthcheck: steward("healthcheck", C.healthcheck),
        healthcheck_interval: steward("healthcheck_interval", C.healthcheck_interval),
        healthcheck_start_interval: steward("healthcheck_start_interval", C.healthcheck_start_interval),
        healthcheck_timeout: steward("healthcheck_timeout", C.healthcheck_timeout),
        healthcheck_retries: steward("healthcheck_retries", C.healthcheck_retries),
        healthcheck_start_period: steward("healthcheck_start_period", C.healthcheck_start_period),
        unhealthy_action: steward("unhealthy_action", C.unhealthy_action),
        environment_file:
          environmentFile === null || environmentFile.trim() === "" ? null : environmentFile.trim(),
        backoff: steward("backoff", C.backoff),
        backoff_max: steward("backoff_max", C.backoff_max),
        log_timestamps: steward("log_timestamps", C.log_timestamps),
      });
    }
  } catch (error) {
    if (error instanceof StopSection) return [];
    throw error;
  }
  return sortProcesses(processes);
}

/** supervisord's order for processes and groups: by priority, then name (stable). */
export function sortProcesses<T extends { priority: number; name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.priority - b.priority || pyCompare(a.name, b.name));
}
