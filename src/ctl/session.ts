/**
 * What a command runs with: the server (an XML-RPC caller), the output, the exit status so far, the
 * options, and the few interactive hooks (questions, Ctrl-C, time). The IO behind them is injected,
 * so commands run in unit tests against a fake server.
 */
import type { XmlRpcValue } from "../rpc/values.js";

/** The part of `RpcClient` the ctl uses. */
export interface RpcCaller {
  call(method: string, params?: readonly XmlRpcValue[]): Promise<XmlRpcValue>;
  /** GETs a streamed page (`/logtail/…`); a 200's body goes to `onData` until it is closed. */
  stream?(path: string, onData: (chunk: Buffer) => void): OpenStream;
  close?(): void;
}

/** A streamed page being read. */
export interface OpenStream {
  /** The answer's HTTP status once known; rejects when the connection fails. */
  readonly status: Promise<number>;
  /** Stops reading (also before the status is known). */
  close(): void;
}

/** Lines typed on stdin, for a command that reads them (`fg`). */
export interface LineSource {
  /** The next line (without its line end), or null at the end of input. One read at a time. */
  next(): Promise<string | null>;
  /** Hands the input back: a pending `next()` is given up, and lines not read stay for the shell. */
  close(): void;
}

export interface SessionOptions {
  serverurl: string;
  username: string | null;
  password: string | null;
  readonly prompt: string;
  readonly history_file: string | null;
  /** `-i`, or no command given: questions are asked, and a 401 asks for credentials. */
  readonly interactive: boolean;
  /** `--json` given before the command: every command that has a JSON form uses it. */
  readonly json: boolean;
}

/** Hooks to the outside world, each replaceable in tests. */
export interface SessionIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Makes a caller for the current server URL and credentials. */
  readonly connect: (options: SessionOptions) => RpcCaller;
  /** Asks a question on the terminal; `secret` does not echo. */
  readonly ask: (question: string, secret?: boolean) => Promise<string>;
  /** Calls `handler` on Ctrl-C until the returned function is called. */
  readonly onInterrupt: (handler: () => void) => () => void;
  /** The lines typed on stdin: the shell's input while it runs, else stdin read from now on. */
  readonly lines: () => LineSource;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
}

export class CtlSession {
  readonly options: SessionOptions;
  readonly io: SessionIo;
  /** The exit status of a non-interactive run: the last one a command set. */
  exitStatus = 0;
  /** While a command runs in JSON mode: its records, printed as one JSON array when it ends. */
  records: unknown[] | null = null;
  #client: RpcCaller | null = null;

  constructor(options: SessionOptions, io: SessionIo) {
    this.options = options;
    this.io = io;
  }

  /** Calls a method on the server, connecting on first use. */
  call(method: string, params: readonly XmlRpcValue[] = []): Promise<XmlRpcValue> {
    this.#client ??= this.io.connect(this.options);
    return this.#client.call(method, params);
  }

  /** GETs a streamed page from the server (see `RpcCaller.stream`). */
  stream(path: string, onData: (chunk: Buffer) => void): OpenStream {
    this.#client ??= this.io.connect(this.options);
    if (this.#client.stream === undefined) {
      return { status: Promise.reject(new Error("this server connection cannot stream")), close() {} };
    }
    return this.#client.stream(path, onData);
  }

  /** Drops the connection; the next call connects with the current options (after `open` or a login). */
  reconnect(): void {
    this.#client?.close?.();
    this.#client = null;
  }

  /** Prints a line to stdout. */
  out(line: string): void {
    this.io.stdout(`${line}\n`);
  }

  /** A result line: printed in text mode; in JSON mode `record` is collected instead. */
  result(line: string, record: unknown): void {
    if (this.records) this.records.push(record);
    else this.out(line);
  }

  get json(): boolean {
    return this.records !== null;
  }

  close(): void {
    this.#client?.close?.();
    this.#client = null;
  }
}
