/** Event type names supervisord knows (its `EventTypes`), for `[eventlistener:x] events`. Pure data. */

export const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set([
  "EVENT",
  "PROCESS_STATE",
  "PROCESS_STATE_STOPPED",
  "PROCESS_STATE_EXITED",
  "PROCESS_STATE_STARTING",
  "PROCESS_STATE_STOPPING",
  "PROCESS_STATE_BACKOFF",
  "PROCESS_STATE_FATAL",
  "PROCESS_STATE_RUNNING",
  "PROCESS_STATE_UNKNOWN",
  "PROCESS_COMMUNICATION",
  "PROCESS_COMMUNICATION_STDOUT",
  "PROCESS_COMMUNICATION_STDERR",
  "PROCESS_LOG",
  "PROCESS_LOG_STDOUT",
  "PROCESS_LOG_STDERR",
  "REMOTE_COMMUNICATION",
  "SUPERVISOR_STATE_CHANGE",
  "SUPERVISOR_STATE_CHANGE_RUNNING",
  "SUPERVISOR_STATE_CHANGE_STOPPING",
  "TICK",
  "TICK_5",
  "TICK_60",
  "TICK_3600",
  "PROCESS_GROUP",
  "PROCESS_GROUP_ADDED",
  "PROCESS_GROUP_REMOVED",
  // Steward's own (supervisord rejects them): health changes of programs with a healthcheck.
  "STEWARD_HEALTH",
  "STEWARD_HEALTH_HEALTHY",
  "STEWARD_HEALTH_UNHEALTHY",
]);

/** `result_handler` values Steward implements (supervisord's default). */
export const RESOLVABLE_RESULT_HANDLERS: ReadonlySet<string> = new Set([
  "supervisor.dispatchers:default_handler",
]);

/** `supervisor.rpcinterface_factory` values Steward implements. */
export const RESOLVABLE_RPC_FACTORIES: ReadonlySet<string> = new Set([
  "supervisor.rpcinterface:make_main_rpcinterface",
]);
