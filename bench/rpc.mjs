/**
 * Scenario 6, the control plane (issue #4): N separate `[program:pNNN]` sections (/bin/sleep,
 * startsecs=0, as the start scenario) and `[unix_http_server] file=<dir>/rpc.sock`, so that both
 * daemons serve XML-RPC on a unix socket. Once all N are RUNNING (N `success:` lines):
 *
 * - getAllProcessInfo latency: one client, BENCH_RPC_CALLS sequential calls (after WARMUP_CALLS
 *   untimed ones) through node:http with a keep-alive Agent of one socket, `POST /RPC2` with the
 *   body xmlrpc.client writes; each answer must be a 200 holding N structs (N `<name>pid</name>`).
 *   A server that closes the connection gets a new one (counted, and shown in the details).
 * - getProcessInfo throughput: BENCH_RPC_CLIENTS clients (4), each on its own keep-alive connection,
 *   each sending the next call as soon as the previous answer is in, the program names rotating, for
 *   BENCH_RPC_SECONDS after a warm-up (WARMUP_INFO_CALLS calls, or WARMUP_MAX_MS). The clients share
 *   the benchmark's one thread and speak HTTP/1.1 over net.Socket with pre-encoded requests:
 *   node:http's client costs about 4× the CPU per request (measured: ~100 µs against ~25 µs), and on
 *   2 cores the clients compete with the daemon for CPU; 4 worker threads ran no faster and cost twice
 *   the CPU. The daemon's CPU over the window is utime+stime from /proc/<pid>/stat (all its threads),
 *   as % of one core.
 * - `status` as a whole command: `supervisorctl -c <conf> status` against supervisord beside
 *   `stewardctl -c <conf> status` against stewardd (and the stock supervisorctl against stewardd),
 *   BENCH_RPC_STATUS_RUNS timed runs each after one untimed one; each must exit 0 and print N
 *   RUNNING lines.
 *
 * Each part that fails is reported on its own (`{ error }`); the others still run.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import {
  cpuSeconds,
  finish,
  launch,
  median,
  now,
  percentile,
  programName,
  progress,
  SUCCESS_RE,
  sleep,
  sleepPrograms,
  supervisordSection,
  waitUntil,
} from "./lib.mjs";

export const id = "rpc";

/** Untimed getAllProcessInfo calls before the timed ones. */
export const WARMUP_CALLS = 10;
/**
 * getProcessInfo calls answered before the throughput window opens: a fresh stewardd needs a second
 * or two of load before V8 has optimised its request path (~5× the CPU per call until then).
 */
export const WARMUP_INFO_CALLS = 5000;
/** …but no longer than this (full run; a quick run waits at most 1 s). */
export const WARMUP_MAX_MS = 2000;

const SOCKET = "rpc.sock";
const PID_TAG = "<name>pid</name>";
const PID_TAG_BYTES = Buffer.from(PID_TAG);

const config = (P) => (dir) =>
  `${supervisordSection(dir)}
[unix_http_server]
file=${dir}/${SOCKET}

[supervisorctl]
serverurl=unix://${dir}/${SOCKET}

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

${sleepPrograms(P.programs, { startsecs: 0 })}`;

/** A methodCall as Python's xmlrpc.client writes it (string parameters only). */
function methodCall(method, ...params) {
  const body = params.map((p) => `<param>\n<value><string>${p}</string></value>\n</param>\n`).join("");
  return `<?xml version='1.0'?>\n<methodCall>\n<methodName>${method}</methodName>\n<params>\n${body}</params>\n</methodCall>\n`;
}

function count(text, needle) {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// getAllProcessInfo: node:http, one keep-alive socket, sequential
// ---------------------------------------------------------------------------------------------

/** One POST /RPC2 through `agent`; resolves when the whole answer is in (its time included). */
function post(socketPath, agent, body, { sockets, timeoutMs }, mayRetry = true) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const req = request(
      {
        socketPath,
        host: "localhost",
        method: "POST",
        path: "/RPC2",
        agent,
        headers: { "Content-Type": "text/xml", "Content-Length": String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.once("error", reject);
        res.once("end", () =>
          resolve({ ms: now() - t0, status: res.statusCode, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on("socket", (s) => sockets.add(s));
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.once("error", (error) => {
      // A kept-alive connection the server closed while idle: once more, on a new one.
      if (mayRetry && req.reusedSocket && (error.code === "ECONNRESET" || error.code === "EPIPE")) {
        post(socketPath, agent, body, { sockets, timeoutMs }, false).then(resolve, reject);
        return;
      }
      reject(error);
    });
    req.end(body);
  });
}

async function allInfoLatency(socketPath, P) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set();
  const body = methodCall("supervisor.getAllProcessInfo");
  const times = [];
  let bytes = 0;
  try {
    for (let i = 0; i < WARMUP_CALLS + P.rpcCalls; i++) {
      const answer = await post(socketPath, agent, body, { sockets, timeoutMs: P.timeoutMs });
      const text = answer.body.toString("utf8");
      if (answer.status !== 200) throw new Error(`getAllProcessInfo: HTTP ${answer.status}`);
      const structs = count(text, PID_TAG);
      if (structs !== P.programs || text.includes("<fault>"))
        throw new Error(
          `getAllProcessInfo: ${structs} process structs in the answer, not ${P.programs}: ${text.slice(0, 200)}`,
        );
      bytes = answer.body.length;
      if (i >= WARMUP_CALLS) times.push(answer.ms);
    }
  } finally {
    agent.destroy();
  }
  return {
    calls: times.length,
    medianMs: median(times),
    p95Ms: percentile(times, 95),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    connections: sockets.size,
    answerBytes: bytes,
    latenciesMs: times.map((v) => Math.round(v * 1000) / 1000),
  };
}

// ---------------------------------------------------------------------------------------------
// getProcessInfo: a lean HTTP/1.1 client per connection, all in this thread
// ---------------------------------------------------------------------------------------------

/**
 * One keep-alive HTTP/1.1 connection over a unix socket: one request at a time, answers with a
 * Content-Length (medusa's and node:http's XML-RPC answers both have one). When the server says
 * `Connection: close` or closes an idle connection, the next request opens a new one.
 */
export class LeanClient {
  #path;
  #socket = null;
  #pending = null;
  #chunks = [];
  #length = 0;
  connections = 0;

  constructor(path) {
    this.#path = path;
  }

  connect() {
    return new Promise((resolve, reject) => {
      const socket = connect(this.#path);
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        socket.on("error", () => {}); // "close" follows
        socket.on("data", (chunk) => this.#onData(socket, chunk));
        socket.on("close", () => this.#onClose(socket));
        this.#socket = socket;
        this.connections++;
        resolve();
      });
    });
  }

  /** Sends `bytes`; resolves with `{ status, body }`. One retry on a new connection if the old one died idle. */
  async request(bytes) {
    for (let attempt = 0; ; attempt++) {
      if (this.#socket === null) await this.connect();
      try {
        return await new Promise((resolve, reject) => {
          this.#pending = { resolve, reject, received: false };
          this.#socket.write(bytes);
        });
      } catch (error) {
        if (attempt > 0 || !error.retry) throw error;
      }
    }
  }

  close() {
    this.#socket?.destroy();
    this.#socket = null;
  }

  #onClose(socket) {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#chunks = [];
    this.#length = 0;
    const p = this.#pending;
    this.#pending = null;
    if (p)
      p.reject(
        Object.assign(new Error("the server closed the connection before answering"), { retry: !p.received }),
      );
  }

  #onData(socket, chunk) {
    if (socket !== this.#socket) return;
    if (this.#pending) this.#pending.received = true;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    const buffer = this.#chunks.length === 1 ? chunk : Buffer.concat(this.#chunks, this.#length);
    const headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      this.#chunks = [buffer];
      return;
    }
    const head = buffer.toString("latin1", 0, headEnd);
    const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
    if (!status || !length) {
      this.#fail(socket, `not an answer with a Content-Length: ${JSON.stringify(head.slice(0, 200))}`);
      return;
    }
    const end = headEnd + 4 + Number(length[1]);
    if (buffer.length < end) {
      this.#chunks = [buffer];
      return;
    }
    if (buffer.length > end) {
      this.#fail(socket, "more bytes than one answer (nothing was pipelined)");
      return;
    }
    this.#chunks = [];
    this.#length = 0;
    const p = this.#pending;
    this.#pending = null;
    if (/\r\nconnection:[ \t]*close/i.test(head) || head.startsWith("HTTP/1.0")) {
      this.#socket = null;
      socket.destroy();
    }
    p?.resolve({ status: Number(status[1]), body: buffer.subarray(headEnd + 4, end) });
  }

  #fail(socket, message) {
    const p = this.#pending;
    this.#pending = null;
    this.#socket = null;
    socket.destroy();
    p?.reject(new Error(message));
  }
}

export function httpRequest(body) {
  return Buffer.from(
    `POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

async function infoThroughput(socketPath, daemon, P) {
  const requests = Array.from({ length: P.programs }, (_, i) =>
    httpRequest(methodCall("supervisor.getProcessInfo", programName(i, P.programs))),
  );
  const clients = Array.from({ length: P.rpcClients }, () => new LeanClient(socketPath));
  await Promise.all(clients.map((c) => c.connect()));
  const warmupMs = P.quick ? 1000 : WARMUP_MAX_MS;
  let warm;
  const warmedUp = new Promise((resolve) => {
    warm = resolve;
  });
  const state = { measuring: false, stopped: false, warmupCalls: 0, answered: 0, latencies: [] };
  const loop = async (client, k) => {
    let i = Math.floor((k * P.programs) / P.rpcClients);
    while (!state.stopped) {
      const t = now();
      const answer = await client.request(requests[i++ % requests.length]);
      const ms = now() - t;
      if (answer.status !== 200 || answer.body.indexOf(PID_TAG_BYTES) < 0 || answer.body.includes("<fault>"))
        throw new Error(
          `getProcessInfo: HTTP ${answer.status}: ${answer.body.toString("utf8", 0, Math.min(200, answer.body.length))}`,
        );
      if (state.measuring) {
        if (!state.stopped) {
          state.answered++;
          state.latencies.push(ms);
        }
      } else if (++state.warmupCalls >= WARMUP_INFO_CALLS) warm();
    }
  };
  const running = Promise.all(clients.map(loop));
  running.catch(() => {});
  let window;
  try {
    const w0 = now();
    await Promise.race([warmedUp, sleep(warmupMs), running]);
    const t0 = now();
    state.warmupS = (t0 - w0) / 1000;
    const cpu0 = cpuSeconds(daemon.pid);
    const self0 = process.cpuUsage();
    state.measuring = true;
    await Promise.race([sleep(P.rpcSeconds * 1000), running]);
    state.stopped = true;
    const cpu1 = cpuSeconds(daemon.pid);
    const self1 = process.cpuUsage(self0);
    const seconds = (now() - t0) / 1000;
    window = { seconds, daemonCpuS: cpu1 - cpu0, clientCpuS: (self1.user + self1.system) / 1e6 };
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the calls in flight got no answer in ${P.timeoutMs} ms`)),
        P.timeoutMs,
      );
    });
    await Promise.race([running, late]).finally(() => clearTimeout(timer));
  } finally {
    state.stopped = true;
    for (const c of clients) c.close();
  }
  const rate = state.answered / window.seconds;
  return {
    clients: P.rpcClients,
    seconds: window.seconds,
    answered: state.answered,
    warmupCalls: state.warmupCalls,
    warmupS: state.warmupS,
    rate,
    daemonCpuPct: (100 * window.daemonCpuS) / window.seconds,
    daemonCpuUsPerCall: (1e6 * window.daemonCpuS) / state.answered,
    clientCpuPct: (100 * window.clientCpuS) / window.seconds,
    medianMs: median(state.latencies),
    p95Ms: percentile(state.latencies, 95),
    connections: clients.reduce((a, c) => a + c.connections, 0),
  };
}

// ---------------------------------------------------------------------------------------------
// `status` as a whole command
// ---------------------------------------------------------------------------------------------

const RUNNING_LINE = /^\S+\s+RUNNING\s+pid \d+, uptime \d/;

function statusCommand(ctl, daemon, P) {
  const [file, ...args] = ctl.argv;
  if (!existsSync(file === process.execPath ? args[0] : file))
    throw new Error(`${ctl.name}: ${file === process.execPath ? args[0] : file} does not exist`);
  const once = () => {
    const t = now();
    const r = spawnSync(file, [...args, "-c", daemon.confPath, "status"], {
      cwd: daemon.dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: P.timeoutMs,
    });
    const s = (now() - t) / 1000;
    if (r.error) throw new Error(`${ctl.name} status: ${r.error.message}`);
    const lines = r.stdout.trimEnd().split("\n");
    const running = lines.filter((l) => RUNNING_LINE.test(l)).length;
    if (r.status !== 0 || lines.length !== P.programs || running !== P.programs)
      throw new Error(
        `${ctl.name} status: exit ${r.signal ?? `status ${r.status}`}, ${lines.length} lines, ${running} RUNNING (expected 0, ${P.programs}, ${P.programs}): ${(r.stderr || r.stdout).trim().split("\n").slice(0, 3).join(" / ")}`,
      );
    return s;
  };
  once();
  const times = [];
  for (let i = 0; i < P.rpcStatusRuns; i++) times.push(once());
  return { ctl: ctl.name, medianS: median(times), runsS: times };
}

// ---------------------------------------------------------------------------------------------

/** Runs one part; a failure becomes that part's `{ error }`. */
async function part(kind, what, fn) {
  try {
    return await fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    progress(`  ${kind.name} ${what} FAILED: ${message.split("\n")[0]}`);
    return { error: message };
  }
}

export async function measure(kind, P) {
  const daemon = launch(kind, config(P), P);
  try {
    await daemon.waitLog(SUCCESS_RE, P.programs, P.timeoutMs, `${P.programs} success: lines`);
    const socketPath = join(daemon.dir, SOCKET);
    await waitUntil(() => existsSync(socketPath), {
      what: `the socket ${socketPath}`,
      timeoutMs: P.timeoutMs,
      daemon,
    });
    const allInfo = await part(kind, "getAllProcessInfo", () => allInfoLatency(socketPath, P));
    if (!allInfo.error)
      progress(
        `  ${kind.name} getAllProcessInfo: median ${allInfo.medianMs.toFixed(2)} ms, p95 ${allInfo.p95Ms.toFixed(2)} ms (${allInfo.calls} calls, ${allInfo.connections} connection(s))`,
      );
    const info = await part(kind, "getProcessInfo", () => infoThroughput(socketPath, daemon, P));
    if (!info.error)
      progress(
        `  ${kind.name} getProcessInfo: ${Math.round(info.rate)} req/s from ${info.clients} clients, daemon CPU ${info.daemonCpuPct.toFixed(0)}%, benchmark CPU ${info.clientCpuPct.toFixed(0)}%`,
      );
    const status = await part(kind, "status", () => statusCommand(kind.ctl, daemon, P));
    const stockStatus = kind.stockCtl
      ? await part(kind, "stock status", () => statusCommand(kind.stockCtl, daemon, P))
      : null;
    for (const s of [status, stockStatus])
      if (s && !s.error) progress(`  ${kind.name} ${s.ctl} status: median ${s.medianS.toFixed(3)} s`);
    daemon.assertAlive("the RPC measurements to end");
    const result = { allInfo, info, status, stockStatus, shutdown: await finish(daemon, P) };
    if (allInfo.error && info.error && status.error) throw new Error(allInfo.error);
    return result;
  } finally {
    if (!daemon.exited) await finish(daemon, P);
  }
}
