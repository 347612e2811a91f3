/** `steward`: the toolbox (config, render, doctor). Returns an exit code (a promise of one for doctor). */
import { STEWARD_VERSION } from "../version.js";
import { CONFIG_USAGE, configCommand } from "./config-command.js";
import { DOCTOR_SUMMARY, doctorCommand } from "./doctor-command.js";
import type { CliIo } from "./io.js";
import { RENDER_SUMMARY, renderCommand } from "./render-command.js";

export const STEWARD_USAGE = `steward -- tools for Steward deployments.

Usage: steward COMMAND [options]

Commands:
${CONFIG_USAGE.replace(/^Usage:\n/, "")}
${RENDER_SUMMARY}
${DOCTOR_SUMMARY}
Options:
  -h, --help      print this help
  --version       print the version
`;

export function stewardMain(args: string[], io: CliIo, argv0 = "steward"): number | Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    (command === undefined ? io.stderr : io.stdout)(STEWARD_USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === "--version" || command === "-v") {
    io.stdout(`${STEWARD_VERSION}\n`);
    return 0;
  }
  if (command === "config") return configCommand(rest, io, argv0);
  if (command === "render") return renderCommand(rest, io);
  if (command === "doctor") return doctorCommand(rest, io, argv0);
  io.stderr(`steward: unknown command '${command}'\nFor help, use steward -h\n`);
  return 2;
}
