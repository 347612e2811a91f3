/**
 * What the IO layer finds out beyond the files: whether ports can be bound, whether services answer,
 * and what the running daemon says about its processes. Plain data, so checks are tested with fakes.
 */
import { hostPort } from "./paths-util.js";

/** Trying to listen on an address, as the program will. */
export type BindResult =
  | { readonly status: "free" }
  /** EADDRINUSE (or, without the right to bind, something answers there). */
  | { readonly status: "in-use" }
  /** EADDRNOTAVAIL: the address is not one of this machine's. */
  | { readonly status: "not-local" }
  /** EACCES: a port below 1024 and this user may not bind it; nothing answers there. */
  | { readonly status: "denied" }
  | { readonly status: "error"; readonly message: string };

export type ConnectResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface NetworkFacts {
  /** By `host:port` (hostPort). */
  readonly binds: ReadonlyMap<string, BindResult>;
  readonly connects: ReadonlyMap<string, ConnectResult>;
  readonly timeoutMs: number;
}

/** One process as `supervisor.getAllProcessInfo` describes it, with its log's last lines when it failed. */
export interface ProcessFacts {
  /** `group:name`. */
  readonly name: string;
  readonly statename: string;
  readonly spawnerr: string;
  readonly exitstatus: number;
  readonly pid: number;
  readonly description: string;
  /** The last lines of its stdout and stderr logs (stdout first), when fetched. */
  readonly log: readonly string[];
}

/** How to reach the daemon: `[supervisorctl]`'s serverurl and credentials, or the config's own server. */
export interface DaemonTarget {
  readonly serverurl: string;
  readonly username: string | null;
  readonly password: string | null;
}

export type DaemonFacts =
  /** The config has no server section and no `[supervisorctl] serverurl`. */
  | { readonly kind: "none" }
  /** Not asked (--offline). */
  | { readonly kind: "offline" }
  /** Not running: refused, no socket file. */
  | { readonly kind: "down"; readonly serverurl: string; readonly message: string }
  /** Running, but it would not say: permission, authentication, not XML-RPC. */
  | { readonly kind: "error"; readonly serverurl: string; readonly message: string }
  | { readonly kind: "up"; readonly serverurl: string; readonly processes: readonly ProcessFacts[] };

/** States whose process holds the ports it listens on. */
export const ALIVE_STATES: ReadonlySet<string> = new Set(["RUNNING", "STARTING", "STOPPING"]);

/** Whether a process's log is worth fetching: it is FATAL, flapping (BACKOFF) or EXITED. */
export function wantsLog(statename: string): boolean {
  return statename === "FATAL" || statename === "BACKOFF" || statename === "EXITED";
}

export function endpointKey(host: string, port: number): string {
  return hostPort(host, port);
}
