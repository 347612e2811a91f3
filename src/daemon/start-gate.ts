/**
 * What a process waits for between STARTING and its spawn (Steward's `depends_on` and `wait_for`):
 * dependencies reaching their condition in this daemon (re-checked at every state or health change,
 * no polling) and outside conditions (a port, a URL, a program of another daemon), probed with a
 * growing pause until they hold. Opening starts the dependencies that are not running ("start X starts
 * what X depends on first"); `wait_for_timeout`, or a dependency that fails, makes it a failed start.
 */
import type { DependencyCondition, ProbeSpec, ProcessConfig } from "../config/types.js";
import type { ProcessStateName } from "../process/states.js";
import type { ProbeResult, RunnableProbe } from "./probes.js";

/** What the gate needs to know of a dependency (a ProcessRunner and its health). */
export interface DependencyView {
  readonly name: string;
  readonly state: ProcessStateName;
  readonly pid: number;
  /** EXITED with a status in `exitcodes`. */
  readonly exitedExpected: boolean;
  readonly autorestart: "true" | "false" | "unexpected";
  /** Its health check passes now (false without one). */
  readonly healthy: boolean;
}

export interface GateDependency {
  readonly target: string;
  readonly condition: DependencyCondition;
  readonly view: () => DependencyView;
  /** Starts it (as `startProcess` would, without waiting). */
  readonly start: () => void;
}

export interface GateDeps {
  readonly config: ProcessConfig;
  readonly dependencies: readonly GateDependency[];
  readonly probe: (probe: RunnableProbe, signal: AbortSignal) => Promise<ProbeResult>;
  readonly log: { info(message: string): void; debug(message: string): void };
  /** Whether the daemon may start things now (not shutting down). */
  readonly mayStart: () => boolean;
  readonly onOpen: () => void;
  readonly onFail: (message: string) => void;
  readonly now?: () => number;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 2000;

/** Whether `dep` meets `condition` now. */
export function conditionHolds(condition: DependencyCondition, dep: DependencyView): boolean {
  switch (condition) {
    case "started":
      return (dep.state === "STARTING" && dep.pid > 0) || dep.state === "RUNNING" || dep.state === "EXITED";
    case "running":
      return dep.state === "RUNNING";
    case "healthy":
      return dep.state === "RUNNING" && dep.healthy;
    case "completed":
      return dep.state === "EXITED" && dep.exitedExpected;
  }
}

/** Why waiting for `dep` can no longer succeed, or null. */
export function conditionFailed(condition: DependencyCondition, dep: DependencyView): string | null {
  if (dep.state === "FATAL") return `${dep.name} is FATAL`;
  if (dep.state === "UNKNOWN") return `${dep.name} is in an unknown state`;
  if (
    condition === "completed" &&
    dep.state === "EXITED" &&
    !dep.exitedExpected &&
    dep.autorestart === "false"
  )
    return `${dep.name} exited with an unexpected status`;
  return null;
}

const label = (d: { target: string; condition: DependencyCondition }) => `${d.target} (${d.condition})`;

export class StartGate {
  readonly #deps: GateDeps;
  readonly #now: () => number;
  #waiting = false;
  #since = 0;
  #timer: NodeJS.Timeout | null = null;
  #abort: AbortController | null = null;
  /** wait_for entries that have held (they are not checked again in this wait). */
  #held = new Set<ProbeSpec>();
  #retries = new Set<NodeJS.Timeout>();
  #lastResults = new Map<ProbeSpec, string>();

  constructor(deps: GateDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  get waiting(): boolean {
    return this.#waiting;
  }

  /** What it still waits for, e.g. `waiting for api (healthy), tcp://db:3306 (connection refused)`. */
  describe(): string {
    const pending = [
      ...this.#deps.dependencies.filter((d) => !conditionHolds(d.condition, d.view())).map(label),
      ...this.#deps.config.wait_for
        .filter((w) => !this.#held.has(w))
        .map((w) => {
          const last = this.#lastResults.get(w);
          return last ? `${w.text} (${last})` : w.text;
        }),
    ];
    return pending.length === 0 ? "" : `waiting for ${pending.join(", ")}`;
  }

  /** Starts waiting (the machine's `gate` effect). */
  open(): void {
    this.close();
    this.#waiting = true;
    this.#since = this.#now();
    this.#held = new Set();
    this.#lastResults = new Map();
    this.#abort = new AbortController();
    if (this.#deps.mayStart()) {
      for (const d of this.#deps.dependencies) {
        const view = d.view();
        if (conditionHolds(d.condition, view)) continue;
        if (["STOPPED", "EXITED", "FATAL"].includes(view.state)) d.start();
      }
    }
    const timeout = this.#deps.config.wait_for_timeout;
    if (timeout > 0) this.#timer = setTimeout(() => this.#timedOut(), timeout * 1000);
    for (const w of this.#deps.config.wait_for) this.#probe(w as RunnableProbe, FIRST_RETRY_MS);
    const pending = this.describe();
    if (pending) this.#deps.log.info(`${this.#deps.config.name}: ${pending}`);
    this.check();
  }

  /** Stops waiting (spawned, failed, or stopped). */
  close(): void {
    this.#waiting = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    for (const t of this.#retries) clearTimeout(t);
    this.#retries.clear();
    this.#abort?.abort();
    this.#abort = null;
  }

  /** Re-checks the conditions (called at every state or health change in the daemon). */
  check(): void {
    if (!this.#waiting) return;
    for (const d of this.#deps.dependencies) {
      const failure = conditionFailed(d.condition, d.view());
      if (failure !== null) {
        this.#fail(`dependency ${failure}`);
        return;
      }
    }
    const depsHold = this.#deps.dependencies.every((d) => conditionHolds(d.condition, d.view()));
    const waitsHold = this.#deps.config.wait_for.every((w) => this.#held.has(w));
    if (!depsHold || !waitsHold) return;
    const waited = (this.#now() - this.#since) / 1000;
    this.close();
    if (waited >= 0.05)
      this.#deps.log.info(`${this.#deps.config.name}: done waiting after ${waited.toFixed(1)} s`);
    this.#deps.onOpen();
  }

  #probe(w: RunnableProbe, pause: number): void {
    const abort = this.#abort;
    if (!abort) return;
    void this.#deps.probe(w, abort.signal).then((result) => {
      if (abort.signal.aborted || !this.#waiting) return;
      this.#lastResults.set(w, result.detail);
      if (result.ok) {
        this.#held.add(w);
        this.check();
        return;
      }
      this.#deps.log.debug(`${this.#deps.config.name}: ${w.text}: ${result.detail}`);
      const timer = setTimeout(() => {
        this.#retries.delete(timer);
        this.#probe(w, Math.min(pause * 2, MAX_RETRY_MS));
      }, pause);
      this.#retries.add(timer);
    });
  }

  #timedOut(): void {
    this.#timer = null;
    if (!this.#waiting) return;
    const pending = this.describe().replace(/^waiting for /, "");
    this.#fail(`timed out after ${this.#deps.config.wait_for_timeout} s waiting for ${pending}`);
  }

  #fail(message: string): void {
    this.close();
    this.#deps.onFail(message);
  }
}
