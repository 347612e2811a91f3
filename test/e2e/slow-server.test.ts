/**
 * The slow-server fixture (test/fixtures/servers/slow-server.mjs) that readiness and health tests
 * run under the daemon: it comes up after its delay, turns unhealthy on SIGUSR1, healthy on SIGUSR2,
 * and exits 0 on SIGTERM. Every wait is on a line it prints or on its exit.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { get } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { FIXTURES } from "../helpers/paths.js";

const SERVER = join(FIXTURES, "servers/slow-server.mjs");

interface Fixture {
  readonly proc: ChildProcess;
  /** Resolves with the next line printed on stdout that matches (lines already read count). */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  readonly exited: Promise<number | null>;
}

function start(t: TestContext, args: string[]): Fixture {
  const proc = spawn(process.execPath, [SERVER, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  t.after(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill("SIGKILL");
      await exited;
    }
  });
  const unread: string[] = [];
  const printed: string[] = [];
  let wake: (() => void) | null = null;
  let partial = "";
  proc.stdout!.setEncoding("utf8");
  proc.stdout!.on("data", (text: string) => {
    const parts = (partial + text).split("\n");
    partial = parts.pop() ?? "";
    unread.push(...parts);
    printed.push(...parts);
    wake?.();
  });
  let stderr = "";
  proc.stderr!.setEncoding("utf8");
  proc.stderr!.on("data", (text: string) => {
    stderr += text;
  });
  // Its output ends (after the last line) when it exits.
  let ended = false;
  proc.stdout!.once("close", () => {
    ended = true;
    wake?.();
  });
  return {
    proc,
    exited,
    async line(pattern, timeoutMs = 15000) {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        wake?.();
      }, timeoutMs);
      try {
        for (;;) {
          while (unread.length > 0) {
            const next = unread.shift()!;
            if (pattern.test(next)) return next;
          }
          if (ended || timedOut) {
            throw new Error(
              `no line matching ${pattern} (${ended ? "the server exited" : `after ${timeoutMs} ms`})\nstdout: ${printed.join("\n")}\nstderr: ${stderr}`,
            );
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
        }
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    }).on("error", reject);
  });
}

/** "connected" or the connect error's code. */
function tcpConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const portOf = (line: string) => Number(/^listening on 127\.0\.0\.1:(\d+)$/.exec(line)?.[1]);

test("http: listens after its delay; /health follows SIGUSR1 and SIGUSR2; SIGTERM exits 0", async (t) => {
  const spawnedAt = Date.now();
  const f = start(t, ["--port", "0", "--delay-ms", "300", "--http"]);
  const port = portOf(await f.line(/^listening on /));
  assert.ok(port > 0);
  // Not a speed: the server may not listen before its delay is over.
  assert.ok(Date.now() - spawnedAt >= 300);
  assert.deepEqual(await httpGet(port, "/health"), { status: 200, body: "ok\n" });
  assert.equal((await httpGet(port, "/")).status, 200);
  assert.equal((await httpGet(port, "/nothing")).status, 404);

  f.proc.kill("SIGUSR1");
  await f.line(/^unhealthy$/);
  assert.deepEqual(await httpGet(port, "/health"), { status: 503, body: "unhealthy\n" });
  assert.equal((await httpGet(port, "/")).status, 200);

  f.proc.kill("SIGUSR2");
  await f.line(/^healthy$/);
  assert.deepEqual(await httpGet(port, "/health"), { status: 200, body: "ok\n" });

  f.proc.kill("SIGTERM");
  assert.equal(await f.exited, 0);
});

test("tcp: SIGUSR1 closes the listening socket, SIGUSR2 listens again on the same port", async (t) => {
  const f = start(t, ["--port", "0"]);
  const port = portOf(await f.line(/^listening on /));
  assert.equal(await tcpConnect(port), "connected");

  f.proc.kill("SIGUSR1");
  await f.line(/^unhealthy$/);
  assert.equal(await tcpConnect(port), "ECONNREFUSED");

  f.proc.kill("SIGUSR2");
  assert.equal(portOf(await f.line(/^listening on /)), port);
  await f.line(/^healthy$/);
  assert.equal(await tcpConnect(port), "connected");

  f.proc.kill("SIGTERM");
  assert.equal(await f.exited, 0);
});

test("a bad command line: usage, exit status 2", async (t) => {
  const f = start(t, ["--delay-ms", "x"]);
  assert.equal(await f.exited, 2);
});
