/**
 * supervisord's event type hierarchy: which type each name is a kind of. A pool subscribed to a type
 * gets every event of that type and of its descendants (`EVENT` is every supervisord event). Pure data.
 *
 * Steward's own event types (added by later features) are roots of their own: a listener subscribed to
 * `EVENT` never sees them unless it names them.
 */

/** Each type's parent; the abstract roots have none. */
export const EVENT_PARENT: Readonly<Record<string, string | null>> = {
  EVENT: null,
  PROCESS_STATE: "EVENT",
  PROCESS_STATE_STOPPED: "PROCESS_STATE",
  PROCESS_STATE_EXITED: "PROCESS_STATE",
  PROCESS_STATE_STARTING: "PROCESS_STATE",
  PROCESS_STATE_STOPPING: "PROCESS_STATE",
  PROCESS_STATE_BACKOFF: "PROCESS_STATE",
  PROCESS_STATE_FATAL: "PROCESS_STATE",
  PROCESS_STATE_RUNNING: "PROCESS_STATE",
  PROCESS_STATE_UNKNOWN: "PROCESS_STATE",
  PROCESS_COMMUNICATION: "EVENT",
  PROCESS_COMMUNICATION_STDOUT: "PROCESS_COMMUNICATION",
  PROCESS_COMMUNICATION_STDERR: "PROCESS_COMMUNICATION",
  PROCESS_LOG: "EVENT",
  PROCESS_LOG_STDOUT: "PROCESS_LOG",
  PROCESS_LOG_STDERR: "PROCESS_LOG",
  REMOTE_COMMUNICATION: "EVENT",
  SUPERVISOR_STATE_CHANGE: "EVENT",
  SUPERVISOR_STATE_CHANGE_RUNNING: "SUPERVISOR_STATE_CHANGE",
  SUPERVISOR_STATE_CHANGE_STOPPING: "SUPERVISOR_STATE_CHANGE",
  TICK: "EVENT",
  TICK_5: "TICK",
  TICK_60: "TICK",
  TICK_3600: "TICK",
  PROCESS_GROUP: "EVENT",
  PROCESS_GROUP_ADDED: "PROCESS_GROUP",
  PROCESS_GROUP_REMOVED: "PROCESS_GROUP",
  // Steward's own: not under EVENT, so only a listener that names them gets them.
  STEWARD_HEALTH: null,
  STEWARD_HEALTH_HEALTHY: "STEWARD_HEALTH",
  STEWARD_HEALTH_UNHEALTHY: "STEWARD_HEALTH",
};

/** The TICK events and their periods in seconds, in the order supervisord checks them. */
export const TICK_PERIODS: ReadonlyArray<readonly [name: string, seconds: number]> = [
  ["TICK_5", 5],
  ["TICK_60", 60],
  ["TICK_3600", 3600],
];

/** Whether a pool subscribed to `subscriptions` receives an event named `name`. */
export function isSubscribed(subscriptions: ReadonlySet<string>, name: string): boolean {
  for (let type: string | null | undefined = name; type; type = EVENT_PARENT[type]) {
    if (subscriptions.has(type)) return true;
  }
  return false;
}
