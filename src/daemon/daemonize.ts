/**
 * Daemonizing without fork(): the process the user started re-spawns itself detached (a new
 * session, stdin/stdout on /dev/null) and exits 0 once that daemon reports it is running with its
 * pidfile written — what systemd's Type=forking expects. Errors the daemon prints before that
 * reach the user's terminal, and its exit status becomes the launcher's. IO.
 */
import { spawn } from "node:child_process";
import { closeSync, writeSync } from "node:fs";

/** Marks the re-spawned daemon; removed from the environment children inherit. */
export const DAEMON_CHILD_ENV = "STEWARD_DAEMONIZED";
const READY_FD = 3;

/** Starts the daemon process and resolves with the launcher's exit status. */
export function launchDaemon(argv: readonly string[], stderr: (text: string) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, ...argv], {
      detached: true,
      stdio: ["ignore", "ignore", "pipe", "pipe"],
      env: { ...process.env, [DAEMON_CHILD_ENV]: "1" },
    });
    let ready = false;
    child.stderr?.on("data", (chunk: Buffer) => stderr(chunk.toString("utf8")));
    const readyPipe = child.stdio[READY_FD] as NodeJS.ReadableStream | null;
    readyPipe?.on("data", () => {
      if (ready) return;
      ready = true;
      child.stderr?.destroy();
      (readyPipe as unknown as { destroy(): void }).destroy();
      child.unref();
      resolve(0);
    });
    child.on("exit", (code, signal) => {
      if (!ready) resolve(code ?? (signal ? 1 : 0));
    });
    child.on("error", (error) => {
      stderr(`Error: could not start the daemon process: ${error.message}\n`);
      resolve(2);
    });
  });
}

/** In the daemon: tells the launcher it may exit, then stops writing to its stderr. */
export function signalReady(): void {
  try {
    writeSync(READY_FD, "ready\n");
    closeSync(READY_FD);
  } catch {
    // The launcher is gone already.
  }
  process.stderr.on("error", () => {});
}
