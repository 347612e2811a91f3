/** The state machine's Steward extensions: the start gate, readiness, liveness, restart policy. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  backoffDelay,
  type Effect,
  INITIAL_SNAPSHOT,
  type MachineConfig,
  type MachineInput,
  nextDeadline,
  type ProcessSnapshot,
  step,
} from "../../../src/process/machine.js";
import { T0, WEB_CONFIG } from "../../helpers/machine.js";

const base = WEB_CONFIG;

function run(
  inputs: Array<[number, MachineInput]>,
  cfg: Partial<MachineConfig>,
  from: ProcessSnapshot = INITIAL_SNAPSHOT,
) {
  let snap = from;
  const effects: Effect[] = [];
  const config = { ...base, ...cfg };
  for (const [now, input] of inputs) {
    const r = step(snap, input, config, { now: T0 + now, mayStart: true });
    snap = r.snapshot;
    effects.push(...r.effects);
  }
  return { snap, effects, deadline: nextDeadline(snap, config) };
}
const kinds = (effects: Effect[]) =>
  effects.map((e) =>
    e.kind === "transition"
      ? `${e.from}->${e.to}`
      : e.kind === "gate"
        ? `gate:${e.open}`
        : e.kind === "kill"
          ? `kill:${e.signal}`
          : e.kind === "log"
            ? `${e.level}:${e.message}`
            : e.kind,
  );
const exit = (code: number): MachineInput => ({ kind: "exited", status: { kind: "exited", code } });

test("with depends_on or wait_for, STARTING waits at the gate and spawns when it opens", () => {
  const { snap, effects } = run(
    [
      [0, { kind: "evaluate" }],
      [500, { kind: "gateOpen" }],
    ],
    { depends_on: ["api"] },
  );
  assert.deepEqual(kinds(effects), ["STOPPED->STARTING", "gate:true", "spawn"]);
  assert.equal(snap.waiting, false);
  assert.equal(snap.laststart, T0 + 500, "startsecs counts from the spawn, not from the wait");
});

test("a failed gate is a failed start: BACKOFF with the reason, then FATAL as usual", () => {
  const { snap, effects } = run(
    [
      [0, { kind: "start" }],
      [60_000, { kind: "gateFailed", message: "timed out waiting for tcp://db:3306" }],
    ],
    { wait_for: ["tcp://db:3306"], startretries: 0 },
  );
  assert.deepEqual(kinds(effects).slice(0, 4), [
    "STOPPED->STARTING",
    "gate:true",
    "info:spawnerr: timed out waiting for tcp://db:3306",
    "STARTING->BACKOFF",
  ]);
  assert.equal(snap.spawnerr, "timed out waiting for tcp://db:3306");
});

test("stopping a process that waits at the gate stops it at once, spawning nothing", () => {
  const { snap, effects } = run(
    [
      [0, { kind: "start" }],
      [10, { kind: "stop" }],
    ],
    { depends_on: ["api"] },
  );
  assert.deepEqual(kinds(effects), [
    "STOPPED->STARTING",
    "gate:true",
    "gate:false",
    "STARTING->STOPPING",
    "STOPPING->STOPPED",
    "info:stopped: web (never spawned: stopped while waiting)",
  ]);
  assert.equal(snap.state, "STOPPED");
});

test("readiness: STARTING lasts until the first passing check, even past startsecs", () => {
  const cfg = { healthcheck: "tcp://x:1", healthcheck_start_period: 60 };
  const started = run(
    [
      [0, { kind: "start" }],
      [0, { kind: "spawned", pid: 9 }],
      [1001, { kind: "evaluate" }],
    ],
    cfg,
  );
  assert.equal(started.snap.state, "STARTING");
  assert.equal(started.deadline, T0 + 60_000, "the next deadline is the end of the start period");
  const ready = run([[4000, { kind: "healthy" }]], cfg, started.snap);
  assert.equal(ready.snap.state, "RUNNING");
  const early = run(
    [
      [0, { kind: "start" }],
      [0, { kind: "spawned", pid: 9 }],
      [200, { kind: "healthy" }],
    ],
    cfg,
  );
  assert.equal(early.snap.state, "STARTING", "healthy before startsecs: RUNNING once startsecs is over");
  assert.equal(early.deadline, T0 + 1001);
  assert.equal(run([[1001, { kind: "evaluate" }]], cfg, early.snap).snap.state, "RUNNING");
});

test("not healthy within the start period: stopped, and its exit is a failed start", () => {
  const cfg = { healthcheck: "tcp://x:1", healthcheck_start_period: 5 };
  const r = run(
    [
      [0, { kind: "start" }],
      [0, { kind: "spawned", pid: 9 }],
      [5000, { kind: "evaluate" }],
    ],
    cfg,
  );
  assert.deepEqual(kinds(r.effects).slice(-2), [
    "warn:web: not healthy within healthcheck_start_period (5 seconds), stopping it",
    "kill:15",
  ]);
  assert.equal(r.snap.state, "STARTING");
  assert.equal(r.deadline, T0 + 15_000, "SIGKILL after stopwaitsecs");
  const killed = run([[15_000, { kind: "evaluate" }]], cfg, r.snap);
  assert.deepEqual(kinds(killed.effects), ["warn:killing 'web' (9) with SIGKILL", "kill:9"]);
  const gone = run([[15_001, exit(-1)]], cfg, killed.snap);
  assert.equal(gone.snap.state, "BACKOFF");
  assert.equal(gone.snap.spawnerr, "not healthy within healthcheck_start_period (5 seconds)");
});

test("liveness: unhealthy_action restart stops and starts again; stop stops; none only logs", () => {
  const cfg = { healthcheck: "tcp://x:1", startsecs: 0 };
  const running = run(
    [
      [0, { kind: "start" }],
      [0, { kind: "spawned", pid: 9 }],
      [0, { kind: "healthy" }],
    ],
    cfg,
  );
  assert.equal(running.snap.state, "RUNNING");
  const restart = run(
    [
      [100, { kind: "unhealthy", message: "HTTP 503 (3 checks in a row)" }],
      [200, exit(0)],
    ],
    cfg,
    running.snap,
  );
  assert.deepEqual(
    kinds(restart.effects).filter((k) => k.includes("->") || k.startsWith("warn")),
    [
      "warn:web is unhealthy: HTTP 503 (3 checks in a row); restarting it",
      "RUNNING->STOPPING",
      "STOPPING->STOPPED",
      "STOPPED->STARTING",
    ],
  );
  const stop = run(
    [
      [100, { kind: "unhealthy", message: "x" }],
      [200, exit(0)],
    ],
    { ...cfg, unhealthy_action: "stop" },
    running.snap,
  );
  assert.equal(stop.snap.state, "STOPPED");
  const none = run(
    [[100, { kind: "unhealthy", message: "x" }]],
    { ...cfg, unhealthy_action: "none" },
    running.snap,
  );
  assert.equal(none.snap.state, "RUNNING");
  assert.deepEqual(kinds(none.effects), ["warn:web is unhealthy: x"]);
});

test("backoff: linear as supervisord, exponential doubling, both capped by backoff_max", () => {
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => backoffDelay(n, base)),
    [1, 2, 3, 4],
  );
  const exp = { ...base, backoff: "exponential" as const, backoff_max: 10 };
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, exp)),
    [1, 2, 4, 8, 10, 10],
  );
  assert.equal(backoffDelay(100, { ...base, backoff_max: 60 }), 60);
});

test("startretries=infinite never gives up", () => {
  let snap = INITIAL_SNAPSHOT;
  let t = 0;
  const cfg = { ...base, startretries: Number.POSITIVE_INFINITY, backoff_max: 2 };
  snap = step(snap, { kind: "start" }, cfg, { now: T0, mayStart: true }).snapshot;
  for (let i = 0; i < 50; i++) {
    snap = step(snap, { kind: "spawned", pid: 10 + i }, cfg, { now: T0 + t, mayStart: true }).snapshot;
    snap = step(snap, exit(1), cfg, { now: T0 + t + 1, mayStart: true }).snapshot;
    assert.equal(snap.state, "BACKOFF");
    t = nextDeadline(snap, cfg)! - T0;
    snap = step(snap, { kind: "evaluate" }, cfg, { now: T0 + t, mayStart: true }).snapshot;
    assert.equal(snap.state, "STARTING");
  }
  assert.equal(snap.backoff, 50);
});
