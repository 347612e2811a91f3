/** The spawner's pure decisions; real children are in test/e2e/spawn-*.test.ts. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parentSideError } from "../../../src/process/spawn-attempt.js";
import { shimScript } from "../../../src/process/spawn-shim.js";
import { type PasswdEntry, planUser, type UserLookup } from "../../../src/process/spawn-user.js";
import { waitStatusFrom } from "../../../src/process/wait-status.js";

const USERS: PasswdEntry[] = [
  { name: "root", uid: 0, gid: 0 },
  { name: "app", uid: 1000, gid: 1000 },
  { name: "nobody", uid: 65534, gid: 65534 },
];
const lookup: UserLookup = {
  byName: (name) => USERS.find((u) => u.name === name) ?? null,
  byUid: (uid) => USERS.find((u) => u.uid === uid) ?? null,
};

test("user=: root switches to the user's uid and primary gid", () => {
  assert.deepEqual(planUser("app", 0, lookup), { kind: "switch", uid: 1000, gid: 1000 });
  assert.deepEqual(planUser("65534", 0, lookup), { kind: "switch", uid: 65534, gid: 65534 });
  assert.deepEqual(planUser(null, 0, lookup), { kind: "keep" });
});

test("user=: the daemon's own user is a no-op, as in drop_privileges", () => {
  assert.deepEqual(planUser("root", 0, lookup), { kind: "keep" });
  assert.deepEqual(planUser("app", 1000, lookup), { kind: "keep" });
});

test("user=: the child reports what supervisord's child writes before exiting 127", () => {
  const fail = (message: string) => ({ kind: "fail", message });
  assert.deepEqual(
    planUser("root", 1000, lookup),
    fail("couldn't setuid to 0: Can't drop privilege as nonroot user"),
  );
  assert.deepEqual(
    planUser("ghost", 0, lookup),
    fail("couldn't setuid to ghost: Can't find username 'ghost'"),
  );
  assert.deepEqual(planUser("4242", 0, lookup), fail("couldn't setuid to 4242: Can't find uid 4242"));
});

test("pipe and fork failures carry supervisord's spawnerr; exec-side errnos are the child's to report", () => {
  const message = (errno: string, stage: "pipes" | "fork") =>
    parentSideError(errno, "web", stage)?.message ?? null;
  assert.equal(message("EMFILE", "pipes"), "too many open files to spawn 'web'");
  assert.equal(message("EMFILE", "fork"), "too many open files to spawn 'web'");
  assert.equal(message("ENFILE", "pipes"), "unknown error making dispatchers for 'web': ENFILE");
  assert.equal(message("ENFILE", "fork"), "unknown error making dispatchers for 'web': ENFILE");
  assert.equal(message("EAGAIN", "fork"), "Too many processes in process table to spawn 'web'");
  assert.equal(message("ENOMEM", "fork"), "unknown error during fork for 'web': ENOMEM");
  for (const errno of ["ENOENT", "EACCES", "ENOEXEC", "ENOTDIR", "E2BIG", "ELOOP"])
    assert.equal(message(errno, "fork"), null);
  assert.equal(parentSideError("EMFILE", "web", "pipes")?.code, "STEWARD_ERR_SPAWN");
});

test("exit events map to WaitStatus (signal names to Linux numbers)", () => {
  assert.deepEqual(waitStatusFrom(3, null), { kind: "exited", code: 3 });
  assert.deepEqual(waitStatusFrom(0, null), { kind: "exited", code: 0 });
  assert.deepEqual(waitStatusFrom(null, "SIGTERM"), { kind: "signaled", signal: 15, coreDumped: false });
  assert.deepEqual(waitStatusFrom(null, "SIGKILL"), { kind: "signaled", signal: 9, coreDumped: false });
  assert.deepEqual(waitStatusFrom(null, "SIGIO"), { kind: "signaled", signal: 29, coreDumped: false });
});

test("the shim closes inherited fds (dash only knows single digits) and keeps argv0 only with bash", () => {
  const bash = shimScript([5, 251], true);
  assert.match(bash, /^exec 5>&- 251>&-$/m);
  assert.match(bash, /^exec -a "\$a" -- "\$f" "\$@"$/m);
  assert.match(bash, /^shopt -s execfail$/m);
  const sh = shimScript([5, 251], false);
  assert.match(sh, /^exec 5>&-$/m);
  assert.match(sh, /^exec "\$f" "\$@"$/m);
  assert.doesNotMatch(shimScript([], true), /^exec \d/m);
});
