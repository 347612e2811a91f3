/**
 * supervisorctl's exit statuses (LSB init-script codes) and its per-result rule. Pure.
 */
import { Faults } from "../rpc/faults.js";

/** `LSBInitExitStatuses` of supervisorctl. */
export const ExitCodes = {
  SUCCESS: 0,
  GENERIC: 1,
  INVALID_ARGS: 2,
  UNIMPLEMENTED_FEATURE: 3,
  INSUFFICIENT_PRIVILEGES: 4,
  NOT_INSTALLED: 5,
  NOT_RUNNING: 7,
} as const;

/** `LSBStatusExitStatuses`: what `status` reports. */
export const StatusExitCodes = {
  NOT_RUNNING: 3,
  UNKNOWN: 4,
} as const;

/** Faults that say a program is dead: they map to exit status 7. */
const DEAD_PROGRAM_FAULTS: ReadonlySet<number> = new Set([
  Faults.SPAWN_ERROR,
  Faults.ABNORMAL_TERMINATION,
  Faults.NOT_RUNNING,
]);

/**
 * The exit status after one result (`set_exitstatus_from_xmlrpc_fault`): SUCCESS or the ignored
 * fault keep `current`; a dead-program fault gives 7; anything else 1. The last result wins.
 */
export function exitAfterResult(current: number, faultCode: number, ignored?: number): number {
  if (faultCode === Faults.SUCCESS || faultCode === ignored) return current;
  if (DEAD_PROGRAM_FAULTS.has(faultCode)) return ExitCodes.NOT_RUNNING;
  return ExitCodes.GENERIC;
}
