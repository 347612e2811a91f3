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
  /** Entries from #head on are the buffer, oldest first (a plain array's shift() is O(n)). */
  #events: PooledEvent[] = [];
  #head = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`buffer size ${capacity}`);
    this.#capacity = capacity;
  }

  get length(): number {
    return this.#events.length - this.#head;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Adds at the tail (a new event) or the head (one put back); returns the event discarded, if any. */
  put(entry: PooledEvent, at: "tail" | "head"): PooledEvent | null {
    const discarded = this.length >= this.#capacity ? (this.take() ?? null) : null;
    if (at === "tail") this.#events.push(entry);
    else if (this.#head > 0) this.#events[--this.#head] = entry;
    else this.#events.unshift(entry);
    return discarded;
  }

  /** Removes and returns the oldest event. */
  take(): PooledEvent | undefined {
    if (this.length === 0) return undefined;
    const entry = this.#events[this.#head++];
    if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#head);
      this.#head = 0;
    }
    return entry;
  }

  /** The buffered events, oldest first (for inspection). */
  peek(): readonly PooledEvent[] {
    return this.#events.slice(this.#head);
  }
}
