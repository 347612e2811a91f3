import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ListenerProtocol,
  type ProtocolEffect,
  parseResultLength,
} from "../../../src/events/listener-protocol.js";

const b = (s: string) => Buffer.from(s, "latin1");
const kinds = (effects: readonly ProtocolEffect[]) =>
  effects.map((e) => (e.kind === "log" ? `${e.level}:${e.message}` : e.kind));

test("READY makes an ACKNOWLEDGED listener READY, with supervisord's debug line", () => {
  const p = new ListenerProtocol("l");
  assert.equal(p.state, "ACKNOWLEDGED");
  assert.deepEqual(kinds(p.feed(b("REA"))), [], "fewer than 6 bytes: no decision yet");
  assert.deepEqual(kinds(p.feed(b("DY\n"))), ["debug:l: ACKNOWLEDGED -> READY", "ready"]);
  assert.equal(p.state, "READY");
});

test("anything else first makes it UNKNOWN for good", () => {
  const p = new ListenerProtocol("l");
  assert.deepEqual(kinds(p.feed(b("hello world\n"))), [
    "debug:l: ACKNOWLEDGED -> UNKNOWN",
    "warn:l: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol",
  ]);
  assert.deepEqual(kinds(p.feed(b("READY\n"))), [], "UNKNOWN ignores everything");
  assert.equal(p.state, "UNKNOWN");
});

test("output from a READY listener that was sent nothing is spurious: UNKNOWN", () => {
  const p = new ListenerProtocol("l");
  const effects = kinds(p.feed(b("READY\nREADY\n")));
  assert.deepEqual(effects.slice(0, 3), [
    "debug:l: ACKNOWLEDGED -> READY",
    "ready",
    "debug:l: READY -> UNKNOWN",
  ]);
  assert.equal(p.state, "UNKNOWN");
});

test("RESULT 2 + OK accepts the event; READY in the same write is read at once", () => {
  const p = new ListenerProtocol("l");
  p.feed(b("READY\n"));
  p.sent();
  assert.equal(p.state, "BUSY");
  assert.deepEqual(kinds(p.feed(b("RESULT 2\nOKREADY\n"))), [
    "debug:l: event was processed",
    "debug:l: BUSY -> ACKNOWLEDGED",
    "processed",
    "debug:l: ACKNOWLEDGED -> READY",
    "ready",
  ]);
  assert.equal(p.state, "READY");
});

test("a result split over many writes is assembled", () => {
  const p = new ListenerProtocol("l");
  p.feed(b("READY\n"));
  p.sent();
  for (const piece of ["RES", "ULT ", "4", "\nFA", "I"]) assert.deepEqual(p.feed(b(piece)), []);
  assert.deepEqual(kinds(p.feed(b("L"))), [
    "warn:l: event was rejected",
    "debug:l: BUSY -> ACKNOWLEDGED",
    "rejected",
  ]);
});

test("a bad result line is logged, rejects the event and makes the listener UNKNOWN", () => {
  const p = new ListenerProtocol("l");
  p.feed(b("READY\n"));
  p.sent();
  assert.deepEqual(kinds(p.feed(b("RESULT x\n"))), [
    "warn:l: bad result line: 'RESULT x'",
    "debug:l: BUSY -> UNKNOWN",
    "warn:l: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol",
    "rejected",
  ]);
  const q = new ListenerProtocol("q");
  q.feed(b("READY\n"));
  q.sent();
  assert.equal(
    kinds(q.feed(Buffer.from([0x52, 0xff, 0x0a])))[0],
    "warn:q: bad result line: 'Undecodable: b'R\\xff''",
  );
});

test("sending to a listener that is not READY is a bug", () => {
  assert.throws(() => new ListenerProtocol("l").sent());
});

test("the result length is read as Python's int() reads it", () => {
  assert.equal(parseResultLength(b("2")), 2);
  assert.equal(parseResultLength(b(" 12 ")), 12);
  assert.equal(parseResultLength(b("+3")), 3);
  assert.equal(parseResultLength(b("1_0")), 10);
  assert.equal(parseResultLength(b("")), null);
  assert.equal(parseResultLength(b("1__0")), null);
  assert.equal(parseResultLength(b("2x")), null);
  assert.equal(parseResultLength(b("-1")), null);
  assert.equal(parseResultLength(b("-0")), 0);
});
