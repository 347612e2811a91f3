/**
 * Events end to end: stewardd runs real event listeners — a Python listener written with
 * supervisor.childutils from Debian's supervisor package, as users write them — and what they receive
 * is checked, where it is deterministic side by side with what Debian's supervisord sends them.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { type Daemon, startDaemon } from "../helpers/daemon.js";
import { FIXTURES } from "../helpers/paths.js";
import { waitUntil } from "../helpers/wait.js";

const PYTHON = "/usr/bin/python3";
const LISTENER = join(FIXTURES, "listeners/record_events.py");

interface Received {
  readonly headers: Record<string, string>;
  readonly payload: string;
  readonly answer: string;
}

function received(file: string): Received[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Received);
}

async function waitReceived(file: string, what: string, done: (r: Received[]) => boolean, timeoutMs = 15000) {
  await waitUntil(what, () => done(received(file)), timeoutMs);
  return received(file);
}

function listener(name: string, events: string, record: string, options = "", mode = "ok"): string {
  return `[eventlistener:${name}]\ncommand=${PYTHON} ${LISTENER} ${record} ${mode}\nevents=${events}\n${options}\n`;
}

const pidless = (payload: string) => payload.replace(/pid:\d+/g, "pid:N");
const summary = (r: readonly Received[], process: string) =>
  r
    .filter((e) => e.payload.startsWith(`processname:${process} `))
    .map((e) => `${e.headers.eventname} ${pidless(e.payload)}`);

async function run(t: TestContext, program: "stewardd" | "supervisord", body: (dir: string) => string) {
  // The record file lives in the daemon's own temp dir: the config names it through %(here)s.
  const d: Daemon = startDaemon(t, body("%(here)s"), { program });
  await d.waitFor(/supervisord started with pid/);
  return d;
}

test("a listener sees the state events of a crashing program, in supervisord's order and words", async (t) => {
  const config = (here: string) =>
    listener("watch", "PROCESS_STATE", `${here}/events.jsonl`, "startsecs=0") +
    // startsecs=5: supervisord notices an exit on its next loop pass; a loaded machine can stall that
    // pass past the default 1 s, and supervisord then reports RUNNING before the exit.
    `[program:crash]\ncommand=/bin/sh -c "exit 3"\nstartretries=1\nstartsecs=5\n` +
    `[program:brief]\ncommand=/bin/sh -c "sleep 0.3; exit 3"\nstartsecs=0\nautorestart=false\n`;
  const results: Record<string, { crash: string[]; brief: string[]; own: string[]; serials: number[] }> = {};
  for (const program of ["stewardd", "supervisord"] as const) {
    const d = await run(t, program, config);
    const file = join(d.dir, "events.jsonl");
    const r = await waitReceived(
      file,
      `${program}: crash FATAL and brief EXITED reached the listener`,
      (all) =>
        summary(all, "crash").some((s) => s.startsWith("PROCESS_STATE_FATAL")) &&
        summary(all, "brief").length >= 3,
    );
    results[program] = {
      crash: summary(r, "crash"),
      brief: summary(r, "brief"),
      own: summary(r, "watch"),
      serials: r.map((e) => Number(e.headers.serial)),
    };
    await d.stop();
  }
  const steward = results.stewardd!;
  assert.deepEqual(steward.crash, [
    "PROCESS_STATE_STARTING processname:crash groupname:crash from_state:STOPPED tries:0",
    "PROCESS_STATE_BACKOFF processname:crash groupname:crash from_state:STARTING tries:1",
    "PROCESS_STATE_STARTING processname:crash groupname:crash from_state:BACKOFF tries:1",
    "PROCESS_STATE_BACKOFF processname:crash groupname:crash from_state:STARTING tries:2",
    "PROCESS_STATE_FATAL processname:crash groupname:crash from_state:BACKOFF",
  ]);
  assert.deepEqual(steward.brief, [
    "PROCESS_STATE_STARTING processname:brief groupname:brief from_state:STOPPED tries:0",
    "PROCESS_STATE_RUNNING processname:brief groupname:brief from_state:STARTING pid:N",
    "PROCESS_STATE_EXITED processname:brief groupname:brief from_state:RUNNING expected:0 pid:N",
  ]);
  assert.deepEqual(steward.own.slice(0, 2), [
    "PROCESS_STATE_STARTING processname:watch groupname:watch from_state:STOPPED tries:0",
    "PROCESS_STATE_RUNNING processname:watch groupname:watch from_state:STARTING pid:N",
  ]);
  assert.deepEqual(
    steward.serials,
    [...steward.serials].sort((a, b) => a - b),
    "serials only grow",
  );
  const reference = results.supervisord!;
  assert.deepEqual(steward.crash, reference.crash, "the same events as supervisord sends");
  assert.deepEqual(steward.brief, reference.brief);
  assert.deepEqual(steward.own.slice(0, 2), reference.own.slice(0, 2));
});

test("a rejected event is sent again, and the protocol is logged as supervisord logs it", async (t) => {
  const d = await run(
    t,
    "stewardd",
    (here) =>
      listener("picky", "PROCESS_STATE_EXITED", `${here}/events.jsonl`, "startsecs=0", "fail-first") +
      `[program:once]\ncommand=/bin/sh -c "sleep 0.2"\nstartsecs=0\nautorestart=false\n`,
  );
  const r = await waitReceived(join(d.dir, "events.jsonl"), "the event twice", (all) => all.length >= 2);
  assert.equal(r[0]!.answer, "FAIL");
  assert.equal(r[1]!.answer, "OK");
  assert.equal(r[1]!.headers.serial, r[0]!.headers.serial, "the same event, same serial");
  assert.equal(r[1]!.headers.poolserial, r[0]!.headers.poolserial);
  assert.equal(r[1]!.payload, r[0]!.payload);
  await d.waitFor(/DEBG picky: event was processed/);
  const log = d.lines.join("\n");
  for (const line of [
    /DEBG picky: ACKNOWLEDGED -> READY/,
    /DEBG event \d+ sent to listener picky/,
    /WARN picky: event was rejected/,
    /DEBG picky: BUSY -> ACKNOWLEDGED/,
    /DEBG rebuffering event \d+ for pool picky \(buf size=0, max=10\)/,
    /DEBG 'picky' stdout output:\nb'READY\\n'/,
  ]) {
    assert.match(log, line);
  }
});

test("a full buffer discards the oldest events with supervisord's error line", async (t) => {
  // The listener only gets events once RUNNING (startsecs=2); meanwhile 7 state events arrive.
  const body = (here: string) =>
    listener("slow", "PROCESS_STATE", `${here}/events.jsonl`, "startsecs=2\nbuffer_size=2") +
    ["a", "b", "c"].map((n) => `[program:${n}]\ncommand=/bin/sleep 100\nstartsecs=0\n`).join("");
  const d = await run(t, "stewardd", body);
  const r = await waitReceived(join(d.dir, "events.jsonl"), "two events", (all) => all.length >= 2);
  await d.waitForCount(/ERRO pool slow event buffer overflowed, discarding event \d+/, 6);
  const serials = d.lines
    .map((l) => /discarding event (\d+)/.exec(l)?.[1])
    .filter((s) => s !== undefined)
    .map(Number);
  assert.deepEqual(serials, [0, 1, 2, 3, 4, 5], "oldest first");
  assert.deepEqual(
    r.slice(0, 2).map((e) => `${e.headers.serial} ${e.headers.eventname} ${e.payload.split(" ")[0]}`),
    ["6 PROCESS_STATE_RUNNING processname:c", "7 PROCESS_STATE_RUNNING processname:slow"],
  );
});

test("two pools get only their own types, TICK_5 included, even when one rejects", async (t) => {
  // supervisord re-buffers a rejected event into every pool whose listeners share its priority, so the
  // TICK-only pool would receive state events there; Steward keeps it in the rejecting pool.
  const body = (here: string) =>
    listener("states", "PROCESS_STATE", `${here}/states.jsonl`, "startsecs=0", "fail-first") +
    listener("ticks", "TICK_5", `${here}/ticks.jsonl`, "startsecs=0") +
    `[program:p]\ncommand=/bin/sleep 100\nstartsecs=0\n`;
  const d = await run(t, "stewardd", body);
  const ticks = await waitReceived(join(d.dir, "ticks.jsonl"), "a TICK_5", (all) => all.length >= 1, 12000);
  // the tick may come first (the next 5 s boundary can be near): wait for the state pool as well
  const states = await waitReceived(
    join(d.dir, "states.jsonl"),
    "the state pool's events",
    (all) => all.length >= 2,
  );
  assert.ok(states.every((e) => e.headers.eventname!.startsWith("PROCESS_STATE_")));
  assert.ok(
    ticks.every((e) => e.headers.eventname === "TICK_5"),
    JSON.stringify(ticks),
  );
  const when = Number(/^when:(\d+)$/.exec(ticks[0]!.payload)?.[1]);
  assert.equal(when % 5, 0);
  assert.ok(Math.abs(Date.now() / 1000 - when) < 6, `the tick is current: ${when}`);
  assert.equal(ticks[0]!.headers.pool, "ticks");
});

test("capture mode sends PROCESS_COMMUNICATION events; *_events_enabled sends PROCESS_LOG events", async (t) => {
  const body = (here: string) =>
    listener("comm", "PROCESS_COMMUNICATION", `${here}/comm.jsonl`, "startsecs=0") +
    listener("logs", "PROCESS_LOG_STDOUT", `${here}/logs.jsonl`, "startsecs=0") +
    `[program:talker]\ncommand=/bin/sh -c 'sleep 1; printf "before<!--XSUPERVISOR:BEGIN-->hello comm<!--XSUPERVISOR:END-->after\\n"; exec sleep 100'\n` +
    `startsecs=0\nstdout_capture_maxbytes=1MB\nstdout_events_enabled=true\n`;
  const d = await run(t, "stewardd", body);
  const comm = await waitReceived(join(d.dir, "comm.jsonl"), "a comm event", (all) => all.length >= 1);
  const pid = /spawned: 'talker' with pid (\d+)/.exec(d.lines.join("\n"))?.[1];
  assert.equal(comm[0]!.headers.eventname, "PROCESS_COMMUNICATION_STDOUT");
  assert.equal(comm[0]!.payload, `processname:talker groupname:talker pid:${pid}\nhello comm`);
  const logs = await waitReceived(
    join(d.dir, "logs.jsonl"),
    "the logged output",
    (all) => all.map((e) => e.payload.split("\n").slice(1).join("\n")).join("") === "beforeafter\n",
  );
  assert.ok(logs.every((e) => e.headers.eventname === "PROCESS_LOG_STDOUT"));
  assert.match(
    logs[0]!.payload,
    new RegExp(`^processname:talker groupname:talker pid:${pid} channel:stdout\\n`),
  );
});

test("sendRemoteCommEvent through supervisorctl's transport reaches REMOTE_COMMUNICATION listeners", async (t) => {
  const body = (here: string) =>
    listener("remote", "REMOTE_COMMUNICATION", `${here}/remote.jsonl`, "startsecs=0") +
    `[unix_http_server]\nfile=${here}/ctl.sock\n` +
    "[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n";
  const d = await run(t, "stewardd", body);
  await d.waitFor(/success: remote entered RUNNING state/);
  const call = spawnSync(
    PYTHON,
    [
      "-c",
      [
        "import sys, xmlrpc.client",
        "from supervisor.xmlrpc import SupervisorTransport",
        "proxy = xmlrpc.client.ServerProxy('http://127.0.0.1', transport=SupervisorTransport(None, None, sys.argv[1]))",
        "print(proxy.supervisor.sendRemoteCommEvent('deploy', 'version 2 ✓'))",
      ].join("\n"),
      `unix://${join(d.dir, "ctl.sock")}`,
    ],
    { encoding: "utf8", timeout: 15000 },
  );
  assert.equal(call.stdout.trim(), "True", call.stderr);
  const r = await waitReceived(join(d.dir, "remote.jsonl"), "the remote event", (all) => all.length >= 1);
  assert.equal(r[0]!.headers.eventname, "REMOTE_COMMUNICATION");
  assert.equal(r[0]!.payload, "type:deploy\nversion 2 ✓");
  assert.equal(r[0]!.headers.len, String("type:deploy\nversion 2 ✓".length), "len counts characters");
});

test("supervisord re-buffers a rejected event into other pools (the bug Steward fixes)", async (t) => {
  const body = (here: string) =>
    listener("states", "PROCESS_STATE", `${here}/states.jsonl`, "startsecs=0", "fail-first") +
    listener("ticks", "TICK_5", `${here}/ticks.jsonl`, "startsecs=0") +
    `[program:p]\ncommand=/bin/sleep 100\nstartsecs=0\n`;
  const d = await run(t, "supervisord", body);
  const leaked = await waitReceived(join(d.dir, "ticks.jsonl"), "supervisord leaking a state event", (all) =>
    all.some((e) => e.headers.eventname!.startsWith("PROCESS_STATE_")),
  );
  assert.ok(leaked.some((e) => e.headers.eventname!.startsWith("PROCESS_STATE_")));
});

test("PROCESS_GROUP and SUPERVISOR_STATE_CHANGE events, as supervisord sends them", async (t) => {
  const body = (here: string) =>
    listener("groups", "PROCESS_GROUP,SUPERVISOR_STATE_CHANGE", `${here}/groups.jsonl`, "startsecs=0") +
    `[unix_http_server]\nfile=${here}/ctl.sock\n[supervisorctl]\nserverurl=unix://${here}/ctl.sock\n` +
    "[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n" +
    // web takes a second to stop, so the listener (stopped last) has time to record STOPPING.
    `[program:web]\ncommand=/bin/sh -c "trap 'sleep 1; exit 0' TERM; while :; do sleep 0.1; done"\nstartsecs=0\n` +
    `[program:worker]\ncommand=/bin/sleep 100\nstartsecs=0\n`;
  const seen: Record<string, string[]> = {};
  for (const program of ["stewardd", "supervisord"] as const) {
    const d = await run(t, program, body);
    const file = join(d.dir, "groups.jsonl");
    const show = (r: Received[]) => r.map((e) => `${e.headers.eventname} ${JSON.stringify(e.payload)}`);
    await waitReceived(file, `${program}: the start-up events`, (all) =>
      all.some((e) => e.headers.eventname === "SUPERVISOR_STATE_CHANGE_RUNNING"),
    );
    const ctl = (...args: string[]) =>
      spawnSync("supervisorctl", ["-c", join(d.dir, "supervisord.conf"), ...args], { encoding: "utf8" });
    assert.match(ctl("stop", "worker").stdout, /worker: stopped/);
    assert.match(ctl("remove", "worker").stdout, /worker: removed process group/);
    await waitReceived(file, `${program}: the removal`, (all) =>
      all.some((e) => e.headers.eventname === "PROCESS_GROUP_REMOVED"),
    );
    await d.stop();
    seen[program] = show(received(file));
  }
  assert.deepEqual(seen.stewardd, [
    'PROCESS_GROUP_ADDED "groupname:groups\\n"',
    'PROCESS_GROUP_ADDED "groupname:web\\n"',
    'PROCESS_GROUP_ADDED "groupname:worker\\n"',
    'SUPERVISOR_STATE_CHANGE_RUNNING ""',
    'PROCESS_GROUP_REMOVED "groupname:worker\\n"',
    'SUPERVISOR_STATE_CHANGE_STOPPING ""',
  ]);
  // Whether supervisord's listener gets STOPPING before it is stopped itself depends on its poll loop.
  const beforeStopping = (events: string[]) =>
    events.filter((e) => !e.startsWith("SUPERVISOR_STATE_CHANGE_STOPPING"));
  assert.deepEqual(beforeStopping(seen.stewardd!), beforeStopping(seen.supervisord!));
});

test("Steward's health events reach only the listeners that name them", async (t) => {
  const body = (here: string) =>
    listener("health", "STEWARD_HEALTH", `${here}/health.jsonl`, "startsecs=0") +
    listener("everything", "EVENT", `${here}/all.jsonl`, "startsecs=0") +
    `[program:svc]\ncommand=/bin/sleep 100\nstartsecs=0\nhealthcheck=exec:true\nhealthcheck_start_interval=1\n`;
  const d = await run(t, "stewardd", body);
  const health = await waitReceived(join(d.dir, "health.jsonl"), "a health event", (all) => all.length >= 1);
  const pid = /spawned: 'svc' with pid (\d+)/.exec(d.lines.join("\n"))?.[1];
  assert.equal(health[0]!.headers.eventname, "STEWARD_HEALTH_HEALTHY");
  assert.equal(health[0]!.payload, `processname:svc groupname:svc pid:${pid}\nexit status 0`);
  const all = await waitReceived(join(d.dir, "all.jsonl"), "svc RUNNING", (r) =>
    r.some(
      (e) => e.headers.eventname === "PROCESS_STATE_RUNNING" && e.payload.startsWith("processname:svc "),
    ),
  );
  assert.ok(
    !all.some((e) => e.headers.eventname!.startsWith("STEWARD_")),
    "EVENT does not include Steward's types",
  );
});
