/**
 * One `[eventlistener:x]` pool at run time: its buffer, its serial, and the protocol state of each of
 * its listener processes. Events go, oldest first, to the first listener that is RUNNING and READY;
 * what a listener rejects (or leaves unanswered by dying) goes back to the head of this pool's buffer
 * only (supervisord also re-buffers it into every other pool whose listeners share its priority).
 */
import type { EventListenerPoolConfig } from "../config/types.js";
import { type BusEvent, EventBuffer, type PooledEvent } from "../events/event-buffer.js";
import { ListenerProtocol, type ProtocolEffect } from "../events/listener-protocol.js";
import { envelope } from "../events/payloads.js";
import type { ProcessStateName } from "../process/states.js";

/** What the pool needs of a listener process (a ProcessRunner is one). */
export interface ListenerProcess {
  readonly name: string;
  readonly state: ProcessStateName;
  /** Writes to the current child's stdin; false when that is impossible (supervisord's EPIPE). */
  writeStdin(data: Buffer): boolean;
}

/** The main-log calls the pool makes. */
export interface PoolLog {
  log(level: "debug" | "warn" | "error", message: string): void;
}

interface Member {
  readonly process: ListenerProcess;
  /** Null while no process instance is running. */
  protocol: ListenerProtocol | null;
  inFlight: PooledEvent | null;
}

export class EventPool {
  readonly name: string;
  readonly subscriptions: ReadonlySet<string>;
  readonly #server: string;
  readonly #log: () => PoolLog;
  readonly #buffer: EventBuffer;
  readonly #members = new Map<string, Member>();
  #serial = -1;
  #dispatchQueued = false;
  #removed = false;

  constructor(config: EventListenerPoolConfig, server: string, log: () => PoolLog) {
    this.name = config.name;
    this.subscriptions = new Set(config.events);
    this.#server = server;
    this.#log = log;
    this.#buffer = new EventBuffer(config.buffer_size);
  }

  /** Adds a listener process, in the pool's process order. */
  attach(process: ListenerProcess): void {
    this.#members.set(process.name, { process, protocol: null, inFlight: null });
  }

  /** The events waiting, oldest first (for tests and diagnostics). */
  get buffered(): readonly PooledEvent[] {
    return this.#buffer.peek();
  }

  /** The listener protocol state of a process, or null when it has no running instance. */
  listenerState(processName: string): string | null {
    return this.#members.get(processName)?.protocol?.state ?? null;
  }

  /** A new event for this pool: it gets the next pool serial and joins the tail of the buffer. */
  accept(event: BusEvent): void {
    this.#serial = this.#serial >= Number.MAX_SAFE_INTEGER ? 0 : this.#serial + 1;
    this.#put({ event, poolSerial: this.#serial }, "tail");
    this.#queueDispatch();
  }

  /** The pool is gone (removeProcessGroup, reload): nothing more is sent. */
  remove(): void {
    this.#removed = true;
  }

  // -- hooks from the listener processes -----------------------------------------------------

  /** A new instance of the process was spawned: it starts ACKNOWLEDGED. */
  spawned(processName: string): void {
    const member = this.#members.get(processName);
    if (member) member.protocol = new ListenerProtocol(processName);
  }

  /** The process's stdout: the protocol channel. */
  output(processName: string, chunk: Buffer): void {
    const member = this.#members.get(processName);
    if (!member?.protocol) return;
    this.#apply(member, member.protocol.feed(chunk));
  }

  /** The process exited: an event it had not answered goes back to the buffer. */
  exited(processName: string): void {
    const member = this.#members.get(processName);
    if (!member) return;
    member.protocol = null;
    this.#rejected(member);
  }

  /** The process changed state (RUNNING makes a READY listener available). */
  stateChanged(processName: string, to: ProcessStateName): void {
    if (to === "RUNNING" && this.#members.has(processName)) this.#queueDispatch();
  }

  // -- internals ---------------------------------------------------------------------------

  #apply(member: Member, effects: readonly ProtocolEffect[]): void {
    for (const effect of effects) {
      switch (effect.kind) {
        case "log":
          this.#log().log(effect.level, effect.message);
          break;
        case "ready":
          this.#queueDispatch();
          break;
        case "processed":
          member.inFlight = null;
          break;
        case "rejected":
          this.#rejected(member);
          break;
      }
    }
  }

  #rejected(member: Member): void {
    const entry = member.inFlight;
    member.inFlight = null;
    if (entry === null || this.#removed) return;
    this.#put(entry, "head");
    this.#queueDispatch();
  }

  #put(entry: PooledEvent, at: "tail" | "head"): void {
    const log = this.#log();
    if (at === "head") {
      log.log(
        "debug",
        `rebuffering event ${entry.event.serial} for pool ${this.name} (buf size=${this.#buffer.length}, max=${this.#buffer.capacity})`,
      );
    }
    const discarded = this.#buffer.put(entry, at);
    if (discarded !== null) {
      log.log(
        "error",
        `pool ${this.name} event buffer overflowed, discarding event ${discarded.event.serial}`,
      );
    }
  }

  #queueDispatch(): void {
    if (this.#dispatchQueued) return;
    this.#dispatchQueued = true;
    queueMicrotask(() => {
      this.#dispatchQueued = false;
      this.#dispatch();
    });
  }

  /** Sends buffered events, oldest first, while some listener is RUNNING and READY. */
  #dispatch(): void {
    if (this.#removed) return;
    while (this.#buffer.length > 0 && this.#available().length > 0) {
      const entry = this.#buffer.take()!;
      if (!this.#send(entry)) {
        this.#put(entry, "head");
        return;
      }
    }
  }

  #available(): Member[] {
    return [...this.#members.values()].filter(
      (m) => m.process.state === "RUNNING" && m.protocol?.state === "READY",
    );
  }

  /** Writes the event to the first available listener that takes it. */
  #send(entry: PooledEvent): boolean {
    const text = envelope({
      server: this.#server,
      serial: entry.event.serial,
      pool: this.name,
      poolSerial: entry.poolSerial,
      eventName: entry.event.name,
      payload: entry.event.payload,
    });
    const data = Buffer.from(text, "utf8");
    for (const member of this.#available()) {
      if (!member.process.writeStdin(data)) {
        this.#log().log(
          "debug",
          `epipe occurred while sending event ${entry.event.serial} to listener ${member.process.name}, listener state unchanged`,
        );
        continue;
      }
      member.protocol!.sent();
      member.inFlight = entry;
      this.#log().log("debug", `event ${entry.event.serial} sent to listener ${member.process.name}`);
      return true;
    }
    return false;
  }
}
