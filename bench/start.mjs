/**
 * Scenario 2, start N programs to RUNNING: N separate `[program:pNNN]` sections (each its own group,
 * as most configs are) running /bin/sleep, with startsecs=0 and then startsecs=1. The time is from
 * just before the daemon is spawned until its main log (tailed from the file, polled every ms) holds
 * N `success:` lines. Then SIGTERM; the shutdown time of these N TERM-respecting programs is recorded
 * too (supervisord stops groups one at a time, so this is N sequential group stops for both).
 * Each startsecs value runs BENCH_RUNS times (3); medians are reported.
 */
import {
  finish,
  launch,
  progress,
  repeat,
  SPAWNED_RE,
  STARTED_RE,
  SUCCESS_RE,
  sleepPrograms,
  supervisordSection,
} from "./lib.mjs";

export const id = "start";

async function once(kind, P, startsecs) {
  const daemon = launch(
    kind,
    (dir) => `${supervisordSection(dir)}\n${sleepPrograms(P.programs, { startsecs })}`,
    P,
  );
  try {
    const started = daemon.waitLog(STARTED_RE, 1, P.timeoutMs, "the started line");
    const allSpawned = daemon.waitLog(SPAWNED_RE, P.programs, P.timeoutMs, `${P.programs} spawned: lines`);
    // Settled later or dropped at stop(); never an unhandled rejection.
    started.catch(() => {});
    allSpawned.catch(() => {});
    const ready = await daemon.waitLog(SUCCESS_RE, P.programs, P.timeoutMs, `${P.programs} success: lines`);
    const spawned = await allSpawned;
    const running = daemon.watcher.alive().length;
    const shutdown = await finish(daemon, P);
    const result = {
      readyS: (ready - daemon.t0) / 1000,
      spawnedS: (spawned - daemon.t0) / 1000,
      startedS: ((await started) - daemon.t0) / 1000,
      runningChildren: running,
      shutdownS: shutdown.stopMs / 1000,
      shutdown,
    };
    progress(
      `  ${kind.name} startsecs=${startsecs}: ${result.readyS.toFixed(3)} s to ${P.programs} RUNNING; shutdown ${(shutdown.stopMs / 1000).toFixed(3)} s`,
    );
    return result;
  } finally {
    if (!daemon.exited) await finish(daemon, P);
  }
}

export async function measure(kind, P) {
  return {
    s0: await repeat(P.runs, () => once(kind, P, 0)),
    s1: await repeat(P.runs, () => once(kind, P, 1)),
  };
}
