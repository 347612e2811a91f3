import assert from "node:assert/strict";
import { test } from "node:test";
import { describeProcess, formatStopTime, formatUptime } from "../../../src/process/describe.js";

test("uptime is printed like Python's timedelta", () => {
  assert.equal(formatUptime(5), "0:00:05");
  assert.equal(formatUptime(12 * 3600 + 34 * 60 + 56), "12:34:56");
  assert.equal(formatUptime(86400 + 5), "1 day, 0:00:05");
  assert.equal(formatUptime(3 * 86400 + 2 * 3600 + 60), "3 days, 2:01:00");
  assert.equal(formatUptime(-4), "0:00:00");
});

test("stop time is %b %d %I:%M %p in local time", () => {
  assert.equal(formatStopTime(new Date(2026, 10, 28, 13, 10)), "Nov 28 01:10 PM");
  assert.equal(formatStopTime(new Date(2026, 0, 5, 0, 7)), "Jan 05 12:07 AM");
});

test("descriptions per state", () => {
  const base = { pid: 42, start: 1000, stop: 0, now: 1065, spawnerr: "", name: "web" };
  assert.equal(describeProcess({ ...base, state: "RUNNING" }), "pid 42, uptime 0:01:05");
  assert.equal(describeProcess({ ...base, state: "STOPPED", start: 0 }), "Not started");
  assert.equal(describeProcess({ ...base, state: "FATAL" }), 'unknown error (try "tail web")');
  assert.equal(
    describeProcess({
      ...base,
      state: "BACKOFF",
      spawnerr: "Exited too quickly (process log may have details)",
    }),
    "Exited too quickly (process log may have details)",
  );
  assert.equal(describeProcess({ ...base, state: "STARTING" }), "");
});
