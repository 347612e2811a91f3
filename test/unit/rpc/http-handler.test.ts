/** The RPC request listener on a real node:http server on 127.0.0.1, driven over raw sockets. */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { type TestContext, test } from "node:test";
import { basicAuthHeader } from "../../../src/rpc/basic-auth.js";
import { decodeResponse, encodeRequest, encodeResponse } from "../../../src/rpc/codec.js";
import { Faults, RpcFault } from "../../../src/rpc/faults.js";
import { createRpcHttpHandler, type RpcHttpOptions, type RpcLog } from "../../../src/rpc/http-handler.js";
import { type RpcCallContext, RpcRegistry } from "../../../src/rpc/registry.js";
import type { XmlRpcValue } from "../../../src/rpc/values.js";
import { fixture } from "./tagged.js";

interface Logged {
  readonly lines: string[];
  readonly log: RpcLog;
}

function logger(): Logged {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  return {
    lines,
    log: { critical: at("CRIT"), error: at("ERRO"), warn: at("WARN"), info: at("INFO"), trace: at("TRAC") },
  };
}

function testRegistry(contexts: RpcCallContext[] = []): RpcRegistry {
  return new RpcRegistry([
    {
      name: "test.echo",
      params: [{ name: "value", type: "string", accepts: ["int", "array", "struct", "boolean"] }],
      returns: "string",
      help: "echo",
      handler: ([value]) => value as XmlRpcValue,
    },
    {
      name: "test.wait",
      params: [{ name: "ms", type: "int" }],
      returns: "boolean",
      help: "wait",
      handler: ([ms], context) => {
        contexts.push(context);
        return new Promise((resolve) => setTimeout(() => resolve(true), ms as number));
      },
    },
    {
      name: "test.fail",
      params: [],
      returns: "boolean",
      help: "fail",
      handler: () => {
        throw new RpcFault(Faults.BAD_NAME, "foo");
      },
    },
    {
      name: "test.bug",
      params: [],
      returns: "boolean",
      help: "bug",
      handler: () => {
        throw new Error("bug!");
      },
    },
    { name: "test.null", params: [], returns: "boolean", help: "null", handler: () => null },
    {
      name: "test.abortable",
      params: [{ name: "ms", type: "int" }],
      returns: "boolean",
      help: "waits for ms, or until its signal is aborted (false)",
      handler: ([ms], context) => {
        contexts.push(context);
        const { signal } = context;
        return new Promise((resolve) => {
          const timer = setTimeout(() => resolve(true), ms as number);
          signal.addEventListener("abort", () => {
            clearTimeout(timer);
            resolve(false);
          });
        });
      },
    },
  ]);
}

async function serve(t: TestContext, options: Partial<RpcHttpOptions> = {}): Promise<number> {
  const handler = createRpcHttpHandler({ registry: testRegistry(), ...options });
  const server = createServer({ keepAliveTimeout: 0 }, handler);
  server.on("checkContinue", handler.checkContinue);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

interface Reply {
  /** The status line and the headers, as sent. */
  head: string;
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** A connection that reads HTTP/1.1 responses (Content-Length bodies only) one after the other. */
class Conn {
  readonly socket: Socket;
  #buffer = "";
  #closed = false;
  #waiters: (() => void)[] = [];

  constructor(port: number) {
    this.socket = connect(port, "127.0.0.1");
    this.socket.setEncoding("latin1");
    this.socket.on("data", (d: string) => {
      this.#buffer += d;
      this.#wake();
    });
    this.socket.on("close", () => {
      this.#closed = true;
      this.#wake();
    });
    this.socket.on("error", () => {});
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  async #until(ready: () => boolean): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!ready()) {
      if (this.#closed) throw new Error(`connection closed; got ${JSON.stringify(this.#buffer)}`);
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(this.#buffer)}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  async reply(): Promise<Reply> {
    await this.#until(() => this.#buffer.includes("\r\n\r\n"));
    const end = this.#buffer.indexOf("\r\n\r\n");
    const head = this.#buffer.slice(0, end);
    const [statusLine, ...lines] = head.split("\r\n");
    const headers = new Map(
      lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 2)]),
    );
    const status = Number(statusLine!.split(" ")[1]);
    if (status === 100) {
      this.#buffer = this.#buffer.slice(end + 4);
      return { head, status, headers, body: "" };
    }
    const length = Number(headers.get("content-length") ?? 0);
    await this.#until(() => this.#buffer.length >= end + 4 + length);
    const body = Buffer.from(this.#buffer.slice(end + 4, end + 4 + length), "latin1").toString("utf8");
    this.#buffer = this.#buffer.slice(end + 4 + length);
    return { head, status, headers, body };
  }

  async closed(): Promise<boolean> {
    await this.#until(() => this.#closed);
    return true;
  }

  end(): void {
    this.socket.destroy();
  }
}

function post(body: string, headers: Record<string, string> = {}, path = "/RPC2"): string {
  const bytes = Buffer.byteLength(body);
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  return `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: ${bytes}\r\n${extra}\r\n${body}`;
}

const call = (method: string, params: XmlRpcValue[] = []) => encodeRequest(method, params);

function connection(t: TestContext, port: number): Conn {
  const conn = new Conn(port);
  t.after(() => conn.end());
  return conn;
}

test("POST /RPC2: text/xml answers, several on one kept-alive connection", async (t) => {
  const port = await serve(t);
  const conn = connection(t, port);
  conn.send(post(call("system.listMethods")));
  const first = await conn.reply();
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("content-type"), "text/xml");
  assert.equal(first.headers.get("server"), "Medusa/1.12");
  assert.match(first.headers.get("date")!, /^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
  assert.equal(first.body, encodeResponse(testRegistry().names()));
  conn.send(post(call("test.echo", ["é <&>"])));
  const second = await conn.reply();
  assert.equal(second.body, encodeResponse("é <&>"));
  assert.equal(Number(second.headers.get("content-length")), Buffer.byteLength(second.body));
  conn.send(post(call("test.fail")));
  assert.deepEqual(decodeResponse((await conn.reply()).body).kind, "fault");
});

const DATE = String.raw`\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT`;
/** The head of a 200 answer, as supervisord's medusa writes it (node:http adds Connection). */
const XML_HEAD = new RegExp(
  String.raw`^HTTP/1\.1 200 OK\r\nServer: Medusa/1\.12\r\nDate: ${DATE}\r\nContent-Type: text/xml\r\nContent-Length: \d+\r\nConnection: keep-alive$`,
);

test("answers: medusa's headers in medusa's order; large answers arrive whole, Content-Length in bytes", async (t) => {
  const port = await serve(t);
  const conn = connection(t, port);
  const values: XmlRpcValue[] = [
    "x",
    "é😀".repeat(20_000),
    Array.from({ length: 400 }, (_, i) => ({ name: `p${i}`, text: "é中😀<&>\r".repeat(i % 9), n: i })),
    Array.from({ length: 400 }, () => "中".repeat(100)),
  ];
  for (const value of values) {
    conn.send(post(call("test.echo", [value])));
    const reply = await conn.reply();
    assert.match(reply.head, XML_HEAD);
    assert.equal(reply.body, encodeResponse(value));
    assert.equal(Number(reply.headers.get("content-length")), Buffer.byteLength(reply.body));
  }
  conn.send(post(call("test.fail")));
  assert.match((await conn.reply()).head, XML_HEAD);
  conn.send("GET /RPC2 HTTP/1.1\r\nHost: x\r\n\r\n");
  assert.match(
    (await conn.reply()).head,
    new RegExp(
      String.raw`^HTTP/1\.1 400 Bad Request\r\nServer: Medusa/1\.12\r\nDate: ${DATE}\r\nContent-Length: \d+\r\nContent-Type: text/html\r\nConnection: keep-alive$`,
    ),
  );
});

test("medusa's answers: GET /RPC2 is 400, unknown paths 404 (GET) or 400, malformed XML 400", async (t) => {
  const { lines, log } = logger();
  const port = await serve(t, { log });
  const conn = connection(t, port);
  conn.send("GET /RPC2 HTTP/1.1\r\nHost: x\r\n\r\n");
  const get = await conn.reply();
  assert.equal(get.status, 400);
  assert.equal(get.body, fixture("wire/get-rpc2.response.html"));
  assert.equal(get.headers.get("content-type"), "text/html");
  conn.send(post("x", {}, "/RPC2").replace("POST", "PUT"));
  const put = await conn.reply();
  assert.equal(put.status, 400);
  assert.equal(put.body, fixture("wire/put-rpc2.response.html"));
  conn.send("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
  const missing = await conn.reply();
  assert.equal(missing.status, 404);
  assert.equal(missing.body, fixture("wire/not-found.response.html"));
  conn.send(post("x", {}, "/nothing"));
  assert.equal((await conn.reply()).status, 400);
  conn.send(post("<methodCall>"));
  const malformed = await conn.reply();
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body, fixture("wire/malformed.response.html"));
  conn.send(post("<methodCall><params/></methodCall>"));
  assert.equal((await conn.reply()).status, 400);
  assert.match(lines[0]!, /^ERRO XML-RPC request data '<methodCall>' is invalid: unmarshallable \(XML: /);
  assert.equal(
    lines[1],
    "ERRO XML-RPC request data '<methodCall><params/></methodCall>' is invalid: no method name",
  );
});

test("a request without Content-Length (chunked) is 411", async (t) => {
  const port = await serve(t);
  const conn = connection(t, port);
  conn.send("POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  const reply = await conn.reply();
  assert.equal(reply.status, 411);
  assert.match(reply.body, /Error code 411\.\r\n<p>Message: Length Required\./);
});

test("an oversized body is refused from its Content-Length, without being read", async (t) => {
  const port = await serve(t, { maxBodyBytes: 1000 });
  const conn = connection(t, port);
  conn.send("POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n<methodCall>");
  const reply = await conn.reply();
  assert.equal(reply.status, 413);
  assert.equal(reply.headers.get("connection"), "close");
  assert.match(reply.body, /Request Entity Too Large/);
  assert.ok(await conn.closed());
  // at the limit is fine
  const ok = connection(t, port);
  const body = call("test.echo", ["x".repeat(1000 - call("test.echo", [""]).length)]);
  assert.equal(Buffer.byteLength(body), 1000);
  ok.send(post(body));
  assert.equal((await ok.reply()).status, 200);
});

test("Expect: 100-continue is refused before the body is sent, or continued", async (t) => {
  const port = await serve(t, { maxBodyBytes: 1000 });
  const big = connection(t, port);
  big.send("POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
  assert.equal((await big.reply()).status, 413);
  const small = connection(t, port);
  const body = call("test.echo", [1]);
  small.send(
    `POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
  );
  assert.equal((await small.reply()).status, 100);
  small.send(body);
  const reply = await small.reply();
  assert.equal(reply.status, 200);
  assert.equal(reply.body, encodeResponse(1));
});

test("bodies in flight are bounded as a whole: beyond the budget, 503", async (t) => {
  const port = await serve(t, { maxBodyBytes: 400, maxPendingBodyBytes: 500 });
  const body = call("test.echo", ["x".repeat(200)]);
  const slow = connection(t, port);
  slow.send(`POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const second = connection(t, port);
  second.send(post(body));
  assert.equal((await second.reply()).status, 503);
  slow.send(body.slice(10));
  assert.equal((await slow.reply()).status, 200);
  const third = connection(t, port);
  third.send(post(body));
  assert.equal((await third.reply()).status, 200);
});

test("Basic auth: cleartext and {SHA}; anything else is 401 with supervisord's headers, on every path", async (t) => {
  const clear = await serve(t, { credentials: { username: "user", password: "secret" } });
  const sha = await serve(t, {
    credentials: { username: "user", password: "{SHA}a94a8fe5ccb19ba61c4c0873d391e987982fbbd3" },
  });
  const ask = async (port: number, headers: Record<string, string>, path = "/RPC2") => {
    const conn = connection(t, port);
    conn.send(post(call("system.listMethods"), headers, path));
    return conn.reply();
  };
  assert.equal((await ask(clear, { Authorization: basicAuthHeader("user", "secret") })).status, 200);
  assert.equal((await ask(sha, { Authorization: basicAuthHeader("user", "test") })).status, 200);
  const refused: Record<string, string>[] = [
    {},
    { Authorization: basicAuthHeader("user", "wrong") },
    { Authorization: basicAuthHeader("other", "secret") },
    { Authorization: "Bearer secret" },
  ];
  for (const headers of refused) {
    const reply = await ask(clear, headers);
    assert.equal(reply.status, 401);
    assert.equal(reply.headers.get("www-authenticate"), 'Basic realm="default"');
    assert.equal(reply.headers.get("connection"), "close");
    assert.match(reply.body, /<p>Error code 401\.\r\n<p>Message: Unauthorized\./);
  }
  assert.equal((await ask(sha, { Authorization: basicAuthHeader("user", "wrong") })).status, 401);
  assert.equal((await ask(clear, {}, "/nothing")).status, 401);
  assert.equal((await ask(clear, {}, "/logtail/x")).status, 401);
  assert.equal((await ask(clear, { Authorization: "Basic dTo" })).status, 400);
});

test("a refused request's body is read before the 401 closes the connection (no reset while the client sends it)", async (t) => {
  const port = await serve(t, { credentials: { username: "user", password: "secret" } });
  // as Python's http.client does: the headers in one write, the body in a later one
  const request = post(call("system.listMethods"));
  const split = request.indexOf("\r\n\r\n") + 4;
  const conn = connection(t, port);
  let writeError: Error | null = null;
  conn.socket.on("error", (error) => {
    writeError = error;
  });
  let answered = false;
  conn.socket.once("data", () => {
    answered = true;
  });
  conn.send(request.slice(0, split));
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(answered, false, "no answer before the body has come");
  conn.send(request.slice(split));
  const reply = await conn.reply();
  assert.equal(reply.status, 401);
  assert.equal(reply.headers.get("connection"), "close");
  assert.equal(writeError, null);
});

test("deferred answers: a slow call does not hold up other connections; a gone client aborts its signal", async (t) => {
  const contexts: RpcCallContext[] = [];
  const port = await serve(t, { registry: testRegistry(contexts) });
  const slow = connection(t, port);
  slow.send(post(call("test.wait", [300])));
  const fast = connection(t, port);
  const started = Date.now();
  fast.send(post(call("test.echo", ["quick"])));
  assert.equal((await fast.reply()).status, 200);
  assert.ok(Date.now() - started < 250);
  const reply = await slow.reply();
  assert.equal(reply.body, encodeResponse(true));
  const gone = connection(t, port);
  gone.send(post(call("test.wait", [300])));
  await new Promise((resolve) => setTimeout(resolve, 50));
  gone.end();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(contexts.length, 2);
  assert.equal(contexts[0]!.signal.aborted, false);
  assert.equal(contexts[1]!.signal.aborted, true);
});

test("a call's abort signal, asked for while waiting, is aborted when the client goes away", async (t) => {
  const contexts: RpcCallContext[] = [];
  const port = await serve(t, { registry: testRegistry(contexts) });
  const conn = connection(t, port);
  conn.send(post(call("test.abortable", [10])));
  assert.equal((await conn.reply()).body, encodeResponse(true));
  const gone = connection(t, port);
  gone.send(post(call("test.abortable", [5000])));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(contexts.length, 2);
  assert.equal(contexts[1]!.signal.aborted, false);
  gone.end();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(contexts[0]!.signal.aborted, false);
  assert.equal(contexts[1]!.signal.aborted, true);
});

test("a handler's bug, or a value XML-RPC cannot carry (null), is HTTP 500 with a CRIT line", async (t) => {
  const { lines, log } = logger();
  const port = await serve(t, { log });
  const conn = connection(t, port);
  conn.send(post(call("test.bug")));
  const bug = await conn.reply();
  assert.equal(bug.status, 500);
  assert.match(bug.body, /Internal Server Error/);
  conn.send(post(call("test.null")));
  assert.equal((await conn.reply()).status, 500);
  const crit = lines.filter((l) => l.startsWith("CRIT"));
  assert.equal(crit.length, 2);
  assert.match(
    crit[0]!,
    /^CRIT Handling XML-RPC request with data ".*test\.bug.*" raised an unexpected exception: Error: bug!/s,
  );
  assert.match(crit[1]!, /cannot marshal None unless allow_none is enabled/);
});

test("trace lines as supervisord writes them", async (t) => {
  const { lines, log } = logger();
  const port = await serve(t, { log });
  const conn = connection(t, port);
  conn.send(post(call("test.echo", ["x"])));
  await conn.reply();
  conn.send(post(call("test.fail")));
  await conn.reply();
  assert.deepEqual(lines, [
    "TRAC XML-RPC method called: test.echo()",
    "TRAC XML-RPC method test.echo() returned successfully",
    "TRAC XML-RPC method called: test.fail()",
    "TRAC XML-RPC method test.fail() returned fault: [10] BAD_NAME: foo",
  ]);
});

test("route hooks get /logtail…, /mainlogtail… and the rest, with the path %-decoded", async (t) => {
  const seen: string[] = [];
  const route = (name: string) => (_req: unknown, res: import("node:http").ServerResponse, path: string) => {
    seen.push(`${name} ${path}`);
    if (path.includes("boom")) throw new Error("boom");
    res.setHeader("Content-Length", 2);
    res.end("ok");
  };
  const port = await serve(t, {
    routes: { logtail: route("logtail"), mainlogtail: route("main"), ui: route("ui") },
  });
  const conn = connection(t, port);
  for (const path of ["/logtail/g%3Ap/stderr", "/mainlogtail", "/", "/index.html?action=refresh", "/RPC2x"]) {
    conn.send(
      path === "/RPC2x" ? post(call("test.echo", [1]), {}, path) : `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    assert.equal((await conn.reply()).status, 200, path);
  }
  conn.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
  assert.equal((await conn.reply()).status, 500);
  assert.deepEqual(seen, [
    "logtail /logtail/g:p/stderr",
    "main /mainlogtail",
    "ui /",
    "ui /index.html",
    "ui /boom",
  ]);
});
