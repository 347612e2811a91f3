/**
 * The daemon side of supervisord's `supervisor.*` methods: process and group lookup by namespec,
 * start/stop/signal with supervisord's checks, faults and waiting rules, process info, and the
 * result structs of group operations. The RPC layer maps these calls onto the wire; nothing here
 * knows about HTTP or XML.
 */

import { toSignal } from "../config/convert.js";
import type { ProcessConfig } from "../config/types.js";
import { resolveCommand, SpawnError } from "../process/command-line.js";
import { describeProcess } from "../process/describe.js";
import { makeNamespec, parseNamespec } from "../process/namespec.js";
import { ProcessStates, RUNNING_STATES, SIGNALLABLE_STATES, STOPPED_STATES } from "../process/states.js";
import { systemFiles } from "../process/system-files.js";
import { Faults, RpcFault } from "../rpc/faults.js";
import type { ProcessRunner } from "./process-runner.js";
import type { GroupRuntime, Supervisor } from "./supervisor.js";

/**
 * `getProcessInfo`'s struct, field for field. A type rather than an interface, so that it is an
 * XmlRpcStruct as it is and goes on the wire without a copy.
 */
export type ProcessInfo = {
  readonly name: string;
  readonly group: string;
  readonly start: number;
  readonly stop: number;
  readonly now: number;
  readonly state: number;
  readonly statename: string;
  readonly spawnerr: string;
  readonly exitstatus: number;
  readonly logfile: string;
  readonly stdout_logfile: string;
  readonly stderr_logfile: string;
  readonly pid: number;
  readonly description: string;
};

/** One entry of a group/all operation's result array. */
export interface ProcessResult {
  readonly name: string;
  readonly group: string;
  readonly status: number;
  readonly description: string;
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const STOP_REPORT_MS = 2000;

export class Control {
  readonly #supervisor: () => Supervisor;
  readonly #env: ReadonlyMap<string, string>;

  constructor(supervisor: () => Supervisor, env: ReadonlyMap<string, string>) {
    this.#supervisor = supervisor;
    this.#env = env;
  }

  get supervisor(): Supervisor {
    return this.#supervisor();
  }

  /** The group and process for a namespec; BAD_NAME when unknown. */
  find(spec: string): { group: GroupRuntime; runner: ProcessRunner | null } {
    const parsed = parseNamespec(spec);
    const group = this.supervisor.group(parsed.group);
    if (!group) throw new RpcFault(Faults.BAD_NAME, spec);
    if (parsed.kind === "group") return { group, runner: null };
    const runner = group.runners.find((r) => r.name === parsed.process);
    if (!runner) throw new RpcFault(Faults.BAD_NAME, spec);
    return { group, runner };
  }

  findProcess(spec: string): { group: GroupRuntime; runner: ProcessRunner } {
    const found = this.find(spec);
    if (!found.runner) throw new RpcFault(Faults.BAD_NAME, spec);
    return { group: found.group, runner: found.runner };
  }

  info(group: GroupRuntime, runner: ProcessRunner): ProcessInfo {
    const s = runner.snapshot;
    const now = seconds(Date.now());
    const start = seconds(s.laststart);
    const stop = seconds(s.laststop);
    const stdout = runner.logPaths.stdout ?? "";
    return {
      name: runner.name,
      group: group.config.name,
      start,
      stop,
      now,
      state: ProcessStates[s.state],
      statename: s.state,
      spawnerr: s.spawnerr ?? "",
      exitstatus: s.exitstatus ?? 0,
      logfile: stdout,
      stdout_logfile: stdout,
      stderr_logfile: runner.logPaths.stderr ?? "",
      pid: s.pid,
      description: this.#describe(runner, {
        state: s.state,
        pid: s.pid,
        start,
        stop,
        now,
        spawnerr: s.spawnerr ?? "",
        name: runner.name,
      }),
    };
  }

  /**
   * supervisord's description, plus what Steward knows: what a STARTING process waits for, and the
   * health of a program with a health check.
   */
  #describe(runner: ProcessRunner, p: Parameters<typeof describeProcess>[0]): string {
    const base = describeProcess(p);
    const waiting = this.supervisor.waitingFor(runner);
    if (waiting) return waiting;
    const health = this.supervisor.health(runner);
    if (health === null || health.status === "none") return base;
    if (p.state === "STARTING") {
      const last = health.last ? ` (last check: ${health.last.detail})` : "";
      return `waiting for its health check${last}`;
    }
    if (p.state !== "RUNNING") return base;
    if (health.status === "unhealthy") return `${base}, unhealthy (${health.last?.detail ?? "failing"})`;
    return health.failures > 0
      ? `${base}, healthy (last check failed: ${health.last?.detail ?? "?"})`
      : `${base}, healthy`;
  }

  /** Every process, sorted by group then process name (getAllProcessInfo). */
  allInfo(): ProcessInfo[] {
    const all = this.supervisor.groups.flatMap((g) =>
      g.runners.map((r) => ({ info: this.info(g, r), key: `${g.config.name}\0${r.name}` })),
    );
    return sortByUtf8(all).map((entry) => entry.info);
  }

  /** The executable check startProcess makes first (NO_FILE / NOT_EXECUTABLE), even when running. */
  #checkExecutable(config: ProcessConfig): void {
    try {
      resolveCommand(config.command, {
        programEnvironment: config.environment,
        daemonEnvironment: Object.fromEntries(this.#env),
        files: systemFiles,
      });
    } catch (error) {
      if (!(error instanceof SpawnError)) throw error;
      throw new RpcFault(
        error.failure === "not-found" ? Faults.NO_FILE : Faults.NOT_EXECUTABLE,
        error.message,
      );
    }
  }

  /** Resolves when `runner` satisfies `done`, re-checked at each of its state changes. */
  #until<T>(runner: ProcessRunner, decide: () => T | undefined): Promise<T> {
    const now = decide();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const off = this.supervisor.onTransition((r) => {
        if (r !== runner) return;
        try {
          const result = decide();
          if (result === undefined) return;
          off();
          resolve(result);
        } catch (error) {
          off();
          reject(error);
        }
      });
    });
  }

  /** startProcess for one process: supervisord's checks, then (if `wait`) until RUNNING. */
  async start(runner: ProcessRunner, wait: boolean): Promise<true> {
    this.#checkExecutable(runner.config);
    if (RUNNING_STATES.has(runner.state)) throw new RpcFault(Faults.ALREADY_STARTED, runner.name);
    if (runner.state === "UNKNOWN")
      throw new RpcFault(Faults.FAILED, `${runner.name} is in an unknown process state`);
    if (this.supervisor.mood !== "RUNNING") throw new RpcFault(Faults.SHUTDOWN_STATE);
    runner.dispatch({ kind: "start" });
    const failed = () => {
      if (runner.snapshot.spawnerr) throw new RpcFault(Faults.SPAWN_ERROR, runner.name);
      throw new RpcFault(Faults.ABNORMAL_TERMINATION, runner.name);
    };
    if (runner.state === "BACKOFF" && runner.snapshot.spawnerr)
      throw new RpcFault(Faults.SPAWN_ERROR, runner.name);
    if (!wait) return true;
    return this.#until(runner, () => {
      if (runner.state === "RUNNING") return true as const;
      if (runner.state === "STARTING") return undefined;
      return failed();
    });
  }

  /** stopProcess for one process: NOT_RUNNING unless running; (if `wait`) until stopped. */
  async stop(runner: ProcessRunner, wait: boolean, log = true): Promise<true> {
    if (!RUNNING_STATES.has(runner.state)) throw new RpcFault(Faults.NOT_RUNNING, runner.name);
    runner.dispatch({ kind: "stop" });
    if (runner.state === "UNKNOWN")
      throw new RpcFault(Faults.FAILED, runner.snapshot.spawnerr ?? runner.name);
    if (!wait || STOPPED_STATES.has(runner.state)) return true;
    const report = () => this.supervisor.log.info(`waiting for ${runner.name} to stop`);
    if (log) report();
    const timer = log ? setInterval(report, STOP_REPORT_MS) : null;
    try {
      return await this.#until(runner, () =>
        STOPPED_STATES.has(runner.state) ? (true as const) : undefined,
      );
    } finally {
      if (timer) clearInterval(timer);
    }
  }

  /**
   * Stops `targets` (stopAllProcesses, stopProcessGroup) so that a process whose dependents are among
   * them stops only once they have stopped (Steward's depends_on); the others stop at once, as in
   * supervisord.
   */
  stopInOrder(
    targets: Array<{ group: GroupRuntime; runner: ProcessRunner }>,
    wait: boolean,
  ): Promise<ProcessResult[]> {
    const set = new Set(targets.map((t) => t.runner));
    const stopping = new Map<ProcessRunner, Promise<unknown>>();
    const stopOne = (runner: ProcessRunner): Promise<unknown> => {
      let promise = stopping.get(runner);
      if (promise === undefined) {
        const dependents = this.supervisor.dependentsOf(runner).filter((d) => set.has(d));
        promise = Promise.allSettled(dependents.map(stopOne))
          .then(() =>
            Promise.all(
              dependents.map((d) => this.#until(d, () => (STOPPED_STATES.has(d.state) ? true : undefined))),
            ),
          )
          .then(() => this.stop(runner, wait, false));
        stopping.set(runner, promise);
      }
      return promise;
    };
    return this.each(targets, stopOne);
  }

  /** signalProcess for one process. */
  signal(runner: ProcessRunner, signal: string | number): true {
    const number = parseSignal(signal);
    if (!SIGNALLABLE_STATES.has(runner.state)) throw new RpcFault(Faults.NOT_RUNNING, runner.name);
    try {
      runner.signal(number);
    } catch (error) {
      throw new RpcFault(Faults.FAILED, (error as Error).message);
    }
    return true;
  }

  /**
   * A group or all operation: acts on every selected process, then collects each one's result as
   * it completes (immediate ones first), as supervisord's result arrays are ordered.
   */
  async each(
    targets: Array<{ group: GroupRuntime; runner: ProcessRunner }>,
    act: (runner: ProcessRunner) => Promise<unknown> | unknown,
  ): Promise<ProcessResult[]> {
    const results: ProcessResult[] = [];
    const entry = (group: GroupRuntime, runner: ProcessRunner, error?: unknown): ProcessResult => {
      const base = { name: runner.name, group: group.config.name };
      if (error === undefined) return { ...base, status: Faults.SUCCESS, description: "OK" };
      if (error instanceof RpcFault)
        return { ...base, status: error.faultCode, description: error.faultString };
      throw error;
    };
    await Promise.all(
      targets.map(async ({ group, runner }) => {
        try {
          await act(runner);
          results.push(entry(group, runner));
        } catch (error) {
          results.push(entry(group, runner, error));
        }
      }),
    );
    return results;
  }

  /** Every process of a group, or of every group in priority order, with its group. */
  targets(group?: GroupRuntime): Array<{ group: GroupRuntime; runner: ProcessRunner }> {
    const groups = group ? [group] : this.supervisor.groups;
    return groups.flatMap((g) => g.runners.map((runner) => ({ group: g, runner })));
  }

  /** The display name (`proc` or `group:proc`). */
  static namespec(group: GroupRuntime, runner: ProcessRunner): string {
    return makeNamespec(group.config.name, runner.name);
  }
}

const SURROGATE = /[\ud800-\udfff]/;

/**
 * Sorts by `key` as Python sorts str (by code point, which is also UTF-8 byte order). Without a
 * surrogate, comparing UTF-16 units is the same order; with one, the keys are compared as bytes.
 */
export function sortByUtf8<T extends { readonly key: string }>(entries: T[]): T[] {
  if (entries.some((e) => SURROGATE.test(e.key))) {
    const bytes = new Map(entries.map((e) => [e, Buffer.from(e.key)]));
    return entries.sort((a, b) => Buffer.compare(bytes.get(a)!, bytes.get(b)!));
  }
  return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A signal given over RPC: a name (`HUP`, `SIGHUP`) or a number; BAD_SIGNAL otherwise. */
export function parseSignal(signal: string | number): number {
  try {
    return toSignal(String(signal));
  } catch {
    throw new RpcFault(Faults.BAD_SIGNAL, String(signal));
  }
}
