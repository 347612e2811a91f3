/** Writes config files into a fresh temporary directory and loads them with Steward's loader. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/types.js";
import { ConfigError } from "../../src/errors.js";

/** Writes `files` (relative name → text) and returns the directory. */
export function writeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "steward-conf-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const ENV = new Map([
  ["HOME", "/root"],
  ["PATH", "/usr/bin:/bin"],
]);

/** Loads `text` as supervisord.conf (no host checks unless asked). */
export function load(
  text: string,
  opts: { env?: Map<string, string>; hostChecks?: boolean; extra?: Record<string, string> } = {},
): Config {
  const dir = writeTree({ "supervisord.conf": text, ...opts.extra });
  return loadConfig({
    file: join(dir, "supervisord.conf"),
    env: opts.env ?? ENV,
    cwd: "/",
    hostChecks: opts.hostChecks ?? false,
    hostname: "testhost",
  });
}

/** The ConfigError loading `text` raises (fails when it loads). */
export function loadError(text: string, opts: Parameters<typeof load>[1] = {}): ConfigError {
  try {
    load(text, opts);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected the config to be rejected");
}
