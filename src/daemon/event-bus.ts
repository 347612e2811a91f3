/**
 * The daemon's event system: pools subscribe to event types; `notify` hands an event to every pool
 * subscribed to it (or to an ancestor type) with the next global serial — an event no pool wants is
 * dropped and takes no serial, as in supervisord. TICK events come from one timer armed for the next
 * 5-second boundary, and only while some pool subscribes to a TICK type (nothing polls).
 */
import type { EventListenerPoolConfig } from "../config/types.js";
import type { BusEvent } from "../events/event-buffer.js";
import { isSubscribed, TICK_PERIODS } from "../events/event-types.js";
import { tickPayload } from "../events/payloads.js";
import { EventPool, type PoolLog } from "./event-pool.js";

export interface EventBusDeps {
  /** `[supervisord] identifier`, the envelope's `server:`. */
  readonly server: () => string;
  readonly log: () => PoolLog;
  /** Wall-clock ms since the epoch. @default Date.now */
  readonly now?: () => number;
}

const TICK_STEP_S = 5;

export class EventBus {
  readonly #deps: EventBusDeps;
  readonly #now: () => number;
  #pools: EventPool[] = [];
  #serial = -1;
  /** The current slice of each TICK period (epoch seconds), while ticks are armed. */
  #ticks: Map<string, number> | null = null;
  #tickTimer: NodeJS.Timeout | null = null;

  constructor(deps: EventBusDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Creates and subscribes a pool. */
  addPool(config: EventListenerPoolConfig): EventPool {
    const pool = new EventPool(config, this.#deps.server(), this.#deps.log);
    this.#pools.push(pool);
    this.#armTicks();
    return pool;
  }

  /** Unsubscribes a pool (its group is being removed). */
  removePool(pool: EventPool): void {
    pool.remove();
    this.#pools = this.#pools.filter((p) => p !== pool);
    this.#armTicks();
  }

  /** Drops every pool (a reload builds them again); the global serial carries on. */
  clear(): void {
    for (const pool of this.#pools) pool.remove();
    this.#pools = [];
    this.#armTicks();
  }

  /** Whether some pool would receive an event of this type (so its payload is worth rendering). */
  wants(name: string): boolean {
    return this.#pools.some((p) => isSubscribed(p.subscriptions, name));
  }

  /** Hands an event to every subscribed pool. The payload is rendered only when someone wants it. */
  notify(name: string, payload: string | (() => string)): void {
    const pools = this.#pools.filter((p) => isSubscribed(p.subscriptions, name));
    if (pools.length === 0) return;
    this.#serial = this.#serial >= Number.MAX_SAFE_INTEGER ? 0 : this.#serial + 1;
    const event: BusEvent = {
      name,
      payload: typeof payload === "string" ? payload : payload(),
      serial: this.#serial,
    };
    for (const pool of pools) pool.accept(event);
  }

  /** Stops the tick timer (daemon exit). */
  dispose(): void {
    this.clear();
  }

  #armTicks(): void {
    const wanted = TICK_PERIODS.some(([name]) => this.wants(name));
    if (!wanted) {
      if (this.#tickTimer) clearTimeout(this.#tickTimer);
      this.#tickTimer = null;
      this.#ticks = null;
      return;
    }
    if (this.#ticks === null) {
      const seconds = this.#now() / 1000;
      this.#ticks = new Map(TICK_PERIODS.map(([name, period]) => [name, slice(seconds, period)]));
    }
    if (this.#tickTimer === null) this.#scheduleTick();
  }

  #scheduleTick(): void {
    const nowMs = this.#now();
    const next = (slice(nowMs / 1000, TICK_STEP_S) + TICK_STEP_S) * 1000;
    this.#tickTimer = setTimeout(() => this.#tick(), Math.max(1, next - nowMs + 1));
    this.#tickTimer.unref();
  }

  /** Emits a TICK for each period whose slice changed since the last one (in 5, 60, 3600 order). */
  #tick(): void {
    this.#tickTimer = null;
    const ticks = this.#ticks;
    if (ticks === null) return;
    const seconds = this.#now() / 1000;
    for (const [name, period] of TICK_PERIODS) {
      const current = slice(seconds, period);
      if (current !== ticks.get(name)) {
        ticks.set(name, current);
        this.notify(name, tickPayload(current));
      }
    }
    if (this.#ticks !== null) this.#scheduleTick();
  }
}

function slice(seconds: number, period: number): number {
  return Math.floor(seconds / period) * period;
}
