/**
 * Scenario 7, event throughput (issue #5): events per second delivered to a listener that answers OK
 * at once, beside supervisord's. One `[eventlistener:fast]` pool subscribed to REMOTE_COMMUNICATION
 * (buffer_size large enough that nothing is ever discarded, startsecs=0, stdout_logfile=NONE: the
 * protocol chatter is not logged), plus `[unix_http_server] file=<dir>/rpc.sock` to feed it.
 *
 * - The source: `system.multicall` requests of BENCH_EVENTS_BATCH `supervisor.sendRemoteCommEvent`
 *   calls each (1000), encoded ahead, one request in flight over one keep-alive connection (the rpc
 *   scenario's lean HTTP/1.1 client), so that events are not limited by the XML-RPC request rate.
 *   Each call's data is the event's index; an answer must hold one true per call and no fault
 *   (stewardd wraps each multicall result in a one-element array, supervisord does not; both pass).
 *   It is paced: a batch goes out only while fewer than AHEAD_BATCHES batches' worth of events are
 *   sent but not yet reported by the listeners. Unpaced, the whole run would sit in the pool's buffer,
 *   and both daemons take an event off the front of a list (Python's `pop(0)`, JS `shift()`) in time
 *   linear in its length, so the rate would depend on BENCH_EVENTS.
 * - The listener: LISTENER_PY below, written into the temp dir and run by /usr/bin/python3. It reads
 *   the envelopes itself (os.read on fd 0; childutils' text-mode reads and two flushed writes per
 *   event are not what is measured here), takes the arrival time from CLOCK_MONOTONIC, answers
 *   `RESULT 2\nOK` and `READY\n` in one write, and only then checks the event: serial, poolserial and
 *   data must each be strictly increasing (a single listener must also see consecutive pool
 *   serials); it keeps a count, the sum and the sum of squares of the data. It writes that state as
 *   JSON (atomically, by rename) every REPORT_EVERY events, every 50 ms under load, and when it has
 *   been idle for 5 ms.
 * - The window: WARMUP_EVENTS untimed events first (a fresh stewardd runs its XML parser and event
 *   path unoptimised for the first few thousand), then BENCH_EVENTS timed ones. events/s =
 *   BENCH_EVENTS / (first send → the listener's arrival time of the last one); Node's process.hrtime
 *   and Python's CLOCK_MONOTONIC are the same clock on Linux. Every event must arrive exactly once:
 *   the count must be exact, each listener's sequence strictly increasing, and the sums must match
 *   0…n−1. The window lasts at most BENCH_EVENTS_TIMEOUT seconds: a slower daemon reports the partial
 *   rate of what arrived by then, marked as such. Daemon CPU is utime+stime from /proc/<pid>/stat
 *   over the window; the listener's and the benchmark's likewise (to show who else used the cores).
 * - The backlog, in the same daemon: the listener stopped (SIGSTOP), BENCH_EVENTS events sent as fast
 *   as the daemon answers (ingestion alone: sendRemoteCommEvent calls/s), then the listener continued
 *   (SIGCONT) and timed until it has them all (delivery alone, from a full buffer).
 * - Then, with BENCH_EVENTS_POOL > 1 (4; quick runs: none), a fresh daemon with a pool of that many
 *   listeners (numprocs), the same warm-up and window: events go to whichever listener is READY.
 *   supervisord sends at most one event per READY listener per pass of its main loop.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  cpuSeconds,
  finish,
  launch,
  now,
  progress,
  readStat,
  sleep,
  supervisordSection,
  waitUntil,
} from "./lib.mjs";
import { httpRequest, LeanClient } from "./rpc.mjs";

export const id = "events";

/** Untimed events delivered before the window opens. */
export const WARMUP_EVENTS = 5000;
/** The listener rewrites its state file every this many events (and on a 50 ms / 5 ms-idle clock). */
export const REPORT_EVERY = 250;
/** The paced source sends a batch only while fewer than this many batches are unreported. */
export const AHEAD_BATCHES = 2;

const SOCKET = "rpc.sock";
const LISTENER = "fast";

/**
 * The listener. argv: state file prefix, expected pool size (1: pool serials must be consecutive).
 * It answers before it does any bookkeeping, so the daemon can send the next event meanwhile.
 */
export const LISTENER_PY = `import json, os, select, sys, time

prefix, single = sys.argv[1], sys.argv[2] == "1"
path = "%s-%d.json" % (prefix, os.getpid())
clock, MONO = time.clock_gettime_ns, time.CLOCK_MONOTONIC
ANSWER = b"RESULT 2\\nOKREADY\\n"
count = first = last = disorder = gaps = bad = total = squares = 0
serial = pool_serial = data = -1
dirty = False
written = 0


def report():
    global written
    state = {"pid": os.getpid(), "count": count, "firstNs": first, "lastNs": last, "disorder": disorder,
             "gaps": gaps, "bad": bad, "sum": total, "squares": squares, "lastData": data}
    with open(path + ".tmp", "w") as f:
        f.write(json.dumps(state))
    os.replace(path + ".tmp", path)
    written = clock(MONO)


report()
os.write(1, b"READY\\n")
buf = b""
while True:
    nl = buf.find(b"\\n")
    if nl >= 0:
        header = buf[:nl]
        end = nl + 1 + int(header[header.rindex(b"len:") + 4:])
        if len(buf) >= end:
            t = clock(MONO)
            os.write(1, ANSWER)
            payload = buf[nl + 1:end]
            buf = buf[end:]
            h = dict(token.split(b":", 1) for token in header.split())
            s, p = int(h[b"serial"]), int(h[b"poolserial"])
            try:
                kind, d = payload.split(b"\\n", 1)
                d = int(d)
                if kind != b"type:bench":
                    raise ValueError(kind)
            except ValueError:
                bad += 1
                d = data + 1
            if s <= serial or p <= pool_serial or d <= data:
                disorder += 1
            elif single and p != pool_serial + 1:
                gaps += 1
            serial, pool_serial, data = s, p, d
            if count == 0:
                first = t
            count += 1
            last = t
            total += d
            squares += d * d
            dirty = True
            if count % ${REPORT_EVERY} == 0 or t - written > 50000000:
                report()
                dirty = False
            continue
    if dirty and not select.select([0], [], [], 0.005)[0]:
        report()
        dirty = False
    chunk = os.read(0, 65536)
    if not chunk:
        break
    buf += chunk
report()
`;

const config = (P, procs) => (dir) => {
  writeFileSync(join(dir, "listener.py"), LISTENER_PY);
  return `${supervisordSection(dir)}
[unix_http_server]
file=${dir}/${SOCKET}

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[eventlistener:${LISTENER}]
command=/usr/bin/python3 ${dir}/listener.py ${dir}/state ${procs}
events=REMOTE_COMMUNICATION
buffer_size=${WARMUP_EVENTS + 2 * P.events}
numprocs=${procs}
process_name=%(program_name)s_%(process_num)d
startsecs=0
autorestart=true
stdout_logfile=NONE
stderr_logfile=${dir}/listener.err
`;
};

/** The listeners' states (one JSON file per listener process), summed. */
function readStates(dir) {
  const states = [];
  for (const name of safeReaddir(dir)) {
    if (!/^state-\d+\.json$/.test(name)) continue;
    try {
      states.push(JSON.parse(readFileSync(join(dir, name), "utf8")));
    } catch {
      // being replaced: the next poll reads it
    }
  }
  const sum = (key) => states.reduce((a, s) => a + s[key], 0);
  return {
    listeners: states.length,
    count: sum("count"),
    disorder: sum("disorder"),
    gaps: sum("gaps"),
    bad: sum("bad"),
    sum: states.reduce((a, s) => a + BigInt(s.sum), 0n),
    squares: states.reduce((a, s) => a + BigInt(s.squares), 0n),
    lastNs: states.reduce((a, s) => (BigInt(s.lastNs) > a ? BigInt(s.lastNs) : a), 0n),
    pids: states.map((s) => s.pid),
    counts: states.map((s) => s.count),
  };
}

/** The listeners' stderr, for error messages. */
function listenerErrors(dir) {
  try {
    const text = readFileSync(join(dir, "listener.err"), "utf8").trim();
    return text ? `; the listeners' stderr: ${text.split("\n").slice(-5).join(" / ")}` : "";
  } catch {
    return "";
  }
}

function safeReaddir(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A multicall of `count` sendRemoteCommEvent calls whose data are `from`, from+1, … */
function multicall(from, count) {
  const calls = [];
  for (let i = from; i < from + count; i++)
    calls.push(
      `<value><struct><member><name>methodName</name><value><string>supervisor.sendRemoteCommEvent</string></value></member><member><name>params</name><value><array><data><value><string>bench</string></value><value><string>${i}</string></value></data></array></value></member></struct></value>`,
    );
  return httpRequest(
    `<?xml version='1.0'?>\n<methodCall>\n<methodName>system.multicall</methodName>\n<params>\n<param>\n<value><array><data>${calls.join("")}</data></array></value>\n</param>\n</params>\n</methodCall>\n`,
  );
}

/** The requests for events `from`…`from+count−1`, encoded ahead (the benchmark's CPU stays out of the window). */
function batches(from, count, size) {
  const out = [];
  for (let i = from; i < from + count; i += size) {
    const n = Math.min(size, from + count - i);
    out.push({ from: i, n, bytes: multicall(i, n) });
  }
  return out;
}

const TRUE_RE = /<boolean>1<\/boolean>/g;

/**
 * Sends the batches in order, one request in flight, adding to `state.sent`. With `delivered` (how
 * many events the listeners have reported), a batch waits while AHEAD_BATCHES batches' worth of
 * events are sent but not yet reported, so the pool's backlog stays small. Stops early when
 * `state.stopped` is set. Resolves when the last batch is answered.
 */
async function send(client, requests, P, state, delivered = null) {
  const ahead = AHEAD_BATCHES * P.eventsBatch;
  for (const { from, n, bytes } of requests) {
    if (delivered) while (from - delivered() >= ahead && !state.stopped) await sleep(1);
    if (state.stopped) break;
    const answer = await client.request(bytes);
    const text = answer.body.toString("utf8");
    const accepted = text.match(TRUE_RE)?.length ?? 0;
    if (answer.status !== 200 || text.includes("<fault>") || text.includes("faultCode") || accepted !== n)
      throw new Error(
        `sendRemoteCommEvent multicall: HTTP ${answer.status}, ${accepted} of ${n} accepted: ${text.slice(0, 300)}`,
      );
    state.sent += n;
  }
}

/** Σi and Σi² over 0…n−1. */
function triangular(n) {
  const N = BigInt(n);
  return { sum: (N * (N - 1n)) / 2n, squares: ((N - 1n) * N * (2n * N - 1n)) / 6n };
}

function signal(pids, name) {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // gone: the counts will say so
    }
  }
}

const listenerCpu = (pids) => pids.reduce((a, pid) => a + (readStat(pid) ? cpuSeconds(pid) : 0), 0);

/** One daemon run with a pool of `procs` listeners; with `drain`, the backlog phase after the window. */
async function once(kind, P, procs, drain) {
  const daemon = launch(kind, config(P, procs), P);
  const client = new LeanClient(join(daemon.dir, SOCKET));
  const label = `${kind.name}, ${procs === 1 ? "1 listener" : `pool of ${procs}`}`;
  try {
    const first = await waitUntil(
      () => {
        if (!existsSync(join(daemon.dir, SOCKET))) return null;
        const s = readStates(daemon.dir);
        return s.listeners >= procs ? s : null;
      },
      { what: `the socket and ${procs} listener(s)`, timeoutMs: P.timeoutMs, daemon },
    );
    const pids = first.pids;
    let latest = first;
    const delivered = () => latest.count;
    /** Polls the listeners' states until `target` events arrived or the deadline passed. */
    const arrivals = (target, deadline) =>
      waitUntil(
        () => {
          latest = readStates(daemon.dir);
          if (latest.listeners !== procs)
            throw new Error(
              `${latest.listeners} listener state files, expected ${procs} (a listener restarted?)${listenerErrors(daemon.dir)}`,
            );
          if (latest.count >= target) return latest;
          if (now() > deadline) return { ...latest, timedOut: true };
          return null;
        },
        { what: `${target} events at the listener(s)`, timeoutMs: P.timeoutMs * 10, intervalMs: 2, daemon },
      );
    /** The source and the arrivals together; the source's failure wins. */
    const race = async (sending, target, deadline, source) => {
      sending.catch(() => {});
      try {
        return await Promise.race([arrivals(target, deadline), sending.then(() => new Promise(() => {}))]);
      } finally {
        source.stopped = true;
      }
    };

    // Warm-up, untimed.
    const w0 = now();
    const warm = { stopped: false, sent: 0 };
    const warmDeadline = now() + P.timeoutMs;
    const warmed = await race(
      send(client, batches(0, WARMUP_EVENTS, P.eventsBatch), P, warm, delivered),
      WARMUP_EVENTS,
      warmDeadline,
      warm,
    );
    if (warmed.timedOut || warmed.count !== WARMUP_EVENTS)
      throw new Error(
        `warm-up: ${warmed.count} of ${WARMUP_EVENTS} events arrived in ${P.timeoutMs / 1000} s${listenerErrors(daemon.dir)}`,
      );
    const warmupS = (now() - w0) / 1000;

    // The window: a paced source, the listener(s) answering.
    const target = WARMUP_EVENTS + P.events;
    const source = { stopped: false, sent: 0 };
    const requests = batches(WARMUP_EVENTS, P.events, P.eventsBatch);
    const self0 = process.cpuUsage();
    const cpu0 = cpuSeconds(daemon.pid);
    const lcpu0 = listenerCpu(pids);
    const t0 = process.hrtime.bigint();
    const end = await race(
      send(client, requests, P, source, delivered),
      target,
      now() + P.eventsTimeoutS * 1000,
      source,
    );
    const cpu1 = cpuSeconds(daemon.pid);
    const lcpu1 = listenerCpu(pids);
    const self1 = process.cpuUsage(self0);
    const got = end.count - WARMUP_EVENTS;
    // Nothing arrived at all: the whole timeout, at a rate of 0.
    const seconds = got > 0 ? Number(end.lastNs - t0) / 1e9 : P.eventsTimeoutS;
    const window = {
      events: P.events,
      delivered: got,
      timedOut: end.count < target,
      seconds,
      rate: got / seconds,
      sent: source.sent,
      daemonCpuS: cpu1 - cpu0,
      daemonCpuPct: (100 * (cpu1 - cpu0)) / seconds,
      daemonCpuUsPerEvent: (1e6 * (cpu1 - cpu0)) / Math.max(1, got),
      listenerCpuPct: (100 * (lcpu1 - lcpu0)) / seconds,
      benchmarkCpuPct: (100 * (self1.user + self1.system)) / 1e6 / seconds,
      perListener: end.counts,
    };
    progress(
      `  ${label}: ${Math.round(window.rate)} events/s (${got} of ${P.events} in ${seconds.toFixed(3)} s${window.timedOut ? `, TIMED OUT after ${P.eventsTimeoutS} s` : ""}), daemon CPU ${window.daemonCpuPct.toFixed(0)}%, listener CPU ${window.listenerCpuPct.toFixed(0)}%`,
    );

    // The backlog: the listeners stopped (SIGSTOP), N events sent as fast as the daemon takes them
    // (ingestion), then the listeners continued (SIGCONT) and timed until the backlog is drained.
    let backlog = null;
    let total = window.timedOut ? null : target;
    if (drain && !window.timedOut) {
      signal(pids, "SIGSTOP");
      const ingest = { stopped: false, sent: 0 };
      const backlogRequests = batches(target, P.events, P.eventsBatch);
      const i0 = now();
      const c0 = cpuSeconds(daemon.pid);
      const deadline = now() + P.eventsTimeoutS * 1000;
      const timer = setInterval(() => {
        if (now() > deadline) ingest.stopped = true;
      }, 10);
      try {
        await send(client, backlogRequests, P, ingest);
      } finally {
        clearInterval(timer);
      }
      const ingestS = (now() - i0) / 1000;
      const c1 = cpuSeconds(daemon.pid);
      const goal = target + ingest.sent;
      const d0 = process.hrtime.bigint();
      signal(pids, "SIGCONT");
      const drained = await arrivals(goal, now() + P.eventsTimeoutS * 1000);
      const c2 = cpuSeconds(daemon.pid);
      const dGot = drained.count - target;
      const dSeconds = dGot > 0 ? Number(drained.lastNs - d0) / 1e9 : P.eventsTimeoutS;
      backlog = {
        sent: ingest.sent,
        ingestTimedOut: ingest.sent < P.events,
        ingestS,
        ingestRate: ingest.sent / ingestS,
        ingestCpuUsPerCall: (1e6 * (c1 - c0)) / Math.max(1, ingest.sent),
        delivered: dGot,
        timedOut: drained.count < goal,
        seconds: dSeconds,
        rate: dGot / dSeconds,
        daemonCpuPct: (100 * (c2 - c1)) / dSeconds,
        daemonCpuUsPerEvent: (1e6 * (c2 - c1)) / Math.max(1, dGot),
      };
      progress(
        `  ${label}, backlog: ${ingest.sent} sendRemoteCommEvent calls in ${ingestS.toFixed(3)} s with the listener stopped (${Math.round(backlog.ingestRate)}/s); drained at ${Math.round(backlog.rate)} events/s${backlog.timedOut ? " (TIMED OUT)" : ""}`,
      );
      total = backlog.timedOut ? null : goal;
    }

    // Every event exactly once, in order.
    const final = readStates(daemon.dir);
    const checks = {
      disorder: final.disorder,
      gaps: final.gaps,
      bad: final.bad,
      count: final.count,
      expected: total,
      sumsMatch: null,
    };
    if (total !== null) {
      const expect = triangular(total);
      checks.sumsMatch =
        final.count === total && final.sum === expect.sum && final.squares === expect.squares;
    }
    client.close();
    return {
      listeners: procs,
      warmupEvents: WARMUP_EVENTS,
      warmupS,
      window,
      backlog,
      checks,
      shutdown: await finish(daemon, P),
    };
  } finally {
    client.close();
    if (!daemon.exited) await finish(daemon, P);
  }
}

export async function measure(kind, P) {
  const one = await once(kind, P, 1, true);
  const pool = P.eventsPool > 1 ? await once(kind, P, P.eventsPool, false) : null;
  return { one, pool };
}
