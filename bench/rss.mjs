/**
 * Scenario 5, daemon memory: VmRSS (and VmHWM, the peak) of the daemon process idle, with 0 programs
 * and with N programs (startsecs=0, /bin/sleep, separate sections), read from /proc/<pid>/status
 * BENCH_SETTLE_MS after the last `success:` line (or the `supervisord started` line for 0 programs).
 */
import { readFileSync } from "node:fs";
import {
  finish,
  launch,
  progress,
  STARTED_RE,
  SUCCESS_RE,
  sleep,
  sleepPrograms,
  statusBytes,
  supervisordSection,
} from "./lib.mjs";

export const id = "rss";

async function once(kind, P, count) {
  const daemon = launch(
    kind,
    (dir) => `${supervisordSection(dir)}\n${sleepPrograms(count, { startsecs: 0 })}`,
    P,
  );
  try {
    if (count === 0) await daemon.waitLog(STARTED_RE, 1, P.timeoutMs, "the started line");
    else await daemon.waitLog(SUCCESS_RE, count, P.timeoutMs, `${count} success: lines`);
    await sleep(P.settleMs);
    if (daemon.exited && !daemon.spawnError)
      throw new Error(
        `${kind.name} exited on its own (${daemon.exitSignal ?? `status ${daemon.exitCode}`}) ${Math.round(daemon.exitTime - daemon.t0)} ms after launch with ${count} program(s) configured: no idle daemon to measure`,
      );
    daemon.assertAlive("memory to settle");
    const result = {
      rssBytes: statusBytes(daemon.pid, "VmRSS"),
      hwmBytes: statusBytes(daemon.pid, "VmHWM"),
      threads: Number(/^Threads:\s*(\d+)/m.exec(readStatus(daemon.pid))?.[1] ?? Number.NaN),
      shutdown: await finish(daemon, P),
    };
    progress(`  ${kind.name} ${count} programs: RSS ${(result.rssBytes / 1048576).toFixed(1)} MiB`);
    return result;
  } finally {
    if (!daemon.exited) await finish(daemon, P);
  }
}

function readStatus(pid) {
  try {
    return readFileSync(`/proc/${pid}/status`, "latin1");
  } catch {
    return "";
  }
}

/** Each count on its own: a daemon that cannot idle with 0 programs is still measured with N. */
async function attempt(kind, P, count) {
  try {
    return await once(kind, P, count);
  } catch (error) {
    progress(`  ${kind.name} ${count} programs FAILED: ${error.message.split("\n")[0]}`);
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export async function measure(kind, P) {
  const idle0 = await attempt(kind, P, 0);
  const idleN = await attempt(kind, P, P.programs);
  if (idle0.error && idleN.error) throw new Error(idleN.error);
  return { idle0, idleN };
}
