#!/usr/bin/env node
/**
 * `npm run bench`: Debian's supervisord and stewardd, side by side on the same generated configs, in
 * one run. Each daemon runs in the foreground (-n) in a fresh temp dir, observed from outside (/proc,
 * its log files, signals), and in the rpc and events scenarios as a client of its unix socket
 * (XML-RPC, and supervisorctl / stewardctl). Prints a table and writes docs/benchmarks.md (full runs
 * only, unless BENCH_OUT says otherwise). See docs/benchmarks.md, "How to rerun", for the knobs.
 */
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as events from "./events.mjs";
import {
  cleanupAllSync,
  cpuSnapshot,
  inheritedFds,
  now,
  progress,
  readParams,
  spawnCalibration,
} from "./lib.mjs";
import * as logs from "./logs.mjs";
import {
  buildRows,
  DETAIL_HEADERS,
  detailCells,
  findings,
  MAIN_HEADERS,
  mainCells,
  markdownTable,
  textTable,
} from "./report.mjs";
import * as respawn from "./respawn.mjs";
import * as rpc from "./rpc.mjs";
import * as rss from "./rss.mjs";
import * as start from "./start.mjs";
import * as stop from "./stop.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SCENARIOS = [respawn, start, stop, logs, rss, rpc, events];

function sh(file, args, options = {}) {
  try {
    return execFileSync(file, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      ...options,
    }).trim();
  } catch {
    return null;
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

let buildDir = null;

/** The stewardctl beside a stewardd (`…/stewardd.js` → `…/stewardctl.js`), unless STEWARDCTL says. */
function stewardctlBeside(env, stewarddPath) {
  if (env.STEWARDCTL)
    return isAbsolute(env.STEWARDCTL) ? env.STEWARDCTL : resolve(process.cwd(), env.STEWARDCTL);
  return join(dirname(stewarddPath), "stewardctl.js");
}

/** Which stewardd (and stewardctl) to run, and how to describe it. */
function resolveStewardd(env) {
  if (env.BENCH_REV) {
    const rev = sh("git", ["-C", REPO, "rev-parse", "--verify", `${env.BENCH_REV}^{commit}`]);
    if (!rev) throw new Error(`BENCH_REV=${env.BENCH_REV}: not a commit of ${REPO}`);
    buildDir = mkdtempSync(join(os.tmpdir(), "steward-bench-build-"));
    progress(`building stewardd at ${rev.slice(0, 10)} in ${buildDir}`);
    execFileSync("sh", ["-c", 'git -C "$1" archive "$2" | tar -x -C "$3"', "sh", REPO, rev, buildDir]);
    symlinkSync(join(REPO, "node_modules"), join(buildDir, "node_modules"));
    execFileSync(
      process.execPath,
      [join(REPO, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
      {
        cwd: buildDir,
        stdio: "inherit",
      },
    );
    return {
      path: join(buildDir, "dist/src/bin/stewardd.js"),
      ctlPath: stewardctlBeside(env, join(buildDir, "dist/src/bin/stewardd.js")),
      describe: `commit ${rev.slice(0, 10)} (built from git by the benchmark, BENCH_REV=${env.BENCH_REV})`,
      warnings: [],
    };
  }
  const warnings = [];
  const path = env.STEWARDD
    ? isAbsolute(env.STEWARDD)
      ? env.STEWARDD
      : resolve(process.cwd(), env.STEWARDD)
    : join(REPO, "dist/src/bin/stewardd.js");
  if (!existsSync(path))
    throw new Error(`${path} does not exist: run \`npm run build\` first (or set STEWARDD)`);
  const ctlPath = stewardctlBeside(env, path);
  if (env.STEWARDD) return { path, ctlPath, describe: `${path} (STEWARDD)`, warnings };
  const head = sh("git", ["-C", REPO, "rev-parse", "--short=10", "HEAD"]) ?? "unknown";
  const dirty = (sh("git", ["-C", REPO, "status", "--porcelain", "--", "src"]) ?? "") !== "";
  const distDir = join(REPO, "dist/src");
  if (newestMtime(join(REPO, "src")) > newestMtime(distDir))
    warnings.push("src/ has files newer than dist/src: the build may be stale (npm run build)");
  return {
    path,
    ctlPath,
    describe: `dist/ of the working tree at ${head}${dirty ? " (src/ has uncommitted changes)" : ""}`,
    warnings,
  };
}

function machine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    nproc: sh("nproc", []) ?? String(os.availableParallelism()),
    cpu: cpus[0]?.model ?? "unknown",
    kernel: `${os.type()} ${os.release()}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    load: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
    node: process.version,
  };
}

function markdown(P, info, rows, notes, elapsedS) {
  const env = Object.entries(process.env)
    .filter(
      ([k]) =>
        (k.startsWith("BENCH_") && k !== "BENCH_JSON") ||
        ["STEWARDD", "SUPERVISORD", "STEWARDCTL", "SUPERVISORCTL"].includes(k),
    )
    .map(([k, v]) => `${k}=${v}`);
  return `# Benchmarks: stewardd vs supervisord

Generated by \`npm run bench\` (\`bench/run.mjs\`) — do not edit by hand; rerun it instead.
Both daemons ran in the same run, on the same generated configs, one after the other, each in the
foreground (\`-n\`) in a fresh temp dir with its logfile, pidfile and childlogdir inside it and
\`loglevel=info\`. They were observed from outside: \`/proc\`, their log files and signals; only the
rpc and events scenarios are clients of their control socket. Targets are the "Performance" sections of
issues #3 (process engine) and #4 (XML-RPC and \`stewardctl\`); #5 (events) asks for event throughput
beside supervisord's, with no target.

| | |
| --- | --- |
| date | ${info.machine.date} |
| cores (\`nproc\`) | ${info.machine.nproc} |
| CPU | ${info.machine.cpu} |
| kernel | ${info.machine.kernel} |
| memory | ${info.machine.memory} |
| other load | load average ${info.machine.load} at start; ${info.noise.text} |
| Node | ${info.machine.node} |
| supervisord | ${info.supervisord.version} (\`${info.supervisord.path}\`, ${info.supervisord.python}) |
| stewardd | ${info.stewardd.describe} |
| parameters | ${P.kills} kills (jitter 0–${P.killJitterMs} ms), ${P.runs} runs of each start/stop/log figure (median), ${P.programs} programs, stopwaitsecs=${P.stopwaitsecs}, ${P.logBytes} log bytes, rotation ${P.logMaxBytes} × ${P.logBackups}, settle ${P.settleMs} ms, ${P.rpcCalls} getAllProcessInfo calls, ${P.rpcClients} getProcessInfo clients × ${P.rpcSeconds} s, ${P.rpcStatusRuns} runs of each \`status\`, ${P.events} events (multicall batches of ${P.eventsBatch}, window at most ${P.eventsTimeoutS} s${P.eventsPool > 1 ? `, pool of ${P.eventsPool}` : ", no pool run"})${env.length ? `; env: \`${env.join(" ")}\`` : ""} |
| daemons' descriptors | ${info.inheritedFds.length === 0 ? "0–2 only (nothing inherited)" : P.keepFds ? `0–2 plus inherited ${info.inheritedFds.join(", ")} (BENCH_KEEP_FDS=1: stewardd spawns through its shell shim)` : `0–2 only (the benchmark closed the inherited ${info.inheritedFds.join(", ")} before exec'ing them)`} |
| run time | ${elapsedS.toFixed(0)} s |

## Results

\`ratio\` is stewardd ÷ supervisord (below 1: stewardd is faster or smaller; for requests/s and events/s it is
the ratio of the time per request or event, so below 1 is still faster).

${markdownTable(MAIN_HEADERS, rows.main.map(mainCells))}

## Details

${markdownTable(DETAIL_HEADERS, rows.details.map(detailCells))}

## Automatic checks

${notes.length ? notes.map((n) => `- ${n}`).join("\n") : "- Nothing to report: no errors, no lost bytes, nothing left running, every target met."}

## How to rerun

\`\`\`sh
npm run build && npm run bench                 # full run (about 3–5 minutes on 2 cores); rewrites this file
BENCH_QUICK=1 npm run bench                    # ~1 minute smoke run; prints only (set BENCH_OUT to write)
BENCH_REV=HEAD npm run bench                   # benchmark a commit (built in a temp dir), not dist/
BENCH_ONLY=respawn,logs BENCH_DAEMONS=stewardd npm run bench
\`\`\`

| variable | default (quick) | meaning |
| --- | --- | --- |
| \`BENCH_QUICK\` | unset | \`1\`: the smaller defaults in brackets |
| \`BENCH_ONLY\` | all | scenarios, comma-separated: \`respawn,start,stop,logs,rss,rpc,events\` |
| \`BENCH_DAEMONS\` | both | \`supervisord\`, \`stewardd\` |
| \`BENCH_KILLS\` | 50 (10) | SIGKILLs in the respawn scenario |
| \`BENCH_KILL_JITTER_MS\` | 250 | random pause before each kill |
| \`BENCH_PROGRAMS\` | 200 (50) | programs in the start, stop, RSS and rpc scenarios |
| \`BENCH_STOPWAITSECS\` | 2 | stopwaitsecs in the stop scenario |
| \`BENCH_LOG_BYTES\` | 536870912 (67108864) | bytes the log program writes |
| \`BENCH_LOG_MAXBYTES\`, \`BENCH_LOG_BACKUPS\` | 50MB, 10 | the rotating log run |
| \`BENCH_SETTLE_MS\` | 3000 (1000) | idle time before RSS is read |
| \`BENCH_POLL_US\` | 20 | sleep between /proc reads in the tight polls |
| \`BENCH_RPC_CALLS\` | 100 (30) | timed getAllProcessInfo calls (after ${rpc.WARMUP_CALLS} untimed ones) |
| \`BENCH_RPC_CLIENTS\` | 4 | concurrent getProcessInfo clients, one connection each |
| \`BENCH_RPC_SECONDS\` | 3 (1) | length of the getProcessInfo window (after a warm-up of ${rpc.WARMUP_INFO_CALLS} calls, at most ${rpc.WARMUP_MAX_MS / 1000} s (1 s)) |
| \`BENCH_RPC_STATUS_RUNS\` | 5 (3) | timed runs of each \`status\` command (after one untimed run); the median is reported |
| \`BENCH_EVENTS\` | 20000 (3000) | timed events in the events scenario (after ${events.WARMUP_EVENTS} untimed ones) |
| \`BENCH_EVENTS_BATCH\` | 1000 | \`sendRemoteCommEvent\` calls per \`system.multicall\` request |
| \`BENCH_EVENTS_TIMEOUT\` | 15 (5) | seconds each timed events window may last; a slower daemon gets the partial rate, marked |
| \`BENCH_EVENTS_POOL\` | 4 (1) | listeners (\`numprocs\`) of the events scenario's pool run; 1 or 0: no pool run |
| \`BENCH_TIMEOUT_MS\` | 60000 | give up waiting for any one thing |
| \`BENCH_OUT\` | docs/benchmarks.md (none with BENCH_QUICK, BENCH_ONLY or BENCH_DAEMONS) | markdown output, relative to the repo; empty: none |
| \`BENCH_KEEP\` | unset | \`1\`: keep the temp dirs (configs, logs) |
| \`BENCH_REV\` | unset | build and run stewardd from this git revision |
| \`BENCH_RUNS\` | 3 (1) | runs of each start, stop and log measurement; medians are reported |
| \`BENCH_KEEP_FDS\` | unset | \`1\`: let the daemons inherit the benchmark's non-close-on-exec descriptors |
| \`BENCH_JSON\` | unset | also write every raw figure to this JSON file |
| \`STEWARDD\`, \`SUPERVISORD\` | dist/src/bin/stewardd.js, /usr/bin/supervisord | the daemons |
| \`STEWARDCTL\`, \`SUPERVISORCTL\` | stewardctl.js beside stewardd, supervisorctl beside supervisord | the rpc scenario's \`status\` commands |

## Method

- **crash → respawn**: one program, \`/bin/sleep 100000\`, \`startsecs=0\`, \`autorestart=true\`. Once it is RUNNING
  (its \`success:\` line) and after a random 0–${P.killJitterMs} ms pause, the benchmark SIGKILLs its pid and polls
  \`/proc/<daemon>/task/*/children\` (descriptors kept open, a ~${P.pollUs} µs futex sleep between reads: ~0.1 ms
  resolution) for a new child; the figure is kill → that pid's first appearance (the fork). A new child counts
  once it has exec'd \`sleep\`, so helpers the daemon forks (stewardd's \`mkfifo\`) are not mistaken for it.
  supervisord sees the death at once (EOF on the pipes) and reaps it, but respawns only in the next
  \`transition()\`, after a full 1 s \`poll()\` with nothing left to watch: about 1 s whatever the phase.
- **start**: ${P.programs} separate \`[program:pNNN]\` sections (\`/bin/sleep\`, AUTO child logs), from just before the
  daemon is spawned until the main log holds ${P.programs} \`success:\` lines (the log file is polled every ms).
- **stop**: one \`[program:hold]\` with \`numprocs=${P.programs}\` running \`/bin/sh -c 'trap "" TERM; exec /bin/sleep 100000'\`
  (an ignored signal stays ignored across exec; every child's \`SigIgn\` mask is checked), \`stopwaitsecs=${P.stopwaitsecs}\`.
  One group, because supervisord (and stewardd, following it) stops groups one at a time: ${P.programs} groups would take
  ${P.programs} × stopwaitsecs. Time: SIGTERM to the daemon → the daemon has exited and no child is alive.
- **logs**: \`head -c ${P.logBytes} /dev/zero\` to \`stdout_logfile\`, \`startsecs=0\`, \`autorestart=false\`; from the moment
  the program's pid appears until the \`exited:\` line is logged and the sizes of \`flood.log*\` add up to ${P.logBytes}
  (page cache, no fsync). Daemon CPU: utime+stime from \`/proc/<pid>/stat\` over the same span.
- Daemons start with descriptors 0–2 only, as under systemd: descriptors the benchmark itself inherited without
  close-on-exec are closed before the daemon is exec'd (a \`bash -c 'exec "$@" N>&-'\` wrapper, same pid).
  stewardd spawns each program through a shell shim when it inherits any descriptor, which is slower.
- **RSS**: \`VmRSS\` of the daemon ${P.settleMs} ms after the last \`success:\` line (or the \`started\` line).
- **rpc**: the start scenario's ${P.programs} programs (\`startsecs=0\`) plus \`[unix_http_server] file=<dir>/rpc.sock\`,
  \`[supervisorctl] serverurl=unix://<dir>/rpc.sock\` and \`[rpcinterface:supervisor]\`; measured once all ${P.programs} are
  RUNNING. *getAllProcessInfo*: one client (node:http, a keep-alive Agent with one socket), ${rpc.WARMUP_CALLS} untimed then
  ${P.rpcCalls} timed sequential \`POST /RPC2\` calls, each from the request to the last byte of an answer that must be a 200
  with ${P.programs} structs; a server that closes the connection gets a new one (the details say how many were used).
  *getProcessInfo*: ${P.rpcClients} clients, each on its own keep-alive connection with one call in flight, the program
  names rotating, for ${P.rpcSeconds} s after a warm-up of ${rpc.WARMUP_INFO_CALLS} calls (at most ${P.quick ? 1 : rpc.WARMUP_MAX_MS / 1000} s: a fresh stewardd
  spends its first second or two of load optimising its code); its ratio compares time per request, so below 1 is still
  faster. The clients share the benchmark's one thread and write pre-encoded HTTP/1.1 requests on \`net.Socket\`s
  (node:http's client costs about 4× the CPU per request; worker threads were no faster and cost twice the CPU); on
  ${info.machine.nproc} cores they compete with the daemon for CPU, which the details show. Daemon CPU: utime+stime of all its
  threads from \`/proc/<pid>/stat\` over the window, as % of one core (V8's helper threads can take it above 100%).
  *status*: \`supervisorctl -c <conf> status\` against supervisord beside \`stewardctl -c <conf> status\`
  (\`node …/stewardctl.js\`) against stewardd, the whole command from spawn to exit, ${P.rpcStatusRuns} timed runs after an
  untimed one; each must exit 0 with ${P.programs} RUNNING lines. The stock supervisorctl is also run against stewardd.
- **events**: \`[eventlistener:fast]\` with \`events=REMOTE_COMMUNICATION\`, \`startsecs=0\`, \`stdout_logfile=NONE\` and a
  \`buffer_size\` nothing can overflow, plus \`[unix_http_server]\`. The listener is a small Python script (\`/usr/bin/python3\`,
  not childutils) that reads envelopes with \`os.read\` and answers \`RESULT 2\\nOK\` and \`READY\\n\` in one write before any
  bookkeeping. The source is the benchmark: \`system.multicall\` requests of ${P.eventsBatch} \`supervisor.sendRemoteCommEvent\`
  calls (data: the event's index), one in flight on one keep-alive connection, every answer checked (one true per call,
  no fault), paced so that at most ${events.AHEAD_BATCHES} batches are sent but not yet reported by the listener: the backlog stays small
  (both daemons take each event off the front of a plain list, \`pop(0)\` / \`shift()\`, which costs time linear in the
  backlog once it is large, so an unpaced source would make the rate depend on the event count). After
  ${events.WARMUP_EVENTS} untimed events (a fresh stewardd runs its XML-RPC and event paths unoptimised for the first few thousand; the
  details show how long they took), ${P.events} timed ones: events/s = ${P.events} ÷ (first send → the listener's arrival time of the
  last event; Node's \`process.hrtime\` and Python's \`CLOCK_MONOTONIC\` are the same clock). Each listener checks that
  \`serial\`, \`poolserial\` and the data strictly increase (a single listener: consecutive pool serials), and the count, sum
  and sum of squares of the data must match: nothing lost, duplicated or reordered. Daemon CPU: utime+stime over the window,
  as % of one core and per event; the ratio compares time per event. Then, in the same daemon, the *backlog*: the listener
  SIGSTOPped, ${P.events} more events sent as fast as the daemon answers (ingestion alone), the listener SIGCONTed and timed
  until it has them all (delivery alone). ${P.eventsPool > 1 ? `Then a fresh daemon with a pool of ${P.eventsPool} listeners (\`numprocs\`), the same window.` : "No pool run (BENCH_EVENTS_POOL)."}
  supervisord sends at most one event per READY listener per pass of its main loop (after each \`poll()\`); stewardd sends
  the next one as soon as it has read a listener's answer. A window lasts at most ${P.eventsTimeoutS} s (BENCH_EVENTS_TIMEOUT): a daemon
  that has not delivered every event by then gets the rate of those it did, marked partial.
`;
}

async function main() {
  const P = readParams();
  const t0 = now();
  const cpu0 = cpuSnapshot();
  const calibration0 = spawnCalibration();
  const supervisordPath = process.env.SUPERVISORD || "/usr/bin/supervisord";
  if (!existsSync(supervisordPath))
    throw new Error(`${supervisordPath} not found (apt-get install supervisor, or set SUPERVISORD)`);
  const stewardd = resolveStewardd(process.env);
  const shebang = readFileSync(supervisordPath, "latin1").split("\n")[0];
  const python = shebang.startsWith("#!") ? sh(shebang.slice(2).trim().split(/\s+/)[0], ["--version"]) : null;
  const info = {
    machine: machine(),
    supervisord: {
      path: supervisordPath,
      version: sh(supervisordPath, ["--version"]) ?? "unknown",
      python: python ?? "?",
    },
    stewardd,
    inheritedFds: inheritedFds(),
  };
  // The rpc scenario's `status` commands: each daemon's own client, and the stock one against stewardd.
  const supervisorctl = {
    name: "supervisorctl",
    argv: [process.env.SUPERVISORCTL || join(dirname(supervisordPath), "supervisorctl")],
  };
  const kinds = [
    { name: "supervisord", argv: [supervisordPath], ctl: supervisorctl },
    {
      name: "stewardd",
      argv: [process.execPath, stewardd.path],
      ctl: { name: "stewardctl", argv: [process.execPath, stewardd.ctlPath] },
      stockCtl: supervisorctl,
    },
  ].filter((k) => !P.daemons || P.daemons.includes(k.name));
  const scenarios = SCENARIOS.filter((s) => !P.only || P.only.includes(s.id));
  if (kinds.length === 0 || scenarios.length === 0)
    throw new Error("BENCH_DAEMONS / BENCH_ONLY select nothing");

  progress(
    `${info.machine.nproc} cores, Node ${info.machine.node}, supervisord ${info.supervisord.version}, stewardd: ${stewardd.describe}${P.quick ? " — QUICK run" : ""}`,
  );
  for (const w of stewardd.warnings) progress(`WARNING: ${w}`);

  const results = {};
  let failed = false;
  for (const scenario of scenarios) {
    results[scenario.id] = {};
    for (const kind of kinds) {
      progress(`${scenario.id}: ${kind.name}`);
      try {
        results[scenario.id][kind.name] = await scenario.measure(kind, P);
      } catch (error) {
        failed = true;
        const message = error instanceof Error ? error.message : String(error);
        progress(`${scenario.id}: ${kind.name} FAILED: ${message}`);
        results[scenario.id][kind.name] = { error: message };
      } finally {
        cleanupAllSync({ keep: P.keep });
      }
    }
  }
  const elapsedS = (now() - t0) / 1000;
  const cpu1 = cpuSnapshot();
  const otherS = Math.max(0, cpu1.busy - cpu0.busy - (cpu1.ours - cpu0.ours));
  const calibration1 = spawnCalibration();
  info.noise = {
    otherS,
    stealS: cpu1.steal - cpu0.steal,
    text: `other processes used ${otherS.toFixed(1)} CPU-s during the ${elapsedS.toFixed(0)} s run (${((100 * otherS) / elapsedS).toFixed(0)}% of one core); VM steal ${(cpu1.steal - cpu0.steal).toFixed(1)} s; fork+exec of /bin/true from Node: ${calibration0.toFixed(2)} ms at the start, ${calibration1.toFixed(2)} ms at the end`,
  };
  const rows = buildRows(P, results);
  const notes = findings(P, results, rows);

  const out = [
    "",
    `supervisord ${info.supervisord.version} vs stewardd (${stewardd.describe}); ${info.machine.nproc} cores; Node ${info.machine.node}; ratio = stewardd ÷ supervisord`,
    "",
    textTable(MAIN_HEADERS, rows.main.map(mainCells)),
    "",
    textTable(DETAIL_HEADERS, rows.details.map(detailCells)),
    "",
    ...(notes.length
      ? ["Checks:", ...notes.map((n) => `  - ${n.replaceAll("**", "")}`)]
      : ["Checks: nothing to report."]),
    "",
    `${elapsedS.toFixed(0)} s in all; ${info.noise.text}.`,
  ];
  process.stdout.write(`${out.join("\n")}\n`);
  if (P.out) {
    const target = isAbsolute(P.out) ? P.out : join(REPO, P.out);
    writeFileSync(target, markdown(P, info, rows, notes, elapsedS));
    progress(`wrote ${target}`);
  }
  if (process.env.BENCH_JSON)
    writeFileSync(process.env.BENCH_JSON, `${JSON.stringify({ P, info, results }, null, 2)}\n`);
  return failed ? 1 : 0;
}

function finalCleanup() {
  cleanupAllSync({ keep: readParams().keep });
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
  buildDir = null;
}

process.on("exit", finalCleanup);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    progress(`${signal}: cleaning up`);
    finalCleanup();
    process.exit(130);
  });
}

main().then(
  (code) => {
    finalCleanup();
    process.exitCode = code;
  },
  (error) => {
    progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    finalCleanup();
    process.exitCode = 1;
  },
);
