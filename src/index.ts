/** Steward's programmatic API. */
export { configToJson, stringifyDump } from "./config/dump.js";
export { type LoadOptions, loadConfig } from "./config/load.js";
export type * from "./config/types.js";
export { ConfigError, type ConfigIssue, StewardError } from "./errors.js";
export { STEWARD_VERSION } from "./version.js";
