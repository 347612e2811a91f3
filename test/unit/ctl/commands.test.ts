/** Commands run against a fake server: output lines and exit statuses as supervisorctl's. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runLine } from "../../../src/ctl/dispatch.js";
import { RpcClientError } from "../../../src/rpc/errors.js";
import { Faults, RpcFault } from "../../../src/rpc/faults.js";
import { fakeSession as fakeCtlSession, type Handler } from "../../helpers/ctl-session.js";

const proc = (group: string, name: string, statename: string, state: number, pid = 0) => ({
  group,
  name,
  statename,
  state,
  pid,
  description: pid ? `pid ${pid}, uptime 0:00:01` : "Not started",
});

/** A fake session whose sleeps advance `clock` (the waits of `wait` and `restart`). */
function fakeSession(
  methods: Record<string, Handler>,
  options: { interactive?: boolean; clock?: { t: number } } = {},
) {
  const clock = options.clock ?? { t: 0 };
  return fakeCtlSession(methods, {
    interactive: options.interactive ?? false,
    io: {
      sleep: async (ms) => {
        clock.t += ms;
      },
      now: () => clock.t,
    },
  });
}

const TABLE = () => [proc("cat", "cat", "RUNNING", 20, 10), proc("off", "off", "STOPPED", 0)];

test("status exits 3 when a shown process is stopped, 0 when all run, 4 for an unknown name", async () => {
  const f = fakeSession({ "supervisor.getAllProcessInfo": TABLE });
  await runLine(f.s, "status");
  assert.equal(f.s.exitStatus, 3);
  assert.match(f.out(), /^off {30}STOPPED {3}Not started$/m);
  const g = fakeSession({ "supervisor.getAllProcessInfo": TABLE });
  await runLine(g.s, "status cat");
  assert.equal(g.s.exitStatus, 0);
  const h = fakeSession({ "supervisor.getAllProcessInfo": TABLE });
  await runLine(h.s, "status nope x:*");
  assert.equal(h.out(), "nope: ERROR (no such process)\nx: ERROR (no such group)\n");
  assert.equal(h.s.exitStatus, 4);
});

test("status --json prints the infos with their namespec", async () => {
  const f = fakeSession({ "supervisor.getAllProcessInfo": TABLE });
  await runLine(f.s, "status --json cat");
  const parsed = JSON.parse(f.out());
  assert.equal(parsed.length, 1);
  assert.equal(parsed[0].namespec, "cat");
  assert.equal(parsed[0].pid, 10);
});

test("start without a name exits 2 with help; stop without a name exits 1", async () => {
  const f = fakeSession({});
  await runLine(f.s, "start");
  assert.match(f.out(), /^Error: start requires a process name\nstart <name>\t\tStart a process\n/);
  assert.equal(f.s.exitStatus, 2);
  const g = fakeSession({});
  await runLine(g.s, "stop");
  assert.equal(g.s.exitStatus, 1);
});

test("start: already started keeps 0, spawn error gives 7, unknown group gives 2", async () => {
  const f = fakeSession({
    "supervisor.startProcess": ([name]) => {
      if (name === "cat") throw new RpcFault(Faults.ALREADY_STARTED, "cat");
      throw new RpcFault(Faults.SPAWN_ERROR, String(name));
    },
    "supervisor.startProcessGroup": () => {
      throw new RpcFault(Faults.BAD_NAME, "x");
    },
  });
  await runLine(f.s, "start cat");
  assert.equal(f.out(), "cat: ERROR (already started)\n");
  assert.equal(f.s.exitStatus, 0);
  await runLine(f.s, "start quick");
  assert.equal(f.s.exitStatus, 7);
  await runLine(f.s, "start x:*");
  assert.match(f.out(), /x: ERROR \(no such group\)\n$/);
  assert.equal(f.s.exitStatus, 2);
});

test("restart --json collects stop and start results", async () => {
  const f = fakeSession({
    "supervisor.stopProcess": () => true,
    "supervisor.startProcess": () => true,
  });
  await runLine(f.s, "restart --json g:a");
  const records = JSON.parse(f.out());
  assert.deepEqual(
    records.map((r: { action: string; namespec: string; message: string }) => [
      r.action,
      r.namespec,
      r.message,
    ]),
    [
      ["stop", "g:a", "stopped"],
      ["start", "g:a", "started"],
    ],
  );
});

test("pid of a stopped process prints 0 and exits 7; an unknown one exits 1", async () => {
  const f = fakeSession({
    "supervisor.getProcessInfo": ([name]) => {
      if (name === "off") return proc("off", "off", "STOPPED", 0);
      throw new RpcFault(Faults.BAD_NAME, String(name));
    },
  });
  await runLine(f.s, "pid off");
  assert.equal(f.s.exitStatus, 7);
  await runLine(f.s, "pid nope");
  assert.equal(f.out(), "0\nNo such process nope\n");
  assert.equal(f.s.exitStatus, 1);
});

test("connection problems are one clear line", async () => {
  const refuse =
    (
      code:
        | "STEWARD_ERR_RPC_REFUSED"
        | "STEWARD_ERR_RPC_NO_SOCKET"
        | "STEWARD_ERR_RPC_PERMISSION"
        | "STEWARD_ERR_RPC_UNAUTHORIZED",
      message: string,
    ) =>
    () => {
      throw new RpcClientError(code, message, { serverurl: "unix:///tmp/x.sock" });
    };
  let f = fakeSession({
    "supervisor.getVersion": refuse("STEWARD_ERR_RPC_REFUSED", "unix:///tmp/x.sock refused connection"),
  });
  await runLine(f.s, "stop a");
  assert.deepEqual([f.out(), f.s.exitStatus], ["unix:///tmp/x.sock refused connection\n", 4]);
  f = fakeSession({
    "supervisor.getVersion": refuse("STEWARD_ERR_RPC_NO_SOCKET", "unix:///tmp/x.sock no such file"),
  });
  await runLine(f.s, "status");
  assert.deepEqual([f.out(), f.s.exitStatus], ["unix:///tmp/x.sock no such file\n", 4]);
  f = fakeSession({
    "supervisor.getVersion": refuse("STEWARD_ERR_RPC_PERMISSION", "unix:///tmp/x.sock: permission denied"),
  });
  await runLine(f.s, "status");
  assert.deepEqual([f.out(), f.s.exitStatus], ["unix:///tmp/x.sock: permission denied\n", 1]);
  f = fakeSession({
    "supervisor.getVersion": refuse("STEWARD_ERR_RPC_UNAUTHORIZED", "Server requires authentication"),
  });
  await runLine(f.s, "status");
  assert.deepEqual([f.out(), f.s.exitStatus], ["Server requires authentication\n", 1]);
  f = fakeSession({
    "supervisor.reloadConfig": refuse("STEWARD_ERR_RPC_REFUSED", "unix:///tmp/x.sock refused connection"),
  });
  await runLine(f.s, "reread");
  assert.deepEqual([f.out(), f.s.exitStatus], ["unix:///tmp/x.sock refused connection\n", 1]);
});

test("an unhandled fault prints supervisorctl's error line and exits 1", async () => {
  const f = fakeSession({
    "supervisor.reloadConfig": () => {
      throw new RpcFault(Faults.CANT_REREAD, "boom");
    },
  });
  await runLine(f.s, "update");
  assert.equal(f.out(), "error: <class 'xmlrpc.client.Fault'>, <Fault 92: 'CANT_REREAD: boom'>\n");
  assert.equal(f.s.exitStatus, 1);
});

test("wait: 0 once RUNNING, 7 at FATAL, 1 at the timeout, 2 for an unknown name", async () => {
  let calls = 0;
  const f = fakeSession({
    "supervisor.getAllProcessInfo": () => {
      calls++;
      return [calls < 3 ? proc("a", "a", "STARTING", 10) : proc("a", "a", "RUNNING", 20, 5)];
    },
  });
  await runLine(f.s, "wait a");
  assert.equal(f.s.exitStatus, 0);
  assert.equal(calls, 3);
  const fatal = fakeSession({ "supervisor.getAllProcessInfo": () => [proc("a", "a", "FATAL", 200)] });
  await runLine(fatal.s, "wait a");
  assert.equal(fatal.s.exitStatus, 7);
  const clock = { t: 0 };
  const slow = fakeSession(
    { "supervisor.getAllProcessInfo": () => [proc("a", "a", "STARTING", 10)] },
    { clock },
  );
  await runLine(slow.s, "wait --timeout 2 a");
  assert.equal(slow.s.exitStatus, 1);
  assert.equal(clock.t, 2000);
  assert.match(slow.err(), /timed out/);
  const unknown = fakeSession({ "supervisor.getAllProcessInfo": () => [] });
  await runLine(unknown.s, "wait b");
  assert.equal(unknown.s.exitStatus, 2);
});

test("help, unknown syntax, quit", async () => {
  const f = fakeSession({});
  await runLine(f.s, "help help");
  assert.equal(
    f.out(),
    "help\t\tPrint a list of available actions\nhelp <action>\tPrint help for <action>\n",
  );
  await runLine(f.s, "help nope");
  assert.match(f.out(), /\*\*\* No help on nope\n$/);
  assert.equal(f.s.exitStatus, 0);
  await runLine(f.s, "bogus x");
  assert.match(f.out(), /\*\*\* Unknown syntax: bogus x\n$/);
  assert.equal(f.s.exitStatus, 1);
  assert.equal(await runLine(f.s, "quit"), true);
});
