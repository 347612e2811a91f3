/**
 * The benchmark's harness: parameters, /proc readers, the daemon under test (launched in the
 * foreground in a fresh temp dir, its main log tailed from the file), waiting helpers, statistics
 * and cleanup. Node built-ins only.
 *
 * Nothing here talks to a daemon through a client: everything is observed from outside, through
 * /proc, the log files and signals (only the rpc and events scenarios, bench/rpc.mjs and
 * bench/events.mjs, are clients).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

const MiB = 1024 * 1024;

function envNumber(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw}: expected a number ≥ 0`);
  return value;
}

function envList(env, name) {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return null;
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Every knob, from the environment; BENCH_QUICK=1 shrinks the defaults to a ~1 minute smoke run. */
export function readParams(env = process.env) {
  const quick = env.BENCH_QUICK === "1" || env.BENCH_QUICK === "true";
  return {
    quick,
    kills: envNumber(env, "BENCH_KILLS", quick ? 10 : 50),
    killJitterMs: envNumber(env, "BENCH_KILL_JITTER_MS", 250),
    programs: envNumber(env, "BENCH_PROGRAMS", quick ? 50 : 200),
    stopwaitsecs: envNumber(env, "BENCH_STOPWAITSECS", 2),
    logBytes: envNumber(env, "BENCH_LOG_BYTES", quick ? 64 * MiB : 512 * MiB),
    logMaxBytes: env.BENCH_LOG_MAXBYTES || "50MB",
    logBackups: envNumber(env, "BENCH_LOG_BACKUPS", 10),
    runs: Math.max(1, envNumber(env, "BENCH_RUNS", quick ? 1 : 3)),
    settleMs: envNumber(env, "BENCH_SETTLE_MS", quick ? 1000 : 3000),
    pollUs: envNumber(env, "BENCH_POLL_US", 20),
    timeoutMs: envNumber(env, "BENCH_TIMEOUT_MS", 60000),
    rpcCalls: Math.max(1, envNumber(env, "BENCH_RPC_CALLS", quick ? 30 : 100)),
    rpcClients: Math.max(1, envNumber(env, "BENCH_RPC_CLIENTS", 4)),
    rpcSeconds: Math.max(0.1, envNumber(env, "BENCH_RPC_SECONDS", quick ? 1 : 3)),
    rpcStatusRuns: Math.max(1, envNumber(env, "BENCH_RPC_STATUS_RUNS", quick ? 3 : 5)),
    events: Math.max(1, Math.round(envNumber(env, "BENCH_EVENTS", quick ? 3000 : 20000))),
    eventsBatch: Math.max(1, Math.round(envNumber(env, "BENCH_EVENTS_BATCH", 1000))),
    eventsTimeoutS: Math.max(0.1, envNumber(env, "BENCH_EVENTS_TIMEOUT", quick ? 5 : 15)),
    eventsPool: Math.round(envNumber(env, "BENCH_EVENTS_POOL", quick ? 1 : 4)),
    only: envList(env, "BENCH_ONLY"),
    daemons: envList(env, "BENCH_DAEMONS"),
    keep: env.BENCH_KEEP === "1",
    keepFds: env.BENCH_KEEP_FDS === "1",
    // docs/benchmarks.md holds full runs only: a quick run or a subset prints, unless BENCH_OUT says
    out: env.BENCH_OUT ?? (quick || env.BENCH_ONLY || env.BENCH_DAEMONS ? "" : "docs/benchmarks.md"),
  };
}

// ---------------------------------------------------------------------------------------------
// Time and waiting
// ---------------------------------------------------------------------------------------------

export const now = () => performance.now();
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread for about `us` microseconds without spinning (a futex wait). */
export function microSleep(us) {
  Atomics.wait(sleeper, 0, 0, us / 1000);
}

/**
 * Polls `probe` every `intervalMs` until it returns a truthy value (returned), the daemon (if given)
 * dies, or the timeout passes.
 */
export async function waitUntil(probe, { what, timeoutMs, intervalMs = 1, daemon = null }) {
  const deadline = now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    daemon?.assertAlive(what);
    if (now() > deadline)
      throw new Error(`timed out after ${(timeoutMs / 1000).toFixed(1)} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------
// /proc
// ---------------------------------------------------------------------------------------------

let clkTck = 100;
try {
  clkTck = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
} catch {
  // 100 on every Linux this runs on.
}
export const CLK_TCK = clkTck;

/** /proc/<pid>/stat, or null when the process is gone. */
export function readStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return null;
  }
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return {
    state: rest[0],
    ppid: Number(rest[1]),
    pgrp: Number(rest[2]),
    utime: Number(rest[11]),
    stime: Number(rest[12]),
  };
}

/** Running (not gone, not a zombie). */
export function isAlive(pid) {
  const st = readStat(pid);
  return st !== null && st.state !== "Z" && st.state !== "X";
}

export function comm(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, "latin1").trim();
  } catch {
    return null;
  }
}

/**
 * CPU accounting for the whole machine and for this process tree (itself plus reaped descendants:
 * the daemons, and through them their children), in seconds; `steal` is time the VM did not get.
 */
export function cpuSnapshot() {
  const cpu = readFileSync("/proc/stat", "latin1").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = cpu;
  const self = readFileSync("/proc/self/stat", "latin1");
  const f = self
    .slice(self.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
  return {
    busy: (user + nice + system + irq + softirq) / CLK_TCK,
    steal: (steal ?? 0) / CLK_TCK,
    ours: (f[11] + f[12] + f[13] + f[14]) / CLK_TCK,
  };
}

/**
 * The machine's speed at fork+exec, the operation start and respawn depend on: median ms of `runs`
 * spawnSync('/bin/true') from this (small) Node process. Recorded at the start and end of a run.
 */
export function spawnCalibration(runs = 60) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    spawnSync("/bin/true", [], { stdio: "ignore" });
    times.push(now() - t);
  }
  return median(times);
}

/** user+system CPU seconds of a process. */
export function cpuSeconds(pid) {
  const st = readStat(pid);
  if (st === null) throw new Error(`process ${pid} is gone: no CPU time to read`);
  return (st.utime + st.stime) / CLK_TCK;
}

function statusText(pid) {
  try {
    return readFileSync(`/proc/${pid}/status`, "latin1");
  } catch {
    return null;
  }
}

/** A `kB` field of /proc/<pid>/status (VmRSS, VmHWM…) in bytes. */
export function statusBytes(pid, field) {
  const m = new RegExp(`^${field}:\\s*(\\d+) kB`, "m").exec(statusText(pid) ?? "");
  if (!m) throw new Error(`no ${field} for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** Whether the process ignores signal `signo` (its SigIgn mask). */
export function ignoresSignal(pid, signo) {
  const m = /^SigIgn:\s*([0-9a-f]+)/m.exec(statusText(pid) ?? "");
  return m !== null && ((BigInt(`0x${m[1]}`) >> BigInt(signo - 1)) & 1n) === 1n;
}

function numericEntries(dir) {
  try {
    return readdirSync(dir).filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
}

const childrenFileWorks = existsSync(`/proc/${process.pid}/task/${process.pid}/children`);

/**
 * The children of one process (PPID = pid), read from /proc/<pid>/task/<tid>/children for every
 * thread, each kept open and re-read with pread (a few µs); the thread list is refreshed every 50 ms.
 * A full /proc scan where that file does not exist.
 */
export class ChildWatcher {
  #pid;
  /** tid → open fd of its children file */
  #fds = new Map();
  #tasksAt = -Infinity;
  #buffer = Buffer.allocUnsafe(1 << 16);

  constructor(pid) {
    this.#pid = pid;
  }

  #refreshTasks() {
    const tids = new Set(numericEntries(`/proc/${this.#pid}/task`));
    for (const [tid, fd] of this.#fds) {
      if (tids.has(tid)) continue;
      closeQuietly(fd);
      this.#fds.delete(tid);
    }
    for (const tid of tids) {
      if (this.#fds.has(tid)) continue;
      try {
        this.#fds.set(tid, openSync(`/proc/${this.#pid}/task/${tid}/children`, "r"));
      } catch {
        // the thread just ended
      }
    }
  }

  list() {
    if (!childrenFileWorks) {
      return numericEntries("/proc")
        .map(Number)
        .filter((p) => readStat(p)?.ppid === this.#pid);
    }
    const t = now();
    if (t - this.#tasksAt > 50) {
      this.#refreshTasks();
      this.#tasksAt = t;
    }
    const pids = [];
    for (const [tid, fd] of this.#fds) {
      let n;
      try {
        n = readSync(fd, this.#buffer, 0, this.#buffer.length, 0);
      } catch {
        closeQuietly(fd);
        this.#fds.delete(tid);
        continue;
      }
      let value = 0;
      for (let i = 0; i < n; i++) {
        const c = this.#buffer[i];
        if (c >= 48 && c <= 57) value = value * 10 + (c - 48);
        else if (value > 0) {
          pids.push(value);
          value = 0;
        }
      }
      if (value > 0) pids.push(value);
    }
    return pids;
  }

  /** Live children (zombies excluded). */
  alive() {
    return this.list().filter(isAlive);
  }

  close() {
    for (const fd of this.#fds.values()) closeQuietly(fd);
    this.#fds.clear();
  }
}

function closeQuietly(fd) {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

// ---------------------------------------------------------------------------------------------
// Tagging and cleanup: every daemon gets TAG in its environment, and its children inherit it.
// ---------------------------------------------------------------------------------------------

export const TAG_VAR = "STEWARD_BENCH_TAG";
export const TAG = `steward-bench-${process.pid}-${Date.now().toString(36)}`;
const TAG_ENTRY = `${TAG_VAR}=${TAG}`;

/** Live processes carrying this run's tag: the daemons and everything they started. */
export function taggedPids() {
  const found = [];
  for (const name of numericEntries("/proc")) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    let env;
    try {
      env = readFileSync(`/proc/${pid}/environ`, "latin1");
    } catch {
      continue;
    }
    if (env.split("\0").includes(TAG_ENTRY) && isAlive(pid)) found.push(pid);
  }
  return found;
}

/** SIGKILLs every tagged process (and its process group), until none is left. Returns how many. */
export function killTagged() {
  const killed = new Set();
  for (let round = 0; round < 20; round++) {
    const pids = taggedPids();
    if (pids.length === 0) break;
    for (const pid of pids) {
      const pgrp = readStat(pid)?.pgrp;
      for (const target of pgrp === pid ? [-pid, pid] : [pid]) {
        try {
          process.kill(target, "SIGKILL");
        } catch {
          // gone already
        }
      }
      killed.add(pid);
    }
    microSleep(20000);
  }
  return killed.size;
}

const O_CLOEXEC = 0o2000000;

/**
 * Descriptors ≥ 3 this process inherited without close-on-exec (Node's own are all close-on-exec).
 * Daemons are started without them, as systemd starts a service: stewardd runs every program through
 * its shell shim (to close them in the child) when it inherits any.
 */
export function inheritedFds() {
  const fds = [];
  for (const name of numericEntries("/proc/self/fd")) {
    const fd = Number(name);
    if (fd < 3) continue;
    try {
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "latin1"));
      if (flags && (Number.parseInt(flags[1], 8) & O_CLOEXEC) === 0) fds.push(fd);
    } catch {
      // the directory listing's own descriptor
    }
  }
  return fds;
}

/** argv that execs `argv` with the inherited descriptors closed (bash: any fd number), same pid. */
function withoutInheritedFds(argv, keepFds) {
  const fds = keepFds ? [] : inheritedFds();
  if (fds.length === 0) return argv;
  const close = fds.map((fd) => `${fd}>&-`).join(" ");
  return ["/bin/bash", "-c", `exec "$@" ${close}`, "bash", ...argv];
}

const liveDaemons = new Set();
const tempDirs = new Set();

/** Registers a directory to remove at cleanup (unless BENCH_KEEP=1). */
export function trackTempDir(dir) {
  tempDirs.add(dir);
}

/** Pids of every daemon started in this run. */
const daemonPids = new Set();

/** What a SIGKILLed stewardd leaves: its FIFO directory (`steward-pipes-<pid>-*`). */
function removeStalePipeDirs() {
  for (const base of ["/dev/shm", tmpdir()]) {
    let names = [];
    try {
      names = readdirSync(base);
    } catch {
      continue;
    }
    for (const name of names) {
      const pid = Number(/^steward-pipes-(\d+)-/.exec(name)?.[1] ?? 0);
      if (daemonPids.has(pid) && readStat(pid) === null)
        rmSync(join(base, name), { recursive: true, force: true });
    }
  }
}

/** Synchronous last-resort cleanup: kill every daemon and every tagged process, remove temp dirs. */
export function cleanupAllSync({ keep = false } = {}) {
  for (const d of liveDaemons) d.killNow();
  liveDaemons.clear();
  killTagged();
  removeStalePipeDirs();
  if (!keep) for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

// ---------------------------------------------------------------------------------------------
// The main log, tailed from its file
// ---------------------------------------------------------------------------------------------

export class LogTail {
  #path;
  #fd = null;
  #offset = 0;
  #partial = "";
  #counters = new Map();
  #buffer = Buffer.allocUnsafe(1 << 16);
  lines = [];

  constructor(path) {
    this.#path = path;
  }

  /** Reads what was appended since the last call. */
  poll() {
    if (this.#fd === null) {
      try {
        this.#fd = openSync(this.#path, "r");
      } catch {
        return;
      }
    }
    for (;;) {
      const n = readSync(this.#fd, this.#buffer, 0, this.#buffer.length, this.#offset);
      if (n <= 0) break;
      this.#offset += n;
      const parts = (this.#partial + this.#buffer.toString("latin1", 0, n)).split("\n");
      this.#partial = parts.pop();
      for (const line of parts) this.lines.push(line);
    }
  }

  /** Lines matching `re` so far (`re` must not be global). */
  count(re) {
    this.poll();
    let c = this.#counters.get(re);
    if (!c) {
      c = { index: 0, count: 0 };
      this.#counters.set(re, c);
    }
    for (; c.index < this.lines.length; c.index++) if (re.test(this.lines[c.index])) c.count++;
    return c.count;
  }

  find(re) {
    this.poll();
    return this.lines.find((l) => re.test(l)) ?? null;
  }

  close() {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }
}

// ---------------------------------------------------------------------------------------------
// Configs
// ---------------------------------------------------------------------------------------------

/** The [supervisord] section every scenario uses: everything inside the temp dir, loglevel info. */
export function supervisordSection(dir) {
  return [
    "[supervisord]",
    `logfile=${dir}/main.log`,
    `pidfile=${dir}/daemon.pid`,
    `childlogdir=${dir}`,
    "loglevel=info",
    "",
  ].join("\n");
}

/** The name of program `i` of `count` in sleepPrograms: `p000`…`p199` for 200. */
export function programName(i, count) {
  return `p${String(i).padStart(String(Math.max(count - 1, 0)).length, "0")}`;
}

/** `count` separate [program:pNNN] sections running /bin/sleep (each its own group). */
export function sleepPrograms(count, options) {
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(`[program:${programName(i, count)}]`, "command=/bin/sleep 100000");
    for (const [k, v] of Object.entries(options)) out.push(`${k}=${v}`);
    out.push("");
  }
  return out.join("\n");
}

export const SUCCESS_RE = / INFO success: \S+ entered RUNNING state/;
export const SPAWNED_RE = / INFO spawned: '[^']+' with pid \d+/;
export const STARTED_RE = / INFO supervisord started with pid \d+/;

// ---------------------------------------------------------------------------------------------
// The daemon under test
// ---------------------------------------------------------------------------------------------

export class Daemon {
  /** performance.now() just before the spawn. */
  t0 = 0;
  exited = false;
  exitTime = null;
  exitCode = null;
  exitSignal = null;

  constructor(kind, dir, confPath, options) {
    this.kind = kind;
    this.dir = dir;
    this.confPath = confPath;
    this.options = options;
    this.log = new LogTail(join(dir, "main.log"));
  }

  get name() {
    return this.kind.name;
  }

  start() {
    const outFd = openSync(join(this.dir, "daemon.out"), "w");
    const [file, ...args] = withoutInheritedFds(
      [...this.kind.argv, "-n", "-c", this.confPath],
      this.options.keepFds,
    );
    const env = { ...process.env, [TAG_VAR]: TAG };
    this.t0 = now();
    const proc = spawn(file, args, {
      cwd: this.dir,
      env,
      stdio: ["ignore", outFd, outFd],
      detached: true,
    });
    closeSync(outFd);
    this.proc = proc;
    this.pid = proc.pid;
    this.exitPromise = new Promise((resolve) => {
      proc.on("exit", (code, signal) => {
        this.exitTime = now();
        this.exited = true;
        this.exitCode = code;
        this.exitSignal = signal;
        liveDaemons.delete(this);
        resolve();
      });
      proc.on("error", (error) => {
        this.spawnError = error;
        this.exitTime = now();
        this.exited = true;
        liveDaemons.delete(this);
        resolve();
      });
    });
    if (this.pid === undefined) throw new Error(`could not start ${this.name}: ${this.kind.argv.join(" ")}`);
    liveDaemons.add(this);
    daemonPids.add(this.pid);
    this.watcher = new ChildWatcher(this.pid);
    return this;
  }

  /** The daemon's own output (stdout+stderr), last lines. */
  outputTail(lines = 15) {
    try {
      return readFileSync(join(this.dir, "daemon.out"), "utf8")
        .trimEnd()
        .split("\n")
        .slice(-lines)
        .join("\n");
    } catch {
      return "";
    }
  }

  assertAlive(what = "") {
    if (!this.exited) return;
    const how = this.spawnError
      ? this.spawnError.message
      : this.exitSignal
        ? `signal ${this.exitSignal}`
        : `status ${this.exitCode}`;
    throw new Error(
      `${this.name} exited unexpectedly (${how})${what ? ` while waiting for ${what}` : ""}; its output:\n${this.outputTail()}`,
    );
  }

  /** Waits until the main log has `count` lines matching `re`; returns the time it was seen. */
  /**
   * Waits until the main log has `count` lines matching `re`; resolves with the time it was seen.
   * All waiters of a daemon share one observer: inotify on the log file (sub-ms), plus a 5 ms poll
   * until the file exists and as a fallback, so watching costs the machine next to nothing.
   */
  waitLog(re, count, timeoutMs, what = `${count} × ${re}`) {
    return new Promise((resolve, reject) => {
      this.#waiters.add({ re, count, resolve, reject, deadline: now() + timeoutMs, timeoutMs, what });
      this.#checkWaiters();
      if (this.#waiters.size > 0) this.#armWatch();
    });
  }

  #waiters = new Set();
  #fsWatcher = null;
  #pollTimer = null;

  #armWatch() {
    this.#pollTimer ??= setInterval(() => this.#checkWaiters(), 5);
    if (this.#fsWatcher === null) {
      try {
        this.#fsWatcher = watch(join(this.dir, "main.log"), () => this.#checkWaiters());
        this.#fsWatcher.on("error", () => {});
      } catch {
        // not there yet: the poll keeps trying
      }
    }
  }

  #disarmWatch() {
    if (this.#pollTimer !== null) clearInterval(this.#pollTimer);
    this.#pollTimer = null;
    this.#fsWatcher?.close();
    this.#fsWatcher = null;
  }

  #checkWaiters() {
    const t = now();
    for (const w of [...this.#waiters]) {
      let failure = null;
      if (this.log.count(w.re) >= w.count) {
        this.#waiters.delete(w);
        w.resolve(t);
        continue;
      }
      if (this.exited) {
        try {
          this.assertAlive(w.what);
        } catch (error) {
          failure = error;
        }
      } else if (t > w.deadline) {
        failure = new Error(`timed out after ${(w.timeoutMs / 1000).toFixed(1)} s waiting for ${w.what}`);
      }
      if (failure) {
        this.#waiters.delete(w);
        w.reject(failure);
      }
    }
    if (this.#waiters.size === 0) this.#disarmWatch();
    else if (this.#fsWatcher === null) this.#armWatch();
  }

  cpuSeconds() {
    return cpuSeconds(this.pid);
  }

  rssBytes() {
    return statusBytes(this.pid, "VmRSS");
  }

  /**
   * SIGTERM, then waits for the daemon to exit (SIGKILL after `timeoutMs`). Returns how long it took,
   * whether it had to be killed, and what of the run was still alive after the daemon was gone.
   */
  async stop(timeoutMs = 60000) {
    const t = now();
    let forced = false;
    if (!this.exited) {
      try {
        process.kill(this.pid, "SIGTERM");
      } catch {
        // exited meanwhile
      }
      let timeout;
      const timer = new Promise((resolve) => {
        timeout = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      const outcome = await Promise.race([this.exitPromise, timer]);
      clearTimeout(timeout);
      if (outcome === "timeout") {
        forced = true;
        this.killNow();
        await this.exitPromise;
      }
    }
    const stopMs = (this.exitTime ?? now()) - t;
    // What the daemon left running (its children reparented elsewhere).
    await sleep(50);
    const leftovers = taggedPids().map((pid) => ({ pid, comm: comm(pid) }));
    killTagged();
    // Nobody waits any more: drop the waiters without settling them, stop watching.
    this.#waiters.clear();
    this.#disarmWatch();
    this.log.close();
    this.watcher?.close();
    return { stopMs, forced, leftovers, exitCode: this.exitCode, exitSignal: this.exitSignal };
  }

  /** SIGKILL to the daemon's process group (it was started detached). */
  killNow() {
    this.#waiters.clear();
    this.#disarmWatch();
    if (this.exited || this.pid === undefined) return;
    for (const target of [-this.pid, this.pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // gone
      }
    }
  }
}

/** Creates a fresh temp dir with the config `makeConfig(dir)` and starts the daemon there. */
export function launch(kind, makeConfig, { keep = false, keepFds = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `steward-bench-${kind.name}-`));
  trackTempDir(dir);
  const confPath = join(dir, "bench.conf");
  writeFileSync(confPath, makeConfig(dir));
  const daemon = new Daemon(kind, dir, confPath, { keep, keepFds });
  return daemon.start();
}

/** Stops the daemon (if still running), kills leftovers, removes its dir; returns stop()'s result. */
export async function finish(daemon, { keep = false, timeoutMs = 60000 } = {}) {
  const result = await daemon.stop(timeoutMs);
  if (!keep) {
    rmSync(daemon.dir, { recursive: true, force: true });
    tempDirs.delete(daemon.dir);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Files and statistics
// ---------------------------------------------------------------------------------------------

/** Sum of the sizes of the files in `dir` whose names match `re`, and how many there are. */
export function filesSize(dir, re) {
  let bytes = 0;
  let files = 0;
  for (const name of readdirSync(dir)) {
    if (!re.test(name)) continue;
    try {
      bytes += statSync(join(dir, name)).size;
      files++;
    } catch {
      // rotated away between readdir and stat
    }
  }
  return { bytes, files };
}

/** Nearest-rank percentile of a list of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `once` `runs` times; returns the median of every numeric field, `runs` (the runs' own results
 * without their `shutdown`) and `shutdowns`.
 */
export async function repeat(runs, once) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once(i));
  const merged = {};
  for (const key of Object.keys(results[0])) {
    if (key === "shutdown") continue;
    const values = results.map((r) => r[key]);
    merged[key] = values.every((v) => typeof v === "number") ? median(values) : values[0];
  }
  merged.runs = results.map(({ shutdown, ...r }) => r);
  merged.shutdowns = results.map((r) => r.shutdown);
  return merged;
}

/** supervisord's byte-size syntax (`50MB`, `1KB`, `123`) in bytes, for messages. */
export function byteSize(text) {
  const m = /^\s*(\d+)\s*(KB|MB|GB)?\s*$/i.exec(String(text));
  if (!m) return Number.NaN;
  const unit = { KB: 1024, MB: MiB, GB: 1024 * MiB }[(m[2] ?? "").toUpperCase()] ?? 1;
  return Number(m[1]) * unit;
}

export function progress(message) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
