/**
 * The control plane's listeners for real: unix sockets (stale and live), TCP on 127.0.0.1 port 0,
 * Steward's client, and Python's xmlrpc.client through supervisor's own SupervisorTransport.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import type { InetServerConfig, UnixServerConfig } from "../../src/config/types.js";
import { StewardError } from "../../src/errors.js";
import { RpcClient } from "../../src/rpc/client.js";
import { RpcClientError } from "../../src/rpc/errors.js";
import { Faults, RpcFault } from "../../src/rpc/faults.js";
import type { RpcLog } from "../../src/rpc/http-handler.js";
import { RpcRegistry } from "../../src/rpc/registry.js";
import {
  type HttpServerOptions,
  type ListenConfig,
  openHttpServer,
  openHttpServers,
  type RunningHttpServer,
} from "../../src/rpc/server.js";
import { XmlRpcDateTime, type XmlRpcValue } from "../../src/rpc/values.js";
import { FIXTURES, REPO_ROOT } from "../helpers/paths.js";

const PYTHON = "/usr/bin/python3";
const IN_USE =
  "Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.";
const isRoot = process.getuid?.() === 0;
const SUPERVISORCTL = "/usr/bin/supervisorctl";

function registry(): RpcRegistry {
  return new RpcRegistry([
    {
      name: "test.echo",
      params: [{ name: "value", type: "array" }],
      returns: "array",
      help: "Return the value.\n\n@param array value  anything\n@return array result  the same",
      handler: ([value]) => value as XmlRpcValue,
    },
    {
      name: "test.fail",
      params: [{ name: "name", type: "string" }],
      returns: "boolean",
      help: "Fail.",
      handler: ([name]) => {
        throw new RpcFault(Faults.BAD_NAME, name as string);
      },
    },
    {
      name: "test.controls",
      params: [],
      returns: "string",
      help: "A string with control characters, as a log may hold.",
      handler: () => "ctl\u0001chars\u001b[0m\r\n",
    },
    {
      name: "test.wait",
      params: [{ name: "ms", type: "int" }],
      returns: "boolean",
      help: "Answer after ms milliseconds.",
      handler: ([ms]) => new Promise((resolve) => setTimeout(() => resolve(true), ms as number)),
    },
  ]);
}

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "steward-rpc-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function unixConfig(file: string, extra: Partial<UnixServerConfig> = {}): UnixServerConfig {
  return {
    kind: "unix_http_server",
    section: "unix_http_server",
    name: null,
    username: null,
    password: null,
    file,
    chmod: 0o700,
    chown: null,
    ...extra,
  };
}

function inetConfig(host: string, extra: Partial<InetServerConfig> = {}) {
  const config: InetServerConfig = {
    kind: "inet_http_server",
    allow_unauthenticated: false,
    section: "inet_http_server",
    name: null,
    username: null,
    password: null,
    host,
    port: 0,
    ...extra,
  };
  return config;
}

interface Opened {
  server: RunningHttpServer;
  stderr: string[];
  log: string[];
}

async function open(
  t: TestContext,
  config: ListenConfig,
  options: Partial<HttpServerOptions> = {},
): Promise<Opened> {
  const stderr: string[] = [];
  const log: string[] = [];
  const at = (level: string) => (message: string) => log.push(`${level} ${message}`);
  const rpcLog: RpcLog = {
    critical: at("CRIT"),
    error: at("ERRO"),
    warn: at("WARN"),
    info: at("INFO"),
    trace: () => {},
  };
  const server = await openHttpServer(config, {
    registry: registry(),
    stderr: (text) => stderr.push(text),
    log: rpcLog,
    ...options,
  });
  t.after(() => server.close(0));
  return { server, stderr, log };
}

function client(t: TestContext, serverurl: string, username?: string, password?: string): RpcClient {
  const c = new RpcClient({ serverurl, username: username ?? null, password: password ?? null });
  t.after(() => c.close());
  return c;
}

async function clientError(promise: Promise<unknown>): Promise<RpcClientError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RpcClientError, String(error));
    return error;
  }
  assert.fail("expected an RpcClientError");
}

/** Leaves a socket file nobody listens on: a child binds it and is SIGKILLed. */
async function staleSocket(file: string): Promise<void> {
  const child = spawn(process.execPath, [
    "-e",
    `require("net").createServer().listen(${JSON.stringify(file)}, () => process.kill(process.pid, "SIGKILL"))`,
  ]);
  await new Promise((resolve) => child.once("exit", resolve));
  assert.ok(statSync(file).isSocket());
}

const PYTHON_EXPECTED = {
  listMethods: [
    "system.listMethods",
    "system.methodHelp",
    "system.methodSignature",
    "system.multicall",
    "test.controls",
    "test.echo",
    "test.fail",
    "test.wait",
  ],
  signature: ["array", "array"],
  echo: [
    1,
    true,
    "café <&>",
    2.5,
    "bytes", // a request's base64 is read as text, as supervisord does
    { dateTime: "20240102T03:04:05" },
    { k: [1, { n: "x" }] },
    "tab\tnl\n",
  ],
  // control characters arrive as U+FFFD instead of breaking the XML; CR arrives as CR
  controls: "ctl\ufffdchars\ufffd[0m\r\n",
  fault: [10, "BAD_NAME: foo"],
  unknown: [1, "UNKNOWN_METHOD"],
  // xmlrpc.client.MultiCall works: results are wrapped (supervisord 4.2 breaks this helper)
  multicall: [["one"], [2], [10, "BAD_NAME: bar"]],
  wait: true,
};

describe("unix socket", () => {
  test("serves Steward's client with the configured mode; close unlinks", async (t) => {
    const file = join(tempDir(t), "s.sock");
    const { server, log } = await open(t, unixConfig(file, { chmod: 0o660 }));
    assert.equal(server.url, `unix://${file}`);
    assert.equal(statSync(file).mode & 0o777, 0o660);
    assert.ok(statSync(file).isSocket());
    assert.ok(!existsSync(`${file}.${process.pid}`));
    assert.deepEqual(log, []); // supervisord's CRIT line is the daemon's to log, in its order
    const c = client(t, server.url);
    assert.deepEqual(await c.call("system.methodSignature", ["test.echo"]), ["array", "array"]);
    const value = [1, "é", true, new XmlRpcDateTime("20240102T03:04:05"), { a: [] }];
    assert.deepEqual(await c.call("test.echo", [value]), value);
    // base64 in a request reads as text, as in supervisord; answers carry bytes
    assert.deepEqual(await c.call("test.echo", [[Buffer.from("hi")]]), ["hi"]);
    assert.equal(await c.call("test.controls"), "ctl\ufffdchars\ufffd[0m\r\n");
    await assert.rejects(
      c.call("test.fail", ["x"]),
      (e: unknown) => e instanceof RpcFault && e.faultString === "BAD_NAME: x",
    );
    await server.close();
    assert.ok(!existsSync(file));
  });

  test("chown gives the socket to the configured user and group", async (t) => {
    assert.ok(isRoot, "chown needs root: this project's machines and CI run as root");
    const dir = tempDir(t);
    await open(t, unixConfig(join(dir, "a.sock"), { chown: "nobody" }));
    assert.deepEqual([statSync(join(dir, "a.sock")).uid, statSync(join(dir, "a.sock")).gid], [65534, 0]);
    await open(t, unixConfig(join(dir, "b.sock"), { chown: "nobody:nogroup" }));
    assert.deepEqual([statSync(join(dir, "b.sock")).uid, statSync(join(dir, "b.sock")).gid], [65534, 65534]);
  });

  test("a socket in a missing directory: supervisord's errno message; a failed set closes what it opened", async (t) => {
    const dir = tempDir(t);
    await assert.rejects(
      openHttpServer(unixConfig(join(dir, "missing/s.sock")), { registry: registry() }),
      (e: unknown) =>
        e instanceof StewardError &&
        e.message === "Cannot open an HTTP server: socket.error reported errno.ENOENT (2)",
    );
    const first = await open(t, unixConfig(join(dir, "live.sock")));
    const inet = inetConfig("127.0.0.1");
    await assert.rejects(
      openHttpServers([inet, unixConfig(join(dir, "live.sock"))], { registry: registry(), stderr: () => {} }),
      (e: unknown) => e instanceof StewardError && e.message === IN_USE,
    );
    assert.ok(Array.isArray(await client(t, first.server.url).call("system.listMethods")));
  });

  test("a world-writable socket without credentials gets a warning", async (t) => {
    const file = join(tempDir(t), "s.sock");
    const { log } = await open(t, unixConfig(file, { chmod: 0o777 }));
    assert.equal(log.length, 1);
    assert.match(
      log[0]!,
      /^WARN Server 'unix_http_server': every local user may write to .*s\.sock \(chmod=0777\)/,
    );
  });

  test("answers Python's xmlrpc.client through supervisor's SupervisorTransport", {}, async (t) => {
    const file = join(tempDir(t), "s.sock");
    const { server } = await open(t, unixConfig(file));
    assert.deepEqual(await pythonClientAsync(server.url), PYTHON_EXPECTED);
  });

  test("a stale socket is reported on stderr and replaced", async (t) => {
    const file = join(tempDir(t), "s.sock");
    await staleSocket(file);
    const c = client(t, `unix://${file}`);
    const refused = await clientError(c.call("system.listMethods"));
    assert.equal(refused.code, "STEWARD_ERR_RPC_REFUSED");
    assert.equal(refused.message, `unix://${file} refused connection`);
    const { server, stderr } = await open(t, unixConfig(file));
    assert.deepEqual(stderr, [`Unlinking stale socket ${file}\n`]);
    assert.ok(Array.isArray(await client(t, server.url).call("system.listMethods")));
  });

  test("a live server on the path is refused with supervisord's message, and keeps running", async (t) => {
    const file = join(tempDir(t), "s.sock");
    const first = await open(t, unixConfig(file));
    await assert.rejects(
      openHttpServer(unixConfig(file), { registry: registry(), stderr: () => {} }),
      (e: unknown) => e instanceof StewardError && e.code === "STEWARD_ERR_USAGE" && e.message === IN_USE,
    );
    assert.ok(!existsSync(`${file}.${process.pid}`));
    assert.ok(Array.isArray(await client(t, first.server.url).call("system.listMethods")));
  });

  test("a path that is not a socket is refused, not unlinked", async (t) => {
    const file = join(tempDir(t), "s.sock");
    writeFileSync(file, "precious");
    await assert.rejects(
      openHttpServer(unixConfig(file), { registry: registry(), stderr: () => {} }),
      /exists and is not a socket/,
    );
    assert.ok(existsSync(file));
  });

  test("close() leaves alone a socket file that is no longer this server's", async (t) => {
    const file = join(tempDir(t), "s.sock");
    const { server } = await open(t, unixConfig(file));
    unlinkSync(file);
    await staleSocket(file);
    await server.close();
    assert.ok(existsSync(file));
  });

  test("client errors: no such file; permission denied", async (t) => {
    const dir = tempDir(t);
    const missing = await clientError(client(t, `unix://${dir}/nope.sock`).call("system.listMethods"));
    assert.equal(missing.code, "STEWARD_ERR_RPC_NO_SOCKET");
    assert.equal(missing.message, `unix://${dir}/nope.sock no such file`);
    const file = join(dir, "s.sock");
    await open(t, unixConfig(file, { chmod: 0o700 }));
    chmodSync(dir, 0o755);
    const script = `import(${JSON.stringify(join(REPO_ROOT, "dist/src/rpc/client.js"))}).then(async ({ RpcClient }) => {
      const c = new RpcClient({ serverurl: ${JSON.stringify(`unix://${file}`)} });
      try { await c.call("system.listMethods"); console.log("connected"); } catch (e) { console.log(e.code + "|" + e.message); }
      c.close();
    })`;
    const argv = isRoot
      ? [
          "/usr/bin/setpriv",
          "--reuid=65534",
          "--regid=65534",
          "--clear-groups",
          process.execPath,
          "-e",
          script,
        ]
      : [process.execPath, "-e", script];
    if (!isRoot) chmodSync(file, 0o000);
    const result = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8" });
    assert.equal(
      result.stdout.trim(),
      `STEWARD_ERR_RPC_PERMISSION|unix://${file}: permission denied: this user may not connect to the socket (see chmod and chown in [unix_http_server])`,
      result.stderr,
    );
  });
});

/** The Python client in a child process, without blocking the event loop (the server is in-process). */
function pythonClientAsync(serverurl: string, ...auth: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [join(FIXTURES, "rpc/py-client.py"), serverurl, ...auth]);
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString("utf8");
    });
    child.once("exit", (code) => {
      if (code === 0) resolve(JSON.parse(out) as Record<string, unknown>);
      else reject(new Error(`py-client exited ${code}: ${err}`));
    });
  });
}

describe("the stock supervisorctl", () => {
  /** Two stand-in supervisor.* methods: enough for `status` (the real namespace comes later). */
  function statusOnly(): RpcRegistry {
    return new RpcRegistry([
      { name: "supervisor.getVersion", params: [], returns: "string", help: "", handler: () => "3.0" },
      {
        name: "supervisor.getAllProcessInfo",
        params: [],
        returns: "array",
        help: "",
        handler: () => [
          {
            name: "cat",
            group: "cat",
            start: 1700000000,
            stop: 0,
            now: 1700000005,
            state: 20,
            statename: "RUNNING",
            spawnerr: "",
            exitstatus: 0,
            logfile: "",
            stdout_logfile: "",
            stderr_logfile: "",
            pid: 42,
            description: "pid 42, uptime 0:00:05",
          },
        ],
      },
    ]);
  }

  function supervisorctl(...args: string[]): Promise<{ status: number | null; stdout: string }> {
    return new Promise((resolve) => {
      const child = spawn(SUPERVISORCTL, args);
      let stdout = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString("utf8");
      });
      child.once("exit", (status) => resolve({ status, stdout }));
    });
  }

  test("talks to the server over the unix socket, with and without credentials", async (t) => {
    const dir = tempDir(t);
    const open = await openHttpServer(unixConfig(join(dir, "a.sock")), { registry: statusOnly() });
    t.after(() => open.close(0));
    const status = await supervisorctl("-s", open.url, "status");
    assert.deepEqual(status, {
      status: 0,
      stdout: "cat                              RUNNING   pid 42, uptime 0:00:05\n",
    });
    const guarded = await openHttpServer(unixConfig(join(dir, "b.sock"), { username: "u", password: "p" }), {
      registry: statusOnly(),
    });
    t.after(() => guarded.close(0));
    assert.equal((await supervisorctl("-s", guarded.url, "-u", "u", "-p", "p", "status")).status, 0);
    const denied = await supervisorctl("-s", guarded.url, "status");
    assert.equal(denied.status, 1);
    assert.match(denied.stdout, /^Server requires authentication\n/);
  });
});

describe("TCP", () => {
  test("127.0.0.1 port 0 with a {SHA} password: clients with and without credentials", async (t) => {
    const { server, log } = await open(
      t,
      inetConfig("127.0.0.1", {
        username: "user",
        password: "{SHA}a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
      }),
    );
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(log, []);
    assert.deepEqual(await client(t, server.url, "user", "test").call("test.echo", [[1]]), [1]);
    const denied = await clientError(client(t, server.url, "user", "wrong").call("system.listMethods"));
    assert.equal(denied.code, "STEWARD_ERR_RPC_UNAUTHORIZED");
    assert.equal(denied.message, "Server requires authentication");
    assert.equal(denied.status, 401);
    const anonymous = await clientError(client(t, server.url).call("system.listMethods"));
    assert.equal(anonymous.code, "STEWARD_ERR_RPC_UNAUTHORIZED");
    assert.deepEqual(await pythonClientAsync(server.url, "user", "test"), PYTHON_EXPECTED);
    assert.deepEqual(await pythonClientAsync(server.url, "user", "nope"), { protocolError: 401 });
  });

  test("without credentials beyond loopback: refused unless allow_unauthenticated = true", async (t) => {
    await assert.rejects(
      openHttpServer(inetConfig(""), { registry: registry() }),
      (e: unknown) =>
        e instanceof StewardError &&
        e.code === "STEWARD_ERR_USAGE" &&
        e.message.startsWith("[inet_http_server] would accept commands from other machines on 0.0.0.0:0") &&
        e.message.includes('"allow_unauthenticated = true"'),
    );
    const allowed = await open(t, inetConfig("", { allow_unauthenticated: true }));
    assert.match(allowed.server.url, /^http:\/\/0\.0\.0\.0:\d+$/);
    assert.deepEqual(allowed.log, []);
    const port = allowed.server.url.split(":").pop();
    assert.ok(Array.isArray(await client(t, `http://127.0.0.1:${port}`).call("system.listMethods")));
    const authed = await open(t, inetConfig("", { username: "u", password: "p" }));
    assert.deepEqual(authed.log, []);
    const local = await open(t, inetConfig("localhost"));
    assert.match(local.server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test("a port in use is refused with supervisord's message; a closed port is 'refused connection'", async (t) => {
    const { server } = await open(t, inetConfig("127.0.0.1"));
    const port = Number(server.url.split(":").pop());
    await assert.rejects(
      openHttpServer({ ...inetConfig("127.0.0.1"), port }, { registry: registry() }),
      (e: unknown) => e instanceof StewardError && e.message === IN_USE,
    );
    await server.close();
    const refused = await clientError(client(t, `http://127.0.0.1:${port}`).call("system.listMethods"));
    assert.equal(refused.code, "STEWARD_ERR_RPC_REFUSED");
    assert.equal(refused.message, `http://127.0.0.1:${port} refused connection`);
  });

  test("slow clients get 408 and are disconnected; a slow answer is not a slow client", async (t) => {
    const { server } = await open(t, inetConfig("127.0.0.1"), {
      headersTimeoutMs: 200,
      requestTimeoutMs: 400,
    });
    const port = Number(server.url.split(":").pop());
    const stalled = (text: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(port, "127.0.0.1", () => socket.write(text));
        let got = "";
        socket.on("data", (d: Buffer) => {
          got += d.toString("latin1");
        });
        socket.on("close", () => resolve(got));
      });
    const started = Date.now();
    const [headers, body] = await Promise.all([
      stalled("POST /RPC2 HTTP/1.1\r\nHost: x\r\n"),
      stalled("POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n<methodCall>"),
    ]);
    assert.match(headers, /^HTTP\/1\.1 408 Request Time-out\r\n/);
    assert.match(body, /^HTTP\/1\.1 408 Request Time-out\r\n/);
    assert.ok(Date.now() - started < 3000);
    assert.equal(await client(t, server.url).call("test.wait", [900]), true);
  });

  test("an idle kept-alive connection stays open (as in supervisord) and serves the next call", async (t) => {
    const { server } = await open(t, inetConfig("127.0.0.1"), {
      headersTimeoutMs: 100,
      requestTimeoutMs: 100,
    });
    const c = client(t, server.url);
    assert.equal(await c.call("test.wait", [0]), true);
    const sockets = () =>
      new Promise<number>((resolve) => server.server.getConnections((_e, n) => resolve(n)));
    assert.equal(await sockets(), 1);
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal(await sockets(), 1);
    assert.equal(await c.call("test.wait", [0]), true);
    assert.equal(await sockets(), 1);
  });

  test("300 concurrent clients all get their answer", async (t) => {
    const { server } = await open(t, inetConfig("127.0.0.1"));
    const clients = Array.from({ length: 300 }, () => client(t, server.url));
    const results = await Promise.all(clients.map((c, i) => c.call("test.echo", [[i]])));
    assert.deepEqual(
      results,
      clients.map((_, i) => [i]),
    );
  });
});
