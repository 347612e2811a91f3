/**
 * The process state machine: the legal transitions as data and one pure step function. It decides
 * exactly what supervisord's `Subprocess` decides (spawn, startsecs, BACKOFF delays, FATAL, EXITED
 * with exitcodes, autorestart, stop and SIGKILL escalation) and returns effects for the IO shell to
 * perform. Time is an argument; the shell arms one timer at `nextDeadline()` and feeds `evaluate`.
 */
import { StewardError } from "../errors.js";
import type { ProcessStateName } from "./states.js";
import { describeWaitStatus, signame, type WaitStatus } from "./wait-status.js";

/** Every legal move, from-state → to-states. Anything else is a bug and throws. */
export const TRANSITIONS: Readonly<Record<ProcessStateName, readonly ProcessStateName[]>> = {
  STOPPED: ["STARTING"],
  STARTING: ["RUNNING", "BACKOFF", "STOPPING", "UNKNOWN"],
  RUNNING: ["EXITED", "STOPPING", "UNKNOWN"],
  BACKOFF: ["STARTING", "FATAL", "STOPPED"],
  STOPPING: ["STOPPED", "UNKNOWN"],
  EXITED: ["STARTING"],
  FATAL: ["STARTING"],
  UNKNOWN: [],
};

/** The options the machine decides with (a ProcessConfig has them all). */
export interface MachineConfig {
  readonly name: string;
  readonly autostart: boolean;
  readonly autorestart: "true" | "false" | "unexpected";
  readonly startsecs: number;
  readonly startretries: number;
  readonly exitcodes: readonly number[];
  readonly stopsignal: number;
  readonly stopwaitsecs: number;
  readonly stopasgroup: boolean;
  readonly killasgroup: boolean;
  // Steward's options (absent: supervisord's behaviour).
  /** Anything to wait for before spawning (`depends_on`, `wait_for`): the shell opens the gate. */
  readonly depends_on?: readonly unknown[];
  readonly wait_for?: readonly unknown[];
  /** With a health check, STARTING lasts until the first passing check (`healthy` input). */
  readonly healthcheck?: unknown;
  /** Seconds within which the first check must pass; 0: no limit. */
  readonly healthcheck_start_period?: number;
  readonly unhealthy_action?: "restart" | "stop" | "none";
  readonly backoff?: "linear" | "exponential";
  /** Seconds: the longest BACKOFF delay. */
  readonly backoff_max?: number;
}

/** One process's state. Times are milliseconds since the epoch; 0 means never/none. */
export interface ProcessSnapshot {
  readonly state: ProcessStateName;
  readonly pid: number;
  readonly laststart: number;
  readonly laststop: number;
  /** Failed start attempts in a row (supervisord's backoff counter). */
  readonly backoff: number;
  /** BACKOFF: when to retry; STOPPING: when to send SIGKILL. */
  readonly deadline: number;
  readonly exitstatus: number | null;
  readonly spawnerr: string | null;
  /** A stop signal has been sent and the exit is awaited. */
  readonly killing: boolean;
  /** STARTING, not spawned yet: waiting for `depends_on` / `wait_for` (the shell's gate). */
  readonly waiting: boolean;
  /** The health check has passed since the spawn (readiness). */
  readonly ready: boolean;
  /** STARTING: the start failed while the process runs (not healthy in time); it is being killed. */
  readonly abandoning: string | null;
  /** Spawn again once stopped (unhealthy_action=restart). */
  readonly restartAfterStop: boolean;
}

export const INITIAL_SNAPSHOT: ProcessSnapshot = {
  state: "STOPPED",
  pid: 0,
  laststart: 0,
  laststop: 0,
  backoff: 0,
  deadline: 0,
  exitstatus: null,
  spawnerr: null,
  killing: false,
  waiting: false,
  ready: false,
  abandoning: null,
  restartAfterStop: false,
};

export type MachineInput =
  /** Re-check timed and automatic moves (supervisord's `transition()`). */
  | { readonly kind: "evaluate" }
  /** An explicit start (`startProcess`). */
  | { readonly kind: "start" }
  | { readonly kind: "spawned"; readonly pid: number }
  | { readonly kind: "spawnFailed"; readonly message: string }
  | { readonly kind: "exited"; readonly status: WaitStatus }
  /** An explicit stop (`stopProcess`, shutdown). */
  | { readonly kind: "stop" }
  /** Shutdown reached a process in BACKOFF: FATAL without a `gave up` line. */
  | { readonly kind: "giveUp" }
  /** Sending a signal failed with something other than ESRCH. */
  | { readonly kind: "killFailed"; readonly message: string }
  /** The gate opened: what the process waits for holds (Steward). */
  | { readonly kind: "gateOpen" }
  /** The gate failed (timed out, a dependency failed): a failed start (Steward). */
  | { readonly kind: "gateFailed"; readonly message: string }
  /** The health check passed for the first time since the spawn (Steward). */
  | { readonly kind: "healthy" }
  /** A RUNNING program failed `healthcheck_retries` checks in a row (Steward). */
  | { readonly kind: "unhealthy"; readonly message: string };

export interface MachineContext {
  readonly now: number;
  /** False while the daemon shuts down or reloads: nothing is (re)started. */
  readonly mayStart: boolean;
}

export type LogLevelName = "critical" | "error" | "warn" | "info" | "debug";

export type Effect =
  | { readonly kind: "spawn" }
  /** Start waiting for the gate (`gateOpen` / `gateFailed` follow), or stop waiting. */
  | { readonly kind: "gate"; readonly open: boolean }
  | { readonly kind: "kill"; readonly signal: number; readonly group: boolean }
  | { readonly kind: "log"; readonly level: LogLevelName; readonly message: string }
  | ({ readonly kind: "transition" } & Transition);

/** A state change and the values supervisord's state events report, taken at the moment of it. */
export interface Transition {
  readonly from: ProcessStateName;
  readonly to: ProcessStateName;
  /** EXITED: whether the exit status is in `exitcodes` (true otherwise). */
  readonly expected: boolean;
  /** The pid then (the old one for EXITED and STOPPED; 0 when there is none). */
  readonly pid: number;
  /** The backoff counter then (the `tries` of STARTING and BACKOFF events). */
  readonly tries: number;
}

export interface StepResult {
  readonly snapshot: ProcessSnapshot;
  readonly effects: readonly Effect[];
}

const SIGKILL = 9;

/** Whether `from → to` is in the table. */
export function isLegal(from: ProcessStateName, to: ProcessStateName): boolean {
  return TRANSITIONS[from].includes(to);
}

class Step {
  snap: ProcessSnapshot;
  readonly effects: Effect[] = [];
  readonly config: MachineConfig;
  readonly ctx: MachineContext;

  constructor(snap: ProcessSnapshot, config: MachineConfig, ctx: MachineContext) {
    this.snap = snap;
    this.config = config;
    this.ctx = ctx;
  }

  set(patch: Partial<ProcessSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
  }

  log(level: LogLevelName, message: string): void {
    this.effects.push({ kind: "log", level, message });
  }

  change(to: ProcessStateName, expected = true): void {
    const from = this.snap.state;
    if (!isLegal(from, to)) {
      throw new StewardError(
        "STEWARD_ERR_INTERNAL",
        `illegal transition for ${this.config.name}: ${from} -> ${to}`,
      );
    }
    this.set({ state: to });
    if (to === "BACKOFF") {
      const backoff = this.snap.backoff + 1;
      this.set({ backoff, deadline: this.ctx.now + backoffDelay(backoff, this.config) * 1000 });
    }
    this.effects.push({
      kind: "transition",
      from,
      to,
      expected,
      pid: this.snap.pid,
      tries: this.snap.backoff,
    });
  }

  require(...states: ProcessStateName[]): void {
    if (!states.includes(this.snap.state)) {
      throw new StewardError(
        "STEWARD_ERR_INTERNAL",
        `Assertion failed for ${this.config.name}: ${this.snap.state} not in ${states.join(" ")}`,
      );
    }
  }

  spawn(): void {
    if (this.snap.pid) {
      this.log("warn", `process '${this.config.name}' already running`);
      return;
    }
    this.set({
      killing: false,
      spawnerr: null,
      exitstatus: null,
      laststart: this.ctx.now,
      ready: false,
      abandoning: null,
      restartAfterStop: false,
    });
    this.require("EXITED", "FATAL", "BACKOFF", "STOPPED");
    this.change("STARTING");
    if (isGated(this.config)) {
      this.set({ waiting: true });
      this.effects.push({ kind: "gate", open: true });
    } else this.effects.push({ kind: "spawn" });
  }

  /** The gate opened: spawn now (startsecs counts from here). */
  gateOpen(): void {
    if (this.snap.state !== "STARTING" || !this.snap.waiting) return;
    this.set({ waiting: false, laststart: this.ctx.now });
    this.effects.push({ kind: "spawn" });
  }

  gateFailed(message: string): void {
    if (this.snap.state !== "STARTING" || !this.snap.waiting) return;
    this.set({ waiting: false, spawnerr: message });
    this.log("info", `spawnerr: ${message}`);
    this.change("BACKOFF");
  }

  /** Stop while waiting at the gate: nothing was spawned, so STOPPING ends at once. */
  cancelWait(): void {
    this.set({ waiting: false });
    this.effects.push({ kind: "gate", open: false });
    this.change("STOPPING");
    this.set({ laststop: this.ctx.now });
    this.change("STOPPED");
    this.log("info", `stopped: ${this.config.name} (never spawned: stopped while waiting)`);
  }

  /** A RUNNING program failed its checks: unhealthy_action decides. */
  unhealthy(message: string): void {
    const { config } = this;
    if (this.snap.state !== "RUNNING") return;
    const action = config.unhealthy_action ?? "restart";
    this.log(
      "warn",
      `${config.name} is unhealthy: ${message}${action === "none" ? "" : `; ${action === "restart" ? "restarting" : "stopping"} it`}`,
    );
    if (action === "none") return;
    this.kill(config.stopsignal);
    if (action === "restart") this.set({ restartAfterStop: true });
  }

  /** Not healthy within healthcheck_start_period: stop the process; its exit is a failed start. */
  abandon(message: string): void {
    const { config } = this;
    this.log("warn", `${config.name}: ${message}, stopping it`);
    this.set({
      abandoning: message,
      deadline: this.ctx.now + config.stopwaitsecs * 1000,
    });
    this.effects.push({ kind: "kill", signal: config.stopsignal, group: config.stopasgroup });
  }

  kill(signal: number): void {
    const { config } = this;
    if (this.snap.state === "BACKOFF") {
      this.log("debug", `Attempted to kill ${config.name}, which is in BACKOFF state.`);
      this.change("STOPPED");
      return;
    }
    if (!this.snap.pid) {
      if (this.snap.state === "STARTING" && this.snap.waiting) {
        this.cancelWait();
        return;
      }
      this.log("debug", `attempted to kill ${config.name} with sig ${signame(signal)} but it wasn't running`);
      return;
    }
    const group = this.snap.state === "STOPPING" ? config.killasgroup : config.stopasgroup;
    this.log(
      "debug",
      `killing ${config.name} (pid ${this.snap.pid}) ${group ? "process group " : ""}with signal ${signame(signal)}`,
    );
    this.set({ killing: true, deadline: this.ctx.now + config.stopwaitsecs * 1000 });
    this.require("RUNNING", "STARTING", "STOPPING");
    if (this.snap.state !== "STOPPING") this.change("STOPPING");
    this.effects.push({ kind: "kill", signal, group });
  }

  evaluate(): void {
    const { config, ctx } = this;
    const state = this.snap.state;
    if (ctx.mayStart) {
      if (state === "EXITED") {
        const unexpected = !config.exitcodes.includes(this.snap.exitstatus ?? -1);
        if (config.autorestart === "true" || (config.autorestart === "unexpected" && unexpected))
          this.spawn();
      } else if (state === "STOPPED" && this.snap.restartAfterStop) {
        this.spawn();
      } else if (state === "STOPPED" && !this.snap.laststart) {
        if (config.autostart) this.spawn();
      } else if (state === "BACKOFF") {
        if (this.snap.backoff <= config.startretries && ctx.now > this.snap.deadline) this.spawn();
      }
    }
    if (state === "STARTING" && this.snap.pid && this.snap.abandoning !== null) {
      if (this.snap.deadline - ctx.now <= 0) {
        this.log("warn", `killing '${config.name}' (${this.snap.pid}) with SIGKILL`);
        this.set({ deadline: ctx.now + config.stopwaitsecs * 1000 });
        this.effects.push({ kind: "kill", signal: SIGKILL, group: config.killasgroup });
      }
      return;
    }
    if (state === "STARTING" && this.snap.pid && notReadyInTime(this.snap, config, ctx.now)) {
      this.abandon(
        `not healthy within healthcheck_start_period (${config.healthcheck_start_period} seconds)`,
      );
      return;
    }
    if (
      state === "STARTING" &&
      this.snap.pid &&
      startupComplete(this.snap, config, ctx.now) &&
      (!config.healthcheck || this.snap.ready)
    ) {
      this.set({ deadline: 0, backoff: 0 });
      this.change("RUNNING");
      this.log(
        "info",
        `success: ${config.name} entered RUNNING state, process has stayed up for > than ${config.startsecs} seconds (startsecs)`,
      );
    }
    if (state === "BACKOFF") {
      if (this.snap.backoff > config.startretries) {
        this.giveUp();
        this.log("info", `gave up: ${config.name} entered FATAL state, too many start retries too quickly`);
      }
    } else if (state === "STOPPING" && this.snap.deadline - ctx.now <= 0) {
      this.log("warn", `killing '${config.name}' (${this.snap.pid}) with SIGKILL`);
      this.kill(SIGKILL);
    }
  }

  giveUp(): void {
    this.set({ deadline: 0, backoff: 0 });
    this.require("BACKOFF");
    this.change("FATAL");
  }

  finish(status: WaitStatus): void {
    const { config, ctx } = this;
    const { exitstatus, how } = describeWaitStatus(status);
    let tooQuickly = false;
    if (ctx.now > this.snap.laststart) tooQuickly = ctx.now - this.snap.laststart < config.startsecs * 1000;
    else {
      this.log(
        "warn",
        `process '${config.name}' (${this.snap.pid}) laststart time is in the future, don't know how long process was running so assuming it did not exit too quickly`,
      );
    }
    this.set({ laststop: ctx.now });
    const expected = config.exitcodes.includes(exitstatus);
    if (this.snap.abandoning !== null) {
      tooQuickly = true;
    } else if (config.healthcheck && !this.snap.ready && this.snap.state === "STARTING") {
      // Gone before it ever passed its health check: it never started.
      tooQuickly = true;
    }
    if (this.snap.killing) {
      this.set({ killing: false, deadline: 0, exitstatus });
      this.require("STOPPING");
      this.change("STOPPED");
      this.log(expected ? "info" : "warn", `stopped: ${config.name} (${how})`);
    } else if (tooQuickly) {
      this.set({
        exitstatus: null,
        spawnerr: this.snap.abandoning ?? "Exited too quickly (process log may have details)",
        abandoning: null,
      });
      this.require("STARTING");
      this.change("BACKOFF");
      this.log("warn", `exited: ${config.name} (${how}; not expected)`);
    } else {
      this.set({ deadline: 0, backoff: 0, exitstatus });
      if (this.snap.state === "STARTING") this.change("RUNNING");
      this.require("RUNNING");
      if (expected) {
        this.change("EXITED", true);
        this.log("info", `exited: ${config.name} (${how}; expected)`);
      } else {
        this.set({ spawnerr: `Bad exit code ${exitstatus}` });
        this.change("EXITED", false);
        this.log("warn", `exited: ${config.name} (${how}; not expected)`);
      }
    }
    this.set({ pid: 0 });
  }
}

/** Whether spawning waits for a gate (`depends_on` or `wait_for`). */
function isGated(config: MachineConfig): boolean {
  return (config.depends_on?.length ?? 0) > 0 || (config.wait_for?.length ?? 0) > 0;
}

/** Seconds before retry number `backoff` (1, 2, …): linear as supervisord (n s) or exponential (2^(n-1) s), capped. */
export function backoffDelay(backoff: number, config: MachineConfig): number {
  const raw = config.backoff === "exponential" ? 2 ** Math.min(backoff - 1, 30) : backoff;
  return config.backoff_max === undefined ? raw : Math.min(raw, config.backoff_max);
}

/** A health-checked process still not ready when its start period is over. */
function notReadyInTime(snap: ProcessSnapshot, config: MachineConfig, now: number): boolean {
  const period = config.healthcheck_start_period ?? 0;
  return Boolean(config.healthcheck) && !snap.ready && period > 0 && now - snap.laststart >= period * 1000;
}

/** Whether a STARTING process has stayed up long enough (startsecs ≤ 0: at once). */
function startupComplete(snap: ProcessSnapshot, config: MachineConfig, now: number): boolean {
  return config.startsecs <= 0 || now - snap.laststart > config.startsecs * 1000;
}

/** Applies one input; pure. Throws StewardError(STEWARD_ERR_INTERNAL) for an input illegal in the state. */
export function step(
  snapshot: ProcessSnapshot,
  input: MachineInput,
  config: MachineConfig,
  ctx: MachineContext,
): StepResult {
  const s = new Step(snapshot, config, ctx);
  switch (input.kind) {
    case "evaluate":
      s.evaluate();
      break;
    case "start":
      s.require("STOPPED", "EXITED", "FATAL", "BACKOFF");
      s.spawn();
      break;
    case "spawned":
      s.require("STARTING");
      s.set({ pid: input.pid });
      s.log("info", `spawned: '${config.name}' with pid ${input.pid}`);
      s.evaluate();
      break;
    case "spawnFailed":
      s.require("STARTING");
      s.set({ spawnerr: input.message });
      s.log("info", `spawnerr: ${input.message}`);
      s.change("BACKOFF");
      s.evaluate();
      break;
    case "exited":
      s.finish(input.status);
      s.evaluate();
      break;
    case "stop":
      s.require("RUNNING", "STARTING", "BACKOFF");
      s.kill(config.stopsignal);
      break;
    case "giveUp":
      s.giveUp();
      break;
    case "gateOpen":
      s.gateOpen();
      s.evaluate();
      break;
    case "gateFailed":
      s.gateFailed(input.message);
      s.evaluate();
      break;
    case "healthy":
      if (s.snap.state === "STARTING" && s.snap.pid && !s.snap.ready && s.snap.abandoning === null) {
        s.set({ ready: true });
        s.evaluate();
      }
      break;
    case "unhealthy":
      s.unhealthy(input.message);
      break;
    case "killFailed":
      s.log("critical", `unknown problem killing ${config.name} (${snapshot.pid}):${input.message}`);
      s.change("UNKNOWN");
      s.set({ killing: false, deadline: 0 });
      break;
  }
  return { snapshot: s.snap, effects: s.effects };
}

/**
 * When the machine next needs an `evaluate` without any other input (ms since the epoch), or null.
 * The shell arms a single timer for it.
 */
export function nextDeadline(snap: ProcessSnapshot, config: MachineConfig): number | null {
  switch (snap.state) {
    case "STARTING": {
      if (!snap.pid) return null;
      if (snap.abandoning !== null) return snap.deadline;
      if (config.healthcheck && !snap.ready) {
        // Waiting for the first passing check (the `healthy` input), at most the start period.
        const period = config.healthcheck_start_period ?? 0;
        return period > 0 ? snap.laststart + period * 1000 : null;
      }
      return config.startsecs > 0 ? snap.laststart + config.startsecs * 1000 + 1 : null;
    }
    case "BACKOFF":
      return snap.backoff <= config.startretries ? snap.deadline + 1 : null;
    case "STOPPING":
      return snap.deadline;
    default:
      return null;
  }
}
