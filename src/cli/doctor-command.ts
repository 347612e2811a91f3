/** `steward doctor`: check a deployment against the failure modes operators hit (docs/doctor.md). */
import { existsSync } from "node:fs";
import { findConfigFile } from "../config/search-path.js";
import { type DoctorIo, runDoctor } from "../doctor/doctor.js";
import { exitStatus } from "../doctor/finding.js";
import { formatJson, formatText } from "../doctor/report.js";
import { systemDoctorIo } from "../doctor/system-io.js";
import { GetoptError, getopt, type OptionDef } from "./getopt.js";
import type { CliIo } from "./io.js";

export const DOCTOR_SUMMARY = `  steward doctor [-c FILE] [--json] [--offline] [--timeout SECONDS]
      Check a deployment: commands and what bash -c wrappers exec, directories, unrendered
      __NAME__ placeholders, ports, databases and caches, the control socket, priority used as a
      dependency, and the running daemon's FATAL or flapping programs with their logs.
      Exit status 0 all pass, 1 warnings, 2 failures. See steward doctor -h.
`;

export const DOCTOR_USAGE = `Usage:
  steward doctor [-c FILE] [--json] [--offline] [--timeout SECONDS]

Checks a deployment against the failure modes operators hit (docs/doctor.md) and prints, for each
finding, its level (pass, warn, fail), where it is (file:line [section] option, file:line, or the
process) and what to do:
  config        the configuration loads as stewardd would load it
  commands      each command is found and executable; behind bash -c "... && exec X", X too; the
                files sourced (source F, . F) and named (environment_file, gunicorn -c, grafana --config)
  paths         program directories; directories of log files, the pidfile and the control socket
  placeholders  __NAME__ placeholders left unrendered in the config and the files it sources or names
  ports         ports the programs will listen on (health checks, gunicorn bind, grafana [server])
                are free and on this machine
  services      databases and caches they need (X_HOST/X_PORT in env files, grafana [database],
                wait_for) answer a TCP connect
  socket        the control socket is not writable by every local user without credentials
  order         priority used where a dependency is meant (a heuristic)
  processes     with the daemon running: FATAL or flapping programs, with the end of their logs

Options:
  -c, --configuration FILE   the config file (default: supervisord's search path)
  --json                     print a JSON array of {level, check, where, message, fix[, log]}
  --offline                  skip ports, services and the daemon (a config checked on another host)
  --timeout SECONDS          for each connect and call (default 2)
  -h, --help                 print this help

Exit status: 0 every check passed; 1 the worst finding is a warning; 2 a failure (also for bad usage,
with a message on stderr and nothing checked).
`;

const OPTIONS: readonly OptionDef[] = [
  { short: "c", long: "configuration", takesValue: true },
  { long: "json", takesValue: false },
  { long: "offline", takesValue: false },
  { long: "timeout", takesValue: true },
  { short: "h", long: "help", takesValue: false },
];

export interface DoctorArgs {
  readonly file: string | null;
  readonly json: boolean;
  readonly offline: boolean;
  readonly timeoutMs: number;
}

export function parseDoctorArgs(args: readonly string[]): DoctorArgs | { help: true } | { error: string } {
  let parsed: ReturnType<typeof getopt>;
  try {
    parsed = getopt(args, OPTIONS);
  } catch (error) {
    if (error instanceof GetoptError) return { error: error.message };
    throw error;
  }
  if (parsed.positionals.length > 0) return { error: `unexpected argument '${parsed.positionals[0]}'` };
  let file: string | null = null;
  let json = false;
  let offline = false;
  let timeoutMs = 2000;
  for (const { def, value } of parsed.options) {
    if (def.long === "help") return { help: true };
    if (def.long === "configuration") file = value;
    else if (def.long === "json") json = true;
    else if (def.long === "offline") offline = true;
    else if (def.long === "timeout") {
      const seconds = Number(value);
      if (value === null || value.trim() === "" || !Number.isFinite(seconds) || seconds <= 0) {
        return { error: `--timeout expects a number of seconds above 0, got '${value}'` };
      }
      timeoutMs = Math.round(seconds * 1000);
    }
  }
  return { file, json, offline, timeoutMs };
}

export async function doctorCommand(
  args: readonly string[],
  io: CliIo,
  argv0: string,
  doctorIo: DoctorIo = systemDoctorIo(io.env, io.cwd),
): Promise<number> {
  const parsed = parseDoctorArgs(args);
  if ("help" in parsed) {
    io.stdout(DOCTOR_USAGE);
    return 0;
  }
  if ("error" in parsed) {
    io.stderr(`steward doctor: ${parsed.error}\nFor help, use steward doctor -h\n`);
    return 2;
  }
  let file = parsed.file;
  if (file === null) {
    const found = findConfigFile(argv0, (p) => existsSync(p));
    if ("error" in found) {
      io.stderr(`steward doctor: ${found.error}\n`);
      return 2;
    }
    file = found.file;
  }
  const findings = await runDoctor({ file, offline: parsed.offline, timeoutMs: parsed.timeoutMs }, doctorIo);
  io.stdout(parsed.json ? formatJson(findings) : formatText(findings, file));
  return exitStatus(findings);
}
