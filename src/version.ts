/** Steward's version, and the supervisord version it is a drop-in for. */
export const STEWARD_VERSION = "0.1.0";
export const SUPERVISOR_COMPAT_VERSION = "4.2.5";
