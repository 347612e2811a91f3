import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { Faults, faultName, faultString, isRpcFault, RpcFault } from "../../../src/rpc/faults.js";

const PYTHON = "/usr/bin/python3";

test("fault names and numbers are supervisord's", () => {
  assert.deepEqual(Faults, {
    UNKNOWN_METHOD: 1,
    INCORRECT_PARAMETERS: 2,
    BAD_ARGUMENTS: 3,
    SIGNATURE_UNSUPPORTED: 4,
    SHUTDOWN_STATE: 6,
    BAD_NAME: 10,
    BAD_SIGNAL: 11,
    NO_FILE: 20,
    NOT_EXECUTABLE: 21,
    FAILED: 30,
    ABNORMAL_TERMINATION: 40,
    SPAWN_ERROR: 50,
    ALREADY_STARTED: 60,
    NOT_RUNNING: 70,
    SUCCESS: 80,
    ALREADY_ADDED: 90,
    STILL_RUNNING: 91,
    CANT_REREAD: 92,
  });
});

test("…and equal Debian's supervisor.xmlrpc.Faults", () => {
  const script =
    "import json\nfrom supervisor.xmlrpc import Faults\nprint(json.dumps({k: v for k, v in vars(Faults).items() if not k.startswith('_')}))";
  const result = spawnSync(PYTHON, ["-c", script], { encoding: "utf8" });
  if (result.status !== 0) return; // supervisor not installed
  assert.deepEqual(JSON.parse(result.stdout), { ...Faults });
});

test("faultString: NAME, or NAME: detail, as RPCError.text; unknown codes are UNKNOWN", () => {
  assert.equal(faultString(Faults.BAD_NAME), "BAD_NAME");
  assert.equal(faultString(Faults.BAD_NAME, "foo"), "BAD_NAME: foo");
  assert.equal(faultString(Faults.FAILED, ""), "FAILED: ");
  assert.equal(faultName(12345), "UNKNOWN");
  assert.equal(faultString(12345, "x"), "UNKNOWN: x");
});

test("RpcFault carries the code and the string; fromWire strings are kept as sent", () => {
  const fault = new RpcFault(Faults.NO_FILE, "can't find command '/x'");
  assert.equal(fault.faultCode, 20);
  assert.equal(fault.faultString, "NO_FILE: can't find command '/x'");
  assert.equal(fault.message, fault.faultString);
  assert.equal(fault.code, "STEWARD_ERR_RPC_FAULT");
  assert.ok(isRpcFault(fault) && fault instanceof Error);
  const wire = new RpcFault(10, { faultString: "whatever the server said" });
  assert.equal(wire.faultString, "whatever the server said");
});
