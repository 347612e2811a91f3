import assert from "node:assert/strict";
import { test } from "node:test";
import type { EventListenerPoolConfig } from "../../../src/config/types.js";
import { EventBus } from "../../../src/daemon/event-bus.js";
import type { ListenerProcess } from "../../../src/daemon/event-pool.js";
import type { ProcessStateName } from "../../../src/process/states.js";

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

class FakeListener implements ListenerProcess {
  state: ProcessStateName = "RUNNING";
  writable = true;
  readonly received: string[] = [];
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  writeStdin(data: Buffer): boolean {
    if (!this.writable) return false;
    this.received.push(data.toString("utf8"));
    return true;
  }
}

function setup(pools: Array<{ name: string; events: string[]; buffer?: number; listeners?: string[] }>) {
  const lines: string[] = [];
  const bus = new EventBus({
    server: () => "supervisor",
    log: () => ({ log: (l, m) => lines.push(`${l}:${m}`) }),
  });
  const made = pools.map((spec) => {
    const config = {
      kind: "eventlistener",
      name: spec.name,
      priority: -1,
      processes: [],
      buffer_size: spec.buffer ?? 10,
      events: spec.events,
      result_handler: "supervisor.dispatchers:default_handler",
    } as EventListenerPoolConfig;
    const pool = bus.addPool(config);
    const listeners = (spec.listeners ?? [spec.name]).map((n) => new FakeListener(n));
    for (const l of listeners) {
      pool.attach(l);
      pool.spawned(l.name);
    }
    return { pool, listeners };
  });
  return { bus, lines, pools: made };
}

test("an event waits for a RUNNING, READY listener, then goes out in supervisord's envelope", async () => {
  const { bus, pools, lines } = setup([{ name: "l", events: ["PROCESS_STATE"] }]);
  const { pool, listeners } = pools[0]!;
  const [l] = listeners as [FakeListener];
  bus.notify("PROCESS_STATE_RUNNING", "processname:a groupname:a from_state:STARTING pid:5");
  await settle();
  assert.equal(l.received.length, 0, "not READY yet");
  pool.output("l", Buffer.from("READY\n"));
  await settle();
  assert.deepEqual(l.received, [
    "ver:3.0 server:supervisor serial:0 pool:l poolserial:0 eventname:PROCESS_STATE_RUNNING len:51\nprocessname:a groupname:a from_state:STARTING pid:5",
  ]);
  assert.equal(pool.listenerState("l"), "BUSY");
  assert.ok(lines.includes("debug:event 0 sent to listener l"));
  bus.notify("TICK_5", "when:5");
  assert.equal(pool.buffered.length, 0, "an event no pool subscribes to takes no serial");
  bus.notify("PROCESS_STATE_EXITED", "x");
  pool.output("l", Buffer.from("RESULT 2\nOKREADY\n"));
  await settle();
  assert.match(
    l.received[1]!,
    /^ver:3\.0 server:supervisor serial:1 pool:l poolserial:1 eventname:PROCESS_STATE_EXITED len:1\nx$/,
  );
});

test("a rejected event goes back to the head of its own pool only, and is sent again", async () => {
  const { bus, pools, lines } = setup([
    { name: "a", events: ["PROCESS_STATE"] },
    { name: "b", events: ["TICK_5"] },
  ]);
  const [a, b] = pools as [(typeof pools)[0], (typeof pools)[0]];
  for (const p of pools) p.pool.output(p.listeners[0]!.name, Buffer.from("READY\n"));
  bus.notify("PROCESS_STATE_STARTING", "one");
  bus.notify("PROCESS_STATE_RUNNING", "two");
  await settle();
  assert.equal(a.listeners[0]!.received.length, 1);
  a.pool.output("a", Buffer.from("RESULT 4\nFAILREADY\n"));
  await settle();
  assert.ok(lines.includes("warn:a: event was rejected"));
  assert.ok(lines.includes("debug:rebuffering event 0 for pool a (buf size=1, max=10)"));
  assert.match(a.listeners[0]!.received[1]!, /serial:0 pool:a poolserial:0 eventname:PROCESS_STATE_STARTING/);
  assert.equal(b.listeners[0]!.received.length, 0, "the other pool never sees it");
  assert.equal(b.pool.buffered.length, 0);
});

test("a full buffer drops the oldest event with supervisord's error line", () => {
  const { bus, pools, lines } = setup([{ name: "l", events: ["EVENT"], buffer: 2 }]);
  for (let i = 0; i < 3; i++) bus.notify("REMOTE_COMMUNICATION", `type:t\n${i}`);
  assert.deepEqual(lines, ["error:pool l event buffer overflowed, discarding event 0"]);
  assert.deepEqual(
    pools[0]!.pool.buffered.map((e) => e.event.serial),
    [1, 2],
  );
});

test("a listener that dies while BUSY gives its event back; EPIPE tries the next listener", async () => {
  const { bus, pools, lines } = setup([{ name: "l", events: ["EVENT"], listeners: ["l_0", "l_1"] }]);
  const { pool, listeners } = pools[0]!;
  const [l0, l1] = listeners as [FakeListener, FakeListener];
  pool.output("l_0", Buffer.from("READY\n"));
  pool.output("l_1", Buffer.from("READY\n"));
  l0.writable = false;
  bus.notify("REMOTE_COMMUNICATION", "type:x\ny");
  await settle();
  assert.ok(
    lines.includes("debug:epipe occurred while sending event 0 to listener l_0, listener state unchanged"),
  );
  assert.equal(l1.received.length, 1);
  pool.exited("l_1");
  assert.equal(pool.buffered.length, 1, "re-buffered when its listener died");
  l0.writable = true;
  await settle();
  assert.equal(l0.received.length, 1, "and sent to the other listener");
});

test("listeners that are not RUNNING get nothing; RUNNING makes them available", async () => {
  const { bus, pools } = setup([{ name: "l", events: ["EVENT"] }]);
  const { pool, listeners } = pools[0]!;
  const l = listeners[0]!;
  l.state = "STARTING";
  pool.output("l", Buffer.from("READY\n"));
  bus.notify("REMOTE_COMMUNICATION", "type:x\ny");
  await settle();
  assert.equal(l.received.length, 0);
  l.state = "RUNNING";
  pool.stateChanged("l", "RUNNING");
  await settle();
  assert.equal(l.received.length, 1);
});
