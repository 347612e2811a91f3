/**
 * Syslog without external commands, for `logfile=syslog` and `stdout_syslog`/`stderr_syslog`. Every
 * message goes out at user.info, as Python's `syslog.syslog()` sends supervisord's.
 *
 * Node 20 cannot send AF_UNIX datagrams, so this connects a *stream* to `/dev/log` and writes RFC3164
 * lines `<14>stewardd: line\n` (syslog daemons with a stream socket, e.g. syslog-ng, take them). Where
 * `/dev/log` is datagram-only or missing (systemd hosts: EPROTOTYPE), it falls back to journald's
 * stdout stream socket, whose protocol is a header then `<6>line\n` lines. Failures are ignored:
 * messages are dropped and the connection is retried after `retryMs`. Nothing here keeps the event
 * loop alive.
 */
import { createConnection, type Socket } from "node:net";

/** Where syslog lines go. */
export interface SyslogSink {
  /** Sends one line (no trailing newline). Never throws, never blocks. */
  send(line: string): void;
  /** Flushes what is buffered and disconnects. */
  close(): void;
}

export interface UnixSyslogOptions {
  /** @default "stewardd" */
  readonly tag?: string;
  /** @default "/dev/log" */
  readonly path?: string;
  /** journald's stdout stream socket, tried when `path` fails; null to never try it. @default "/run/systemd/journal/stdout" */
  readonly journalPath?: string | null;
  /** How long to drop messages after every target failed. @default 10000 */
  readonly retryMs?: number;
  /** Lines kept while a connection is being made. @default 1000 */
  readonly maxPending?: number;
  /** Bytes the socket may have queued before new lines are dropped. @default 1048576 */
  readonly maxBuffered?: number;
}

interface Target {
  readonly path: string;
  readonly kind: "syslog" | "journal";
}

const LOG_USER_INFO = 14;
const LOG_INFO = 6;

export class UnixSyslog implements SyslogSink {
  readonly #tag: string;
  readonly #targets: readonly Target[];
  readonly #retryMs: number;
  readonly #maxPending: number;
  readonly #maxBuffered: number;
  #socket: Socket | null = null;
  #kind: Target["kind"] = "syslog";
  #connected = false;
  #pending: string[] = [];
  #downUntil = 0;
  #closed = false;

  constructor(options: UnixSyslogOptions = {}) {
    this.#tag = options.tag ?? "stewardd";
    const journal = options.journalPath === undefined ? "/run/systemd/journal/stdout" : options.journalPath;
    this.#targets = [
      { path: options.path ?? "/dev/log", kind: "syslog" },
      ...(journal === null ? [] : [{ path: journal, kind: "journal" as const }]),
    ];
    this.#retryMs = options.retryMs ?? 10_000;
    this.#maxPending = options.maxPending ?? 1000;
    this.#maxBuffered = options.maxBuffered ?? 1 << 20;
  }

  send(line: string): void {
    if (this.#closed) return;
    if (this.#connected) {
      this.#write(line);
      return;
    }
    if (this.#socket === null) {
      if (Date.now() < this.#downUntil) return;
      this.#connect(0);
    }
    if (this.#socket !== null && this.#pending.length < this.#maxPending) this.#pending.push(line);
  }

  close(): void {
    this.#closed = true;
    this.#pending = [];
    const socket = this.#socket;
    this.#socket = null;
    if (socket === null) return;
    if (this.#connected) socket.end();
    else socket.destroy();
    this.#connected = false;
  }

  #write(line: string): void {
    const socket = this.#socket!;
    if (socket.writableLength > this.#maxBuffered) return;
    socket.write(
      this.#kind === "journal" ? `<${LOG_INFO}>${line}\n` : `<${LOG_USER_INFO}>${this.#tag}: ${line}\n`,
    );
  }

  #connect(index: number): void {
    const target = this.#targets[index];
    if (target === undefined) {
      this.#pending = [];
      this.#downUntil = Date.now() + this.#retryMs;
      return;
    }
    const socket = createConnection(target.path);
    socket.unref();
    this.#socket = socket;
    this.#kind = target.kind;
    this.#connected = false;
    socket.on("connect", () => {
      if (this.#socket !== socket) return;
      this.#connected = true;
      // identifier, unit id, priority, level prefix, forward to syslog / kmsg / console
      if (target.kind === "journal") socket.write(`${this.#tag}\n\n${LOG_INFO}\n1\n0\n0\n0\n`);
      const pending = this.#pending;
      this.#pending = [];
      for (const line of pending) this.#write(line);
    });
    socket.on("error", () => {
      if (this.#socket !== socket) return;
      const wasConnected = this.#connected;
      this.#socket = null;
      this.#connected = false;
      socket.destroy();
      // A target that never answered: try the next one. A lost connection: reconnect on the next send.
      if (!wasConnected) this.#connect(index + 1);
    });
    socket.on("close", () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#connected = false;
    });
  }
}
