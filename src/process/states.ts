/**
 * Process states and codes, identical to supervisord's (`supervisor/states.py`). Imports nothing.
 */

export const ProcessStates = {
  STOPPED: 0,
  STARTING: 10,
  RUNNING: 20,
  BACKOFF: 30,
  STOPPING: 40,
  EXITED: 100,
  FATAL: 200,
  UNKNOWN: 1000,
} as const;

export type ProcessStateName = keyof typeof ProcessStates;
export type ProcessStateCode = (typeof ProcessStates)[ProcessStateName];

export const STATE_NAMES: ReadonlyMap<ProcessStateCode, ProcessStateName> = new Map(
  (Object.entries(ProcessStates) as [ProcessStateName, ProcessStateCode][]).map(([n, c]) => [c, n]),
);

/** States in which a process counts as stopped. */
export const STOPPED_STATES: ReadonlySet<ProcessStateName> = new Set([
  "STOPPED",
  "EXITED",
  "FATAL",
  "UNKNOWN",
]);
/** States in which a process counts as running (`start` says "already started"). */
export const RUNNING_STATES: ReadonlySet<ProcessStateName> = new Set(["RUNNING", "BACKOFF", "STARTING"]);
/** States in which a process has a pid that can be signalled. */
export const SIGNALLABLE_STATES: ReadonlySet<ProcessStateName> = new Set(["RUNNING", "STARTING", "STOPPING"]);

/** The daemon's own states ("mood"), as `supervisor.getState()` reports them. */
export const SupervisorStates = {
  FATAL: 2,
  RUNNING: 1,
  RESTARTING: 0,
  SHUTDOWN: -1,
} as const;

export type SupervisorStateName = keyof typeof SupervisorStates;
