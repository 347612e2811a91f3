/** `deps` and `health` (Steward only): their formatting, and the commands against a fake server. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { complete } from "../../../src/ctl/completion.js";
import { runLine } from "../../../src/ctl/dispatch.js";
import {
  type DependencyRecord,
  type HealthRecord,
  toDependencyRecords,
  toUsageRecords,
} from "../../../src/ctl/records.js";
import { COMMANDS, VOCABULARY } from "../../../src/ctl/registry.js";
import {
  displayName,
  formatAgo,
  formatCpu,
  formatDependencyTree,
  formatHealthLines,
  formatKilobytes,
  formatLastCheck,
  formatUsageLines,
  waitForProgress,
} from "../../../src/ctl/steward-output.js";
import { fakeSession as fakeCtlSession, type Handler } from "../../helpers/ctl-session.js";

// The answers as the daemon sends them (src/daemon/steward-methods.ts).
const DEPS = () => [
  {
    name: "api",
    group: "api",
    statename: "STARTING",
    waiting: "",
    depends_on: [],
    wait_for: [],
    dependents: ["dashboard:dashboard", "web:w1"],
  },
  {
    name: "dashboard",
    group: "dashboard",
    statename: "STARTING",
    waiting: "waiting for api (healthy), tcp://127.0.0.1:5432 (connection refused)",
    depends_on: [{ target: "api", condition: "healthy", processes: ["api:api"], met: false }],
    wait_for: ["tcp://127.0.0.1:5432", "http://127.0.0.1:9/ready expect 204"],
    dependents: [],
  },
  {
    name: "w1",
    group: "web",
    statename: "RUNNING",
    waiting: "",
    depends_on: [{ target: "api", condition: "started", processes: ["api:api"], met: true }],
    wait_for: [],
    dependents: [],
  },
  {
    name: "cron",
    group: "cron",
    statename: "STOPPED",
    waiting: "",
    depends_on: [],
    wait_for: [],
    dependents: [],
  },
];

const NOW = 1_700_000_100_000;

const HEALTH = () => [
  {
    name: "api",
    group: "api",
    statename: "RUNNING",
    healthcheck: "http://127.0.0.1:8080/health",
    status: "healthy",
    ok: true,
    detail: "HTTP 200",
    checked: 1_700_000_097,
    failures: 0,
    unhealthy_action: "restart",
  },
  {
    name: "w1",
    group: "web",
    statename: "RUNNING",
    healthcheck: "exec:/usr/local/bin/check",
    status: "unhealthy",
    ok: false,
    detail: "exit status 1",
    checked: 1_700_000_099,
    failures: 3,
    unhealthy_action: "none",
  },
];

const PROCS = () =>
  DEPS().map((d) => ({
    name: d.name,
    group: d.group,
    statename: d.statename,
    state: 0,
    pid: 0,
    description: "",
  }));

function fakeSession(methods: Record<string, Handler>, json = false) {
  return fakeCtlSession(methods, { json, mergeStderr: true, io: { now: () => NOW } });
}

const STEWARD = {
  "steward.getDependencies": DEPS,
  "steward.getHealth": HEALTH,
  "supervisor.getAllProcessInfo": PROCS,
};

test("deps: each process as a status line, then a tree of its dependencies, checks and dependents", () => {
  const lines = formatDependencyTree(toDependencyRecords(DEPS()));
  assert.deepEqual(lines, [
    "api                                                STARTING",
    "├─ needed by dashboard                             STARTING",
    "└─ needed by web:w1                                RUNNING",
    "dashboard                                          STARTING  waiting for api (healthy), tcp://127.0.0.1:5432 (connection refused)",
    "├─ depends on api (healthy)                        not met   api STARTING",
    "├─ waits for tcp://127.0.0.1:5432                  not met   connection refused",
    "└─ waits for http://127.0.0.1:9/ready expect 204   met",
    "web:w1                                             RUNNING",
    "└─ depends on api (started)                        met       api STARTING",
    "cron                                               STOPPED",
  ]);
});

test("deps: the width follows the longest name or branch, and a short graph keeps status's 33 columns", () => {
  const records = toDependencyRecords(DEPS());
  const lines = formatDependencyTree([records[3]!], records);
  assert.deepEqual(lines, [`cron${" ".repeat(29)}STOPPED`]);
  const w1 = formatDependencyTree([records[2]!], records);
  assert.deepEqual(w1, [
    `web:w1${" ".repeat(27)}RUNNING`,
    `└─ depends on api (started)${" ".repeat(6)}met       api STARTING`,
  ]);
});

test("deps: a dependency on a removed process, and a group target with several processes", () => {
  const record: DependencyRecord = toDependencyRecords([
    {
      name: "x",
      group: "x",
      statename: "RUNNING",
      waiting: "",
      depends_on: [{ target: "web:*", condition: "running", processes: ["web:w1", "web:w2"], met: false }],
      wait_for: ["tcp://db:5432"],
      dependents: [],
    },
  ])[0]!;
  const all = toDependencyRecords(DEPS());
  const lines = formatDependencyTree([record], all);
  assert.match(
    lines[1]!,
    /^├─ depends on web:\* \(running\) +not met +web:w1 RUNNING, web:w2 \(not configured\)$/,
  );
  // Not waiting: whether a wait_for check holds is not known (it held at the last start).
  assert.match(lines[2]!, /^└─ waits for tcp:\/\/db:5432$/);
});

test("waitForProgress reads the daemon's `waiting for …` text", () => {
  const waiting = "waiting for api (healthy), tcp://db:1 (connection refused (ECONNREFUSED)), http://x/ready";
  assert.deepEqual(waitForProgress(waiting, "tcp://db:1"), {
    pending: true,
    last: "connection refused (ECONNREFUSED)",
  });
  assert.deepEqual(waitForProgress(waiting, "http://x/ready"), { pending: true, last: "" });
  assert.deepEqual(waitForProgress(waiting, "http://x"), { pending: false, last: "" });
  assert.deepEqual(waitForProgress(waiting, "tcp://db:2"), { pending: false, last: "" });
  assert.deepEqual(waitForProgress("", "tcp://db:1"), { pending: false, last: "" });
  assert.deepEqual(waitForProgress("waiting for tcp://db:1", "tcp://db:1"), { pending: true, last: "" });
});

test("displayName: group:name as status shows it", () => {
  assert.equal(displayName("api:api"), "api");
  assert.equal(displayName("web:w1"), "web:w1");
  assert.equal(displayName("web:*"), "web:*");
});

test("formatAgo: seconds, minutes, hours, days; never negative", () => {
  assert.equal(formatAgo(0), "0s ago");
  assert.equal(formatAgo(3), "3s ago");
  assert.equal(formatAgo(59.9), "59s ago");
  assert.equal(formatAgo(65), "1m 05s ago");
  assert.equal(formatAgo(7260), "2h 01m ago");
  assert.equal(formatAgo(3 * 86400 + 4 * 3600), "3d 04h ago");
  assert.equal(formatAgo(-5), "0s ago");
});

test("health: one aligned line per process: state, health, the check, the last result, failures in a row", () => {
  const records = HEALTH().map((h) => ({ ...h, raw: {} })) as HealthRecord[];
  assert.deepEqual(formatHealthLines(records, NOW), [
    "api                              RUNNING   healthy    http://127.0.0.1:8080/health  passed 3s ago: HTTP 200",
    "web:w1                           RUNNING   unhealthy  exec:/usr/local/bin/check     failed 1s ago: exit status 1 (3 failures in a row)",
  ]);
  const never = {
    ...records[0]!,
    status: "starting",
    statename: "STARTING",
    checked: 0,
    ok: false,
    detail: "",
  };
  assert.equal(formatLastCheck(never, NOW), "not checked yet");
  assert.equal(formatLastCheck({ ...never, failures: 1 }, NOW), "not checked yet (1 failure in a row)");
  assert.equal(
    formatLastCheck({ ...records[1]!, detail: "", failures: 1 }, NOW),
    "failed 1s ago (1 failure in a row)",
  );
});

test("deps command: the tree, a selection, an unknown name (exit 2), --json", async () => {
  const f = fakeSession(STEWARD);
  await runLine(f.s, "deps");
  assert.equal(f.s.exitStatus, 0);
  assert.match(f.out(), /^dashboard +STARTING {2}waiting for api \(healthy\)/m);
  const g = fakeSession(STEWARD);
  await runLine(g.s, "deps web:* nope");
  assert.equal(g.s.exitStatus, 2);
  assert.equal(g.out().split("\n")[0], "nope: ERROR (no such process)");
  assert.match(g.out(), /^web:w1 +RUNNING\n└─ depends on api \(started\) +met +api STARTING\n$/m);
  assert.doesNotMatch(g.out(), /dashboard/);
  const h = fakeSession(STEWARD);
  await runLine(h.s, "deps --json dashboard");
  const parsed = JSON.parse(h.out());
  assert.deepEqual(parsed, [{ namespec: "dashboard", ...DEPS()[1] }]);
  const j = fakeSession(STEWARD, true);
  await runLine(j.s, "deps x:*");
  assert.deepEqual(JSON.parse(j.out()), [{ namespec: "x", error: "no such group" }]);
  assert.equal(j.s.exitStatus, 2);
});

test("health command: exit 0 when all shown are healthy, 3 when one is not, 4 for unknown or unchecked names", async () => {
  const f = fakeSession(STEWARD);
  await runLine(f.s, "health api");
  assert.equal(f.s.exitStatus, 0);
  assert.equal(
    f.out(),
    "api                              RUNNING   healthy    http://127.0.0.1:8080/health  passed 3s ago: HTTP 200\n",
  );
  const g = fakeSession(STEWARD);
  await runLine(g.s, "health");
  assert.equal(g.s.exitStatus, 3);
  assert.equal(g.out().split("\n").length, 3);
  const h = fakeSession(STEWARD);
  await runLine(h.s, "health cron nope x:* dashboard:*");
  assert.equal(
    h.out(),
    "cron: ERROR (no healthcheck)\nnope: ERROR (no such process)\nx: ERROR (no such group)\ndashboard: ERROR (no healthcheck)\n",
  );
  assert.equal(h.s.exitStatus, 4);
  const j = fakeSession(STEWARD);
  await runLine(j.s, "health --json");
  const parsed = JSON.parse(j.out());
  assert.deepEqual(
    parsed.map((r: { namespec: string; status: string }) => [r.namespec, r.status]),
    [
      ["api", "healthy"],
      ["web:w1", "unhealthy"],
    ],
  );
  assert.equal(parsed[1].failures, 3);
  assert.equal(j.s.exitStatus, 3);
  const none = fakeSession({ ...STEWARD, "steward.getHealth": () => [] });
  await runLine(none.s, "health");
  assert.equal(none.out(), "No process has a healthcheck\n");
  assert.equal(none.s.exitStatus, 0);
});

test("against a server without steward.* (supervisord): deps exits 3, health exits 4, one clear line", async () => {
  const plain = { "supervisor.getAllProcessInfo": PROCS };
  const f = fakeSession(plain);
  await runLine(f.s, "deps");
  assert.equal(f.out(), "this server is not stewardd: it has no steward.* methods\n");
  assert.equal(f.s.exitStatus, 3);
  const g = fakeSession(plain);
  await runLine(g.s, "health api");
  assert.equal(g.out(), "this server is not stewardd: it has no steward.* methods\n");
  assert.equal(g.s.exitStatus, 4);
  const j = fakeSession(plain, true);
  await runLine(j.s, "health");
  assert.deepEqual(JSON.parse(j.out()), [
    { error: "this server is not stewardd: it has no steward.* methods" },
  ]);
});

test("help and completion know deps and health", async () => {
  const f = fakeSession({});
  await runLine(f.s, "help deps");
  assert.match(f.out(), /^deps\t\t\tShow each process's dependencies/);
  const g = fakeSession({});
  await runLine(g.s, "help health");
  assert.match(g.out(), /Exit 0 when all shown are healthy, 3 when one is not/);
  const h = fakeSession({});
  await runLine(h.s, "help");
  assert.match(h.out(), /\bdeps\b/);
  assert.match(h.out(), /\bhealth\b/);
  const procs = () => [
    { group: "api", name: "api" },
    { group: "web", name: "w1" },
  ];
  assert.deepEqual(complete("he", VOCABULARY, COMMANDS, procs), ["help ", "health "]);
  assert.deepEqual(complete("deps ", VOCABULARY, COMMANDS, procs), ["api ", "web:w1 ", "web:* "]);
  assert.deepEqual(complete("health w", VOCABULARY, COMMANDS, procs), ["web:w1 ", "web:* "]);
});

const USAGE = () => [
  {
    name: "api",
    group: "api",
    statename: "RUNNING",
    pid: 42,
    processes: 9,
    rss_kb: 215040,
    cpu_seconds: 75.25,
  },
  { name: "w1", group: "web", statename: "STOPPED", pid: 0, processes: 0, rss_kb: 0, cpu_seconds: 0 },
];

test("usage: sizes and CPU time in short words; a stopped process has none", () => {
  assert.equal(formatKilobytes(512), "512K");
  assert.equal(formatKilobytes(215040), "210.0M");
  assert.equal(formatKilobytes(3 * 1024 * 1024), "3.0G");
  assert.equal(formatCpu(75.25), "0:01:15.3");
  assert.equal(formatCpu(3 * 3600 + 5), "3:00:05.0");
  assert.deepEqual(formatUsageLines(toUsageRecords(USAGE())), [
    "NAME                             STATE          PID  PROCS   MEMORY         CPU",
    "api                              RUNNING         42      9   210.0M   0:01:15.3",
    "web:w1                           STOPPED",
  ]);
});

test("usage against a fake stewardd: names, errors, --json; against supervisord: exit 3", async () => {
  const f = fakeSession({ "steward.getUsage": USAGE });
  await runLine(f.s, "usage web:* nope");
  assert.equal(
    f.out(),
    "nope: ERROR (no such process)\nNAME                             STATE          PID  PROCS   MEMORY         CPU\nweb:w1                           STOPPED\n",
  );
  assert.equal(f.s.exitStatus, 2);
  const j = fakeSession({ "steward.getUsage": USAGE }, true);
  await runLine(j.s, "usage api");
  // the namespec, then every field the server sent
  assert.deepEqual(JSON.parse(j.out()), [{ namespec: "api", ...USAGE()[0] }]);
  const plain = fakeSession({ "supervisor.getAllProcessInfo": PROCS });
  await runLine(plain.s, "usage");
  assert.equal(plain.out(), "this server is not stewardd: it has no steward.* methods\n");
  assert.equal(plain.s.exitStatus, 3);
});
