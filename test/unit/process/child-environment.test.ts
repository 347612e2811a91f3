import assert from "node:assert/strict";
import { test } from "node:test";
import { type ChildEnvironmentInput, childEnvironment } from "../../../src/process/child-environment.js";

function input(
  overrides: Partial<ChildEnvironmentInput["process"]> = {},
  defaultServerurl: string | null = null,
) {
  return {
    daemonEnvironment: { PATH: "/usr/bin", HOME: "/root", UNSET: undefined },
    process: { name: "web_01", group_name: "web", serverurl: null, environment: {}, ...overrides },
    defaultServerurl,
  };
}

test("the daemon's environment plus the SUPERVISOR_* variables, in Python's dict order", () => {
  const env = childEnvironment(input({}, "unix:///tmp/supervisor.sock"));
  assert.deepEqual(Object.entries(env), [
    ["PATH", "/usr/bin"],
    ["HOME", "/root"],
    ["SUPERVISOR_ENABLED", "1"],
    ["SUPERVISOR_SERVER_URL", "unix:///tmp/supervisor.sock"],
    ["SUPERVISOR_PROCESS_NAME", "web_01"],
    ["SUPERVISOR_GROUP_NAME", "web"],
  ]);
});

test("SUPERVISOR_SERVER_URL: the program's serverurl, else the computed one, else unset", () => {
  assert.equal(
    childEnvironment(input({ serverurl: "http://127.0.0.1:9001" }, "unix:///s")).SUPERVISOR_SERVER_URL,
    "http://127.0.0.1:9001",
  );
  assert.equal(childEnvironment(input({}, "unix:///s")).SUPERVISOR_SERVER_URL, "unix:///s");
  assert.equal("SUPERVISOR_SERVER_URL" in childEnvironment(input()), false);
  // An explicit empty serverurl= is falsy in Python: nothing is set, not even the computed one.
  assert.equal("SUPERVISOR_SERVER_URL" in childEnvironment(input({ serverurl: "" }, "unix:///s")), false);
});

test("environment= overrides everything, the SUPERVISOR_* variables included", () => {
  const env = childEnvironment(
    input({ environment: { HOME: "/srv", SUPERVISOR_ENABLED: "0", SUPERVISOR_PROCESS_NAME: "x", NEW: "1" } }),
  );
  assert.equal(env.HOME, "/srv");
  assert.equal(env.SUPERVISOR_ENABLED, "0");
  assert.equal(env.SUPERVISOR_PROCESS_NAME, "x");
  assert.equal(env.NEW, "1");
  assert.equal(Object.keys(env).at(-1), "NEW");
});

test("a daemon variable already named SUPERVISOR_* keeps its place and takes the new value", () => {
  const env = childEnvironment({
    ...input(),
    daemonEnvironment: { SUPERVISOR_ENABLED: "stale", PATH: "/bin" },
  });
  assert.deepEqual(Object.keys(env).slice(0, 2), ["SUPERVISOR_ENABLED", "PATH"]);
  assert.equal(env.SUPERVISOR_ENABLED, "1");
});
