/**
 * One `child_process.spawn` of a prepared child, and how a failure to start reads in supervisord's words:
 * the daemon's side (pipes, fork) as a SpawnError, the child's side (chdir, exec) as an errno.
 */
import { type ChildProcess, spawn as spawnChild } from "node:child_process";
import { accessSync, closeSync, constants as fsConstants, openSync, statSync } from "node:fs";
import { SpawnError } from "./command-line.js";
import type { LaunchMode } from "./spawner.js";

export type Attempt =
  | { readonly kind: "started"; readonly child: ChildProcess }
  /** libuv refused synchronously; errno is null for a non-errno error (a NUL byte in an argument). */
  | { readonly kind: "failed"; readonly errno: string | null; readonly reason: string }
  /** No pid: the errno arrives with the child's `error` event on the next tick. */
  | { readonly kind: "pending"; readonly child: ChildProcess };

/** A started child and how it was started. */
export interface Launched {
  readonly mode: LaunchMode;
  readonly child: ChildProcess;
}

export function attempt(
  file: string,
  args: readonly string[],
  argv0: string,
  cwd: string | undefined,
  env: object,
  stdio: number[],
): Attempt {
  let child: ChildProcess;
  try {
    child = spawnChild(file, args, { argv0, cwd, env: env as NodeJS.ProcessEnv, stdio, detached: true });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const errno = typeof e.errno === "number" && typeof e.code === "string" ? e.code : null;
    return { kind: "failed", errno, reason: e.message };
  }
  child.on("error", () => {});
  return child.pid === undefined ? { kind: "pending", child } : { kind: "started", child };
}

/** A failure of the daemon's side (pipes, fork) in supervisord's words; null for the child's side. */
export function parentSideError(errno: string, name: string, stage: "pipes" | "fork"): SpawnError | null {
  if (errno === "EMFILE") return new SpawnError("resources", `too many open files to spawn '${name}'`);
  if (stage === "pipes" || errno === "ENFILE")
    return new SpawnError("resources", `unknown error making dispatchers for '${name}': ${errno}`);
  if (errno === "EAGAIN")
    return new SpawnError("resources", `Too many processes in process table to spawn '${name}'`);
  if (errno === "ENOMEM")
    return new SpawnError("resources", `unknown error during fork for '${name}': ${errno}`);
  return null;
}

/** The errno chdir to `dir` fails with now, or null. */
export function chdirError(dir: string): string | null {
  try {
    if (!statSync(dir).isDirectory()) return "ENOTDIR";
    accessSync(dir, fsConstants.X_OK);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? "EINVAL";
  }
}

/** Why even a stand-in could not be started, when libuv did not say: descriptors, else processes. */
export function diagnose(name: string): SpawnError {
  try {
    closeSync(openSync("/dev/null", "r"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "EIO";
    return parentSideError(code, name, "pipes")!;
  }
  return parentSideError("EAGAIN", name, "fork")!;
}
