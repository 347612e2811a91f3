/**
 * Runs the real stewardd (compiled) on a temporary config in the foreground and watches its main
 * log on stdout. Waits are bounded and driven by output events, never by sleeping.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { BIN } from "./paths.js";

export interface Daemon {
  readonly dir: string;
  readonly conf: string;
  readonly proc: ChildProcess;
  readonly pid: number;
  /** Every line the daemon printed so far (stdout and stderr). */
  readonly lines: string[];
  /** Resolves with the first line (already printed or coming) that matches; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves once `n` lines matching `pattern` have been printed. */
  waitForCount(pattern: RegExp, n: number, timeoutMs?: number): Promise<void>;
  /** Resolves with the daemon's exit status. */
  exited: Promise<number | null>;
  /** SIGTERM, then the exit status. */
  stop(): Promise<number | null>;
}

/** A temporary directory with a config: `[supervisord]` (foreground, debug log in the dir) plus `body`. */
export function writeDaemonConfig(body: string, supervisord = ""): { dir: string; conf: string } {
  const dir = mkdtempSync(join(tmpdir(), "stewardd-e2e-"));
  const conf = join(dir, "supervisord.conf");
  writeFileSync(
    conf,
    `[supervisord]\nnodaemon=true\nloglevel=debug\nlogfile=${dir}/main.log\npidfile=${dir}/stewardd.pid\nchildlogdir=${dir}\n${supervisord}\n${body}`,
  );
  return { dir, conf };
}

export function startDaemon(
  t: TestContext,
  body: string,
  opts: {
    supervisord?: string;
    args?: string[];
    ulimit?: string;
    /** Run Debian's supervisord on the same config instead (for differential tests). */
    program?: "stewardd" | "supervisord";
  } = {},
): Daemon {
  const { dir, conf } = writeDaemonConfig(body, opts.supervisord);
  const argv =
    opts.program === "supervisord"
      ? ["/usr/bin/supervisord", "-c", conf, ...(opts.args ?? [])]
      : [process.execPath, join(BIN, "stewardd.js"), "-c", conf, ...(opts.args ?? [])];
  // With `ulimit` (its arguments, e.g. "-Su 700"), a shell lowers a limit and then execs the daemon (same pid).
  const [file, ...args] = opts.ulimit
    ? ["/bin/bash", "-c", `ulimit ${opts.ulimit}; exec "$@"`, "bash", ...argv]
    : argv;
  const proc = spawn(file!, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters = new Set<{
    pattern: RegExp;
    resolve: (line: string) => void;
    fail: (error: Error) => void;
  }>();
  const feed = (stream: NodeJS.ReadableStream) => {
    let partial = "";
    stream.setEncoding("utf8");
    stream.on("data", (text: string) => {
      const parts = (partial + text).split("\n");
      partial = parts.pop() ?? "";
      for (const line of parts) {
        lines.push(line);
        for (const w of [...waiters]) {
          if (w.pattern.test(line)) {
            waiters.delete(w);
            w.resolve(line);
          }
        }
      }
    });
  };
  feed(proc.stdout!);
  feed(proc.stderr!);
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  // A daemon that dies fails every pending wait at once, with what it printed.
  void exited.then((code) => {
    setImmediate(() => {
      for (const w of [...waiters]) {
        waiters.delete(w);
        w.fail(
          new Error(
            `${opts.program ?? "stewardd"} exited (status ${code}) while waiting for ${w.pattern}\n--- daemon output ---\n${lines.join("\n")}`,
          ),
        );
      }
    });
  });
  const daemon: Daemon = {
    dir,
    conf,
    proc,
    pid: proc.pid!,
    lines,
    exited,
    waitFor(pattern, timeoutMs = 15000) {
      const found = lines.find((l) => pattern.test(l));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          pattern,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
          fail: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${pattern}\n--- daemon output ---\n${lines.join("\n")}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    waitForCount(pattern, n, timeoutMs = 15000) {
      const count = () => lines.filter((l) => pattern.test(l)).length;
      if (count() >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const waiter = {
          pattern,
          resolve: () => {
            if (count() < n) {
              waiters.add(waiter);
              return;
            }
            clearTimeout(timer);
            resolve();
          },
          fail: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${n} × ${pattern}\n--- daemon output ---\n${lines.join("\n")}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      return exited;
    },
  };
  t.after(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill("SIGKILL");
      await exited;
    }
  });
  return daemon;
}

/** Whether a pid is alive (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.split(") ")[1]?.[0] !== "Z";
  } catch {
    return false;
  }
}
