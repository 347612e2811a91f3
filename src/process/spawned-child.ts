/** A started ChildProcess and the parent's pipe ends, as the SpawnedChild the daemon holds. */
import type { ChildProcess } from "node:child_process";
import { Socket } from "node:net";
import type { LaunchMode, SpawnedChild } from "./spawner.js";
import { type WaitStatus, waitStatusFrom } from "./wait-status.js";

export function track(
  child: ChildProcess,
  mode: LaunchMode,
  stdinFd: number,
  stdoutFd: number,
  stderrFd: number | null,
) {
  let status: WaitStatus | null = null;
  const callbacks: Array<(status: WaitStatus) => void> = [];
  child.once("exit", (code, signal) => {
    status = waitStatusFrom(code, signal);
    for (const callback of callbacks.splice(0)) callback(status);
  });
  const stdin = new Socket({ fd: stdinFd, readable: false, writable: true });
  stdin.on("error", () => {});
  const spawned: SpawnedChild = {
    pid: child.pid!,
    stdin,
    stdout: new Socket({ fd: stdoutFd, readable: true, writable: false }),
    stderr: stderrFd === null ? null : new Socket({ fd: stderrFd, readable: true, writable: false }),
    mode,
    onExit(callback) {
      if (status !== null) callback(status);
      else callbacks.push(callback);
    },
  };
  return spawned;
}
