/**
 * The event listener protocol as supervisord reads a listener's stdout: `READY\n`, then after an event
 * `RESULT <n>\n` and n bytes of result, judged by the default result handler (`OK` accepts, anything
 * else rejects). Pure: bytes in, effects out (log lines, "ready for an event", the in-flight event's
 * fate); the pool does the IO.
 */
import { decodeUtf8Strict, pyBytesRepr } from "../logs/main-log-format.js";

export type ListenerState = "ACKNOWLEDGED" | "READY" | "BUSY" | "UNKNOWN";

export type ProtocolEffect =
  | { readonly kind: "log"; readonly level: "debug" | "warn"; readonly message: string }
  /** The listener wrote `READY\n`: it may be sent an event. */
  | { readonly kind: "ready" }
  /** The in-flight event was accepted (`OK`). */
  | { readonly kind: "processed" }
  /** The in-flight event was refused (any other result, or a bad result line): re-buffer it. */
  | { readonly kind: "rejected" };

const READY = Buffer.from("READY\n");
const RESULT_PREFIX_LENGTH = "RESULT ".length;
const EMPTY = Buffer.alloc(0);

/** One listener process instance's side of the protocol (a new instance starts ACKNOWLEDGED). */
export class ListenerProtocol {
  readonly #name: string;
  #state: ListenerState = "ACKNOWLEDGED";
  #buffer: Buffer = EMPTY;
  /** Bytes of result still expected, once the RESULT line has been read. */
  #resultLength: number | null = null;
  #result: Buffer = EMPTY;

  constructor(processName: string) {
    this.#name = processName;
  }

  get state(): ListenerState {
    return this.#state;
  }

  /** The pool wrote an event to the listener (supervisord sets BUSY without a log line). */
  sent(): void {
    if (this.#state !== "READY") throw new Error(`${this.#name}: an event was sent in state ${this.#state}`);
    this.#state = "BUSY";
  }

  /** Bytes the listener wrote to stdout. */
  feed(chunk: Uint8Array): ProtocolEffect[] {
    const effects: ProtocolEffect[] = [];
    this.#buffer = this.#buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#buffer, chunk]);
    while (this.#buffer.length > 0 && this.#advance(effects)) {
      // each pass consumes part of the buffer or changes the state
    }
    return effects;
  }

  /** One decision; false when more bytes are needed (or nothing is left to decide). */
  #advance(effects: ProtocolEffect[]): boolean {
    switch (this.#state) {
      case "UNKNOWN":
        this.#buffer = EMPTY;
        return false;
      case "ACKNOWLEDGED":
        if (this.#buffer.length < READY.length) return false;
        if (this.#buffer.subarray(0, READY.length).equals(READY)) {
          this.#buffer = this.#buffer.subarray(READY.length);
          this.#change("READY", effects);
          effects.push({ kind: "ready" });
        } else {
          this.#buffer = EMPTY;
          this.#change("UNKNOWN", effects);
        }
        return true;
      case "READY":
        // Output before an event was sent: the listener broke the protocol.
        this.#buffer = EMPTY;
        this.#change("UNKNOWN", effects);
        return false;
      case "BUSY":
        return this.#resultLength === null ? this.#readResultLine(effects) : this.#readResult(effects);
    }
  }

  #readResultLine(effects: ProtocolEffect[]): boolean {
    const newline = this.#buffer.indexOf(0x0a);
    if (newline < 0) return false;
    const line = this.#buffer.subarray(0, newline);
    this.#buffer = this.#buffer.subarray(newline + 1);
    const length = parseResultLength(line.subarray(RESULT_PREFIX_LENGTH));
    if (length === null) {
      const text = decodeUtf8Strict(line) ?? `Undecodable: ${pyBytesRepr(line)}`;
      effects.push({ kind: "log", level: "warn", message: `${this.#name}: bad result line: '${text}'` });
      this.#buffer = EMPTY;
      this.#change("UNKNOWN", effects);
      effects.push({ kind: "rejected" });
      return false;
    }
    this.#resultLength = length;
    this.#result = EMPTY;
    if (length === 0) return this.#readResult(effects);
    return true;
  }

  #readResult(effects: ProtocolEffect[]): boolean {
    const needed = this.#resultLength! - this.#result.length;
    if (needed > 0) {
      this.#result = Buffer.concat([this.#result, this.#buffer.subarray(0, needed)]);
      this.#buffer = this.#buffer.subarray(Math.min(needed, this.#buffer.length));
    }
    if (this.#result.length < this.#resultLength!) return false;
    const accepted = this.#result.equals(OK);
    this.#resultLength = null;
    this.#result = EMPTY;
    if (accepted) {
      effects.push({ kind: "log", level: "debug", message: `${this.#name}: event was processed` });
      this.#change("ACKNOWLEDGED", effects);
      effects.push({ kind: "processed" });
    } else {
      effects.push({ kind: "log", level: "warn", message: `${this.#name}: event was rejected` });
      this.#change("ACKNOWLEDGED", effects);
      effects.push({ kind: "rejected" });
    }
    return true;
  }

  #change(to: ListenerState, effects: ProtocolEffect[]): void {
    effects.push({ kind: "log", level: "debug", message: `${this.#name}: ${this.#state} -> ${to}` });
    this.#state = to;
    if (to === "UNKNOWN") {
      effects.push({
        kind: "log",
        level: "warn",
        message: `${this.#name}: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol`,
      });
    }
  }
}

const OK = Buffer.from("OK");

/**
 * The length after `RESULT `, read as Python's `int()` reads bytes: surrounding whitespace, an optional
 * sign, digits with single underscores between them. Null where Python raises ValueError. A negative
 * length is refused too (supervisord would slice the buffer from its end; no listener sends one).
 */
export function parseResultLength(text: Uint8Array): number | null {
  const s = Buffer.from(text)
    .toString("latin1")
    .replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, "");
  const match = /^([+-]?)(\d(?:_?\d)*)$/.exec(s);
  if (!match) return null;
  const value = Number(match[2]!.replaceAll("_", ""));
  if (match[1] === "-" && value !== 0) return null;
  return Number.isSafeInteger(value) ? value : null;
}
