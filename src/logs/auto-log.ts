/**
 * `AUTO` child log files: supervisord's mkstemp names in `childlogdir`
 * (`<name>-<channel>---<identifier>-<8 random [a-z0-9_]>.log`, created 0600) and the cleanup at
 * start/reload that deletes every file matching `.+?---<identifier>-\S+\.log\.{0,1}\d{0,4}`.
 */
import { randomInt } from "node:crypto";
import { closeSync, constants, lstatSync, openSync, readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";

/** The characters of mkstemp's random part (Python's `tempfile._RandomNameSequence`). */
export const AUTO_NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_";

/** Eight random characters from AUTO_NAME_CHARS. */
export function randomAutoSuffix(): string {
  let out = "";
  for (let i = 0; i < 8; i++) out += AUTO_NAME_CHARS[randomInt(AUTO_NAME_CHARS.length)];
  return out;
}

/** The file name of an AUTO log: `cat-stdout---supervisor-m9zxsjl5.log`. */
export function autoLogName(
  processName: string,
  channel: "stdout" | "stderr",
  identifier: string,
  suffix: string = randomAutoSuffix(),
): string {
  return `${processName}-${channel}---${identifier}-${suffix}.log`;
}

/**
 * Creates a new, empty AUTO log (O_EXCL, mode 0600, another name on EEXIST, as mkstemp does) and
 * returns its path. Other failures (a missing or unwritable childlogdir) throw.
 */
export function createAutoLog(
  childlogdir: string,
  processName: string,
  channel: "stdout" | "stderr",
  identifier: string,
  nextSuffix: () => string = randomAutoSuffix,
): string {
  const { O_CREAT, O_EXCL, O_WRONLY } = constants;
  for (let attempt = 1; ; attempt++) {
    const path = join(childlogdir, autoLogName(processName, channel, identifier, nextSuffix()));
    try {
      closeSync(openSync(path, O_WRONLY | O_CREAT | O_EXCL, 0o600));
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 100) throw error;
    }
  }
}

/** Python's `\s` for str patterns (what `str.isspace()` accepts). */
const PY_SPACE_CLASS =
  "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/**
 * supervisord's cleanup regex, matched at the start of a name only (so `x---id-a.logfoo` matches too).
 * The identifier is matched literally (supervisord pastes it into the regex unescaped).
 */
export function autoLogPattern(identifier: string): RegExp {
  const id = identifier.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
  return new RegExp(`^[^\\n]+?---${id}-[^${PY_SPACE_CLASS}]+\\.log`, "u");
}

export interface CleanAutoLogsResult {
  /** False when childlogdir could not be listed (supervisord: WARN `Could not clear childlog dir`). */
  readonly listed: boolean;
  readonly removed: readonly string[];
  /** Files that matched but could not be removed (supervisord: WARN `Failed to clean up '<path>'`). */
  readonly failed: ReadonlyArray<{ readonly path: string; readonly error: Error }>;
}

/** Deletes the AUTO logs of `identifier` in childlogdir: regular files only, rotated backups included. */
export function cleanAutoLogs(childlogdir: string, identifier: string): CleanAutoLogsResult {
  let names: Buffer[];
  try {
    names = readdirSync(childlogdir, { encoding: "buffer" });
  } catch {
    return { listed: false, removed: [], failed: [] };
  }
  const pattern = autoLogPattern(identifier);
  const dirBytes = Buffer.from(childlogdir.endsWith("/") ? childlogdir : `${childlogdir}/`);
  const removed: string[] = [];
  const failed: Array<{ path: string; error: Error }> = [];
  for (const raw of names) {
    const name = raw.toString("utf8");
    if (!pattern.test(name)) continue;
    const path = join(childlogdir, name);
    const bytePath = Buffer.concat([dirBytes, raw]);
    try {
      if (!lstatSync(bytePath).isFile()) continue;
      unlinkSync(bytePath);
      removed.push(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      failed.push({ path, error: error as Error });
    }
  }
  return { listed: true, removed, failed };
}
