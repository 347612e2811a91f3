/**
 * Scenario 1, crash → respawn: one program (`startsecs=0`, `autorestart=true`, /bin/sleep). SIGKILL its
 * pid, then poll /proc (a futex-sleep loop of ~50 µs on the benchmark side; the daemon is never asked
 * anything) for a new child of the daemon. The latency is kill → the new pid's first appearance; a new
 * child only counts once it has become `sleep` (so a helper the daemon forks, e.g. stewardd's
 * background `mkfifo`, is not taken for the program). Before each kill the benchmark waits for the
 * program's `success:` line (RUNNING), then a random 0…BENCH_KILL_JITTER_MS pause, so kills land at
 * random points of supervisord's 1 s poll cycle.
 */
import {
  comm,
  finish,
  launch,
  median,
  microSleep,
  now,
  percentile,
  progress,
  SUCCESS_RE,
  sleep,
  supervisordSection,
  waitUntil,
} from "./lib.mjs";

export const id = "respawn";

const config = (dir) =>
  `${supervisordSection(dir)}
[program:crash]
command=/bin/sleep 100000
startsecs=0
autorestart=true
`;

export async function measure(kind, P) {
  const daemon = launch(kind, config, P);
  const latencies = [];
  const execLatencies = [];
  try {
    await daemon.waitLog(SUCCESS_RE, 1, P.timeoutMs, "the program's first success: line");
    const known = new Set(daemon.watcher.list());
    let current = await waitUntil(() => [...daemon.watcher.list()].find((p) => comm(p) === "sleep"), {
      what: "the program's pid",
      timeoutMs: P.timeoutMs,
      daemon,
    });
    for (const p of daemon.watcher.list()) known.add(p);
    for (let i = 0; i < P.kills; i++) {
      await sleep(Math.random() * P.killJitterMs);
      const firstSeen = new Map();
      let found = null;
      const t0 = now();
      process.kill(current, "SIGKILL");
      const deadline = t0 + P.timeoutMs;
      for (;;) {
        const pids = daemon.watcher.list();
        const t = now();
        for (const pid of pids) if (!known.has(pid) && !firstSeen.has(pid)) firstSeen.set(pid, t);
        for (const pid of firstSeen.keys()) {
          if (comm(pid) === "sleep") {
            found = pid;
            break;
          }
        }
        if (found !== null) break;
        if (t > deadline) {
          daemon.assertAlive("the respawned pid");
          throw new Error(`kill ${i + 1}: no new child of ${kind.name} after ${P.timeoutMs} ms`);
        }
        microSleep(P.pollUs);
      }
      execLatencies.push(now() - t0);
      latencies.push(firstSeen.get(found) - t0);
      for (const pid of firstSeen.keys()) known.add(pid);
      current = found;
      // RUNNING again before the next kill (a kill in STARTING would be a failed start).
      await daemon.waitLog(SUCCESS_RE, i + 2, P.timeoutMs, `success: line ${i + 2}`);
      if ((i + 1) % 10 === 0)
        progress(`  ${kind.name}: ${i + 1}/${P.kills} kills, median ${median(latencies).toFixed(2)} ms`);
    }
    const gaveUp = daemon.log.count(/ gave up: /);
    return {
      kills: latencies.length,
      medianMs: median(latencies),
      p95Ms: percentile(latencies, 95),
      minMs: Math.min(...latencies),
      maxMs: Math.max(...latencies),
      execMedianMs: median(execLatencies),
      execP95Ms: percentile(execLatencies, 95),
      exitedLines: daemon.log.count(/ exited: crash /),
      gaveUp,
      latenciesMs: latencies.map((v) => Math.round(v * 1000) / 1000),
      shutdown: await finish(daemon, P),
    };
  } finally {
    if (!daemon.exited) await finish(daemon, P);
  }
}
