/**
 * The environment a child is exec'd with, built as supervisord's `_spawn_as_child` builds it. Pure.
 */
import type { ProcessConfig } from "../config/types.js";

/** What the child's environment is made of. */
export interface ChildEnvironmentInput {
  /** The daemon's own environment (`process.env`); undefined values are skipped. */
  readonly daemonEnvironment: Readonly<Record<string, string | undefined>>;
  /** The process: its name, group, own `serverurl` (null = AUTO) and merged `environment=`. */
  readonly process: Pick<ProcessConfig, "name" | "group_name" | "serverurl" | "environment">;
  /** The configuration's computed serverurl (Config.serverurl), used when the program's is AUTO. */
  readonly defaultServerurl: string | null;
}

/**
 * The daemon's environment, then `SUPERVISOR_ENABLED=1`, `SUPERVISOR_SERVER_URL` (the program's
 * `serverurl`, else the computed one; unset when that is null or empty), `SUPERVISOR_PROCESS_NAME`
 * and `SUPERVISOR_GROUP_NAME`, then the process's `environment=` on top (it may override any of them).
 * Keys keep the order Python's dict gives them: the daemon's first, new keys appended.
 */
export function childEnvironment(input: ChildEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.daemonEnvironment)) {
    if (value !== undefined) env[key] = value;
  }
  const { process } = input;
  env.SUPERVISOR_ENABLED = "1";
  const serverurl = process.serverurl ?? input.defaultServerurl;
  if (serverurl) env.SUPERVISOR_SERVER_URL = serverurl;
  env.SUPERVISOR_PROCESS_NAME = process.name;
  env.SUPERVISOR_GROUP_NAME = process.group_name;
  for (const [key, value] of Object.entries(process.environment)) env[key] = value;
  return env;
}
