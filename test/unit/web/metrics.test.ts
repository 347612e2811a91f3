import assert from "node:assert/strict";
import { test } from "node:test";
import { type MetricsProcess, metricsText } from "../../../src/web/metrics.js";

const proc = (over: Partial<MetricsProcess> = {}): MetricsProcess => ({
  group: "web",
  name: "web",
  statename: "RUNNING",
  pid: 42,
  start: 1700000000,
  exitstatus: 0,
  spawns: 3,
  health: null,
  usage: null,
  ...over,
});

const text = (processes: MetricsProcess[]) =>
  metricsText({ version: "0.1.0", identifier: "bk", startTime: 1690000000, residentBytes: 1234, processes });

/** Every sample line as name{labels} → value; checks that each family has HELP and TYPE first. */
function samples(body: string): Map<string, number> {
  const out = new Map<string, number>();
  const declared = new Set<string>();
  for (const line of body.trimEnd().split("\n")) {
    const meta = /^# (HELP|TYPE) (\w+) /.exec(line);
    if (meta) {
      declared.add(meta[2]!);
      continue;
    }
    const m = /^(\w+)(\{.*\})? (-?\d+(?:\.\d+)?)$/.exec(line);
    assert.ok(m, `a sample line: ${line}`);
    assert.ok(declared.has(m[1]!), `${m[1]} declared before its samples`);
    out.set(`${m[1]}${m[2] ?? ""}`, Number(m[3]));
  }
  return out;
}

test("the daemon's and each process's series", () => {
  const s = samples(
    text([proc(), proc({ group: "g", name: "b", statename: "BACKOFF", pid: 0, spawns: 5, exitstatus: 1 })]),
  );
  assert.equal(s.get('steward_info{version="0.1.0",identifier="bk"}'), 1);
  assert.equal(s.get("steward_start_time_seconds"), 1690000000);
  assert.equal(s.get("steward_resident_memory_bytes"), 1234);
  assert.equal(s.get('steward_process_up{group="web",name="web"}'), 1);
  assert.equal(s.get('steward_process_up{group="g",name="b"}'), 0);
  assert.equal(s.get('steward_process_state{group="g",name="b",state="BACKOFF"}'), 1);
  assert.equal(s.get('steward_process_state{group="g",name="b",state="RUNNING"}'), 0);
  assert.equal([...s.keys()].filter((k) => k.startsWith('steward_process_state{group="web"')).length, 8);
  assert.equal(s.get('steward_process_spawns_total{group="g",name="b"}'), 5);
  assert.equal(s.get('steward_process_pid{group="web",name="web"}'), 42);
  assert.equal(s.get('steward_process_exit_status{group="g",name="b"}'), 1);
  assert.equal(s.get('steward_process_start_time_seconds{group="web",name="web"}'), 1700000000);
  assert.ok(
    ![...s.keys()].some((k) => k.startsWith("steward_process_healthy{")),
    "no health series without a check",
  );
});

test("health series only for processes with a check", () => {
  const s = samples(
    text([
      proc({ health: { status: "unhealthy", failures: 2 } }),
      proc({ name: "x", group: "x", health: { status: "healthy", failures: 0 } }),
      proc({ name: "y", group: "y" }),
    ]),
  );
  assert.equal(s.get('steward_process_healthy{group="web",name="web"}'), 0);
  assert.equal(s.get('steward_process_health_failures{group="web",name="web"}'), 2);
  assert.equal(s.get('steward_process_healthy{group="x",name="x"}'), 1);
  assert.equal(s.get('steward_process_healthy{group="y",name="y"}'), undefined);
});

test("label values are escaped", () => {
  const body = text([proc({ group: 'a"b\\c', name: "n\nm" })]);
  assert.match(body, /steward_process_up\{group="a\\"b\\\\c",name="n\\nm"\} 1/);
  assert.equal(body.split("\n").filter((l) => l.startsWith("steward_process_up")).length, 1);
});

test("CPU, memory and process count of each running tree; none for a process that is not running", () => {
  const s = samples(
    text([
      proc({ usage: { cpuSeconds: 1.234, residentBytes: 4096000, processes: 9 } }),
      proc({ group: "off", name: "off", statename: "STOPPED", pid: 0 }),
    ]),
  );
  assert.equal(s.get('steward_process_cpu_seconds_total{group="web",name="web"}'), 1.23);
  assert.equal(s.get('steward_process_resident_memory_bytes{group="web",name="web"}'), 4096000);
  assert.equal(s.get('steward_process_tree_processes{group="web",name="web"}'), 9);
  assert.equal(s.get('steward_process_tree_processes{group="off",name="off"}'), undefined);
});
