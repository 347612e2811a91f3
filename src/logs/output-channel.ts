/**
 * The output dispatcher of one channel (stdout or stderr) of one process: child bytes → the child log
 * file, the debug mirror in the main log, syslog, PROCESS_LOG events, and capture mode's
 * PROCESS_COMMUNICATION events. Bytes in, bytes out: with no capture, no strip_ansi and the main log
 * above debug, a chunk is handed on as the same Buffer with no formatting work.
 */

import { CaptureScanner, type CaptureSegment } from "./capture-scanner.js";
import { LineStamper } from "./line-stamper.js";
import {
  formatCommEventNotice,
  formatListenerMirror,
  formatOutputMirror,
  type LevelName,
} from "./main-log-format.js";
import type { RemoveResult } from "./rotating-file.js";
import { AnsiStripper } from "./strip-ansi.js";
import type { SyslogSink } from "./syslog.js";

/** A child log file (a RotatingFile is one). */
export interface ChildLogFile {
  write(chunk: Uint8Array): void;
  reopen(): void;
  clear(): RemoveResult;
  close(): void;
}

/** The part of MainLog a channel uses. */
export interface MirrorLog {
  isEnabled(level: LevelName): boolean;
  log(level: LevelName, message: string): void;
}

export interface OutputChannelOptions {
  readonly processName: string;
  readonly channel: "stdout" | "stderr";
  /** The channel's log file, or null for `NONE`. The channel owns it: `close()` closes it. */
  readonly file: ChildLogFile | null;
  readonly mainLog: MirrorLog;
  /** `*_capture_maxbytes`; 0 disables capture mode. */
  readonly captureMaxBytes: number;
  /** `[supervisord] strip_ansi`. */
  readonly stripAnsi: boolean;
  /** `*_syslog`: each line goes to `syslogSink` as `<process name> <line>`. */
  readonly syslog: boolean;
  /** Required when `syslog` is true; one sink can serve every channel. */
  readonly syslogSink?: SyslogSink | null;
  /** An event listener's stdout: mirror the raw chunk as a bytes repr, before stripping. @default false */
  readonly mirrorAsBytes?: boolean;
  /** `log_timestamps`: the prefix each line of the log file begins with (the time); null: none. */
  readonly lineStamp?: (() => string) | null;
  /** PROCESS_LOG_STDOUT/STDERR (`*_events_enabled`): once per chunk logged outside capture mode. */
  readonly onLogEvent?: ((data: Buffer) => void) | null;
  /** PROCESS_COMMUNICATION_STDOUT/STDERR: the captured bytes between the tokens. */
  readonly onCommEvent?: ((data: Buffer) => void) | null;
}

export class OutputChannel {
  readonly #name: string;
  readonly #channel: "stdout" | "stderr";
  readonly #file: ChildLogFile | null;
  readonly #mainLog: MirrorLog;
  readonly #captureMax: number;
  readonly #scanner: CaptureScanner | null;
  readonly #stripper: AnsiStripper | null;
  readonly #syslog: SyslogSink | null;
  readonly #mirrorAsBytes: boolean;
  readonly #onLogEvent: ((data: Buffer) => void) | null;
  readonly #onCommEvent: ((data: Buffer) => void) | null;
  readonly #lineStamp: (() => string) | null;
  readonly #stamper: LineStamper | null;
  #captured: Buffer[] = [];
  #capturedBytes = 0;

  constructor(options: OutputChannelOptions) {
    this.#name = options.processName;
    this.#channel = options.channel;
    this.#file = options.file;
    this.#mainLog = options.mainLog;
    this.#captureMax = options.captureMaxBytes;
    this.#scanner = options.captureMaxBytes > 0 ? new CaptureScanner() : null;
    this.#stripper = options.stripAnsi ? new AnsiStripper() : null;
    if (options.syslog && !options.syslogSink) throw new TypeError("syslog: true needs a syslogSink");
    this.#syslog = options.syslog ? options.syslogSink! : null;
    this.#mirrorAsBytes = options.mirrorAsBytes ?? false;
    this.#onLogEvent = options.onLogEvent ?? null;
    this.#onCommEvent = options.onCommEvent ?? null;
    this.#lineStamp = options.lineStamp ?? null;
    this.#stamper = this.#lineStamp === null ? null : new LineStamper();
  }

  /** Whether capture mode is between its tokens now. */
  get capturing(): boolean {
    return this.#scanner?.capturing ?? false;
  }

  /** One chunk read from the child's pipe. */
  write(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.#mirrorAsBytes && this.#mainLog.isEnabled("debug")) {
      this.#mainLog.log("debug", formatListenerMirror(this.#name, this.#channel, chunk));
    }
    if (this.#scanner === null) this.#emit(chunk, false, true);
    else this.#apply(this.#scanner.push(chunk), true);
  }

  /**
   * At process exit (pipe closed): logs what was held back (a token prefix, a lone ESC). An
   * unterminated capture is dropped, as supervisord drops it; the channel is then back in its
   * initial state.
   */
  flush(): void {
    const wasCapturing = this.capturing;
    if (this.#scanner !== null) this.#apply(this.#scanner.end(), true);
    const heldEsc = this.#stripper?.end();
    if (heldEsc !== undefined && !wasCapturing) this.#emit(heldEsc, false, false);
    this.#captured = [];
    this.#capturedBytes = 0;
  }

  /** SIGUSR2: reopen the log file by name. */
  reopen(): void {
    this.#file?.reopen();
  }

  /** `clearProcessLogs`: remove and reopen the log file, and empty the capture buffer. */
  clear(): RemoveResult | null {
    this.#captured = [];
    this.#capturedBytes = 0;
    return this.#file === null ? null : this.#file.clear();
  }

  /** Flushes, then closes the log file. */
  close(): void {
    this.flush();
    this.#file?.close();
  }

  #apply(segments: readonly CaptureSegment[], strip: boolean): void {
    for (const segment of segments) {
      if (segment.type === "data") this.#emit(segment.data, segment.capturing, strip);
      else if (!segment.capturing) this.#endCapture();
    }
  }

  #emit(raw: Buffer, capturing: boolean, strip: boolean): void {
    const data = strip && this.#stripper !== null ? this.#stripper.push(raw) : raw;
    if (data.length === 0) return;
    if (capturing) this.#capture(data);
    else {
      if (this.#file !== null)
        this.#file.write(this.#stamper === null ? data : this.#stamper.push(data, this.#lineStamp!));
      if (this.#syslog !== null) this.#sendSyslog(data);
      this.#onLogEvent?.(data);
    }
    if (!this.#mirrorAsBytes && this.#mainLog.isEnabled("debug")) {
      this.#mainLog.log("debug", formatOutputMirror(this.#name, this.#channel, data));
    }
  }

  #sendSyslog(data: Buffer): void {
    const text = data.toString("utf8").replace(/\n+$/, "");
    for (const line of text.split("\n")) this.#syslog!.send(`${this.#name} ${line}`);
  }

  /** Appends to the capture buffer, keeping only the newest `captureMaxBytes` bytes. */
  #capture(data: Buffer): void {
    const max = this.#captureMax;
    const piece = data.length > max ? data.subarray(data.length - max) : data;
    this.#captured.push(Buffer.from(piece));
    this.#capturedBytes += piece.length;
    while (this.#capturedBytes > max) {
      const first = this.#captured[0]!;
      const excess = this.#capturedBytes - max;
      if (first.length <= excess) {
        this.#captured.shift();
        this.#capturedBytes -= first.length;
      } else {
        this.#captured[0] = first.subarray(excess);
        this.#capturedBytes -= excess;
      }
    }
  }

  #endCapture(): void {
    const data = Buffer.concat(this.#captured, this.#capturedBytes);
    this.#captured = [];
    this.#capturedBytes = 0;
    this.#onCommEvent?.(data);
    if (this.#mainLog.isEnabled("debug")) {
      this.#mainLog.log("debug", formatCommEventNotice(this.#name, this.#channel));
    }
  }
}
