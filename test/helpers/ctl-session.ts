/**
 * A stewardctl session against a fake server, for the ctl unit tests: `methods` answer the calls
 * (`supervisor.getVersion` says 3.0 unless given; an unknown method is UNKNOWN_METHOD), output is
 * collected, and any part of the session's IO can be replaced.
 */
import { CtlSession, type RpcCaller, type SessionIo } from "../../src/ctl/session.js";
import { Faults, RpcFault } from "../../src/rpc/faults.js";
import type { XmlRpcValue } from "../../src/rpc/values.js";

export type Handler = (params: readonly XmlRpcValue[]) => XmlRpcValue | Promise<XmlRpcValue>;

export interface FakeSessionOptions {
  readonly interactive?: boolean;
  readonly json?: boolean;
  /** stderr into the same text as stdout (in order). */
  readonly mergeStderr?: boolean;
  /** Called before each call is answered (to record it). */
  readonly onCall?: (method: string, params: readonly XmlRpcValue[]) => void;
  /** Streamed pages (`/logtail/…`), for `fg`. */
  readonly stream?: RpcCaller["stream"];
  /** Replaces parts of the IO: a clock, a terminal. */
  readonly io?: Partial<SessionIo>;
}

export function fakeSession(methods: Record<string, Handler>, options: FakeSessionOptions = {}) {
  let out = "";
  let err = "";
  const io: SessionIo = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      if (options.mergeStderr) out += t;
      else err += t;
    },
    connect: () => ({
      async call(method, params = []) {
        options.onCall?.(method, params);
        const handler = methods[method] ?? (method === "supervisor.getVersion" ? () => "3.0" : undefined);
        if (!handler) throw new RpcFault(Faults.UNKNOWN_METHOD);
        return handler(params);
      },
      ...(options.stream ? { stream: options.stream } : {}),
    }),
    ask: async () => "y",
    onInterrupt: () => () => {},
    lines: () => ({ next: async () => null, close: () => {} }),
    sleep: async () => {},
    now: () => 0,
    ...options.io,
  };
  const s = new CtlSession(
    {
      serverurl: "unix:///tmp/x.sock",
      username: null,
      password: null,
      prompt: "supervisor",
      history_file: null,
      interactive: options.interactive ?? false,
      json: options.json ?? false,
    },
    io,
  );
  return { s, io, out: () => out, err: () => err };
}
