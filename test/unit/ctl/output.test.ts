import assert from "node:assert/strict";
import { test } from "node:test";
import { ExitCodes, exitAfterResult } from "../../../src/ctl/exit-codes.js";
import {
  clearResultMessage,
  columnize,
  faultErrorLine,
  formatChanges,
  formatConfigInfo,
  formatStatusLines,
  signalResultMessage,
  startResultMessage,
} from "../../../src/ctl/output.js";
import type { ProcessInfo } from "../../../src/ctl/records.js";
import { Faults } from "../../../src/rpc/faults.js";

const info = (group: string, name: string, statename: string, description: string): ProcessInfo => ({
  group,
  name,
  statename,
  state: 0,
  description,
  pid: 0,
  raw: {},
});

test("status columns: namespec padded to 33, state to 10, empty description keeps trailing spaces", () => {
  assert.deepEqual(
    formatStatusLines([
      info("cat", "cat", "STARTING", ""),
      info("g", "a", "RUNNING", "pid 1, uptime 0:00:01"),
    ]),
    [
      "cat                              STARTING  ",
      "g:a                              RUNNING   pid 1, uptime 0:00:01",
    ],
  );
});

test("status columns widen to the longest namespec plus 3", () => {
  const long = "x".repeat(40);
  const [line] = formatStatusLines([info(long, long, "STOPPED", "Not started")]);
  assert.equal(line, `${long}   STOPPED   Not started`);
});

test("start result messages", () => {
  const r = (status: number) => ({ group: "g", name: "p", status, description: "" });
  assert.equal(startResultMessage(r(Faults.SUCCESS)), "g:p: started");
  assert.equal(startResultMessage(r(Faults.ALREADY_STARTED)), "g:p: ERROR (already started)");
  assert.equal(startResultMessage(r(Faults.SPAWN_ERROR)), "g:p: ERROR (spawn error)");
  assert.equal(startResultMessage(r(Faults.NO_FILE)), "g:p: ERROR (no such file)");
  assert.equal(startResultMessage(r(Faults.NOT_EXECUTABLE)), "g:p: ERROR (file is not executable)");
  assert.equal(startResultMessage(r(Faults.ABNORMAL_TERMINATION)), "g:p: ERROR (abnormal termination)");
  assert.equal(startResultMessage(r(Faults.BAD_NAME)), "g:p: ERROR (no such process)");
  assert.equal(startResultMessage(r(Faults.FAILED)), null);
});

test("stop/signal/clear result messages; FAILED prints the fault string", () => {
  const r = (status: number, description = "") => ({ group: "p", name: "p", status, description });
  assert.equal(signalResultMessage(r(Faults.SUCCESS), "stopped"), "p: stopped");
  assert.equal(signalResultMessage(r(Faults.SUCCESS)), "p: signalled");
  assert.equal(signalResultMessage(r(Faults.NOT_RUNNING)), "p: ERROR (not running)");
  assert.equal(signalResultMessage(r(Faults.BAD_SIGNAL)), "p: ERROR (bad signal name)");
  assert.equal(signalResultMessage(r(Faults.FAILED, "FAILED: boom")), "FAILED: boom");
  assert.equal(clearResultMessage(r(Faults.SUCCESS)), "p: cleared");
  assert.equal(clearResultMessage(r(Faults.FAILED)), "p: ERROR (failed)");
});

test("exit status per result: ignored and SUCCESS keep it, dead faults 7, others 1, last wins", () => {
  assert.equal(exitAfterResult(0, Faults.SUCCESS), 0);
  assert.equal(exitAfterResult(0, Faults.ALREADY_STARTED, Faults.ALREADY_STARTED), 0);
  assert.equal(exitAfterResult(0, Faults.SPAWN_ERROR), ExitCodes.NOT_RUNNING);
  assert.equal(exitAfterResult(0, Faults.NOT_RUNNING), 7);
  assert.equal(exitAfterResult(7, Faults.BAD_NAME), 1);
  assert.equal(exitAfterResult(1, Faults.ABNORMAL_TERMINATION), 7);
});

test("avail line layout", () => {
  assert.equal(
    formatConfigInfo({
      group: "grp",
      name: "exit0",
      inuse: false,
      autostart: true,
      group_prio: 5,
      process_prio: 999,
      raw: {},
    }),
    "grp:exit0                        avail     auto      5:999",
  );
});

test("reread changes sorted by name, or the no-change line", () => {
  assert.deepEqual(formatChanges(["b"], ["a"], ["c"]), ["a: changed", "b: available", "c: disappeared"]);
  assert.deepEqual(formatChanges([], [], []), ["No config updates to processes"]);
});

test("columnize reproduces supervisorctl's help table", () => {
  const names =
    "add avail clear exit fg maintail open pid quit reload remove reread restart shutdown signal start status stop tail update version".split(
      " ",
    );
  assert.deepEqual(columnize(names, 79), [
    "add    exit      open  reload  restart   start   tail   ",
    "avail  fg        pid   remove  shutdown  status  update ",
    "clear  maintail  quit  reread  signal    stop    version",
  ]);
});

test("an unhandled fault reads as supervisorctl's error line", () => {
  assert.equal(
    faultErrorLine(6, "SHUTDOWN_STATE"),
    "error: <class 'xmlrpc.client.Fault'>, <Fault 6: 'SHUTDOWN_STATE'>",
  );
});
