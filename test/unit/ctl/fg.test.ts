/** `fg` against a fake server: supervisorctl's refusals, then streaming, input, Ctrl-C, EOF and the end of the process. */
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { test } from "node:test";
import { runLine } from "../../../src/ctl/dispatch.js";
import { LineQueue } from "../../../src/ctl/line-queue.js";
import type { OpenStream } from "../../../src/ctl/session.js";
import { RpcClientError } from "../../../src/rpc/errors.js";
import { Faults, RpcFault } from "../../../src/rpc/faults.js";
import { fakeSession, type Handler } from "../../helpers/ctl-session.js";

const info = (state: number, pid: number) => ({
  group: "echo",
  name: "echo",
  state,
  statename: state === 20 ? "RUNNING" : state === 100 ? "EXITED" : "STOPPED",
  pid,
  description: "",
});

/** A fake server and terminal: `type` feeds stdin, `interrupt` is Ctrl-C, `logs` answers the streams. */
function fakeFg(methods: Record<string, Handler>, logs: Record<string, number | string> = {}) {
  let interrupt: (() => void) | null = null;
  const input = new EventEmitter();
  const queue = new LineQueue(input);
  const opened: string[] = [];
  const closed: string[] = [];
  let inputClosed = 0;
  let clock = 0;
  const sent: string[] = [];
  const f = fakeSession(methods, {
    // the fake server also streams: `logs` answers each path with its text, or an HTTP status
    stream(path, onData): OpenStream {
      opened.push(path);
      const answer = logs[path] ?? 404;
      if (typeof answer === "string") setImmediate(() => onData(Buffer.from(answer)));
      return {
        status: Promise.resolve(typeof answer === "string" ? 200 : answer),
        close: () => closed.push(path),
      };
    },
    onCall: (method, params) => {
      if (method === "supervisor.sendProcessStdin") sent.push(String(params[1]));
    },
    io: {
      ask: async () => "",
      onInterrupt: (handler) => {
        interrupt = handler;
        return () => {
          interrupt = null;
        };
      },
      lines: () => ({
        next: () => queue.next(),
        close: () => {
          inputClosed++;
          queue.cancel();
        },
      }),
      // Yields to the event loop, so a test's own steps run between two polls.
      sleep: (ms) =>
        new Promise((resolve) =>
          setImmediate(() => {
            clock += ms;
            resolve();
          }),
        ),
      now: () => clock,
    },
  });
  return {
    s: f.s,
    out: f.out,
    err: f.err,
    sent,
    opened,
    closed,
    inputClosed: () => inputClosed,
    type: (line: string) => input.emit("line", line),
    eof: () => input.emit("close"),
    interrupt: () => interrupt?.(),
    hasInterruptHandler: () => interrupt !== null,
  };
}

/** Resolves once `condition` holds, checking after each turn of the event loop (bounded). */
async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 10000 && !condition(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(condition(), `never happened: ${what}`);
}

const running = () => info(20, 42);

test("fg refuses as supervisorctl: no name (with help), several names, an unknown one, one not running", async () => {
  const cases: [string, Handler, string][] = [
    [
      "fg",
      running,
      "ERROR: no process name supplied\nfg <process>\tConnect to a process in foreground mode\n\t\tCtrl-C to exit\n",
    ],
    ["fg a b", running, "ERROR: too many process names supplied\n"],
    [
      "fg nosuch",
      () => {
        throw new RpcFault(Faults.BAD_NAME, "nosuch");
      },
      "ERROR: bad process name supplied\n",
    ],
    ["fg off", () => info(0, 0), "ERROR: process not running\n"],
  ];
  for (const [line, handler, expected] of cases) {
    const f = fakeFg({ "supervisor.getProcessInfo": handler });
    await runLine(f.s, line);
    assert.equal(f.out(), expected, line);
    assert.equal(f.s.exitStatus, 1, line);
    assert.deepEqual(f.opened, [], line);
  }
});

test("fg: another fault from getProcessInfo prints Python's str(Fault) and keeps the exit status", async () => {
  const f = fakeFg({
    "supervisor.getProcessInfo": () => {
      throw new RpcFault(Faults.FAILED, "boom");
    },
  });
  await runLine(f.s, "fg echo");
  assert.equal(f.out(), "ERROR: <Fault 30: 'FAILED: boom'>\n");
  assert.equal(f.s.exitStatus, 0);
});

test("fg streams both logs, sends each typed line with its newline, and leaves on Ctrl-C", async () => {
  const f = fakeFg(
    { "supervisor.getProcessInfo": running, "supervisor.sendProcessStdin": () => true },
    { "/logtail/echo/stdout": "out-head\n", "/logtail/echo/stderr": "err-head\n" },
  );
  const done = runLine(f.s, "fg echo");
  await until("both heads shown", () => f.out().includes("out-head") && f.out().includes("err-head"));
  assert.match(f.out(), /^==> Press Ctrl-C to exit <==\n/);
  f.type("hello");
  f.type("");
  await until("both lines sent", () => f.sent.length === 2);
  assert.deepEqual(f.sent, ["hello\n", "\n"]);
  f.interrupt();
  await done;
  assert.match(f.out(), /Exiting foreground\n$/);
  assert.equal(f.s.exitStatus, 0);
  assert.deepEqual(f.opened.sort(), ["/logtail/echo/stderr", "/logtail/echo/stdout"]);
  assert.deepEqual(f.closed.sort(), f.opened);
  assert.equal(f.inputClosed(), 1);
  assert.equal(f.hasInterruptHandler(), false);
  assert.equal(f.err(), "");
});

test("fg ends at the end of input", async () => {
  const f = fakeFg({ "supervisor.getProcessInfo": running });
  const done = runLine(f.s, "fg echo");
  await until("input asked for", () => f.opened.length === 2);
  f.eof();
  await done;
  assert.equal(f.out(), "==> Press Ctrl-C to exit <==\nExiting foreground\n");
});

test("fg notices by itself that the process stopped, or was restarted with another pid", async () => {
  for (const after of [info(100, 0), info(20, 43)]) {
    let calls = 0;
    const f = fakeFg({ "supervisor.getProcessInfo": () => (++calls <= 2 ? running() : after) });
    await runLine(f.s, "fg echo");
    assert.match(f.out(), /Process got killed\nExiting foreground\n$/);
    assert.equal(f.s.exitStatus, 0);
  }
});

test("fg: a line sent to a process that has gone ends fg as supervisorctl does", async () => {
  const f = fakeFg({
    "supervisor.getProcessInfo": running,
    "supervisor.sendProcessStdin": () => {
      throw new RpcFault(Faults.NOT_RUNNING, "echo");
    },
  });
  const done = runLine(f.s, "fg echo");
  f.type("x");
  await done;
  assert.match(f.out(), /\nProcess got killed\nExiting foreground\n$/);
  const g = fakeFg({
    "supervisor.getProcessInfo": running,
    "supervisor.sendProcessStdin": () => {
      throw new RpcFault(Faults.NO_FILE, "Process has no stdin channel");
    },
  });
  const gone = runLine(g.s, "fg echo");
  g.type("x");
  await gone;
  assert.match(
    g.out(),
    /\nERROR: <Fault 20: 'NO_FILE: Process has no stdin channel'>\nExiting foreground\n$/,
  );
  assert.equal(g.s.exitStatus, 0);
});

test("fg: a channel without a log is left out; none at all, or another status, is said on stderr", async () => {
  const f = fakeFg({ "supervisor.getProcessInfo": running }, { "/logtail/echo/stdout": "only stdout\n" });
  let done = runLine(f.s, "fg echo");
  await until("stdout shown", () => f.out().includes("only stdout"));
  f.interrupt();
  await done;
  assert.equal(f.err(), "");
  const g = fakeFg({ "supervisor.getProcessInfo": running });
  done = runLine(g.s, "fg echo");
  await until("the missing logs reported", () => g.err() !== "");
  g.interrupt();
  await done;
  assert.equal(g.err(), "echo: ERROR (no log file): its output cannot be shown\n");
  const h = fakeFg(
    { "supervisor.getProcessInfo": running },
    { "/logtail/g:a/stdout": 500, "/logtail/g:a/stderr": "" },
  );
  done = runLine(h.s, "fg g:a");
  await until("the refusal reported", () => h.err() !== "");
  h.interrupt();
  await done;
  assert.equal(h.err(), "unix:///tmp/x.sock/logtail/g:a/stdout Cannot read, status code 500\n");
});

test("fg: losing the server ends fg with the connection's one line and exit status 1", async () => {
  let calls = 0;
  const f = fakeFg({
    "supervisor.getProcessInfo": () => {
      if (++calls === 1) return running();
      throw new RpcClientError("STEWARD_ERR_RPC_NO_SOCKET", "unix:///tmp/x.sock no such file", {
        serverurl: "unix:///tmp/x.sock",
      });
    },
  });
  await runLine(f.s, "fg echo");
  assert.equal(f.out(), "==> Press Ctrl-C to exit <==\nunix:///tmp/x.sock no such file\n");
  assert.equal(f.s.exitStatus, 1);
  assert.equal(f.inputClosed(), 1);
});

test("LineQueue: a read given up does not lose the next line", async () => {
  const input = new EventEmitter();
  const q = new LineQueue(input);
  input.emit("line", "a");
  assert.equal(await q.next(), "a");
  const abandoned = q.next();
  q.cancel();
  input.emit("line", "b");
  assert.equal(await q.next(), "b");
  input.emit("close");
  assert.equal(await q.next(), null);
  let settled = false;
  void abandoned.then(() => {
    settled = true;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(settled, false);
});
