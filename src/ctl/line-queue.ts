/**
 * The lines a readline interface reads, queued until someone asks for them. Unlike readline's async
 * iterator, a read can be given up without losing a line: when `fg` ends while waiting for input,
 * the next line typed still reaches the shell. Pure (works on any emitter of `line` and `close`).
 */
import type { EventEmitter } from "node:events";

export class LineQueue {
  readonly #lines: string[] = [];
  #ended = false;
  #waiter: ((line: string | null) => void) | null = null;

  /** `pending`: lines read before, still to be handed out (those a closed queue had left). */
  constructor(input: EventEmitter, pending: readonly string[] = []) {
    this.#lines.push(...pending);
    input.on("line", (line: string) => {
      const waiter = this.#waiter;
      this.#waiter = null;
      if (waiter) waiter(line);
      else this.#lines.push(line);
    });
    input.on("close", () => {
      this.#ended = true;
      const waiter = this.#waiter;
      this.#waiter = null;
      waiter?.(null);
    });
  }

  /** Whether the input has ended (lines may still be queued). */
  get ended(): boolean {
    return this.#ended;
  }

  /** The next line (without its line end), or null once the input has ended. One read at a time. */
  next(): Promise<string | null> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /** Takes the lines read but not handed out yet. */
  takeAll(): string[] {
    return this.#lines.splice(0);
  }

  /** Gives up a pending `next()`: it never resolves, and the line it would have taken stays queued. */
  cancel(): void {
    this.#waiter = null;
  }
}
