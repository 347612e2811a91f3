/**
 * A Config → the JSON document of `steward config dump --json` (docs: config-dump-schema), with
 * supervisord's option names and sorted keys. Pure.
 */
import type { ConfigError } from "../errors.js";
import { pyCompare } from "./py-text.js";
import { signalName } from "./signals.js";
import { stewardDefault } from "./steward-options.js";
import type {
  ChannelConfig,
  ChildLogfile,
  Config,
  GroupConfig,
  ProcessConfig,
  ServerConfig,
} from "./types.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function logfileValue(l: ChildLogfile): string | null {
  return l.kind === "auto" ? "AUTO" : l.kind === "file" ? l.path : null;
}

function channel(prefix: "stdout" | "stderr", c: ChannelConfig): Record<string, Json> {
  return {
    [`${prefix}_logfile`]: logfileValue(c.logfile),
    [`${prefix}_logfile_maxbytes`]: c.logfile_maxbytes,
    [`${prefix}_logfile_backups`]: c.logfile_backups,
    [`${prefix}_capture_maxbytes`]: c.capture_maxbytes,
    [`${prefix}_events_enabled`]: c.events_enabled,
    [`${prefix}_syslog`]: c.syslog,
  };
}

/** Steward's own options, only where they differ from their defaults (supervisord has none of them). */
function stewardJson(p: ProcessConfig): Record<string, Json> | null {
  const values: Record<string, Json> = {
    depends_on: p.depends_on.map((d) => `${d.target}=${d.condition}`),
    wait_for: p.wait_for.map((w) => w.text),
    wait_for_timeout: p.wait_for_timeout,
    healthcheck: p.healthcheck?.text ?? null,
    healthcheck_interval: p.healthcheck_interval,
    healthcheck_start_interval: p.healthcheck_start_interval,
    healthcheck_timeout: p.healthcheck_timeout,
    healthcheck_retries: p.healthcheck_retries,
    healthcheck_start_period: p.healthcheck_start_period,
    unhealthy_action: p.unhealthy_action,
    environment_file: p.environment_file,
    backoff: p.backoff,
    backoff_max: p.backoff_max,
    log_timestamps: p.log_timestamps,
  };
  const defaults: Record<string, Json> = {
    depends_on: [],
    wait_for: [],
    wait_for_timeout: stewardDefault("wait_for_timeout"),
    healthcheck: null,
    healthcheck_interval: stewardDefault("healthcheck_interval"),
    healthcheck_start_interval: stewardDefault("healthcheck_start_interval"),
    healthcheck_timeout: stewardDefault("healthcheck_timeout"),
    healthcheck_retries: stewardDefault("healthcheck_retries"),
    healthcheck_start_period: stewardDefault("healthcheck_start_period"),
    unhealthy_action: stewardDefault("unhealthy_action"),
    environment_file: null,
    backoff: stewardDefault("backoff"),
    backoff_max: stewardDefault("backoff_max"),
    log_timestamps: stewardDefault("log_timestamps"),
  };
  const set = Object.entries(values).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(defaults[k]));
  return set.length === 0 ? null : Object.fromEntries(set);
}

function processJson(p: ProcessConfig): Record<string, Json> {
  const steward = stewardJson(p);
  return {
    ...(steward === null ? {} : { steward }),
    name: p.name,
    command: p.command,
    directory: p.directory,
    umask: p.umask,
    priority: p.priority,
    autostart: p.autostart,
    autorestart: p.autorestart,
    startsecs: p.startsecs,
    startretries: Number.isFinite(p.startretries) ? p.startretries : "infinite",
    stopwaitsecs: p.stopwaitsecs,
    exitcodes: [...p.exitcodes],
    stopsignal: signalName(p.stopsignal),
    stopasgroup: p.stopasgroup,
    killasgroup: p.killasgroup,
    user: p.user,
    redirect_stderr: p.redirect_stderr,
    ...channel("stdout", p.stdout),
    ...channel("stderr", p.stderr),
    environment: { ...p.environment },
    serverurl: p.serverurl,
  };
}

function groupJson(g: GroupConfig): Record<string, Json> {
  const base: Record<string, Json> = {
    name: g.name,
    kind: g.kind,
    priority: g.priority,
    processes: g.processes.map(processJson),
  };
  if (g.kind === "eventlistener") {
    return { ...base, buffer_size: g.buffer_size, events: [...g.events], result_handler: g.result_handler };
  }
  if (g.kind === "fcgi-program") {
    const s = g.socket;
    return {
      ...base,
      socket: s.kind === "unix" ? `unix://${s.path}` : `tcp://${s.host}:${s.port}`,
      socket_backlog: g.socket_backlog,
      socket_mode: s.kind === "unix" ? s.mode : null,
      socket_owner: s.kind === "unix" ? s.owner : null,
    };
  }
  return base;
}

function serverJson(s: ServerConfig): Record<string, Json> {
  const auth = { name: s.name, username: s.username, password: s.password };
  return s.kind === "inet_http_server"
    ? { kind: s.kind, ...auth, host: s.host, port: s.port }
    : { kind: s.kind, ...auth, file: s.file, chmod: s.chmod, chown: s.chown };
}

export function configToJson(config: Config): Record<string, Json> {
  return {
    supervisord: { ...config.supervisord, environment: { ...config.supervisord.environment } },
    servers: config.servers.map(serverJson),
    serverurl: config.serverurl,
    groups: config.groups.map(groupJson),
    warnings: [...config.warnings],
  };
}

export function errorToJson(error: ConfigError): Record<string, Json> {
  return { error: error.issues[0]?.message ?? error.message };
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort(pyCompare)
        .map((k) => [k, sortKeys(value[k]!)]),
    );
  }
  return value;
}

/** JSON text with sorted keys and two-space indent, as the reference dumper prints it. */
export function stringifyDump(doc: Record<string, Json>): string {
  return `${JSON.stringify(sortKeys(doc), null, 2)}\n`;
}
