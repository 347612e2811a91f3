/** What to tell a user whose value of a given type was refused. Pure data. */
import type { OptionType } from "./schema.js";

export const TYPE_HINTS: Readonly<Record<OptionType, string>> = {
  integer: "write a whole number in decimal, e.g. 10",
  boolean: "write one of true, false, yes, no, on, off, 1, 0",
  "byte size": "write a whole number with an optional KB, MB or GB suffix, e.g. 50MB",
  octal: "write an octal number, e.g. 022 or 0700",
  signal: "write a signal name such as TERM, INT, QUIT, KILL, HUP, USR1 or USR2",
  "exit codes": "write comma-separated numbers from 0 to 255, e.g. 0,2",
  autorestart: "write true, false or unexpected",
  "logging level": "write critical, error, warn, info, debug, trace or blather",
  "existing directory": "create the directory or point the option at one that exists",
  "existing dirpath": "create the file's directory or point the option at one that exists",
  logfile: "create the log file's directory, or write AUTO or NONE",
  string: "check the value",
  "string list": "write comma-separated names",
  "key=value list": 'write KEY="value" pairs separated by commas, quoting values that hold spaces or symbols',
  user: "write a user name or uid that exists on this host, or use --no-host-checks for another host's config",
  "user:group": "write user or user:group with names that exist on this host",
  "inet address": "write host:port or port, e.g. 127.0.0.1:9001",
  name: "use a name without spaces, ':' or '/'",
  "event list": "write event type names such as PROCESS_STATE, TICK_60 or PROCESS_LOG",
  "socket url": "write unix:///absolute/path or tcp://host:port",
  url: "write unix:///path/to.sock or http://host:port",
  retries: "write a whole number, or infinite",
  seconds: "write a whole number of seconds, 0 or more",
  "positive integer": "write a whole number, 1 or more",
  "dependency list": "write NAME[=started|running|healthy|completed], comma-separated, e.g. api=healthy, db",
  check: "write tcp://host:port, http://host:port/path [expect 200], exec:COMMAND or log:REGEX",
  "check list":
    "write tcp://host:port, http://host:port/path or program:NAME@unix:///path/to.sock, comma-separated",
  "unhealthy action": "write restart, stop or none",
  backoff: "write linear or exponential",
};

export const EXPANSION_HINT =
  "use only the %(name)s names listed, write %% for a literal %, and check that the ENV_ variable is set";
