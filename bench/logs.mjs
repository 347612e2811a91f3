/**
 * Scenario 4, log throughput: one program, `head -c BYTES /dev/zero`, stdout to `flood.log` in the
 * temp dir; once with stdout_logfile_maxbytes=0 (no rotation) and once with BENCH_LOG_MAXBYTES and
 * BENCH_LOG_BACKUPS (50MB × 10 by default: 11 files hold 550 MiB, so all 512 MiB must survive).
 * startsecs=0 and autorestart=false, so the program runs exactly once; a second, idle program keeps
 * the daemon busy with something after it exits (stewardd 4e6cb85 exits on its own when nothing is
 * left to run). Each mode runs BENCH_RUNS times (3): the median wall and CPU are reported.
 *
 * The clock starts when the program's pid appears (daemon start-up is not counted) and stops when both
 * the main log has the program's `exited:` line and the sizes of flood.log* add up to BYTES (bytes in
 * the page cache: no fsync). The daemon's CPU is utime+stime from /proc/<pid>/stat over the same span.
 * If the sizes never add up (no change for 3 s after the exit line), the missing bytes are reported.
 */
import {
  comm,
  cpuSeconds,
  filesSize,
  finish,
  launch,
  median,
  microSleep,
  now,
  progress,
  supervisordSection,
  waitUntil,
} from "./lib.mjs";

export const id = "logs";

const LOG_FILES = /^flood\.log(\.\d+)?$/;
const EXITED_RE = / exited: flood /;

async function once(kind, P, rotate) {
  const maxbytes = rotate ? P.logMaxBytes : "0";
  const config = (dir) =>
    `${supervisordSection(dir)}
[program:flood]
command=/usr/bin/head -c ${P.logBytes} /dev/zero
startsecs=0
autorestart=false
stdout_logfile=${dir}/flood.log
stdout_logfile_maxbytes=${maxbytes}
stdout_logfile_backups=${P.logBackups}
stderr_logfile=NONE

[program:idle]
command=/bin/sleep 100000
startsecs=0
stdout_logfile=NONE
stderr_logfile=NONE
`;
  const daemon = launch(kind, config, P);
  try {
    // The program's pid, first seen (tight /proc poll from the daemon's launch).
    const seen = new Map();
    let pid = null;
    const deadline = now() + P.timeoutMs;
    while (pid === null) {
      const pids = daemon.watcher.list();
      const t = now();
      for (const p of pids) if (!seen.has(p)) seen.set(p, t);
      for (const p of seen.keys()) if (comm(p) === "head") pid = p;
      if (pid === null && daemon.log.count(EXITED_RE) > 0) {
        // Exited before we saw it: cannot happen with hundreds of MiB, but do not hang.
        throw new Error("the program exited before its pid was seen");
      }
      if (t > deadline) throw new Error("the program never started");
      if (daemon.exited) daemon.assertAlive("the program to start");
      microSleep(P.pollUs);
    }
    const t0 = seen.get(pid);
    const cpu0 = cpuSeconds(daemon.pid);
    const exitedAt = await daemon.waitLog(EXITED_RE, 1, P.timeoutMs * 5, "the program's exited: line");
    let last = -1;
    let lastChange = now();
    let onDisk = { bytes: 0, files: 0 };
    const doneAt = await waitUntil(
      () => {
        onDisk = filesSize(daemon.dir, LOG_FILES);
        const t = now();
        if (onDisk.bytes === P.logBytes) return t;
        if (onDisk.bytes !== last) {
          last = onDisk.bytes;
          lastChange = t;
        } else if (t - lastChange > 3000) return -1;
        return null;
      },
      { what: "every byte on disk", timeoutMs: P.timeoutMs, daemon, intervalMs: 2 },
    );
    const complete = doneAt !== -1;
    const end = complete ? doneAt : lastChange;
    const cpu1 = cpuSeconds(daemon.pid);
    const wallS = (Math.max(end, exitedAt) - t0) / 1000;
    const result = {
      wallS,
      mibPerS: P.logBytes / 1048576 / wallS,
      cpuS: cpu1 - cpu0,
      bytesOnDisk: onDisk.bytes,
      lostBytes: P.logBytes - onDisk.bytes,
      files: onDisk.files,
      exitLine: daemon.log.find(EXITED_RE)?.replace(/^.*? (INFO|WARN|CRIT|ERRO) /, "") ?? null,
      exitToDiskMs: complete ? doneAt - exitedAt : null,
      shutdown: await finish(daemon, P),
    };
    progress(
      `  ${kind.name} ${rotate ? "rotating" : "no rotation"}: ${wallS.toFixed(3)} s, CPU ${result.cpuS.toFixed(2)} s, ${onDisk.bytes} bytes in ${onDisk.files} file(s)`,
    );
    return result;
  } finally {
    if (!daemon.exited) await finish(daemon, P);
  }
}

/** The median run's wall and CPU over BENCH_RUNS runs; the worst run's byte count. */
async function repeated(kind, P, rotate) {
  const runs = [];
  for (let i = 0; i < P.runs; i++) runs.push(await once(kind, P, rotate));
  const worst = runs.reduce((a, b) => (Math.abs(b.lostBytes) > Math.abs(a.lostBytes) ? b : a));
  const wallS = median(runs.map((r) => r.wallS));
  return {
    wallS,
    mibPerS: P.logBytes / 1048576 / wallS,
    cpuS: median(runs.map((r) => r.cpuS)),
    bytesOnDisk: worst.bytesOnDisk,
    lostBytes: worst.lostBytes,
    files: worst.files,
    exitLine: worst.exitLine,
    exitToDiskMs: runs.some((r) => r.exitToDiskMs === null)
      ? null
      : Math.max(...runs.map((r) => r.exitToDiskMs)),
    runs: runs.map(({ shutdown, ...r }) => r),
    shutdowns: runs.map((r) => r.shutdown),
  };
}

export async function measure(kind, P) {
  return { plain: await repeated(kind, P, false), rotating: await repeated(kind, P, true) };
}
