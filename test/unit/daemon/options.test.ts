import assert from "node:assert/strict";
import { test } from "node:test";
import { permissiveHost } from "../../../src/config/host.js";
import { parseDaemonArgs } from "../../../src/daemon/options.js";

const ctx = {
  env: new Map<string, string>(),
  host: { ...permissiveHost({ homeOf: () => null }), isDirectory: (p: string) => p === "/tmp" },
};

test("supervisord's flags override [supervisord] options", () => {
  assert.deepEqual(
    parseDaemonArgs(
      ["-c", "/etc/s.conf", "-n", "-e", "DEBUG", "-m", "077", "-i", "me", "-q", "/tmp", "--minprocs", "300"],
      ctx,
    ),
    {
      kind: "run",
      configFile: "/etc/s.conf",
      overrides: {
        nodaemon: true,
        loglevel: "debug",
        umask: 0o77,
        identifier: "me",
        childlogdir: "/tmp",
        minprocs: 300,
      },
    },
  );
});

test("help, version and supervisord's usage errors", () => {
  assert.deepEqual(parseDaemonArgs(["-?"], ctx), { kind: "help" });
  assert.deepEqual(parseDaemonArgs(["--vers"], ctx), { kind: "version" });
  assert.deepEqual(parseDaemonArgs(["-e", "loud"], ctx), {
    kind: "error",
    message: "invalid value for -e 'loud': bad logging level name 'loud'",
  });
  assert.deepEqual(parseDaemonArgs(["-c", "a", "-c", "b"], ctx), {
    kind: "error",
    message: "conflicting command line option '-c'",
  });
  assert.deepEqual(parseDaemonArgs(["extra"], ctx), {
    kind: "error",
    message: "positional arguments are not supported: ['extra']",
  });
  assert.deepEqual(parseDaemonArgs(["-q", "/nope"], ctx), {
    kind: "error",
    message: "invalid value for -q '/nope': /nope is not an existing directory",
  });
});
