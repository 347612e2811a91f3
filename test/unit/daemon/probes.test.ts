/**
 * runProbe against real local servers: TCP and HTTP(S) on ephemeral ports, shell commands, and a
 * small XML-RPC server on a unix socket standing in for another supervisord. The timeouts in
 * here are the probes' own (what is tested); the tests wait only for events.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createTcpServer, type Server as NetServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import type { ProbeSpec } from "../../../src/config/types.js";
import { type ProbeContext, runProbe } from "../../../src/daemon/probes.js";
import { decodeRequest, encodeFault, encodeResponse } from "../../../src/rpc/codec.js";
import { Faults, faultString } from "../../../src/rpc/faults.js";
import { isAlive } from "../../helpers/daemon.js";
import { waitUntil } from "../../helpers/wait.js";

const CTX: ProbeContext = { timeoutMs: 10000 };

const tcp = (port: number, host = "127.0.0.1"): ProbeSpec & { kind: "tcp" } => ({
  kind: "tcp",
  text: `tcp://${host}:${port}`,
  host,
  port,
});
const http = (url: string, expect: number | null = null): ProbeSpec & { kind: "http" } => ({
  kind: "http",
  text: url,
  url,
  expect,
});
const exec = (command: string): ProbeSpec & { kind: "exec" } => ({ kind: "exec", text: command, command });
const program = (
  name: string,
  serverurl: string,
  username: string | null = null,
  password: string | null = null,
): ProbeSpec & { kind: "program" } => ({
  kind: "program",
  text: `program:${name}@${serverurl}`,
  name,
  serverurl,
  username,
  password,
});

/** Listens on 127.0.0.1, an ephemeral port; closed (connections too) after the test. */
async function listen<S extends NetServer | Server>(t: TestContext, server: S): Promise<number> {
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  t.after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const address = server.address();
  assert.ok(address !== null && typeof address === "object");
  return address.port;
}

/** A port nothing listens on: one just used and closed. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

function httpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  return createHttpServer(handler);
}

describe("tcp", () => {
  test("a listening port: connected, and the connection is closed again", async (t) => {
    const server = createTcpServer();
    const port = await listen(t, server);
    const closed = new Promise<void>((resolve) =>
      server.once("connection", (s: Socket) => {
        s.resume();
        s.once("close", () => resolve());
      }),
    );
    assert.deepEqual(await runProbe(tcp(port), CTX), { ok: true, detail: "connected" });
    await closed;
  });

  test("a port nobody listens on: connection refused", async () => {
    assert.deepEqual(await runProbe(tcp(await closedPort()), CTX), {
      ok: false,
      detail: "connection refused",
    });
  });

  test("a host that does not resolve: unknown host", async () => {
    assert.deepEqual(await runProbe(tcp(80, "no-such-host.invalid"), CTX), {
      ok: false,
      detail: "unknown host no-such-host.invalid",
    });
  });

  test("a port out of range is a failed check, not an exception", async () => {
    assert.deepEqual(await runProbe(tcp(70000), CTX), { ok: false, detail: "bad port 70000" });
  });
});

describe("http", () => {
  const statusServer = () =>
    httpServer((req, res) => {
      const status = Number(req.url?.slice(1)) || 200;
      res.writeHead(status, status === 302 ? { Location: "/200" } : {});
      res.end(`status ${status}\n`);
    });

  test("2xx is ok, anything else is not; the detail is the status", async (t) => {
    const port = await listen(t, statusServer());
    const base = `http://127.0.0.1:${port}`;
    assert.deepEqual(await runProbe(http(`${base}/200`), CTX), { ok: true, detail: "HTTP 200" });
    assert.deepEqual(await runProbe(http(`${base}/204`), CTX), { ok: true, detail: "HTTP 204" });
    assert.deepEqual(await runProbe(http(`${base}/503`), CTX), { ok: false, detail: "HTTP 503" });
    assert.deepEqual(await runProbe(http(`${base}/404`), CTX), { ok: false, detail: "HTTP 404" });
  });

  test("redirects are not followed", async (t) => {
    const port = await listen(t, statusServer());
    assert.deepEqual(await runProbe(http(`http://127.0.0.1:${port}/302`), CTX), {
      ok: false,
      detail: "HTTP 302",
    });
  });

  test("expect: only that status is ok", async (t) => {
    const port = await listen(t, statusServer());
    const base = `http://127.0.0.1:${port}`;
    assert.deepEqual(await runProbe(http(`${base}/503`, 503), CTX), { ok: true, detail: "HTTP 503" });
    assert.deepEqual(await runProbe(http(`${base}/200`, 503), CTX), { ok: false, detail: "HTTP 200" });
    assert.deepEqual(await runProbe(http(`${base}/302`, 302), CTX), { ok: true, detail: "HTTP 302" });
  });

  test("a GET of the URL's path and query", async (t) => {
    let seen = "";
    const port = await listen(
      t,
      httpServer((req, res) => {
        seen = `${req.method} ${req.url}`;
        res.end();
      }),
    );
    await runProbe(http(`http://localhost:${port}/health?deep=1`), CTX);
    assert.equal(seen, "GET /health?deep=1");
  });

  test("a body that does not end: done after the first few KB", async (t) => {
    const port = await listen(
      t,
      httpServer((_req, res) => {
        res.writeHead(200);
        res.write(Buffer.alloc(64 * 1024, "x"));
        // …and nothing more, the answer is left open.
      }),
    );
    assert.deepEqual(await runProbe(http(`http://127.0.0.1:${port}/`), CTX), {
      ok: true,
      detail: "HTTP 200",
    });
  });

  test("a server that does not answer: timed out, and the connection is closed", async (t) => {
    const server = httpServer(() => {});
    const port = await listen(t, server);
    const closed = new Promise<void>((resolve) =>
      server.once("connection", (s: Socket) => s.once("close", () => resolve())),
    );
    assert.deepEqual(await runProbe(http(`http://127.0.0.1:${port}/`), { timeoutMs: 300 }), {
      ok: false,
      detail: "timed out after 0.3 s",
    });
    await closed;
  });

  test("connection refused, bad URLs", async () => {
    const port = await closedPort();
    assert.deepEqual(await runProbe(http(`http://127.0.0.1:${port}/`), CTX), {
      ok: false,
      detail: "connection refused",
    });
    assert.deepEqual(await runProbe(http("ftp://example.com/"), CTX), {
      ok: false,
      detail: "unsupported URL scheme ftp:",
    });
    assert.deepEqual(await runProbe(http("not a url"), CTX), { ok: false, detail: "bad URL not a url" });
  });

  test("https verifies the certificate: a self-signed one fails", async (t) => {
    const port = await listen(
      t,
      createHttpsServer({ key: SELF_SIGNED_KEY, cert: SELF_SIGNED_CERT }, (_req, res) => res.end("ok")),
    );
    const result = await runProbe(http(`https://localhost:${port}/`), CTX);
    assert.equal(result.ok, false);
    assert.match(result.detail, /^TLS: self[- ]signed certificate/);
  });
});

describe("exec", () => {
  const tmp = () => mkdtempSync(join(tmpdir(), "steward-probe-"));

  test("exit 0 is ok; the detail names the status and the first line of output", async () => {
    assert.deepEqual(await runProbe(exec("true"), CTX), { ok: true, detail: "exit status 0" });
    assert.deepEqual(await runProbe(exec("echo; echo ready; echo more"), CTX), {
      ok: true,
      detail: "exit status 0: ready",
    });
  });

  test("a non-zero exit fails; stderr's first line comes before stdout's", async () => {
    assert.deepEqual(await runProbe(exec("exit 1"), CTX), { ok: false, detail: "exit status 1" });
    assert.deepEqual(await runProbe(exec("echo out; echo 'no database' >&2; exit 3"), CTX), {
      ok: false,
      detail: "exit status 3: no database",
    });
    assert.deepEqual(await runProbe(exec("echo only stdout; exit 2"), CTX), {
      ok: false,
      detail: "exit status 2: only stdout",
    });
  });

  test("a long line is cut to 200 characters", async () => {
    const { detail } = await runProbe(exec("printf '%0300d\\n' 0; exit 1"), CTX);
    assert.equal(detail, `exit status 1: ${"0".repeat(200)}…`);
  });

  test("death by a signal", async () => {
    assert.deepEqual(await runProbe(exec("kill -TERM $$"), CTX), { ok: false, detail: "killed by SIGTERM" });
  });

  test("the environment given is the whole environment; the directory given is its cwd", async () => {
    const dir = tmp();
    const result = await runProbe(exec('test "$FOO" = bar && test -z "$HOME" && test "$(pwd)" = "$DIR"'), {
      timeoutMs: 10000,
      env: { FOO: "bar", DIR: dir, PATH: "/usr/bin:/bin" },
      cwd: dir,
    });
    assert.deepEqual(result, { ok: true, detail: "exit status 0" });
  });

  test("a directory that does not exist", async () => {
    assert.deepEqual(await runProbe(exec("true"), { timeoutMs: 10000, cwd: "/nonexistent/dir" }), {
      ok: false,
      detail: "no such directory /nonexistent/dir",
    });
  });

  test("at the timeout the command and its children are killed", async () => {
    const dir = tmp();
    const result = await runProbe(exec(`sleep 1000 & echo $! > ${dir}/pid; wait`), { timeoutMs: 1500 });
    assert.deepEqual(result, { ok: false, detail: "timed out after 1.5 s" });
    const pid = Number(readFileSync(join(dir, "pid"), "utf8"));
    assert.ok(pid > 0);
    await waitUntil(`sleep (pid ${pid}) is gone`, () => !isAlive(pid));
  });

  test("what the command left running in the background is killed when it exits", async () => {
    const dir = tmp();
    const result = await runProbe(exec(`sleep 1000 & echo $! > ${dir}/pid; exit 0`), CTX);
    assert.deepEqual(result, { ok: true, detail: "exit status 0" });
    const pid = Number(readFileSync(join(dir, "pid"), "utf8"));
    await waitUntil(`sleep (pid ${pid}) is gone`, () => !isAlive(pid));
  });

  test("cancelled in flight: cancelled, and nothing survives", async () => {
    const dir = tmp();
    const pidFile = join(dir, "pid");
    const controller = new AbortController();
    const running = runProbe(
      exec(`sleep 1000 & echo $! > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}; wait`),
      {
        timeoutMs: 60000,
        signal: controller.signal,
      },
    );
    let pid = 0;
    await waitUntil("the probe started its sleep", () => {
      try {
        pid = Number(readFileSync(pidFile, "utf8"));
        return pid > 0;
      } catch {
        return false;
      }
    });
    controller.abort();
    assert.deepEqual(await running, { ok: false, detail: "cancelled" });
    await waitUntil(`sleep (pid ${pid}) is gone`, () => !isAlive(pid));
  });
});

describe("cancelling", () => {
  test("an AbortSignal already aborted: cancelled at once, nothing is run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "steward-probe-"));
    const controller = new AbortController();
    controller.abort();
    const result = await runProbe(exec(`touch ${dir}/ran`), { timeoutMs: 10000, signal: controller.signal });
    assert.deepEqual(result, { ok: false, detail: "cancelled" });
    assert.throws(() => readFileSync(join(dir, "ran")));
  });

  test("an HTTP check waiting for its answer", async (t) => {
    const controller = new AbortController();
    const server = httpServer(() => controller.abort());
    const port = await listen(t, server);
    assert.deepEqual(
      await runProbe(http(`http://127.0.0.1:${port}/`), { timeoutMs: 60000, signal: controller.signal }),
      { ok: false, detail: "cancelled" },
    );
  });
});

describe("program (XML-RPC)", () => {
  const STATES: Record<string, string> = { api: "RUNNING", web: "STARTING", "grp:worker": "RUNNING" };

  /** A supervisord stand-in on a unix socket: getProcessInfo from STATES; with credentials, 401 without them. */
  async function fakeSupervisord(
    t: TestContext,
    auth: string | null = null,
    answer = true,
  ): Promise<{ url: string; names: string[]; allClosed: () => Promise<void> }> {
    const names: string[] = [];
    const server = httpServer((req, res) => {
      if (auth !== null && req.headers.authorization !== `Basic ${Buffer.from(auth).toString("base64")}`) {
        res.writeHead(401, { "Content-Type": "text/html" });
        res.end("Unauthorized");
        return;
      }
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (!answer) return;
        const { method, params } = decodeRequest(Buffer.concat(chunks));
        const name = String(params[0]);
        names.push(name);
        const statename = STATES[name];
        const body =
          method !== "supervisor.getProcessInfo"
            ? encodeFault({
                faultCode: Faults.UNKNOWN_METHOD,
                faultString: faultString(Faults.UNKNOWN_METHOD),
              })
            : statename === undefined
              ? encodeFault({ faultCode: Faults.BAD_NAME, faultString: faultString(Faults.BAD_NAME, name) })
              : encodeResponse({ name, group: name, statename, state: 20, pid: 42 });
        res.writeHead(200, { "Content-Type": "text/xml" });
        res.end(body);
      });
    });
    const dir = mkdtempSync(join(tmpdir(), "steward-probe-rpc-"));
    const path = join(dir, "supervisor.sock");
    const sockets = new Set<Socket>();
    server.on("connection", (s: Socket) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    server.listen(path);
    await once(server, "listening");
    t.after(() => {
      for (const s of sockets) s.destroy();
      server.close();
    });
    const allClosed = async () => {
      while (sockets.size > 0) await once([...sockets][0]!, "close");
    };
    return { url: `unix://${path}`, names, allClosed };
  }

  test("RUNNING is ok; any other state is not, and is named", async (t) => {
    const { url, names } = await fakeSupervisord(t);
    assert.deepEqual(await runProbe(program("api", url), CTX), { ok: true, detail: "api is RUNNING there" });
    assert.deepEqual(await runProbe(program("web", url), CTX), {
      ok: false,
      detail: "web is STARTING there",
    });
    assert.deepEqual(await runProbe(program("grp:worker", url), CTX), {
      ok: true,
      detail: "grp:worker is RUNNING there",
    });
    assert.deepEqual(names, ["api", "web", "grp:worker"]);
  });

  test("an unknown name: no such process", async (t) => {
    const { url } = await fakeSupervisord(t);
    assert.deepEqual(await runProbe(program("bklog-api", url), CTX), {
      ok: false,
      detail: "no such process bklog-api",
    });
  });

  test("credentials: sent when given, 401 without them", async (t) => {
    const { url } = await fakeSupervisord(t, "user:secret");
    assert.deepEqual(await runProbe(program("api", url), CTX), { ok: false, detail: "401 unauthorized" });
    assert.deepEqual(await runProbe(program("api", url, "user", "wrong"), CTX), {
      ok: false,
      detail: "401 unauthorized",
    });
    assert.deepEqual(await runProbe(program("api", url, "user", "secret"), CTX), {
      ok: true,
      detail: "api is RUNNING there",
    });
  });

  test("a server that cannot be reached", async () => {
    const port = await closedPort();
    assert.deepEqual(await runProbe(program("api", `http://127.0.0.1:${port}`), CTX), {
      ok: false,
      detail: `cannot reach http://127.0.0.1:${port}: connection refused`,
    });
    assert.deepEqual(await runProbe(program("api", "unix:///nonexistent/x.sock"), CTX), {
      ok: false,
      detail: "cannot reach unix:///nonexistent/x.sock: no such socket file",
    });
    assert.deepEqual(await runProbe(program("api", "ftp://host"), CTX), {
      ok: false,
      detail: "Unknown protocol for serverurl ftp://host",
    });
  });

  test("a server that does not answer: timed out, and the connection is closed", async (t) => {
    const { url, allClosed } = await fakeSupervisord(t, null, false);
    assert.deepEqual(await runProbe(program("api", url), { timeoutMs: 300 }), {
      ok: false,
      detail: "timed out after 0.3 s",
    });
    await allClosed();
  });

  test("the connection is not kept after an answer", async (t) => {
    const { url, allClosed } = await fakeSupervisord(t);
    assert.equal((await runProbe(program("api", url), CTX)).ok, true);
    await allClosed();
  });
});

// A self-signed certificate for localhost and 127.0.0.1 (P-256, valid until 2126), for the HTTPS test only.
const SELF_SIGNED_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgnLsERlLXUc9nG7af
dOW08PGgI2CLY6uLDUoLQD8VVo2hRANCAATWEdgcyzuHbQgwErrgxkrw1zHOVC5R
UNENssb+pGCi9xqzvHKtbP9t1iQc4dl85pKpL2AG2Q3oKXPmJ3iUEymO
-----END PRIVATE KEY-----
`;
const SELF_SIGNED_CERT = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUbvcyfkSupSDjG+PvQsL7PUsufjUwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEzMDA0MDc0NVoYDzIxMjYxMTA2
MDQwNzQ1WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATWEdgcyzuHbQgwErrgxkrw1zHOVC5RUNENssb+pGCi9xqzvHKtbP9t
1iQc4dl85pKpL2AG2Q3oKXPmJ3iUEymOo28wbTAdBgNVHQ4EFgQUZUiUOs6wUjHI
OjvlcKudACspiCcwHwYDVR0jBBgwFoAUZUiUOs6wUjHIOjvlcKudACspiCcwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSAAwRQIhAKpKoQo6zKEpHsX54wDMhH8iNNZ5ruJAG1i2SwRFUDOYAiA2
ACe58+AoDruvjxg0kDkRHv7e7+Y4jFQlYJRrOzNt0A==
-----END CERTIFICATE-----
`;
