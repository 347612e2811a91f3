/**
 * A pool's event buffer: `buffer_size` events, oldest first; when full, the oldest is discarded to
 * make room (also for an event put back at the head). Pure.
 */

/** An event as the bus hands it to pools: its type, its rendered payload and its global serial. */
export interface BusEvent {
  readonly name: string;
  readonly payload: string;
  readonly serial: number;
}

/** An event in one pool's buffer, with that pool's serial for it. */
export interface PooledEvent {
  readonly event: BusEvent;
  readonly poolSerial: number;
}

export class EventBuffer {
  readonly #capacity: number;
  #events: PooledEvent[] = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`buffer size ${capacity}`);
    this.#capacity = capacity;
  }

  get length(): number {
    return this.#events.length;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Adds at the tail (a new event) or the head (one put back); returns the event discarded, if any. */
  put(entry: PooledEvent, at: "tail" | "head"): PooledEvent | null {
    const discarded = this.#events.length >= this.#capacity ? (this.#events.shift() ?? null) : null;
    if (at === "head") this.#events.unshift(entry);
    else this.#events.push(entry);
    return discarded;
  }

  /** Removes and returns the oldest event. */
  take(): PooledEvent | undefined {
    return this.#events.shift();
  }

  /** The buffered events, oldest first (for inspection). */
  peek(): readonly PooledEvent[] {
    return this.#events;
  }
}
