import assert from "node:assert/strict";
import { test } from "node:test";
import { Faults, RpcFault } from "../../../src/rpc/faults.js";
import type { XmlRpcValue } from "../../../src/rpc/values.js";
import { type ActionContext, isWebAction, runWebAction } from "../../../src/web/actions.js";

const NOW = new Date(2026, 10, 3, 6, 5, 9);

/** A context whose calls are recorded and answered by `answer` (a fault is thrown). */
function context(
  answer: (method: string, params: readonly XmlRpcValue[]) => XmlRpcValue | RpcFault = () => true,
) {
  const calls: string[] = [];
  const c: ActionContext = {
    call: async (method, params) => {
      calls.push(`${method}(${params.map(String).join(",")})`);
      const result = answer(method, params);
      if (result instanceof RpcFault) throw result;
      return result;
    },
    exists: (spec) => spec === "web" || spec === "g:a",
    now: () => NOW,
  };
  return { c, calls };
}

test("supervisord's messages for each action's success", async () => {
  const { c, calls } = context();
  assert.equal(await runWebAction("start", "web", c), "Process web started");
  assert.equal(await runWebAction("stop", "g:a", c), "Process g:a stopped");
  assert.equal(await runWebAction("restart", "web", c), "Process web restarted");
  assert.equal(await runWebAction("clearlog", "web", c), "Log for web cleared");
  assert.equal(await runWebAction("refresh", "", c), "Page refreshed at Tue Nov  3 06:05:09 2026");
  assert.equal(await runWebAction("stopall", "", c), "All stopped at Tue Nov  3 06:05:09 2026");
  assert.equal(await runWebAction("restartall", "", c), "All restarted at Tue Nov  3 06:05:09 2026");
  assert.deepEqual(calls, [
    "supervisor.startProcess(web,true)",
    "supervisor.stopProcess(g:a,true)",
    "supervisor.stopProcess(web,true)",
    "supervisor.startProcess(web,true)",
    "supervisor.clearProcessLogs(web)",
    "supervisor.stopAllProcesses(true)",
    "supervisor.stopAllProcesses(true)",
    "supervisor.startAllProcesses(true)",
  ]);
});

test("an unknown process is named, and nothing is called", async () => {
  const { c, calls } = context();
  for (const action of ["start", "stop", "restart", "clearlog"] as const)
    assert.equal(await runWebAction(action, "nope", c), "No such process named nope");
  assert.deepEqual(calls, []);
});

test("start faults in supervisord's words; others as unexpected rpc faults", async () => {
  const cases: Array<[number, string]> = [
    [Faults.NO_FILE, "ERROR: Process web: no such file"],
    [Faults.NOT_EXECUTABLE, "ERROR: Process web: file not executable"],
    [Faults.ALREADY_STARTED, "ERROR: Process web: already started"],
    [Faults.SPAWN_ERROR, "ERROR: Process web: spawn error"],
    [Faults.ABNORMAL_TERMINATION, "ERROR: Process web: abnormal termination"],
    [Faults.SHUTDOWN_STATE, "ERROR: Process web: unexpected rpc fault [6] SHUTDOWN_STATE"],
  ];
  for (const [code, message] of cases) {
    const { c } = context(() => new RpcFault(code, code === Faults.SHUTDOWN_STATE ? undefined : "web"));
    assert.equal(await runWebAction("start", "web", c), message);
  }
  const { c } = context(() => new RpcFault(Faults.NOT_RUNNING, "web"));
  assert.equal(await runWebAction("stop", "web", c), "unexpected rpc fault [70] NOT_RUNNING: web");
});

test("restart of a stopped process starts it; a failed start is reported", async () => {
  let { c, calls } = context((method) =>
    method === "supervisor.stopProcess" ? new RpcFault(Faults.NOT_RUNNING, "web") : true,
  );
  assert.equal(await runWebAction("restart", "web", c), "Process web restarted");
  assert.equal(calls.length, 2);
  ({ c, calls } = context((method) =>
    method === "supervisor.startProcess" ? new RpcFault(Faults.SPAWN_ERROR, "web") : true,
  ));
  assert.equal(await runWebAction("restart", "web", c), "ERROR: Process web: spawn error");
});

test("a bug is not turned into a message", async () => {
  const { c } = context(() => {
    throw new TypeError("boom");
  });
  await assert.rejects(runWebAction("stop", "web", c), TypeError);
});

test("the actions supervisord's page knows, and only those", () => {
  for (const a of ["refresh", "stopall", "restartall", "start", "stop", "restart", "clearlog"])
    assert.ok(isWebAction(a));
  for (const a of ["", "shutdown", "START", "reload"]) assert.ok(!isWebAction(a));
});
