import assert from "node:assert/strict";
import { test } from "node:test";
import { KNOWN_EVENT_TYPES } from "../../../src/config/events.js";
import { EventBuffer } from "../../../src/events/event-buffer.js";
import { EVENT_PARENT, isSubscribed } from "../../../src/events/event-types.js";
import {
  envelope,
  processCommunicationPayload,
  processGroupPayload,
  processLogPayload,
  processStatePayload,
  remoteCommunicationPayload,
  tickPayload,
} from "../../../src/events/payloads.js";

test("the hierarchy has exactly the types the config accepts, and subscribing to a parent gets its children", () => {
  assert.deepEqual(new Set(Object.keys(EVENT_PARENT)), KNOWN_EVENT_TYPES);
  assert.ok(isSubscribed(new Set(["EVENT"]), "PROCESS_STATE_RUNNING"));
  assert.ok(isSubscribed(new Set(["PROCESS_STATE"]), "PROCESS_STATE_EXITED"));
  assert.ok(isSubscribed(new Set(["TICK_5"]), "TICK_5"));
  assert.ok(!isSubscribed(new Set(["TICK_5"]), "TICK_60"));
  assert.ok(!isSubscribed(new Set(["PROCESS_STATE"]), "PROCESS_LOG_STDOUT"));
  assert.ok(
    !isSubscribed(new Set(["EVENT"]), "STEWARD_SOMETHING"),
    "types outside the tree are never implied",
  );
});

const base = { processName: "cat", groupName: "cat", pid: 42, tries: 0, expected: true } as const;

test("process state payloads carry supervisord's tokens for each state", () => {
  const p = (from: string, to: string, extra = {}) =>
    processStatePayload({ ...base, from: from as never, to: to as never, ...extra });
  assert.equal(p("STOPPED", "STARTING"), "processname:cat groupname:cat from_state:STOPPED tries:0");
  assert.equal(p("STARTING", "RUNNING"), "processname:cat groupname:cat from_state:STARTING pid:42");
  assert.equal(
    p("STARTING", "BACKOFF", { tries: 2 }),
    "processname:cat groupname:cat from_state:STARTING tries:2",
  );
  assert.equal(p("RUNNING", "STOPPING"), "processname:cat groupname:cat from_state:RUNNING pid:42");
  assert.equal(
    p("RUNNING", "EXITED", { expected: false }),
    "processname:cat groupname:cat from_state:RUNNING expected:0 pid:42",
  );
  assert.equal(p("BACKOFF", "STOPPED", { pid: 0 }), "processname:cat groupname:cat from_state:BACKOFF pid:0");
  assert.equal(p("BACKOFF", "FATAL"), "processname:cat groupname:cat from_state:BACKOFF");
  assert.equal(p("STOPPING", "UNKNOWN"), "processname:cat groupname:cat from_state:STOPPING");
});

test("output payloads: UTF-8 text, or supervisord's Undecodable repr", () => {
  const source = { processName: "p", groupName: "g", pid: 7 };
  assert.equal(
    processLogPayload(source, "stdout", Buffer.from("héllo\n")),
    "processname:p groupname:g pid:7 channel:stdout\nhéllo\n",
  );
  assert.equal(
    processCommunicationPayload(source, Buffer.from([0x61, 0xff])),
    "processname:p groupname:g pid:7\nUndecodable: b'a\\xff'",
  );
  assert.equal(remoteCommunicationPayload("t", "d"), "type:t\nd");
  assert.equal(tickPayload(1700000005), "when:1700000005");
  assert.equal(processGroupPayload("g"), "groupname:g\n");
});

test("the envelope counts the payload in characters, as supervisord 4 does", () => {
  const payload = "processname:x groupname:x pid:1\nöØ";
  const text = envelope({
    server: "supervisor",
    serial: 3,
    pool: "l",
    poolSerial: 1,
    eventName: "PROCESS_LOG_STDOUT",
    payload,
  });
  assert.equal(
    text,
    `ver:3.0 server:supervisor serial:3 pool:l poolserial:1 eventname:PROCESS_LOG_STDOUT len:${payload.length}\n${payload}`,
  );
  assert.equal(Buffer.byteLength(payload) - payload.length, 2, "two characters of two bytes each");
  assert.match(
    envelope({ server: "s", serial: 0, pool: "p", poolSerial: 0, eventName: "E", payload: "😀" }),
    /len:1\n/,
  );
});

test("a full buffer discards its oldest event, at the tail and at the head", () => {
  const buffer = new EventBuffer(2);
  const e = (serial: number) => ({ event: { name: "E", payload: "", serial }, poolSerial: serial });
  assert.equal(buffer.put(e(0), "tail"), null);
  assert.equal(buffer.put(e(1), "tail"), null);
  assert.equal(buffer.put(e(2), "tail")?.event.serial, 0);
  assert.equal(buffer.put(e(9), "head")?.event.serial, 1);
  assert.deepEqual(
    buffer.peek().map((x) => x.event.serial),
    [9, 2],
  );
  assert.equal(buffer.take()?.event.serial, 9);
  assert.throws(() => new EventBuffer(0));
});

test("the buffer behaves as a plain list under random puts and takes", () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (const capacity of [1, 3, 10, 2000]) {
    const buffer = new EventBuffer(capacity);
    const model: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const e = { event: { name: "E", payload: "", serial: i }, poolSerial: i };
      const r = random();
      if (r < 0.45) {
        const dropped = buffer.put(e, "tail");
        const expected = model.length >= capacity ? model.shift() : undefined;
        model.push(i);
        assert.equal(dropped?.event.serial, expected);
      } else if (r < 0.6) {
        const dropped = buffer.put(e, "head");
        const expected = model.length >= capacity ? model.shift() : undefined;
        model.unshift(i);
        assert.equal(dropped?.event.serial, expected);
      } else {
        assert.equal(buffer.take()?.event.serial, model.shift());
      }
      assert.equal(buffer.length, model.length);
    }
    assert.deepEqual(
      buffer.peek().map((e) => e.event.serial),
      model,
    );
  }
});
