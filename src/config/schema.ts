/**
 * The single source of truth for every option Steward reads: its section, type, default, the
 * `%(name)s` names it may use, and a one-line description. The loader takes defaults from here and
 * `docs/config.md` is generated from here. Pure data.
 */

/** Value types, named after supervisord's converters. */
export type OptionType =
  | "integer"
  | "boolean"
  | "byte size"
  | "octal"
  | "signal"
  | "exit codes"
  | "autorestart"
  | "logging level"
  | "existing directory"
  | "existing dirpath"
  | "logfile"
  | "string"
  | "string list"
  | "key=value list"
  | "user"
  | "user:group"
  | "inet address"
  | "name"
  | "event list"
  | "socket url"
  | "url"
  | "retries"
  | "seconds"
  | "positive integer"
  | "dependency list"
  | "check"
  | "check list"
  | "unhealthy action"
  | "backoff";

export interface OptionSpec {
  readonly name: string;
  readonly type: OptionType;
  /** The default as supervisord writes it (null: none; the option is unset). */
  readonly default: string | null;
  /** Set when the option must be given. */
  readonly required?: true;
  /** Which `%(name)s` names its value may use. */
  readonly expands: string;
  readonly doc: string;
}

export interface SectionSpec {
  /** How the section is written, e.g. `[program:x]`. */
  readonly title: string;
  readonly doc: string;
  readonly options: readonly OptionSpec[];
}

const ENV = "`here`, `ENV_*`";
const PROGRAM = "`here`, `program_name`, `group_name`, `host_node_name`, `ENV_*`";
const PROCESS = `${PROGRAM}, \`process_num\`, \`numprocs\`, program \`ENV_*\``;

const o = (
  name: string,
  type: OptionType,
  def: string | null,
  expands: string,
  doc: string,
  required?: true,
): OptionSpec =>
  required
    ? { name, type, default: def, expands, doc, required }
    : { name, type, default: def, expands, doc };

const SUPERVISORD: SectionSpec = {
  title: "[supervisord]",
  doc: "The daemon's own settings. Required.",
  options: [
    o(
      "logfile",
      "existing dirpath",
      "supervisord.log",
      ENV,
      "Main log file, made absolute against the working directory; `syslog` logs to syslog.",
    ),
    o("logfile_maxbytes", "byte size", "50MB", ENV, "Rotate the main log at this size; 0 never rotates."),
    o("logfile_backups", "integer", "10", ENV, "Rotated main logs kept; 0 keeps none."),
    o("loglevel", "logging level", "info", ENV, "critical, error, warn, info, debug, trace or blather."),
    o(
      "pidfile",
      "existing dirpath",
      "supervisord.pid",
      ENV,
      "Where the daemon writes its pid, made absolute.",
    ),
    o("umask", "octal", "022", ENV, "umask of the daemon, applied when it daemonizes."),
    o("nodaemon", "boolean", "false", ENV, "Stay in the foreground."),
    o("silent", "boolean", "false", ENV, "In the foreground, do not echo the main log to stdout."),
    o("minfds", "integer", "1024", ENV, "Raise the open-file soft limit to at least this."),
    o("minprocs", "integer", "200", ENV, "Raise the process soft limit to at least this."),
    o("nocleanup", "boolean", "false", ENV, "Keep old AUTO child logs at start-up."),
    o(
      "childlogdir",
      "existing directory",
      null,
      ENV,
      "Directory for AUTO child logs (default: the system temp directory).",
    ),
    o("user", "user", null, ENV, "Drop privileges to this user at start-up (root only)."),
    o("directory", "existing directory", null, ENV, "chdir here when daemonizing."),
    o("strip_ansi", "boolean", "false", ENV, "Strip ANSI escape sequences from child output."),
    o(
      "environment",
      "key=value list",
      "",
      "`here`, `host_node_name`, `ENV_*`",
      "Variables added to every child's environment; also `ENV_*` names for later sections.",
    ),
    o("identifier", "string", "supervisor", ENV, "Identifier returned over RPC and used in AUTO log names."),
  ],
};

const SERVER_AUTH = [
  o("username", "string", null, "`ENV_*`", "Basic-auth user name; requires `password`."),
  o("password", "string", null, "`ENV_*`", "Cleartext, or `{SHA}` and the hex SHA-1 of the password."),
];

const UNIX_HTTP_SERVER: SectionSpec = {
  title: "[unix_http_server] (also [unix_http_server:name])",
  doc: "The control socket, a unix-domain HTTP server.",
  options: [
    o("file", "string", null, ENV, "Socket path, made absolute.", true),
    o("chmod", "octal", "0700", "`ENV_*`", "Mode of the socket file."),
    o("chown", "user:group", null, "`ENV_*`", "Owner of the socket file, `user` or `user:group`."),
    ...SERVER_AUTH,
  ],
};

const INET_HTTP_SERVER: SectionSpec = {
  title: "[inet_http_server] (also [inet_http_server:name])",
  doc: "A TCP HTTP server for the control plane.",
  options: [
    o("port", "inet address", null, "`ENV_*`", "`host:port`, `:port`, `*:port` or `port`.", true),
    ...SERVER_AUTH,
    o(
      "allow_unauthenticated",
      "boolean",
      "false",
      "`ENV_*`",
      "Steward only: allow this server on a non-loopback address without username and password (refused otherwise).",
    ),
  ],
};

const SUPERVISORCTL: SectionSpec = {
  title: "[supervisorctl]",
  doc: "Read by the control client only.",
  options: [
    o(
      "serverurl",
      "url",
      "http://localhost:9001",
      ENV,
      "`unix:///path` or `http://host:port` of the daemon.",
    ),
    o("username", "string", null, "`ENV_*`", "User name for the daemon's basic auth."),
    o("password", "string", null, "`ENV_*`", "Cleartext password for the daemon's basic auth."),
    o("prompt", "string", "supervisor", "`ENV_*`", "Interactive prompt (shown as `prompt> `)."),
    o("history_file", "string", null, ENV, "readline history file of the interactive shell."),
  ],
};

const channel = (ch: "stdout" | "stderr"): OptionSpec[] => [
  o(
    `${ch}_logfile`,
    "logfile",
    "AUTO",
    PROCESS,
    `${ch} log file: a path, AUTO (in childlogdir) or NONE. Expanded twice, as supervisord does.`,
  ),
  o(
    `${ch}_logfile_maxbytes`,
    "byte size",
    "50MB",
    PROCESS,
    `Rotate the ${ch} log at this size; 0 never rotates.`,
  ),
  o(`${ch}_logfile_backups`, "integer", "10", PROCESS, `Rotated ${ch} logs kept; 0 keeps none.`),
  o(
    `${ch}_capture_maxbytes`,
    "byte size",
    "0",
    PROGRAM,
    `Capture-mode buffer for ${ch}; 0 disables capture mode.`,
  ),
  o(
    `${ch}_events_enabled`,
    "boolean",
    "false",
    PROGRAM,
    `Emit PROCESS_LOG_${ch.toUpperCase()} events for ${ch} output.`,
  ),
  o(
    `${ch}_syslog`,
    "boolean",
    "false",
    PROCESS,
    `Also send ${ch} to syslog, each line prefixed with the process name.`,
  ),
];

/** Steward only (supervisord ignores them): dependencies, readiness, health, restart policy. */
const STEWARD_PROGRAM_OPTIONS: readonly OptionSpec[] = [
  o(
    "depends_on",
    "dependency list",
    "",
    PROCESS,
    "Steward only: `NAME[=CONDITION], …` — programs (`name`, `group:name`, `group:*`) that must reach CONDITION (`started`, `running` (default), `healthy`, `completed`) before this one is spawned; `start` starts them first, stops stop this one first.",
  ),
  o(
    "wait_for",
    "check list",
    "",
    PROCESS,
    "Steward only: conditions outside this daemon that must hold before spawning: `tcp://host:port`, `http(s)://…[ expect STATUS]`, `program:NAME@SERVERURL` (RUNNING under another supervisord or stewardd).",
  ),
  o(
    "wait_for_timeout",
    "seconds",
    "60",
    PROCESS,
    "Steward only: seconds to wait for `wait_for` and `depends_on` before the start counts as failed (BACKOFF); 0 waits forever.",
  ),
  o(
    "healthcheck",
    "check",
    null,
    PROCESS,
    "Steward only: `tcp://host:port`, `http(s)://…[ expect STATUS]`, `exec:COMMAND` (exit 0 = healthy) or `log:REGEX` (a line of output matches). The program stays STARTING until it first passes.",
  ),
  o("healthcheck_interval", "seconds", "10", PROCESS, "Steward only: seconds between checks once RUNNING."),
  o(
    "healthcheck_start_interval",
    "seconds",
    "1",
    PROCESS,
    "Steward only: seconds between checks while STARTING (readiness).",
  ),
  o(
    "healthcheck_timeout",
    "seconds",
    "5",
    PROCESS,
    "Steward only: seconds a check may take before it fails.",
  ),
  o(
    "healthcheck_retries",
    "positive integer",
    "3",
    PROCESS,
    "Steward only: consecutive failed checks that make a RUNNING program unhealthy.",
  ),
  o(
    "healthcheck_start_period",
    "seconds",
    "60",
    PROCESS,
    "Steward only: seconds after the spawn within which the program must pass a check; failing that is a failed start.",
  ),
  o(
    "unhealthy_action",
    "unhealthy action",
    "restart",
    PROCESS,
    "Steward only: what to do when a RUNNING program turns unhealthy: `restart`, `stop` or `none`.",
  ),
  o(
    "environment_file",
    "string",
    null,
    PROCESS,
    "Steward only: a shell script or KEY=VALUE file sourced at each spawn; its variables go to the child. A failure is a spawn error.",
  ),
  o(
    "backoff",
    "backoff",
    "linear",
    PROCESS,
    "Steward only: delay before retrying a failed start: `linear` (1, 2, 3 … s, as supervisord) or `exponential` (1, 2, 4 … s).",
  ),
  o("backoff_max", "seconds", "60", PROCESS, "Steward only: the longest delay between start attempts."),
  o(
    "log_timestamps",
    "boolean",
    "false",
    PROCESS,
    "Steward only: begin each line the program writes to its stdout and stderr log files with the time Steward read it (`2026-11-30 07:01:02,123 `, the main log's format). supervisord writes the output as it comes.",
  ),
];

const PROGRAM_OPTIONS: readonly OptionSpec[] = [
  o("command", "string", null, PROCESS, "The command to run, split like a POSIX shell's words.", true),
  o(
    "process_name",
    "name",
    "%(program_name)s",
    PROCESS,
    "Template for process names; must contain `%(process_num)` when numprocs > 1.",
  ),
  o("numprocs", "integer", "1", PROGRAM, "How many processes to run from this section."),
  o("numprocs_start", "integer", "0", PROGRAM, "The first `process_num`."),
  o("priority", "integer", "999", PROGRAM, "Start order (ascending) and stop order (descending)."),
  o("autostart", "boolean", "true", PROGRAM, "Start when the daemon starts or the group is added."),
  o(
    "autorestart",
    "autorestart",
    "unexpected",
    PROGRAM,
    "Restart after exit: true, false or unexpected (exit code not in exitcodes).",
  ),
  o("startsecs", "integer", "1", PROGRAM, "Seconds the process must stay up to count as started."),
  o(
    "startretries",
    "retries",
    "3",
    PROGRAM,
    "Failed start attempts retried before FATAL. Steward also takes `infinite` (never FATAL; supervisord rejects it).",
  ),
  o("exitcodes", "exit codes", "0", PROGRAM, "Expected exit codes, comma-separated."),
  o("stopsignal", "signal", "TERM", PROGRAM, "Signal sent to stop the process."),
  o("stopwaitsecs", "integer", "10", PROGRAM, "Seconds to wait after the stop signal before SIGKILL."),
  o(
    "stopasgroup",
    "boolean",
    "false",
    PROGRAM,
    "Send the stop signal to the whole process group; implies killasgroup.",
  ),
  o(
    "killasgroup",
    "boolean",
    "false",
    PROGRAM,
    "Send SIGKILL to the whole process group (default: the value of stopasgroup). Steward also kills what is left of the group when the process exits on its own, before any restart.",
  ),
  o("user", "user", null, PROGRAM, "Run the process as this user (when the daemon runs as root)."),
  o("redirect_stderr", "boolean", "false", PROGRAM, "Send stderr to the stdout log."),
  ...channel("stdout"),
  ...channel("stderr"),
  o(
    "environment",
    "key=value list",
    "",
    PROCESS,
    "Variables for the child, over `[supervisord] environment`.",
  ),
  o("directory", "string", null, PROCESS, "chdir here before exec."),
  o("umask", "octal", null, PROGRAM, "umask of the child (default: inherited)."),
  o("serverurl", "string", "AUTO", PROGRAM, "SUPERVISOR_SERVER_URL for the child; AUTO computes it."),
  ...STEWARD_PROGRAM_OPTIONS,
];

const PROGRAM_SECTION: SectionSpec = {
  title: "[program:x]",
  doc: "A program: `numprocs` processes in a group named x (unless a `[group:g]` lists it).",
  options: PROGRAM_OPTIONS,
};

const GROUP_SECTION: SectionSpec = {
  title: "[group:x]",
  doc: "A group of programs managed together.",
  options: [
    o("programs", "string list", "", ENV, "Comma-separated `[program:x]` or `[fcgi-program:x]` names."),
    o("priority", "integer", "999", ENV, "Start order of the group."),
  ],
};

const EVENTLISTENER_SECTION: SectionSpec = {
  title: "[eventlistener:x]",
  doc: "A pool of event listeners; takes every `[program:x]` option too (priority defaults to -1).",
  options: [
    o("events", "event list", null, ENV, "Event types to subscribe to, comma-separated.", true),
    o("buffer_size", "integer", "10", ENV, "Events queued for the pool; must be at least 1."),
    o(
      "result_handler",
      "string",
      "supervisor.dispatchers:default_handler",
      ENV,
      "Result handler; only the default is supported.",
    ),
  ],
};

const FCGI_SECTION: SectionSpec = {
  title: "[fcgi-program:x]",
  doc: "A FastCGI program: the daemon binds a socket and passes it as fd 0; takes every `[program:x]` option too.",
  options: [
    o(
      "socket",
      "socket url",
      null,
      "`here`, `program_name`, `ENV_*`",
      "`unix:///abs/path` or `tcp://host:port`.",
      true,
    ),
    o("socket_backlog", "integer", null, ENV, "listen() backlog, 1…65535 (default: SOMAXCONN)."),
    o("socket_owner", "user:group", null, ENV, "Owner of a unix socket (default: the program's user)."),
    o("socket_mode", "octal", "0700", ENV, "Mode of a unix socket."),
  ],
};

const RPCINTERFACE_SECTION: SectionSpec = {
  title: "[rpcinterface:x]",
  doc: "An RPC namespace. `[rpcinterface:supervisor]` with the standard factory enables `supervisor.*`.",
  options: [
    o(
      "supervisor.rpcinterface_factory",
      "string",
      null,
      "`ENV_*`",
      "Must be `supervisor.rpcinterface:make_main_rpcinterface`.",
      true,
    ),
  ],
};

const INCLUDE_SECTION: SectionSpec = {
  title: "[include]",
  doc: "Read more files into this configuration (not recursively).",
  options: [
    o(
      "files",
      "string",
      null,
      "`here`, `host_node_name`, `ENV_*`",
      "Whitespace-separated globs, relative to the including file's directory.",
      true,
    ),
  ],
};

/** Every section, in documentation order. */
export const SECTIONS: readonly SectionSpec[] = [
  SUPERVISORD,
  UNIX_HTTP_SERVER,
  INET_HTTP_SERVER,
  SUPERVISORCTL,
  INCLUDE_SECTION,
  PROGRAM_SECTION,
  GROUP_SECTION,
  EVENTLISTENER_SECTION,
  FCGI_SECTION,
  RPCINTERFACE_SECTION,
];

export const SCHEMA = {
  supervisord: SUPERVISORD,
  unixHttpServer: UNIX_HTTP_SERVER,
  inetHttpServer: INET_HTTP_SERVER,
  supervisorctl: SUPERVISORCTL,
  include: INCLUDE_SECTION,
  program: PROGRAM_SECTION,
  group: GROUP_SECTION,
  eventlistener: EVENTLISTENER_SECTION,
  fcgiProgram: FCGI_SECTION,
  rpcinterface: RPCINTERFACE_SECTION,
} as const;

/** The spec of `name` in `section`; throws on a name the schema lacks (a programming error). */
export function optionSpec(section: SectionSpec, name: string): OptionSpec {
  const spec = section.options.find((s) => s.name === name);
  if (!spec) throw new Error(`schema: ${section.title} has no option ${name}`);
  return spec;
}

/** The default of `name` in `section` as a string; null where the option has none. */
export function defaultOf(section: SectionSpec, name: string): string | null {
  return optionSpec(section, name).default;
}

/** Option names known for a section name as written in a file; null for sections Steward ignores. */
export function knownOptions(sectionName: string): ReadonlySet<string> | null {
  const names = (specs: readonly SectionSpec[]) =>
    new Set(specs.flatMap((s) => s.options.map((x) => x.name)));
  if (sectionName === "supervisord") return names([SUPERVISORD]);
  if (sectionName.startsWith("unix_http_server")) return names([UNIX_HTTP_SERVER]);
  if (sectionName.startsWith("inet_http_server")) return names([INET_HTTP_SERVER]);
  if (sectionName === "supervisorctl") return names([SUPERVISORCTL]);
  if (sectionName === "include") return names([INCLUDE_SECTION]);
  if (sectionName.startsWith("program:")) return names([PROGRAM_SECTION]);
  if (sectionName.startsWith("group:")) return names([GROUP_SECTION]);
  if (sectionName.startsWith("eventlistener:")) return names([PROGRAM_SECTION, EVENTLISTENER_SECTION]);
  if (sectionName.startsWith("fcgi-program:")) return names([PROGRAM_SECTION, FCGI_SECTION]);
  return null;
}
