import assert from "node:assert/strict";
import { test } from "node:test";
import { ProcTable, parseStat } from "../../../src/process/proc-tree.js";

/** A /proc/PID/stat line with the fields this module reads; the others as the kernel writes them. */
const stat = (
  pid: number,
  comm: string,
  ppid: number,
  utime: number,
  stime: number,
  cutime = 0,
  cstime = 0,
) =>
  `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194304 98 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 1 0 1366002 3133440 390 18446744073709551615 0 0\n`;

test("parseStat reads pid, ppid and the CPU times, whatever the command name holds", () => {
  assert.deepEqual(parseStat(stat(42, "gunicorn", 1, 150, 50, 7, 3)), {
    pid: 42,
    ppid: 1,
    ticks: 200,
    childTicks: 10,
  });
  assert.deepEqual(parseStat(stat(43, "a) (b c", 42, 1, 2)), { pid: 43, ppid: 42, ticks: 3, childTicks: 0 });
  assert.equal(parseStat(""), null);
  assert.equal(parseStat("42 (x"), null);
  assert.equal(parseStat("42 (x) S notanumber"), null);
});

test("a tree follows parent pids from its root, breadth first; other processes are left out", () => {
  const table = new ProcTable(
    [
      stat(1, "init", 0, 0, 0),
      stat(10, "master", 1, 100, 0, 50, 0),
      stat(11, "worker", 10, 30, 0),
      stat(12, "worker", 10, 20, 0),
      stat(13, "setsid child", 11, 5, 5),
      stat(20, "other", 1, 999, 0),
    ]
      .map(parseStat)
      .filter((s) => s !== null),
  );
  assert.deepEqual(table.tree(10), [10, 11, 12, 13]);
  assert.deepEqual(table.tree(13), [13]);
  assert.deepEqual(table.tree(99), []);
  // own time of each member plus the master's reaped children (50 ticks), at 100 ticks a second
  assert.equal(table.cpuSeconds(table.tree(10)), (100 + 50 + 30 + 20 + 10) / 100);
});
