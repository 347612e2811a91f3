/**
 * supervisord's own (activity) log: records at or above the configured level, written synchronously
 * to the logfile (a RotatingFile, or syslog when `logfile=syslog`) and, in the foreground when not
 * `silent`, echoed to stdout in the same format.
 */
import { formatRecord, LEVEL_NUMBERS, type LevelName } from "./main-log-format.js";
import { type RemoveResult, RotatingFile } from "./rotating-file.js";
import { type SyslogSink, UnixSyslog } from "./syslog.js";

/** What the main log writes its records to (a RotatingFile is one). */
export interface LogFileSink {
  write(chunk: Uint8Array): void;
  reopen(): void;
  clear(): RemoveResult;
  close(): void;
}

/** The foreground echo (stdout); process.stdout is one. Its write errors are ignored. */
export interface EchoSink {
  write(chunk: Uint8Array): unknown;
}

export interface MainLogOptions {
  readonly level: LevelName;
  /** The logfile, or null when logging to syslog (or nowhere). */
  readonly file?: LogFileSink | null;
  /** Syslog, for `logfile=syslog`: each line of a record is sent as its own message. */
  readonly syslog?: SyslogSink | null;
  /** stdout when `nodaemon` and not `silent`. */
  readonly echo?: EchoSink | null;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /**
   * Write records at the end of the current task (a microtask) instead of at once, so the log's IO is
   * off the path of whatever logged them (a respawn logs `exited:` before it spawns). Records keep their
   * order and their timestamps; `flush()`, `reopen()`, `clear()`, `close()` and process exit write
   * what is pending first. @default false
   */
  readonly deferWrites?: boolean;
}

export class MainLog {
  readonly #file: LogFileSink | null;
  readonly #syslog: SyslogSink | null;
  readonly #echo: EchoSink | null;
  readonly #now: () => Date;
  #level: LevelName;
  #threshold: number;
  readonly #deferWrites: boolean;
  /** Formatted records not written yet (deferWrites). */
  #pending: string[] = [];
  readonly #flushPending = () => this.flush();

  constructor(options: MainLogOptions) {
    this.#file = options.file ?? null;
    this.#syslog = options.syslog ?? null;
    this.#echo = options.echo ?? null;
    this.#now = options.now ?? (() => new Date());
    this.#level = options.level;
    this.#threshold = LEVEL_NUMBERS[options.level];
    this.#deferWrites = options.deferWrites ?? false;
    if (this.#deferWrites) process.on("exit", this.#flushPending);
  }

  get level(): LevelName {
    return this.#level;
  }

  setLevel(level: LevelName): void {
    this.#level = level;
    this.#threshold = LEVEL_NUMBERS[level];
  }

  /** Whether a record at `level` would be written; check it before building an expensive message. */
  isEnabled(level: LevelName): boolean {
    return LEVEL_NUMBERS[level] >= this.#threshold;
  }

  log(level: LevelName, message: string): void {
    if (LEVEL_NUMBERS[level] < this.#threshold) return;
    const date = this.#now();
    if (this.#file !== null || this.#echo !== null) {
      const record = formatRecord(date, level, message);
      if (!this.#deferWrites) this.#write([record]);
      else if (this.#pending.push(record) === 1) queueMicrotask(this.#flushPending);
    }
    if (this.#syslog !== null) {
      for (const line of message.replace(/\n+$/, "").split("\n")) {
        this.#syslog.send(formatRecord(date, level, line).slice(0, -1));
      }
    }
  }

  critical(message: string): void {
    this.log("critical", message);
  }
  error(message: string): void {
    this.log("error", message);
  }
  warn(message: string): void {
    this.log("warn", message);
  }
  info(message: string): void {
    this.log("info", message);
  }
  debug(message: string): void {
    this.log("debug", message);
  }
  trace(message: string): void {
    this.log("trace", message);
  }
  blather(message: string): void {
    this.log("blather", message);
  }

  /** Writes the records that deferWrites holds back. */
  flush(): void {
    if (this.#pending.length === 0) return;
    const records = this.#pending;
    this.#pending = [];
    this.#write(records);
  }

  /** The file gets each record in its own write (rotation is checked per record, as supervisord's
   * handler does); the echo gets them in one. */
  #write(records: readonly string[]): void {
    if (this.#echo !== null) {
      try {
        this.#echo.write(Buffer.from(records.length === 1 ? records[0]! : records.join(""), "utf8"));
      } catch {
        // a closed stdout (EPIPE) must not stop the daemon
      }
    }
    if (this.#file !== null) for (const record of records) this.#file.write(Buffer.from(record, "utf8"));
  }

  /** SIGUSR2: reopen the logfile by name. */
  reopen(): void {
    this.flush();
    this.#file?.reopen();
  }

  /** `clearLog()`: remove the logfile and reopen it; null when logging to syslog. */
  clear(): RemoveResult | null {
    this.flush();
    return this.#file === null ? null : this.#file.clear();
  }

  /** Closes the logfile and the syslog connection it was given. */
  close(): void {
    this.flush();
    if (this.#deferWrites) process.removeListener("exit", this.#flushPending);
    this.#file?.close();
    this.#syslog?.close();
  }
}

export interface OpenMainLogOptions {
  /** `[supervisord] logfile`: a path, or `syslog`. */
  readonly logfile: string;
  readonly maxBytes: number;
  readonly backups: number;
  readonly level: LevelName;
  readonly echo?: EchoSink | null;
  readonly now?: () => Date;
  /** Told about logfile write/rotation failures (see RotatingFile). */
  readonly onError?: (error: Error) => void;
  /** Used when `logfile` is `syslog`. @default new UnixSyslog() */
  readonly syslog?: SyslogSink;
  /** See MainLogOptions.deferWrites. @default false */
  readonly deferWrites?: boolean;
}

/** Builds the main log from the `[supervisord]` options; throws if the logfile cannot be opened. */
export function openMainLog(options: OpenMainLogOptions): MainLog {
  const toSyslog = options.logfile === "syslog";
  const file = toSyslog
    ? null
    : new RotatingFile(options.logfile, {
        maxBytes: options.maxBytes,
        backups: options.backups,
        onError: options.onError,
      });
  return new MainLog({
    level: options.level,
    file,
    syslog: toSyslog ? (options.syslog ?? new UnixSyslog()) : null,
    echo: options.echo ?? null,
    now: options.now,
    deferWrites: options.deferWrites,
  });
}
