/**
 * The running daemon's process table: groups in priority order, each process a ProcessRunner.
 * Starts autostart programs, and stops everything in supervisord's shutdown order (one group at a
 * time, highest priority number first), without waiting on idle groups.
 */
import type { Config, GroupConfig } from "../config/types.js";
import {
  processCommunicationPayload,
  processGroupPayload,
  processLogPayload,
  processStatePayload,
  remoteCommunicationPayload,
} from "../events/payloads.js";
import { createAutoLog } from "../logs/auto-log.js";
import type { MainLog } from "../logs/main-log.js";
import { UnixSyslog } from "../logs/syslog.js";
import type { Transition } from "../process/machine.js";
import { type ProcessStateName, STOPPED_STATES, type SupervisorStateName } from "../process/states.js";
import type { ProcessSpawner } from "./child-handle.js";
import type { EventBus } from "./event-bus.js";
import type { EventPool } from "./event-pool.js";
import { type ListenerHooks, type LogPaths, type OutputEventHooks, ProcessRunner } from "./process-runner.js";

export interface GroupRuntime {
  readonly config: GroupConfig;
  readonly runners: readonly ProcessRunner[];
  /** The event listener pool, for `[eventlistener:x]` groups. */
  readonly pool: EventPool | null;
}

export type TransitionListener = (
  runner: ProcessRunner,
  from: ProcessStateName,
  to: ProcessStateName,
) => void;

export interface SupervisorDeps {
  readonly spawner: ProcessSpawner;
  readonly log: MainLog;
  readonly now: () => number;
  readonly env: ReadonlyMap<string, string>;
  /** The daemon's event system (it outlives a reload; the Supervisor adds and removes its pools). */
  readonly events: EventBus;
}

const WAITING_REPORT_MS = 3000;

export class Supervisor {
  mood: SupervisorStateName = "RUNNING";
  readonly groups: GroupRuntime[] = [];
  readonly #config: Config;
  readonly #deps: SupervisorDeps;
  #stopped: (() => void) | null = null;
  #reportTimer: NodeJS.Timeout | null = null;
  #syslog: UnixSyslog | null = null;
  readonly #listeners = new Set<TransitionListener>();

  constructor(config: Config, deps: SupervisorDeps) {
    this.#config = config;
    this.#deps = deps;
    for (const group of config.groups) {
      this.groups.push(this.#createGroup(group));
      this.#deps.events.notify("PROCESS_GROUP_ADDED", processGroupPayload(group.name));
    }
  }

  #logPaths(group: GroupConfig, index: number): LogPaths {
    const p = group.processes[index]!;
    const { childlogdir, identifier } = this.#config.supervisord;
    const path = (ch: "stdout" | "stderr") => {
      const l = p[ch].logfile;
      if (l.kind === "file") return l.path;
      if (l.kind === "none") return null;
      return createAutoLog(childlogdir, p.name, ch, identifier);
    };
    return { stdout: path("stdout"), stderr: p.redirect_stderr ? null : path("stderr") };
  }

  #createGroup(group: GroupConfig): GroupRuntime {
    const pool = group.kind === "eventlistener" ? this.#deps.events.addPool(group) : null;
    const runners = group.processes.map(
      (p, i) =>
        new ProcessRunner(p, this.#logPaths(group, i), {
          spawner: this.#deps.spawner,
          log: this.#deps.log,
          now: this.#deps.now,
          mayStart: () => this.mood === "RUNNING",
          spawnContext: { env: this.#deps.env, serverurl: this.#config.serverurl, groupName: group.name },
          stripAnsi: this.#config.supervisord.strip_ansi,
          syslog: () => (this.#syslog ??= new UnixSyslog()),
          onTransition: (runner, transition) => this.#onTransition(runner, group.name, pool, transition),
          listener: pool === null ? null : listenerHooks(pool, p.name),
          outputEvents: this.#outputEvents(p.name, group.name),
        }),
    );
    for (const runner of runners) pool?.attach(runner);
    return { config: group, runners, pool };
  }

  #outputEvents(processName: string, groupName: string): OutputEventHooks {
    const events = this.#deps.events;
    const channelName = (channel: "stdout" | "stderr") => channel.toUpperCase();
    return {
      log: (channel, pid, data) =>
        events.notify(`PROCESS_LOG_${channelName(channel)}`, () =>
          processLogPayload({ processName, groupName, pid }, channel, data),
        ),
      communication: (channel, pid, data) =>
        events.notify(`PROCESS_COMMUNICATION_${channelName(channel)}`, () =>
          processCommunicationPayload({ processName, groupName, pid }, data),
        ),
    };
  }

  /** Every process, in start order. */
  get runners(): ProcessRunner[] {
    return this.groups.flatMap((g) => g.runners);
  }

  /** Announces SUPERVISOR_STATE_CHANGE_RUNNING, then spawns every autostart process in priority order. */
  start(): void {
    this.#deps.events.notify("SUPERVISOR_STATE_CHANGE_RUNNING", "");
    for (const runner of this.runners) runner.dispatch({ kind: "evaluate" });
  }

  /** Processes that are not in a stopped state. */
  unstopped(): ProcessRunner[] {
    return this.runners.filter((r) => !STOPPED_STATES.has(r.state));
  }

  /**
   * Stops everything (SIGTERM/SIGINT/SIGQUIT, or before a reload): the mood changes so nothing
   * restarts, then groups stop one at a time from the highest priority number down.
   */
  stopAll(mood: "SHUTDOWN" | "RESTARTING"): Promise<void> {
    this.mood = mood;
    this.#deps.events.notify("SUPERVISOR_STATE_CHANGE_STOPPING", "");
    return new Promise((resolve) => {
      this.#stopped = resolve;
      this.#reportWaiting();
      this.#advanceShutdown();
    });
  }

  #reportWaiting(): void {
    const names = this.unstopped().map((r) => r.name);
    if (names.length === 0) return;
    this.#deps.log.info(`waiting for ${names.join(", ")} to die`);
    this.#reportTimer = setTimeout(() => this.#reportWaiting(), WAITING_REPORT_MS);
  }

  #advanceShutdown(): void {
    if (this.#stopped === null) return;
    for (let i = this.groups.length - 1; i >= 0; i--) {
      const group = this.groups[i]!;
      const pending = group.runners.filter((r) => !STOPPED_STATES.has(r.state));
      if (pending.length === 0) continue;
      for (const runner of [...pending].reverse()) {
        if (runner.state === "RUNNING" || runner.state === "STARTING") runner.dispatch({ kind: "stop" });
        else if (runner.state === "BACKOFF") runner.dispatch({ kind: "giveUp" });
      }
      if (group.runners.some((r) => !STOPPED_STATES.has(r.state))) return;
    }
    if (this.#reportTimer) clearTimeout(this.#reportTimer);
    for (const runner of this.runners) {
      runner.dispose();
      runner.killLeftovers();
    }
    this.#syslog?.close();
    const done = this.#stopped;
    this.#stopped = null;
    done();
  }

  #onTransition(runner: ProcessRunner, groupName: string, pool: EventPool | null, t: Transition): void {
    this.#deps.events.notify(`PROCESS_STATE_${t.to}`, () =>
      processStatePayload({ ...t, processName: runner.name, groupName }),
    );
    pool?.stateChanged(runner.name, t.to);
    for (const listener of [...this.#listeners]) listener(runner, t.from, t.to);
    if (this.#stopped !== null) queueMicrotask(() => this.#advanceShutdown());
  }

  /** Calls `listener` after every state change; returns the unsubscribe function. */
  onTransition(listener: TransitionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** `sendRemoteCommEvent`: a REMOTE_COMMUNICATION event for the listeners subscribed to it. */
  sendRemoteCommunication(type: string, data: string): void {
    this.#deps.events.notify("REMOTE_COMMUNICATION", () => remoteCommunicationPayload(type, data));
  }

  /** The daemon's main log. */
  get log(): MainLog {
    return this.#deps.log;
  }

  /** The configuration this daemon runs (a reload replaces it). */
  get config(): Config {
    return this.#config;
  }

  group(name: string): GroupRuntime | undefined {
    return this.groups.find((g) => g.config.name === name);
  }

  /** Adds a group (from `addProcessGroup`), ordered by priority after equal ones, and autostarts it. */
  addGroup(config: GroupConfig): GroupRuntime {
    const runtime = this.#createGroup(config);
    const at = this.groups.findIndex((g) => g.config.priority > config.priority);
    this.groups.splice(at < 0 ? this.groups.length : at, 0, runtime);
    this.#deps.events.notify("PROCESS_GROUP_ADDED", processGroupPayload(config.name));
    for (const runner of runtime.runners) runner.dispatch({ kind: "evaluate" });
    return runtime;
  }

  /** Removes a group whose processes are all stopped. */
  removeGroup(name: string): void {
    const index = this.groups.findIndex((g) => g.config.name === name);
    if (index < 0) return;
    const group = this.groups[index]!;
    for (const runner of group.runners) runner.dispose();
    if (group.pool !== null) this.#deps.events.removePool(group.pool);
    this.groups.splice(index, 1);
    this.#deps.events.notify("PROCESS_GROUP_REMOVED", processGroupPayload(name));
  }

  /** SIGUSR2: reopen every child log file (the main log is reopened by the caller). */
  reopenLogs(): void {
    for (const runner of this.runners) runner.reopenLogs();
  }
}

function listenerHooks(pool: EventPool, processName: string): ListenerHooks {
  return {
    spawned: () => pool.spawned(processName),
    output: (chunk) => pool.output(processName, chunk),
    exited: () => pool.exited(processName),
  };
}
