/**
 * The loaded configuration: typed, read-only records with every default filled in. Property names
 * are supervisord's option names, so the records, the docs and `config dump` speak one language.
 */
import type { AutoRestart, LogLevel } from "./convert.js";

/** The `[supervisord]` section. */
export interface SupervisordOptions {
  readonly logfile: string;
  readonly logfile_maxbytes: number;
  readonly logfile_backups: number;
  readonly loglevel: LogLevel;
  readonly pidfile: string;
  readonly umask: number;
  readonly nodaemon: boolean;
  readonly silent: boolean;
  readonly minfds: number;
  readonly minprocs: number;
  readonly nocleanup: boolean;
  readonly childlogdir: string;
  readonly user: string | null;
  readonly directory: string | null;
  readonly strip_ansi: boolean;
  readonly environment: Readonly<Record<string, string>>;
  readonly identifier: string;
}

interface ServerBase {
  /** The section name, e.g. `inet_http_server` or `unix_http_server:second`. */
  readonly section: string;
  /** The part after `:` in the section name, or null. */
  readonly name: string | null;
  readonly username: string | null;
  /** Cleartext, or `{SHA}` followed by the hex SHA-1 of the password. */
  readonly password: string | null;
}

export interface InetServerConfig extends ServerBase {
  readonly kind: "inet_http_server";
  /** Steward's extension: listen beyond loopback without credentials. */
  readonly allow_unauthenticated: boolean;
  /** Lower-cased; "" means every interface. */
  readonly host: string;
  readonly port: number;
}

export interface UnixServerConfig extends ServerBase {
  readonly kind: "unix_http_server";
  /** Absolute, normalised socket path. */
  readonly file: string;
  readonly chmod: number;
  /** `user` or `user:group` as written, or null for no change. */
  readonly chown: string | null;
}

export type ServerConfig = InetServerConfig | UnixServerConfig;

/** Where a child's stdout or stderr goes. */
export type ChildLogfile =
  | { readonly kind: "auto" }
  | { readonly kind: "none" }
  | { readonly kind: "file"; readonly path: string };

/** The per-channel log options of a process. */
export interface ChannelConfig {
  readonly logfile: ChildLogfile;
  readonly logfile_maxbytes: number;
  readonly logfile_backups: number;
  readonly capture_maxbytes: number;
  readonly events_enabled: boolean;
  readonly syslog: boolean;
}

/** When a dependency counts as met (Steward's `depends_on`). */
export type DependencyCondition = "started" | "running" | "healthy" | "completed";

/** One entry of `depends_on`, resolved to the processes it names. */
export interface Dependency {
  /** As written: a program, `group:name` or `group:*`. */
  readonly target: string;
  readonly condition: DependencyCondition;
  /** The processes it stands for, as `group:name` namespecs. */
  readonly processes: readonly string[];
}

/** A check Steward runs: a health check, or a condition to wait for before spawning. */
export type ProbeSpec =
  | { readonly kind: "tcp"; readonly text: string; readonly host: string; readonly port: number }
  | { readonly kind: "http"; readonly text: string; readonly url: string; readonly expect: number | null }
  | { readonly kind: "exec"; readonly text: string; readonly command: string }
  | { readonly kind: "log"; readonly text: string; readonly pattern: string }
  | {
      readonly kind: "program";
      readonly text: string;
      readonly name: string;
      /** supervisorctl's serverurl form: `unix:///path` or `http://host:port`. */
      readonly serverurl: string;
      readonly username: string | null;
      readonly password: string | null;
    };

export type UnhealthyAction = "restart" | "stop" | "none";
export type BackoffPolicy = "linear" | "exponential";

/** One process, as `[program:x]` (times `numprocs`) defines it. */
export interface ProcessConfig {
  /** The process name (`process_name` expanded). */
  readonly name: string;
  /** The section it came from, e.g. `program:web`, and the file that section came from. */
  readonly section: string;
  readonly file: string;
  readonly program_name: string;
  readonly group_name: string;
  readonly process_num: number;
  readonly command: string;
  readonly directory: string | null;
  readonly umask: number | null;
  readonly priority: number;
  readonly autostart: boolean;
  readonly autorestart: AutoRestart;
  readonly startsecs: number;
  /** Infinity for Steward's `startretries = infinite`. */
  readonly startretries: number;
  readonly exitcodes: readonly number[];
  readonly stopsignal: number;
  readonly stopwaitsecs: number;
  readonly stopasgroup: boolean;
  readonly killasgroup: boolean;
  readonly user: string | null;
  readonly redirect_stderr: boolean;
  readonly stdout: ChannelConfig;
  readonly stderr: ChannelConfig;
  /** `[supervisord] environment` overlaid with the program's own. */
  readonly environment: Readonly<Record<string, string>>;
  /** `SUPERVISOR_SERVER_URL` for the child, or null for the computed one. */
  readonly serverurl: string | null;
  // Steward's own options (supervisord ignores them); see docs/config.md.
  readonly depends_on: readonly Dependency[];
  readonly wait_for: readonly ProbeSpec[];
  readonly wait_for_timeout: number;
  readonly healthcheck: ProbeSpec | null;
  readonly healthcheck_interval: number;
  readonly healthcheck_start_interval: number;
  readonly healthcheck_timeout: number;
  readonly healthcheck_retries: number;
  readonly healthcheck_start_period: number;
  readonly unhealthy_action: UnhealthyAction;
  /** As written (expanded); a relative path is relative to `directory` at spawn time. */
  readonly environment_file: string | null;
  readonly backoff: BackoffPolicy;
  readonly backoff_max: number;
  /** Each line in the log files begins with the time it was read. */
  readonly log_timestamps: boolean;
}

interface GroupBase {
  readonly name: string;
  readonly priority: number;
  /** Sorted by (priority, name); for `[group:x]`, member programs in `programs=` order. */
  readonly processes: readonly ProcessConfig[];
}

export interface ProgramGroupConfig extends GroupBase {
  readonly kind: "program" | "group";
}

export interface EventListenerPoolConfig extends GroupBase {
  readonly kind: "eventlistener";
  readonly buffer_size: number;
  /** Upper-cased, de-duplicated, sorted event type names. */
  readonly events: readonly string[];
  readonly result_handler: string;
}

export type FcgiSocket =
  | { readonly kind: "unix"; readonly path: string; readonly mode: number; readonly owner: string | null }
  | { readonly kind: "tcp"; readonly host: string; readonly port: number };

export interface FcgiGroupConfig extends GroupBase {
  readonly kind: "fcgi-program";
  readonly socket: FcgiSocket;
  readonly socket_backlog: number | null;
}

export type GroupConfig = ProgramGroupConfig | EventListenerPoolConfig | FcgiGroupConfig;

/** An `[rpcinterface:x]` section. */
export interface RpcInterfaceConfig {
  readonly name: string;
  readonly factory: string;
  readonly extras: Readonly<Record<string, string>>;
}

/** An option Steward does not know (yet): kept so `config check --strict` can name it. */
export interface UnknownOption {
  readonly section: string;
  readonly option: string;
  readonly file: string;
  readonly line: number;
}

/** A whole loaded configuration. */
export interface Config {
  /** The main file, as given. */
  readonly file: string;
  /** Every file read, main first. */
  readonly files: readonly string[];
  readonly supervisord: SupervisordOptions;
  readonly servers: readonly ServerConfig[];
  /** The URL children get when their `serverurl` is AUTO: first unix server, else last inet server. */
  readonly serverurl: string | null;
  readonly groups: readonly GroupConfig[];
  readonly rpcinterfaces: readonly RpcInterfaceConfig[];
  /** supervisord's parse warnings, verbatim. */
  readonly warnings: readonly string[];
  /** supervisord's parse infos (`Included extra file ...`). */
  readonly infos: readonly string[];
  readonly unknownOptions: readonly UnknownOption[];
}
