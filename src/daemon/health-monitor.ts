/**
 * A program's health check at run time: while STARTING it checks every `healthcheck_start_interval`
 * until the first pass (readiness: the machine's `healthy` input); once RUNNING every
 * `healthcheck_interval`, and `healthcheck_retries` failures in a row make it unhealthy (the
 * `unhealthy` input; `unhealthy_action` decides). `log:REGEX` passes when a line of output matches.
 * One timer at a time, for the next check.
 */
import type { ProcessConfig } from "../config/types.js";
import type { ProcessStateName } from "../process/states.js";
import type { ProbeResult, RunnableProbe } from "./probes.js";

export type HealthStatus = "none" | "starting" | "healthy" | "unhealthy";

export interface HealthReport {
  readonly status: HealthStatus;
  /** The last check's result, and when it ran (ms since the epoch). */
  readonly last: (ProbeResult & { readonly at: number }) | null;
  /** Failed checks in a row. */
  readonly failures: number;
}

export interface HealthDeps {
  readonly config: ProcessConfig;
  readonly probe: (probe: RunnableProbe, timeoutMs: number, signal: AbortSignal) => Promise<ProbeResult>;
  readonly state: () => ProcessStateName;
  readonly healthy: () => void;
  readonly unhealthy: (message: string) => void;
  readonly log: { info(message: string): void; warn(message: string): void; debug(message: string): void };
  /** Told when the status changes (dependents waiting for `healthy`, events). */
  readonly changed: (report: HealthReport) => void;
  readonly now?: () => number;
}

export class HealthMonitor {
  readonly #deps: HealthDeps;
  readonly #now: () => number;
  #status: HealthStatus = "none";
  #last: HealthReport["last"] = null;
  #failures = 0;
  #timer: NodeJS.Timeout | null = null;
  #abort: AbortController | null = null;
  #regex: RegExp | null;
  #partial = "";
  #active = false;

  constructor(deps: HealthDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    const check = deps.config.healthcheck;
    this.#regex = check?.kind === "log" ? new RegExp(check.pattern) : null;
  }

  get report(): HealthReport {
    return { status: this.#status, last: this.#last, failures: this.#failures };
  }

  get healthy(): boolean {
    return this.#status === "healthy";
  }

  /** A new instance was spawned: readiness checks begin. */
  spawned(): void {
    this.stop();
    if (!this.#deps.config.healthcheck) return;
    this.#active = true;
    this.#failures = 0;
    this.#partial = "";
    this.#set("starting");
    this.#schedule(this.#deps.config.healthcheck_start_interval);
  }

  /** The instance is gone. */
  exited(): void {
    this.stop();
    if (this.#status !== "none") this.#set("none");
  }

  /** The process changed state: RUNNING switches to the liveness cadence. */
  stateChanged(to: ProcessStateName): void {
    if (!this.#active) return;
    if (to === "RUNNING" && this.#regex === null) this.#schedule(this.#deps.config.healthcheck_interval);
  }

  /** Output of the program (for `log:` checks). */
  output(chunk: Buffer): void {
    if (!this.#active || this.#regex === null || this.#status === "healthy") return;
    const lines = (this.#partial + chunk.toString("utf8")).split("\n");
    this.#partial = (lines.pop() ?? "").slice(-65536);
    if (lines.some((line) => this.#regex!.test(line))) this.#passed({ ok: true, detail: "log line matched" });
    else if (this.#regex.test(this.#partial)) this.#passed({ ok: true, detail: "log line matched" });
  }

  stop(): void {
    this.#active = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#abort?.abort();
    this.#abort = null;
  }

  #schedule(seconds: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#regex !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#run();
    }, seconds * 1000);
  }

  async #run(): Promise<void> {
    const check = this.#deps.config.healthcheck;
    if (!this.#active || !check || check.kind === "log") return;
    this.#abort = new AbortController();
    const abort = this.#abort;
    const result = await this.#deps.probe(check, this.#deps.config.healthcheck_timeout * 1000, abort.signal);
    if (abort.signal.aborted || !this.#active) return;
    this.#abort = null;
    if (result.ok) this.#passed(result);
    else this.#failed(result);
    if (!this.#active) return;
    const running = this.#deps.state() === "RUNNING";
    this.#schedule(
      running ? this.#deps.config.healthcheck_interval : this.#deps.config.healthcheck_start_interval,
    );
  }

  #passed(result: ProbeResult): void {
    this.#last = { ...result, at: this.#now() };
    this.#failures = 0;
    const name = this.#deps.config.name;
    if (this.#status === "starting") {
      this.#deps.log.info(`${name}: health check passed (${result.detail})`);
      this.#set("healthy");
      this.#deps.healthy();
    } else if (this.#status === "unhealthy") {
      this.#deps.log.info(`${name}: healthy again (${result.detail})`);
      this.#set("healthy");
    } else this.#deps.changed(this.report);
  }

  #failed(result: ProbeResult): void {
    this.#last = { ...result, at: this.#now() };
    this.#failures++;
    const { config } = this.#deps;
    this.#deps.log.debug(`${config.name}: health check failed (${result.detail})`);
    if (this.#status === "starting") {
      this.#deps.changed(this.report);
      return;
    }
    // Unhealthy when the failures in a row reach healthcheck_retries; it is acted on once (the count
    // goes on, for status, until a check passes or the process is restarted).
    if (this.#failures !== config.healthcheck_retries) {
      this.#deps.changed(this.report);
      return;
    }
    const message = `${result.detail} (${this.#failures} checks in a row)`;
    this.#set("unhealthy");
    this.#deps.unhealthy(message);
  }

  #set(status: HealthStatus): void {
    this.#status = status;
    this.#deps.changed(this.report);
  }
}
