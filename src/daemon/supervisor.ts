/**
 * The running daemon's process table: groups in priority order, each process a ProcessRunner.
 * Starts autostart programs, and stops everything in supervisord's shutdown order (one group at a
 * time, highest priority number first), without waiting on idle groups.
 */
import type { Config, GroupConfig, ProcessConfig } from "../config/types.js";
import {
  healthPayload,
  processCommunicationPayload,
  processGroupPayload,
  processLogPayload,
  processStatePayload,
  remoteCommunicationPayload,
} from "../events/payloads.js";
import { createAutoLog } from "../logs/auto-log.js";
import type { MainLog } from "../logs/main-log.js";
import { UnixSyslog } from "../logs/syslog.js";
import { childEnvironment } from "../process/child-environment.js";
import type { Transition } from "../process/machine.js";
import { planUser, systemUsers } from "../process/spawn-user.js";
import { type ProcessStateName, STOPPED_STATES, type SupervisorStateName } from "../process/states.js";
import type { ProcessSpawner } from "./child-handle.js";
import type { EventBus } from "./event-bus.js";
import type { EventPool } from "./event-pool.js";
import { HealthMonitor, type HealthReport } from "./health-monitor.js";
import { type RunnableProbe, runProbe } from "./probes.js";
import { type ListenerHooks, type LogPaths, type OutputEventHooks, ProcessRunner } from "./process-runner.js";
import { type DependencyView, type GateDependency, StartGate } from "./start-gate.js";

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
  /** Steward: the start gate and health monitor of each process that has them. */
  readonly #gates = new Map<ProcessRunner, StartGate>();
  readonly #health = new Map<ProcessRunner, HealthMonitor>();
  #dependents: Map<ProcessRunner, ProcessRunner[]> | null = null;
  #recheckQueued = false;

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
    const runners = group.processes.map((p, i) => {
      let runner: ProcessRunner | null = null;
      const self = () => runner!;
      const health = p.healthcheck ? this.#healthMonitor(p, group.name, self) : null;
      const gate = p.depends_on.length > 0 || p.wait_for.length > 0 ? this.#startGate(p, self) : null;
      runner = new ProcessRunner(p, this.#logPaths(group, i), {
        spawner: this.#deps.spawner,
        log: this.#deps.log,
        now: this.#deps.now,
        mayStart: () => this.mood === "RUNNING",
        spawnContext: { env: this.#deps.env, serverurl: this.#config.serverurl, groupName: group.name },
        stripAnsi: this.#config.supervisord.strip_ansi,
        syslog: () => (this.#syslog ??= new UnixSyslog()),
        onTransition: (r, transition) => this.#onTransition(r, group.name, pool, transition),
        listener: pool === null ? null : listenerHooks(pool, p.name),
        outputEvents: this.#outputEvents(p.name, group.name),
        gate,
        health: health && {
          spawned: () => health.spawned(),
          output: (chunk) => health.output(chunk),
          exited: () => health.exited(),
        },
      });
      if (gate) this.#gates.set(runner, gate);
      if (health) this.#health.set(runner, health);
      return runner;
    });
    for (const runner of runners) pool?.attach(runner);
    this.#dependents = null;
    return { config: group, runners, pool };
  }

  #healthMonitor(p: ProcessConfig, groupName: string, runner: () => ProcessRunner): HealthMonitor {
    // an exec check gets the program's environment, SUPERVISOR_* included
    const env = childEnvironment({
      daemonEnvironment: Object.fromEntries(this.#deps.env),
      process: { ...p, group_name: groupName },
      defaultServerurl: this.#config.serverurl,
    });
    let previous = "none";
    return new HealthMonitor({
      config: p,
      probe: (probe, timeoutMs, signal) => {
        // An exec check runs as the program's user=, never as root in its place.
        const plan = probe.kind === "exec" ? planUser(p.user, process.getuid?.() ?? 0, systemUsers()) : null;
        if (plan?.kind === "fail") return Promise.resolve({ ok: false, detail: plan.message });
        const user = plan?.kind === "switch" ? { uid: plan.uid, gid: plan.gid } : null;
        // the running child's own environment (environment_file's variables included) when known
        const childEnv = runner().child?.env ?? env;
        return runProbe(probe, { timeoutMs, signal, env: childEnv, cwd: p.directory, user });
      },
      state: () => runner().state,
      healthy: () => runner().dispatch({ kind: "healthy" }),
      unhealthy: (message) => runner().dispatch({ kind: "unhealthy", message }),
      log: this.#deps.log,
      changed: (report) => {
        this.#recheckGates();
        if (report.status === previous) return;
        previous = report.status;
        if (report.status !== "healthy" && report.status !== "unhealthy") return;
        const r = runner();
        this.#deps.events.notify(`STEWARD_HEALTH_${report.status.toUpperCase()}`, () =>
          healthPayload(
            { processName: r.name, groupName: r.config.group_name, pid: r.snapshot.pid },
            report.last?.detail ?? "",
          ),
        );
      },
    });
  }

  #startGate(p: ProcessConfig, runner: () => ProcessRunner): StartGate {
    const dependencies: GateDependency[] = p.depends_on.flatMap((d) =>
      d.processes.map((spec) => ({
        target: displayName(spec),
        condition: d.condition,
        view: () => this.#view(spec),
        start: () => {
          const dep = this.#runner(spec);
          if (dep && ["STOPPED", "EXITED", "FATAL"].includes(dep.state)) dep.dispatch({ kind: "start" });
        },
      })),
    );
    return new StartGate({
      config: p,
      dependencies,
      probe: (probe: RunnableProbe, signal) => runProbe(probe, { timeoutMs: 5000, signal }),
      log: this.#deps.log,
      mayStart: () => this.mood === "RUNNING",
      onOpen: () => runner().dispatch({ kind: "gateOpen" }),
      onFail: (message) => runner().dispatch({ kind: "gateFailed", message }),
    });
  }

  #runner(spec: string): ProcessRunner | undefined {
    const colon = spec.indexOf(":");
    return this.group(spec.slice(0, colon))?.runners.find((r) => r.name === spec.slice(colon + 1));
  }

  /** What a `depends_on` entry sees of the process `group:name`. */
  dependencyView(spec: string): DependencyView {
    return this.#view(spec);
  }

  #view(spec: string): DependencyView {
    const r = this.#runner(spec);
    if (!r) {
      // Removed since (removeProcessGroup): it can never be met.
      return {
        name: spec,
        state: "UNKNOWN",
        pid: 0,
        exitedExpected: false,
        autorestart: "false",
        healthy: false,
      };
    }
    const s = r.snapshot;
    return {
      name: r.name,
      state: s.state,
      pid: s.pid,
      exitedExpected: s.state === "EXITED" && r.config.exitcodes.includes(s.exitstatus ?? -1),
      autorestart: r.config.autorestart,
      healthy: this.#health.get(r)?.healthy ?? false,
    };
  }

  /** Re-checks every waiting gate, once per turn (state and health changes can come in bursts). */
  #recheckGates(): void {
    if (this.#recheckQueued) return;
    this.#recheckQueued = true;
    queueMicrotask(() => {
      this.#recheckQueued = false;
      for (const gate of this.#gates.values()) gate.check();
    });
  }

  /** What a STARTING process waits for before it is spawned ("" when it does not wait). */
  waitingFor(runner: ProcessRunner): string {
    const gate = this.#gates.get(runner);
    return gate?.waiting ? gate.describe() : "";
  }

  /** The health of a process with a health check, or null. */
  health(runner: ProcessRunner): HealthReport | null {
    return this.#health.get(runner)?.report ?? null;
  }

  /** The processes whose `depends_on` names `runner`. */
  dependentsOf(runner: ProcessRunner): ProcessRunner[] {
    if (this.#dependents === null) {
      const map = new Map<ProcessRunner, ProcessRunner[]>();
      for (const r of this.runners) {
        for (const d of r.config.depends_on) {
          for (const spec of d.processes) {
            const dep = this.#runner(spec);
            if (dep) map.set(dep, [...(map.get(dep) ?? []), r]);
          }
        }
      }
      this.#dependents = map;
    }
    return this.#dependents.get(runner) ?? [];
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
      for (const runner of [...pending].reverse()) this.#stopAfterDependents(runner, new Set());
      if (group.runners.some((r) => !STOPPED_STATES.has(r.state))) return;
    }
    if (this.#reportTimer) clearTimeout(this.#reportTimer);
    for (const runner of this.runners) {
      runner.dispose();
      runner.killLeftovers();
    }
    for (const gate of this.#gates.values()) gate.close();
    for (const health of this.#health.values()) health.stop();
    this.#syslog?.close();
    const done = this.#stopped;
    this.#stopped = null;
    done();
  }

  /** Shutdown: stops `runner` once nothing that depends on it runs; stops those first. */
  #stopAfterDependents(runner: ProcessRunner, seen: Set<ProcessRunner>): void {
    if (seen.has(runner)) return;
    seen.add(runner);
    const live = this.dependentsOf(runner).filter((d) => !STOPPED_STATES.has(d.state));
    if (live.length > 0) {
      for (const d of live) this.#stopAfterDependents(d, seen);
      return;
    }
    if (runner.state === "RUNNING" || runner.state === "STARTING") runner.dispatch({ kind: "stop" });
    else if (runner.state === "BACKOFF") runner.dispatch({ kind: "giveUp" });
  }

  #onTransition(runner: ProcessRunner, groupName: string, pool: EventPool | null, t: Transition): void {
    this.#health.get(runner)?.stateChanged(t.to);
    if (this.#gates.size > 0) this.#recheckGates();
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
    for (const runner of group.runners) {
      runner.dispose();
      this.#gates.get(runner)?.close();
      this.#gates.delete(runner);
      this.#health.get(runner)?.stop();
      this.#health.delete(runner);
    }
    this.#dependents = null;
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

/** `group:name` as status shows it: `name` when the group is the program's own. */
function displayName(spec: string): string {
  const colon = spec.indexOf(":");
  return spec.slice(0, colon) === spec.slice(colon + 1) ? spec.slice(colon + 1) : spec;
}
