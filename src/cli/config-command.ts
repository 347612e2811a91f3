/** `steward config dump|check|docs`: what the daemon would make of a configuration. */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { renderConfigDocs } from "../config/docs.js";
import { configToJson, errorToJson, stringifyDump } from "../config/dump.js";
import { loadConfig } from "../config/load.js";
import { findConfigFile } from "../config/search-path.js";
import type { Config } from "../config/types.js";
import { type ConfigError, type ConfigIssue, isConfigError } from "../errors.js";
import type { CliIo } from "./io.js";

export const CONFIG_USAGE = `Usage:
  steward config check [-c FILE] [--strict] [--no-host-checks]
      Load the configuration as stewardd would and print OK or every problem found
      (file, line, section, option, and what to do). Exit status 0 when it loads, 2 when not.
      --strict also warns about options Steward does not know (a typo there silently does nothing).
  steward config dump --json [-c FILE] [--no-host-checks]
      Print the loaded configuration as JSON (docs/config-dump.md), or {"error": "..."}.
  steward config docs
      Print docs/config.md, generated from the option schema.

  -c, --configuration FILE   the config file (default: supervisord's search path)
  --no-host-checks           do not check that directories exist or that users exist
`;

function formatIssue(issue: ConfigIssue): string {
  const where = [issue.file, issue.line].filter((x) => x !== undefined).join(":");
  const place = [issue.section ? `[${issue.section}]` : "", issue.option ?? ""].filter(Boolean).join(" ");
  const head = [where, place].filter(Boolean).join(": ");
  return `${head ? `${head}: ` : ""}${issue.brief ?? issue.message}${issue.hint ? `\n    → ${issue.hint}` : ""}\n`;
}

function load(file: string, hostChecks: boolean, io: CliIo): Config | ConfigError {
  try {
    return loadConfig({ file, env: io.env, cwd: io.cwd, hostChecks });
  } catch (error) {
    if (isConfigError(error)) return error;
    throw error;
  }
}

export function configCommand(args: string[], io: CliIo, argv0: string): number {
  const [verb, ...rest] = args;
  if (verb === "docs") {
    io.stdout(renderConfigDocs());
    return 0;
  }
  if (verb !== "dump" && verb !== "check") {
    io.stderr(verb ? `steward config: unknown command '${verb}'\n${CONFIG_USAGE}` : CONFIG_USAGE);
    return 2;
  }
  let values: {
    configuration?: string;
    json?: boolean;
    strict?: boolean;
    "no-host-checks"?: boolean;
    help?: boolean;
  };
  try {
    values = parseArgs({
      args: rest,
      options: {
        configuration: { type: "string", short: "c" },
        json: { type: "boolean" },
        strict: { type: "boolean" },
        "no-host-checks": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.stderr(`steward config ${verb}: ${(error as Error).message}\n${CONFIG_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(CONFIG_USAGE);
    return 0;
  }
  let file = values.configuration;
  if (file === undefined) {
    const found = findConfigFile(argv0, (p) => existsSync(p));
    if ("error" in found) {
      if (verb === "dump") io.stdout(stringifyDump({ error: found.error }));
      else io.stderr(`${found.error}\n`);
      return 2;
    }
    file = found.file;
  }
  const result = load(file, !values["no-host-checks"], io);
  if (verb === "dump") {
    io.stdout(stringifyDump(isConfigError(result) ? errorToJson(result) : configToJson(result)));
    return isConfigError(result) ? 2 : 0;
  }
  if (isConfigError(result)) {
    io.stdout(`${file}: ${result.issues.length} problem${result.issues.length === 1 ? "" : "s"}\n`);
    for (const issue of result.issues) io.stdout(formatIssue(issue));
    return 2;
  }
  for (const warning of result.warnings) io.stdout(`warning: ${warning}\n`);
  if (values.strict) {
    for (const u of result.unknownOptions) {
      io.stdout(
        `warning: ${u.file}:${u.line}: [${u.section}] ${u.option}: unknown option, ignored (check its spelling)\n`,
      );
    }
  }
  const processes = result.groups.reduce((n, g) => n + g.processes.length, 0);
  io.stdout(`OK: ${file} (${result.groups.length} groups, ${processes} processes)\n`);
  return 0;
}
