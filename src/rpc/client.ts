/**
 * An XML-RPC client for supervisord and stewardd over a unix socket or TCP, as supervisor's own
 * `SupervisorTransport` talks: `POST /RPC2`, `Host: localhost` on a unix socket, Basic auth when
 * both a username and a password are given, one kept-alive connection reused. Connection failures
 * become `RpcClientError`s with a clear message (no tracebacks); faults become `RpcFault`s. IO.
 */
import { Agent, type IncomingMessage, request } from "node:http";
import { basicAuthHeader } from "./basic-auth.js";
import { decodeResponse, encodeRequest } from "./codec.js";
import { RpcClientError, type RpcClientErrorCode } from "./errors.js";
import type { XmlRpcValue } from "./values.js";

export interface RpcClientOptions {
  /** `unix:///absolute/path.sock` or `http://host[:port]`, as supervisorctl's `serverurl`. */
  readonly serverurl: string;
  readonly username?: string | null;
  readonly password?: string | null;
  /**
   * Give up on a call with no answer after this long. 0 waits as long as it takes: a start or
   * stop that waits for its process may take any time. @default 0
   */
  readonly timeoutMs?: number;
  /** The User-Agent header. @default "steward-xmlrpc" */
  readonly userAgent?: string;
}

type Target = { readonly socketPath: string } | { readonly host: string; readonly port: number };

function parseServerUrl(serverurl: string): Target {
  if (serverurl.startsWith("unix://")) return { socketPath: serverurl.slice(7) };
  if (serverurl.startsWith("http://")) {
    let url: URL;
    try {
      url = new URL(serverurl);
    } catch {
      throw new RpcClientError("STEWARD_ERR_RPC_URL", `Unknown protocol for serverurl ${serverurl}`, {
        serverurl,
      });
    }
    const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    return { host, port: url.port === "" ? 80 : Number(url.port) };
  }
  throw new RpcClientError("STEWARD_ERR_RPC_URL", `Unknown protocol for serverurl ${serverurl}`, {
    serverurl,
  });
}

/** supervisorctl's wording where it has one (`… refused connection`, `… no such file`). */
function connectionError(serverurl: string, error: NodeJS.ErrnoException): RpcClientError {
  const known: Record<string, [RpcClientErrorCode, string]> = {
    ECONNREFUSED: ["STEWARD_ERR_RPC_REFUSED", `${serverurl} refused connection`],
    ENOENT: ["STEWARD_ERR_RPC_NO_SOCKET", `${serverurl} no such file`],
    EACCES: [
      "STEWARD_ERR_RPC_PERMISSION",
      `${serverurl}: permission denied: this user may not connect to the socket (see chmod and chown in [unix_http_server])`,
    ],
    ENOTFOUND: ["STEWARD_ERR_RPC_REFUSED", `${serverurl}: cannot resolve the host name`],
    EAI_AGAIN: ["STEWARD_ERR_RPC_REFUSED", `${serverurl}: cannot resolve the host name`],
    EHOSTUNREACH: ["STEWARD_ERR_RPC_REFUSED", `${serverurl}: host unreachable`],
    ENETUNREACH: ["STEWARD_ERR_RPC_REFUSED", `${serverurl}: network unreachable`],
    ETIMEDOUT: ["STEWARD_ERR_RPC_TIMEOUT", `${serverurl}: no answer in time`],
  };
  known.EPERM = known.EACCES!;
  const [code, message] = known[error.code ?? ""] ?? [
    "STEWARD_ERR_RPC_PROTOCOL",
    `${serverurl}: connection failed: ${error.message}`,
  ];
  return new RpcClientError(code, message, { serverurl, cause: error });
}

function readBody(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on("data", (chunk: Buffer) => chunks.push(chunk));
    response.once("end", () => resolve(Buffer.concat(chunks)));
    response.once("error", reject);
  });
}

export class RpcClient {
  readonly serverurl: string;
  readonly #target: Target;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #agent = new Agent({ keepAlive: true });

  constructor(options: RpcClientOptions) {
    this.serverurl = options.serverurl;
    this.#target = parseServerUrl(options.serverurl);
    this.#timeoutMs = options.timeoutMs ?? 0;
    this.#headers = {
      "User-Agent": options.userAgent ?? "steward-xmlrpc",
      "Content-Type": "text/xml",
      Accept: "text/xml",
    };
    const { username, password } = options;
    if (username !== undefined && username !== null && password !== undefined && password !== null) {
      this.#headers.Authorization = basicAuthHeader(username, password);
    }
  }

  /** Calls a method. Rejects with RpcFault for a fault and RpcClientError for anything else. */
  async call(method: string, params: readonly XmlRpcValue[] = []): Promise<XmlRpcValue> {
    const body = Buffer.from(encodeRequest(method, params), "utf8");
    const { status, statusMessage, data } = await this.#post(body, true);
    const serverurl = this.serverurl;
    if (status === 401) {
      throw new RpcClientError("STEWARD_ERR_RPC_UNAUTHORIZED", "Server requires authentication", {
        serverurl,
        status,
      });
    }
    if (status !== 200) {
      throw new RpcClientError("STEWARD_ERR_RPC_HTTP", `${serverurl}: HTTP ${status} ${statusMessage}`, {
        serverurl,
        status,
      });
    }
    let decoded: ReturnType<typeof decodeResponse>;
    try {
      decoded = decodeResponse(data);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new RpcClientError(
        "STEWARD_ERR_RPC_PROTOCOL",
        `${serverurl}: not an XML-RPC answer: ${message}`,
        {
          serverurl,
          cause: error,
        },
      );
    }
    if (decoded.kind === "fault") throw decoded.fault;
    return decoded.value;
  }

  /**
   * GETs a page the server streams, such as `/logtail/<name>/stdout` (what supervisorctl's `fg`
   * reads), on a connection of its own, with the same credentials as the calls. `status` resolves
   * once the answer's status is known (it rejects with an RpcClientError when the connection
   * fails); until `close()`, each piece of a 200 answer's body goes to `onData`.
   */
  stream(path: string, onData: (chunk: Buffer) => void): { status: Promise<number>; close(): void } {
    const target = this.#target;
    const { "User-Agent": userAgent, Authorization: auth } = this.#headers;
    // Keep-alive, not `Connection: close`: supervisord's medusa holds a `close` answer until it ends.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const req = request({
      ...("socketPath" in target ? { socketPath: target.socketPath, host: "localhost" } : target),
      method: "GET",
      path,
      agent,
      headers: {
        "User-Agent": userAgent!,
        Accept: "*/*",
        ...(auth === undefined ? {} : { Authorization: auth }),
      },
    });
    let closed = false;
    const close = () => {
      closed = true;
      req.destroy();
      agent.destroy();
    };
    const status = new Promise<number>((resolve, reject) => {
      req.once("response", (response) => {
        const code = response.statusCode ?? 0;
        response.on("error", () => {});
        if (code === 200) response.on("data", (chunk: Buffer) => closed || onData(chunk));
        else response.resume();
        resolve(code);
      });
      req.on("error", (error: NodeJS.ErrnoException) => {
        agent.destroy();
        if (!closed) reject(connectionError(this.serverurl, error));
      });
    });
    // A status nobody waits for any more (closed first) is no unhandled rejection.
    status.catch(() => {});
    req.end();
    return { status, close };
  }

  /** Closes the kept-alive connection. */
  close(): void {
    this.#agent.destroy();
  }

  #post(body: Buffer, mayRetry: boolean): Promise<{ status: number; statusMessage: string; data: Buffer }> {
    return new Promise((resolve, reject) => {
      const target = this.#target;
      const req = request({
        ...("socketPath" in target ? { socketPath: target.socketPath, host: "localhost" } : target),
        method: "POST",
        path: "/RPC2",
        agent: this.#agent,
        headers: { ...this.#headers, "Content-Length": String(body.length) },
      });
      if (this.#timeoutMs > 0) {
        req.setTimeout(this.#timeoutMs, () => {
          req.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" }));
        });
      }
      req.once("response", (response) => {
        readBody(response).then(
          (data) =>
            resolve({ status: response.statusCode ?? 0, statusMessage: response.statusMessage ?? "", data }),
          (error: NodeJS.ErrnoException) => reject(connectionError(this.serverurl, error)),
        );
      });
      req.once("error", (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed while idle: send once more on a new one.
        if (mayRetry && req.reusedSocket && (error.code === "ECONNRESET" || error.code === "EPIPE")) {
          this.#post(body, false).then(resolve, reject);
          return;
        }
        reject(connectionError(this.serverurl, error));
      });
      req.end(body);
    });
  }
}
