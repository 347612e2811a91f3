/**
 * A Config → the JSON document of `steward config dump --json` (docs: config-dump-schema), with
 * supervisord's option names and sorted keys. Pure.
 */
import type { ConfigError } from "../errors.js";
import { pyCompare } from "./py-text.js";
import { signalName } from "./signals.js";
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

function processJson(p: ProcessConfig): Record<string, Json> {
  return {
    name: p.name,
    command: p.command,
    directory: p.directory,
    umask: p.umask,
    priority: p.priority,
    autostart: p.autostart,
    autorestart: p.autorestart,
    startsecs: p.startsecs,
    startretries: p.startretries,
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
