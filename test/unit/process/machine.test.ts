import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Effect,
  INITIAL_SNAPSHOT,
  isLegal,
  type MachineConfig,
  type MachineInput,
  nextDeadline,
  type ProcessSnapshot,
  step,
  TRANSITIONS,
} from "../../../src/process/machine.js";
import { type ProcessStateName, ProcessStates } from "../../../src/process/states.js";
import { describeWaitStatus } from "../../../src/process/wait-status.js";
import { T0, WEB_CONFIG } from "../../helpers/machine.js";

const config = WEB_CONFIG;

/** Runs inputs at the given times and returns the final snapshot and all effects. */
function run(
  inputs: Array<[number, MachineInput]>,
  opts: { cfg?: Partial<MachineConfig>; from?: ProcessSnapshot; mayStart?: boolean } = {},
) {
  let snap = opts.from ?? INITIAL_SNAPSHOT;
  const effects: Effect[] = [];
  for (const [now, input] of inputs) {
    const r = step(
      snap,
      input,
      { ...config, ...opts.cfg },
      { now: T0 + now, mayStart: opts.mayStart ?? true },
    );
    snap = r.snapshot;
    effects.push(...r.effects);
  }
  return { snap, effects };
}
const transitions = (effects: Effect[]) =>
  effects
    .filter((e) => e.kind === "transition")
    .map((e) => (e.kind === "transition" ? `${e.from}->${e.to}` : ""));
const logs = (effects: Effect[]) =>
  effects.filter((e) => e.kind === "log").map((e) => (e.kind === "log" ? `${e.level}: ${e.message}` : ""));
const exit = (code: number): MachineInput => ({ kind: "exited", status: { kind: "exited", code } });
const killed = (signal: number): MachineInput => ({
  kind: "exited",
  status: { kind: "signaled", signal, coreDumped: false },
});

test("state codes are supervisord's", () => {
  assert.deepEqual(ProcessStates, {
    STOPPED: 0,
    STARTING: 10,
    RUNNING: 20,
    BACKOFF: 30,
    STOPPING: 40,
    EXITED: 100,
    FATAL: 200,
    UNKNOWN: 1000,
  });
});

test("stopped → starting (autostart) → running after startsecs", () => {
  const { snap, effects } = run([
    [1000, { kind: "evaluate" }],
    [1000, { kind: "spawned", pid: 42 }],
    [2000, { kind: "evaluate" }],
    [2001, { kind: "evaluate" }],
  ]);
  assert.deepEqual(transitions(effects), ["STOPPED->STARTING", "STARTING->RUNNING"]);
  assert.deepEqual(logs(effects), [
    "info: spawned: 'web' with pid 42",
    "info: success: web entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)",
  ]);
  assert.equal(snap.state, "RUNNING");
  assert.equal(snap.pid, 42);
});

test("autostart=false leaves a never-started process stopped", () => {
  assert.equal(run([[0, { kind: "evaluate" }]], { cfg: { autostart: false } }).snap.state, "STOPPED");
});

test("startsecs=0 is RUNNING as soon as it is spawned", () => {
  const { snap, effects } = run(
    [
      [5, { kind: "start" }],
      [5, { kind: "spawned", pid: 7 }],
    ],
    { cfg: { startsecs: 0 } },
  );
  assert.equal(snap.state, "RUNNING");
  assert.match(logs(effects)[1]!, /> than 0 seconds/);
});

test("starting → backoff when it exits too quickly, then retries after 1, 2, 3 s and gives up", () => {
  let t = 0;
  const inputs: Array<[number, MachineInput]> = [[t, { kind: "start" }]];
  for (let attempt = 1; attempt <= 4; attempt++) {
    inputs.push([t, { kind: "spawned", pid: 100 + attempt }], [t + 10, exit(3)]);
    t += 10 + attempt * 1000 + 1;
    if (attempt < 4) inputs.push([t, { kind: "evaluate" }]);
  }
  const { snap, effects } = run(inputs);
  assert.equal(snap.state, "FATAL");
  assert.equal(snap.backoff, 0);
  assert.equal(effects.filter((e) => e.kind === "spawn").length, 4);
  assert.deepEqual(transitions(effects).slice(-2), ["STARTING->BACKOFF", "BACKOFF->FATAL"]);
  assert.equal(
    logs(effects).at(-1),
    "info: gave up: web entered FATAL state, too many start retries too quickly",
  );
  assert.ok(logs(effects).includes("warn: exited: web (exit status 3; not expected)"));
});

test("the backoff deadline grows by one second per failure and gates the retry", () => {
  const r = run([
    [0, { kind: "start" }],
    [0, { kind: "spawned", pid: 1 }],
    [100, exit(1)],
  ]);
  assert.equal(r.snap.state, "BACKOFF");
  assert.equal(r.snap.deadline, T0 + 1100);
  assert.equal(nextDeadline(r.snap, config), T0 + 1101);
  assert.equal(run([[1100, { kind: "evaluate" }]], { from: r.snap }).snap.state, "BACKOFF");
  assert.equal(run([[1101, { kind: "evaluate" }]], { from: r.snap }).snap.state, "STARTING");
});

test("a spawn error goes straight to BACKOFF with a spawnerr line", () => {
  const { snap, effects } = run([
    [0, { kind: "start" }],
    [0, { kind: "spawnFailed", message: "can't find command 'nope'" }],
  ]);
  assert.equal(snap.state, "BACKOFF");
  assert.equal(snap.spawnerr, "can't find command 'nope'");
  assert.deepEqual(logs(effects), ["info: spawnerr: can't find command 'nope'"]);
});

test("startretries=0: one attempt, then FATAL", () => {
  const { snap } = run(
    [
      [0, { kind: "start" }],
      [0, { kind: "spawnFailed", message: "x" }],
    ],
    { cfg: { startretries: 0 } },
  );
  assert.equal(snap.state, "FATAL");
});

test("running → exited (expected) does not restart with autorestart=unexpected", () => {
  const { snap, effects } = run([
    [0, { kind: "start" }],
    [0, { kind: "spawned", pid: 1 }],
    [1001, { kind: "evaluate" }],
    [5000, exit(0)],
  ]);
  assert.equal(snap.state, "EXITED");
  assert.equal(snap.exitstatus, 0);
  assert.equal(logs(effects).at(-1), "info: exited: web (exit status 0; expected)");
});

test("running → exited (unexpected) → starting at once with autorestart=unexpected", () => {
  const { snap, effects } = run([
    [0, { kind: "start" }],
    [0, { kind: "spawned", pid: 1 }],
    [1001, { kind: "evaluate" }],
    [5000, exit(2)],
  ]);
  assert.equal(snap.state, "STARTING");
  assert.deepEqual(transitions(effects).slice(-2), ["RUNNING->EXITED", "EXITED->STARTING"]);
  assert.ok(logs(effects).includes("warn: exited: web (exit status 2; not expected)"));
});

test("autorestart=true restarts after any exit; autorestart=false never; not while shutting down", () => {
  const base: Array<[number, MachineInput]> = [
    [0, { kind: "start" }],
    [0, { kind: "spawned", pid: 1 }],
    [1001, { kind: "evaluate" }],
  ];
  assert.equal(run([...base, [5000, exit(0)]], { cfg: { autorestart: "true" } }).snap.state, "STARTING");
  assert.equal(run([...base, [5000, exit(9)]], { cfg: { autorestart: "false" } }).snap.state, "EXITED");
  const ran = run(base, { cfg: { autorestart: "true" } }).snap;
  assert.equal(
    run([[5000, exit(0)]], { cfg: { autorestart: "true" }, from: ran, mayStart: false }).snap.state,
    "EXITED",
  );
});

test("an exit after startsecs that the timer had not yet promoted goes RUNNING → EXITED without success line", () => {
  const { effects } = run([
    [0, { kind: "start" }],
    [0, { kind: "spawned", pid: 1 }],
    [1500, exit(0)],
  ]);
  assert.deepEqual(transitions(effects), ["STOPPED->STARTING", "STARTING->RUNNING", "RUNNING->EXITED"]);
  assert.ok(!logs(effects).some((l) => l.includes("success:")));
});

test("a signal death is never expected", () => {
  const { effects } = run(
    [
      [0, { kind: "start" }],
      [0, { kind: "spawned", pid: 1 }],
      [1001, { kind: "evaluate" }],
      [2000, killed(9)],
    ],
    { cfg: { autorestart: "false" } },
  );
  assert.equal(logs(effects).at(-1), "warn: exited: web (terminated by SIGKILL; not expected)");
});

test("stop: running → stopping with stopsignal, → stopped on exit; SIGKILL after stopwaitsecs, repeated", () => {
  const running = run([
    [0, { kind: "start" }],
    [0, { kind: "spawned", pid: 9 }],
    [1001, { kind: "evaluate" }],
  ]).snap;
  const stopping = run([[2000, { kind: "stop" }]], {
    from: running,
    cfg: { stopasgroup: true, killasgroup: true },
  });
  assert.equal(stopping.snap.state, "STOPPING");
  assert.deepEqual(
    stopping.effects.filter((e) => e.kind === "kill"),
    [{ kind: "kill", signal: 15, group: true }],
  );
  assert.deepEqual(logs(stopping.effects), ["debug: killing web (pid 9) process group with signal SIGTERM"]);
  assert.equal(nextDeadline(stopping.snap, config), T0 + 12000);
  const escalated = run(
    [
      [12000, { kind: "evaluate" }],
      [22000, { kind: "evaluate" }],
    ],
    { from: stopping.snap, cfg: { killasgroup: true } },
  );
  assert.deepEqual(
    escalated.effects.filter((e) => e.kind === "kill"),
    [
      { kind: "kill", signal: 9, group: true },
      { kind: "kill", signal: 9, group: true },
    ],
  );
  assert.equal(logs(escalated.effects)[0], "warn: killing 'web' (9) with SIGKILL");
  const stopped = run([[22500, killed(9)]], { from: escalated.snap });
  assert.equal(stopped.snap.state, "STOPPED");
  assert.equal(stopped.snap.pid, 0);
  assert.deepEqual(logs(stopped.effects), ["warn: stopped: web (terminated by SIGKILL)"]);
});

test("a program that exits 0 on its stop signal is stopped with an info line", () => {
  const running = run(
    [
      [0, { kind: "start" }],
      [0, { kind: "spawned", pid: 9 }],
    ],
    { cfg: { startsecs: 0 } },
  ).snap;
  const { effects } = run(
    [
      [10, { kind: "stop" }],
      [20, exit(0)],
    ],
    { from: running, cfg: { startsecs: 0 } },
  );
  assert.equal(logs(effects).at(-1), "info: stopped: web (exit status 0)");
});

test("stop during STARTING and during BACKOFF", () => {
  const starting = run([
    [0, { kind: "start" }],
    [0, { kind: "spawned", pid: 9 }],
  ]).snap;
  assert.equal(run([[10, { kind: "stop" }]], { from: starting }).snap.state, "STOPPING");
  const backoff = run([
    [0, { kind: "start" }],
    [0, { kind: "spawnFailed", message: "x" }],
  ]).snap;
  const r = run([[10, { kind: "stop" }]], { from: backoff });
  assert.equal(r.snap.state, "STOPPED");
  assert.deepEqual(logs(r.effects), ["debug: Attempted to kill web, which is in BACKOFF state."]);
});

test("shutdown gives up a BACKOFF process without a 'gave up' line", () => {
  const backoff = run([
    [0, { kind: "start" }],
    [0, { kind: "spawnFailed", message: "x" }],
  ]).snap;
  const r = run([[10, { kind: "giveUp" }]], { from: backoff });
  assert.equal(r.snap.state, "FATAL");
  assert.deepEqual(logs(r.effects), []);
});

test("explicit start from EXITED and FATAL", () => {
  for (const from of ["EXITED", "FATAL"] as const) {
    const r = run([[0, { kind: "start" }]], {
      from: { ...INITIAL_SNAPSHOT, state: from, laststart: T0 - 5000 },
    });
    assert.equal(r.snap.state, "STARTING");
  }
});

test("a failed kill puts the process in UNKNOWN", () => {
  const running = run(
    [
      [0, { kind: "start" }],
      [0, { kind: "spawned", pid: 9 }],
    ],
    { cfg: { startsecs: 0 } },
  ).snap;
  const r = run(
    [
      [5, { kind: "stop" }],
      [5, { kind: "killFailed", message: "EPERM" }],
    ],
    { from: running, cfg: { startsecs: 0 } },
  );
  assert.equal(r.snap.state, "UNKNOWN");
  assert.equal(logs(r.effects).at(-1), "critical: unknown problem killing web (9):EPERM");
});

test("every transition the machine makes is in the table, and the table has no others", () => {
  const seen = new Set<string>();
  const record = (effects: readonly Effect[]) => {
    for (const e of effects) if (e.kind === "transition") seen.add(`${e.from}->${e.to}`);
  };
  const scenarios: Array<Array<[number, MachineInput]>> = [
    [
      [0, { kind: "start" }],
      [0, { kind: "spawnFailed", message: "x" }],
      [1002, { kind: "evaluate" }],
    ],
    [
      [0, { kind: "evaluate" }],
      [0, { kind: "spawned", pid: 1 }],
      [1001, { kind: "evaluate" }],
      [2000, { kind: "stop" }],
      [2100, exit(0)],
      [3000, { kind: "start" }],
    ],
    [
      [0, { kind: "start" }],
      [0, { kind: "spawned", pid: 1 }],
      [5, exit(1)],
      [500, { kind: "stop" }],
      [600, { kind: "start" }],
      [600, { kind: "spawned", pid: 2 }],
      [2000, { kind: "evaluate" }],
    ],
    [
      [0, { kind: "start" }],
      [0, { kind: "spawned", pid: 1 }],
      [5, { kind: "stop" }],
      [6, { kind: "killFailed", message: "x" }],
    ],
    [
      [0, { kind: "start" }],
      [0, { kind: "spawned", pid: 1 }],
      [1001, { kind: "evaluate" }],
      [1002, { kind: "killFailed", message: "x" }],
    ],
    [
      [0, { kind: "start" }],
      [0, { kind: "spawned", pid: 1 }],
      [5, { kind: "killFailed", message: "x" }],
    ],
    [
      [0, { kind: "start" }],
      [0, { kind: "spawned", pid: 1 }],
      [1001, { kind: "evaluate" }],
      [2000, exit(1)],
      [2000, { kind: "spawned", pid: 2 }],
      [2001, { kind: "stop" }],
      [2002, { kind: "killFailed", message: "x" }],
    ],
    [
      [0, { kind: "start" }],
      [0, { kind: "spawnFailed", message: "x" }],
      [1, { kind: "giveUp" }],
      [2, { kind: "start" }],
    ],
  ];
  for (const s of scenarios) {
    let snap = INITIAL_SNAPSHOT;
    for (const [now, input] of s) {
      const r = step(snap, input, config, { now: T0 + now, mayStart: true });
      record(r.effects);
      snap = r.snapshot;
    }
  }
  const table = new Set(
    Object.entries(TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}->${to}`)),
  );
  assert.deepEqual([...seen].sort(), [...table].sort());
});

test("an illegal transition is refused", () => {
  assert.equal(isLegal("STOPPED", "RUNNING"), false);
  assert.equal(isLegal("UNKNOWN" as ProcessStateName, "STARTING"), false);
  assert.throws(() => step(INITIAL_SNAPSHOT, { kind: "stop" }, config, { now: 0, mayStart: true }), {
    code: "STEWARD_ERR_INTERNAL",
  });
  assert.throws(() => step(INITIAL_SNAPSHOT, exit(0), config, { now: 0, mayStart: true }), {
    code: "STEWARD_ERR_INTERNAL",
  });
  const running = { ...INITIAL_SNAPSHOT, state: "RUNNING" as const, pid: 3, laststart: 1 };
  assert.throws(() => step(running, { kind: "start" }, config, { now: 5, mayStart: true }), {
    code: "STEWARD_ERR_INTERNAL",
  });
});

test("wait statuses are described as supervisord describes them", () => {
  assert.deepEqual(describeWaitStatus({ kind: "exited", code: 3 }), { exitstatus: 3, how: "exit status 3" });
  assert.deepEqual(describeWaitStatus({ kind: "signaled", signal: 15, coreDumped: false }), {
    exitstatus: -1,
    how: "terminated by SIGTERM",
  });
  assert.deepEqual(describeWaitStatus({ kind: "signaled", signal: 11, coreDumped: true }), {
    exitstatus: -1,
    how: "terminated by SIGSEGV (core dumped)",
  });
  assert.deepEqual(describeWaitStatus({ kind: "signaled", signal: 40, coreDumped: false }), {
    exitstatus: -1,
    how: "terminated by signal 40",
  });
});
