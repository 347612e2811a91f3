/**
 * Steward's error types. Code matches on `.code`, never on message text. Imports nothing from the
 * project.
 */

export type ErrorCode =
  | "STEWARD_ERR_CONFIG_INVALID"
  | "STEWARD_ERR_CONFIG_NOT_FOUND"
  | "STEWARD_ERR_USAGE"
  | "STEWARD_ERR_SPAWN"
  | "STEWARD_ERR_INTERNAL";

export class StewardError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StewardError";
    this.code = code;
  }
}

/** One problem in a configuration: supervisord's message plus where it is and what to do. */
export interface ConfigIssue {
  /** The message exactly as supervisord prints it after `Error: `. */
  readonly message: string;
  readonly file?: string | undefined;
  readonly line?: number | undefined;
  readonly section?: string | undefined;
  readonly option?: string | undefined;
  /** The message without supervisord's ` in section '…' (file: '…')` suffix, when it has one. */
  readonly brief?: string | undefined;
  /** What to do about it. */
  readonly hint?: string | undefined;
}

/** A configuration that cannot be loaded. `issues[0]` is the one supervisord would report. */
export class ConfigError extends StewardError {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[], code: ErrorCode = "STEWARD_ERR_CONFIG_INVALID") {
    super(code, issues[0]?.message ?? "invalid configuration");
    this.name = "ConfigError";
    this.issues = issues;
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof Error && (error as Partial<ConfigError>).code !== undefined && "issues" in error;
}
