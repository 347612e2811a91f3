/**
 * doctor's IO: the file system, listening and connecting tests with short timeouts, the configuration
 * loader and the daemon's XML-RPC interface. Everything else in src/doctor is pure.
 */
import { accessSync, constants as fsConstants, readFileSync, statSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { systemHost } from "../config/host-system.js";
import { loadConfig } from "../config/load.js";
import { type CtlOptions, loadCtlConfig } from "../config/load-ctl.js";
import type { Config } from "../config/types.js";
import { type ConfigIssue, isConfigError } from "../errors.js";
import { RpcClient } from "../rpc/client.js";
import { RpcClientError } from "../rpc/errors.js";
import type { XmlRpcValue } from "../rpc/values.js";
import type { LoadOutcome } from "./checks/config.js";
import type { DoctorIo } from "./doctor.js";
import {
  type BindResult,
  type ConnectResult,
  type DaemonFacts,
  type DaemonTarget,
  type ProcessFacts,
  wantsLog,
} from "./facts.js";
import type { DoctorFiles } from "./files.js";

export const systemFiles: DoctorFiles = {
  stat(path) {
    try {
      const st = statSync(path);
      return { kind: st.isDirectory() ? "directory" : st.isFile() ? "file" : "other", mode: st.mode };
    } catch {
      return null;
    }
  },
  readText(path) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return null;
    }
  },
  canWrite: (path) => access(path, fsConstants.W_OK),
  canExecute: (path) => access(path, fsConstants.X_OK),
};

function access(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

function reason(error: NodeJS.ErrnoException, host: string): string {
  switch (error.code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve ${host}`;
    case "EHOSTUNREACH":
      return "host unreachable";
    case "ENETUNREACH":
      return "network unreachable";
    case "ETIMEDOUT":
      return "timed out";
    default:
      return error.message;
  }
}

/** A TCP connect, given up after `timeoutMs`. */
export function tcpConnect(host: string, port: number, timeoutMs: number): Promise<ConnectResult> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (result: ConnectResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => done({ ok: false, reason: `no answer within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
    socket.once("connect", () => done({ ok: true }));
    socket.once("error", (error: NodeJS.ErrnoException) => done({ ok: false, reason: reason(error, host) }));
  });
}

/** Listens on the address for an instant, as the program will; tells why it cannot. */
export function tryListen(host: string, port: number, timeoutMs: number): Promise<BindResult> {
  const address = host === "" || host === "*" ? "0.0.0.0" : host.replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    const server = createServer();
    server.once("listening", () => server.close(() => resolve({ status: "free" })));
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") resolve({ status: "in-use" });
      else if (error.code === "EADDRNOTAVAIL") resolve({ status: "not-local" });
      else if (error.code === "EACCES") {
        // Not allowed to try: whether something answers there is the next best answer.
        const probe = address === "0.0.0.0" || address === "::" ? "127.0.0.1" : address;
        void tcpConnect(probe, port, timeoutMs).then((r) =>
          resolve(r.ok ? { status: "in-use" } : { status: "denied" }),
        );
      } else resolve({ status: "error", message: reason(error, address) });
    });
    server.listen({ host: address, port, exclusive: true });
  });
}

function str(v: XmlRpcValue | undefined): string {
  return typeof v === "string" ? v : "";
}

function num(v: XmlRpcValue | undefined): number {
  return typeof v === "number" ? v : 0;
}

/** The last `n` lines of a log text. */
export function lastLines(text: string, n: number): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.slice(-n);
}

async function tail(client: RpcClient, method: string, name: string): Promise<string[]> {
  try {
    const answer = await client.call(method, [name, 0, 4096]);
    return Array.isArray(answer) ? lastLines(str(answer[0]), 10) : [];
  } catch {
    // NO_FILE: the channel is not logged (NONE, or redirected to stdout).
    return [];
  }
}

/** What the daemon says about its processes, with the log tail of those that failed. */
export async function askDaemon(target: DaemonTarget, timeoutMs: number): Promise<DaemonFacts> {
  const client = new RpcClient({ ...target, timeoutMs, userAgent: "steward-doctor" });
  const { serverurl } = target;
  try {
    const answer = await client.call("supervisor.getAllProcessInfo");
    const processes: ProcessFacts[] = [];
    for (const info of Array.isArray(answer) ? answer : []) {
      if (info === null || typeof info !== "object" || Array.isArray(info) || info instanceof Uint8Array)
        continue;
      const rec = info as Record<string, XmlRpcValue>;
      const name = `${str(rec.group)}:${str(rec.name)}`;
      const statename = str(rec.statename);
      const log = wantsLog(statename)
        ? [
            ...(await tail(client, "supervisor.tailProcessStdoutLog", name)).map((l) => `stdout: ${l}`),
            ...(await tail(client, "supervisor.tailProcessStderrLog", name)).map((l) => `stderr: ${l}`),
          ]
        : [];
      processes.push({
        name,
        statename,
        spawnerr: str(rec.spawnerr),
        exitstatus: num(rec.exitstatus),
        pid: num(rec.pid),
        description: str(rec.description),
        log,
      });
    }
    return { kind: "up", serverurl, processes };
  } catch (error) {
    if (error instanceof RpcClientError) {
      const down = error.code === "STEWARD_ERR_RPC_REFUSED" || error.code === "STEWARD_ERR_RPC_NO_SOCKET";
      return { kind: down ? "down" : "error", serverurl, message: error.message };
    }
    return { kind: "error", serverurl, message: error instanceof Error ? error.message : String(error) };
  } finally {
    client.close();
  }
}

/**
 * Loads the configuration as stewardd would, except that missing directories are left to the paths
 * check (which says more about them); when users cannot be looked up either, loads it once more without
 * them so the other checks still run.
 */
export function loadForDoctor(file: string, env: ReadonlyMap<string, string>, cwd: string): LoadOutcome {
  const host = { ...systemHost(), isDirectory: () => true };
  let issues: readonly ConfigIssue[] = [];
  let config: Config | null = null;
  try {
    config = loadConfig({ file, env, cwd, host });
  } catch (error) {
    if (!isConfigError(error)) throw error;
    issues = error.issues;
    try {
      config = loadConfig({ file, env, cwd, hostChecks: false });
    } catch (again) {
      if (!isConfigError(again)) throw again;
    }
  }
  return { file, issues, config };
}

/** `[supervisorctl]` as stewardctl reads it, or null when the file has none. */
export function ctlOptions(file: string, env: ReadonlyMap<string, string>, cwd: string): CtlOptions | null {
  try {
    return loadCtlConfig({ file, env, cwd });
  } catch (error) {
    if (isConfigError(error)) return null;
    throw error;
  }
}

/** The real IO for doctor. */
export function systemDoctorIo(env: ReadonlyMap<string, string>, cwd: string): DoctorIo {
  return {
    files: systemFiles,
    env,
    cwd,
    uid: process.getuid?.() ?? 0,
    load: (file) => loadForDoctor(file, env, cwd),
    ctl: (file) => ctlOptions(file, env, cwd),
    bind: tryListen,
    connect: tcpConnect,
    daemon: askDaemon,
  };
}
