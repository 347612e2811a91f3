/**
 * Scenario 3, stop N programs that ignore SIGTERM: one `[program:hold]` with numprocs=N (one group:
 * supervisord stops groups one at a time, so N separate groups would take N × stopwaitsecs in both
 * daemons), `stopwaitsecs` from BENCH_STOPWAITSECS. The command is
 * `/bin/sh -c 'trap "" TERM; exec /bin/sleep 100000'`: a disposition set to "ignore" survives exec
 * (only caught signals are reset), and the benchmark checks every child's SigIgn mask before it
 * starts the clock. Time: SIGTERM to the daemon → the daemon has exited AND none of the N children is
 * alive (a zombie counts as gone). BENCH_RUNS runs (3); medians are reported.
 */
import {
  finish,
  ignoresSignal,
  isAlive,
  launch,
  now,
  progress,
  repeat,
  SUCCESS_RE,
  sleep,
  supervisordSection,
  waitUntil,
} from "./lib.mjs";

export const id = "stop";

const SIGTERM = 15;

export async function measure(kind, P) {
  return repeat(P.runs, () => once(kind, P));
}

async function once(kind, P) {
  const N = P.programs;
  const config = (dir) =>
    `${supervisordSection(dir)}
[program:hold]
command=/bin/sh -c 'trap "" TERM; exec /bin/sleep 100000'
process_name=%(program_name)s_%(process_num)03d
numprocs=${N}
startsecs=0
stopwaitsecs=${P.stopwaitsecs}
`;
  const daemon = launch(kind, config, P);
  try {
    await daemon.waitLog(SUCCESS_RE, N, P.timeoutMs, `${N} success: lines`);
    const children = await waitUntil(
      () => {
        const pids = daemon.watcher.alive();
        return pids.length >= N && pids.every((p) => ignoresSignal(p, SIGTERM)) ? pids : null;
      },
      { what: `${N} children that ignore SIGTERM`, timeoutMs: 10000, daemon, intervalMs: 10 },
    );
    await sleep(500);
    const t0 = now();
    process.kill(daemon.pid, "SIGTERM");
    let childrenGone = null;
    await waitUntil(
      () => {
        if (childrenGone === null && !children.some(isAlive)) childrenGone = now();
        return daemon.exited && childrenGone !== null;
      },
      { what: "the daemon and its children to be gone", timeoutMs: P.timeoutMs, intervalMs: 1 },
    );
    const result = {
      totalS: (Math.max(daemon.exitTime, childrenGone) - t0) / 1000,
      daemonExitS: (daemon.exitTime - t0) / 1000,
      childrenGoneS: (childrenGone - t0) / 1000,
      ignoring: children.length,
      killedLines: daemon.log.count(/ WARN killing '[^']+' .*with SIGKILL/),
      stoppedLines: daemon.log.count(/ stopped: hold_/),
      shutdown: await finish(daemon, P),
    };
    progress(
      `  ${kind.name}: ${result.totalS.toFixed(3)} s (daemon exit ${result.daemonExitS.toFixed(3)} s)`,
    );
    return result;
  } finally {
    if (!daemon.exited) await finish(daemon, P);
  }
}
