/**
 * The HTTP side of the control plane: a node:http request listener that answers as supervisord's
 * medusa server does. Basic auth (when configured) guards every path; `POST /RPC2…` is XML-RPC;
 * `/logtail…`, `/mainlogtail…` and everything else go to route hooks the daemon fills in later
 * (until then: 404). A request body is bounded and refused from its Content-Length, before it is
 * read; the daemon's memory for bodies in flight is bounded as a whole.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { pyRepr } from "../config/py-text.js";
import { type Credentials, checkBasicAuth } from "./basic-auth.js";
import { decodeRequest, encodeFault, encodeResponseParts } from "./codec.js";
import { RpcCodecError } from "./errors.js";
import { RpcFault } from "./faults.js";
import { errorPage, reasonPhrase } from "./http-errors.js";
import { sendXml, setMedusaHeaders } from "./http-reply.js";
import type { RpcCallContext, RpcRegistry } from "./registry.js";

/** The main log's methods the server uses; Steward's MainLog has them. */
export interface RpcLog {
  critical(message: string): void;
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  trace(message: string): void;
}

/**
 * A hook for a non-RPC path. `path` is the request path with `%xx` decoded and without the query,
 * as medusa hands it to its handlers. Auth has already been checked.
 */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse, path: string) => void;

export interface HttpRoutes {
  /** `/logtail/<namespec>[/<channel>]`. */
  readonly logtail?: RouteHandler;
  /** `/mainlogtail`. */
  readonly mainlogtail?: RouteHandler;
  /** Everything else: the web UI (`/`, `/index.html`, `/tail.html`, `/ok.html`) and its files. */
  readonly ui?: RouteHandler;
}

export interface RpcHttpOptions {
  readonly registry: RpcRegistry;
  /** The server's `username` and `password`; null or absent: no authentication. */
  readonly credentials?: Credentials | null;
  readonly log?: RpcLog | null;
  /** The largest request body accepted; a larger Content-Length gets 413. @default 1 MiB */
  readonly maxBodyBytes?: number;
  /** The most request-body bytes held in memory at once, over all requests; beyond: 503. @default 64 MiB */
  readonly maxPendingBodyBytes?: number;
  readonly routes?: HttpRoutes;
}

/** A request listener, plus the listener for node:http's `checkContinue` event. */
export interface RpcHttpHandler {
  (request: IncomingMessage, response: ServerResponse): void;
  /** Answers `Expect: 100-continue` requests: refuses before the body is sent, or continues. */
  readonly checkContinue: (request: IncomingMessage, response: ServerResponse) => void;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_PENDING_BODY_BYTES = 64 * 1024 * 1024;

/** How much of a bad request body the error log quotes. */
const LOGGED_BODY_CHARS = 2048;

/** urllib's `unquote`: `%xx` runs decoded as UTF-8 (with replacement), anything else kept. */
function unquote(s: string): string {
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) =>
    Buffer.from(run.replace(/%/g, ""), "hex").toString("utf8"),
  );
}

/** The request path medusa's handlers match on: no query, `%xx` decoded. */
export function requestPath(url: string | undefined): string {
  let target = url ?? "/";
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(target);
  if (absolute !== null) target = target.slice(absolute[0].length) || "/";
  const query = target.indexOf("?");
  const path = query < 0 ? target : target.slice(0, query);
  return path.includes("%") ? unquote(path) : path;
}

/** medusa's error reply. `close` also ends the connection without reading the rest of the request. */
function sendError(
  response: ServerResponse,
  code: number,
  options: { close?: boolean; headers?: Readonly<Record<string, string>> } = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const body = errorPage(code);
  setMedusaHeaders(response);
  response.statusCode = code;
  response.statusMessage = reasonPhrase(code);
  if (options.close === true) response.setHeader("Connection", "close");
  for (const [name, value] of Object.entries(options.headers ?? {})) response.setHeader(name, value);
  response.setHeader("Content-Length", Buffer.byteLength(body));
  response.setHeader("Content-Type", "text/html");
  response.end(body);
}

/** The longest wait for a refused request's body before the answer goes anyway. */
const DRAIN_BODY_MS = 2000;

/**
 * Runs `then` once the request's body has been read and dropped: at once when it has none or it is
 * over `limit` (the connection is then closed with it unread), else at its end or after DRAIN_BODY_MS.
 */
function afterBody(request: IncomingMessage, then: () => void, limit: number): void {
  const length = Number(request.headers["content-length"] ?? 0);
  const chunked = /chunked/i.test(String(request.headers["transfer-encoding"] ?? ""));
  // A client that waits for "100 Continue" sends no body after a refusal.
  const waiting = /100-continue/i.test(String(request.headers.expect ?? ""));
  if (request.complete || waiting || (!chunked && (!(length > 0) || length > limit))) {
    then();
    return;
  }
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    then();
  };
  const timer = setTimeout(finish, DRAIN_BODY_MS);
  let read = 0;
  request.on("data", (chunk: Buffer) => {
    read += chunk.length;
    if (read > limit) finish();
  });
  request.once("end", finish);
  request.once("error", finish);
  request.once("close", finish);
}

/**
 * A call's context. Its abort signal is made when a handler first asks for it (only waiting starts
 * and stops need one): it is aborted when the client goes away before the answer is sent.
 */
class CallContext implements RpcCallContext {
  readonly username: string | null;
  readonly #response: ServerResponse;
  #controller: AbortController | null = null;

  constructor(response: ServerResponse, username: string | null) {
    this.#response = response;
    this.username = username;
  }

  get signal(): AbortSignal {
    if (this.#controller === null) {
      const controller = new AbortController();
      const response = this.#response;
      this.#controller = controller;
      if (response.destroyed) {
        if (!response.writableFinished) controller.abort();
      } else {
        response.once("close", () => {
          if (!response.writableFinished) controller.abort();
        });
      }
    }
    return this.#controller.signal;
  }
}

function describeData(body: Buffer): string {
  const text = body.subarray(0, LOGGED_BODY_CHARS * 4).toString("utf8");
  if (text.length <= LOGGED_BODY_CHARS && body.length <= LOGGED_BODY_CHARS * 4) return pyRepr(text);
  return `${pyRepr(text.slice(0, LOGGED_BODY_CHARS))} (first ${LOGGED_BODY_CHARS} characters of ${body.length} bytes)`;
}

export function createRpcHttpHandler(options: RpcHttpOptions): RpcHttpHandler {
  const { registry, routes = {} } = options;
  const credentials = options.credentials ?? null;
  const log = options.log ?? null;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxPending = options.maxPendingBodyBytes ?? DEFAULT_MAX_PENDING_BODY_BYTES;
  let pending = 0;

  /** Answers an XML-RPC call whose body has been read. */
  async function answer(response: ServerResponse, body: Buffer, username: string | null): Promise<void> {
    let call: ReturnType<typeof decodeRequest>;
    try {
      call = decodeRequest(body);
    } catch (error) {
      if (!(error instanceof RpcCodecError)) throw error;
      const why = error.message.endsWith("no method name")
        ? "no method name"
        : `unmarshallable (${error.message})`;
      log?.error(`XML-RPC request data ${describeData(body)} is invalid: ${why}`);
      sendError(response, 400);
      return;
    }
    const { method, params } = call;
    let xml: string[];
    try {
      log?.trace(`XML-RPC method called: ${method}()`);
      xml = encodeResponseParts(await registry.call(method, params, new CallContext(response, username)));
      log?.trace(`XML-RPC method ${method}() returned successfully`);
    } catch (error) {
      if (!(error instanceof RpcFault)) {
        const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log?.critical(
          `Handling XML-RPC request with data ${describeData(body)} raised an unexpected exception: ${detail}`,
        );
        sendError(response, 500);
        return;
      }
      xml = [encodeFault(error)];
      log?.trace(`XML-RPC method ${method}() returned fault: [${error.faultCode}] ${error.faultString}`);
    }
    if (response.destroyed) return;
    sendXml(response, xml);
  }

  /** `/RPC2`: checks the request line and headers, then reads the bounded body and answers. */
  function rpc(request: IncomingMessage, response: ServerResponse, username: string | null, expect: boolean) {
    if (request.method !== "POST") return sendError(response, 400);
    const declared = request.headers["content-length"];
    if (declared === undefined) return sendError(response, 411, { close: true });
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) return sendError(response, 400, { close: true });
    if (length > maxBody) return sendError(response, 413, { close: true });
    if (pending + length > maxPending) return sendError(response, 503, { close: true });
    pending += length;
    let released = false;
    const release = () => {
      if (!released) pending -= length;
      released = true;
    };
    if (expect) response.writeContinue();
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= length) chunks.push(chunk);
    });
    request.once("error", release);
    request.once("close", release);
    request.once("end", () => {
      const total = Math.min(size, length);
      const body =
        chunks.length === 1 && chunks[0]!.length === total ? chunks[0]! : Buffer.concat(chunks, total);
      release();
      answer(response, body, username).catch((error: unknown) => {
        log?.critical(`XML-RPC handler failed: ${error instanceof Error ? error.stack : String(error)}`);
        sendError(response, 500);
      });
    });
  }

  function dispatch(request: IncomingMessage, response: ServerResponse, expect: boolean): void {
    let username: string | null = null;
    if (credentials !== null) {
      const auth = checkBasicAuth(request.headers.authorization, credentials);
      if (!auth.ok) {
        // The body is read (and dropped) before the connection closes: closing with unread bytes makes
        // the kernel reset it, and a client still sending its body gets EPIPE instead of the 401.
        afterBody(
          request,
          () => {
            if (auth.status === 400) sendError(response, 400, { close: true });
            else
              sendError(response, 401, {
                close: true,
                headers: { "WWW-Authenticate": 'Basic realm="default"' },
              });
          },
          maxBody,
        );
        return;
      }
      username = auth.username;
    }
    const path = requestPath(request.url);
    if (path.startsWith("/RPC2")) {
      rpc(request, response, username, expect);
      return;
    }
    const route = path.startsWith("/logtail")
      ? routes.logtail
      : path.startsWith("/mainlogtail")
        ? routes.mainlogtail
        : routes.ui;
    if (route === undefined) {
      // medusa's default handler: only GET and HEAD, and no file here.
      sendError(response, request.method === "GET" || request.method === "HEAD" ? 404 : 400);
      return;
    }
    if (expect) response.writeContinue();
    setMedusaHeaders(response);
    try {
      route(request, response, path);
    } catch (error) {
      log?.error(`Server Error: ${error instanceof Error ? error.message : String(error)}`);
      sendError(response, 500);
    }
  }

  const handler = (request: IncomingMessage, response: ServerResponse) => dispatch(request, response, false);
  return Object.assign(handler, {
    checkContinue: (request: IncomingMessage, response: ServerResponse) => dispatch(request, response, true),
  });
}
