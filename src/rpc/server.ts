/**
 * The control plane's listeners: one node:http server per `[inet_http_server*]` and
 * `[unix_http_server*]` section, each serving the RPC handler with that section's credentials,
 * with bounded time for slow clients and a bounded number of connections. IO.
 *
 * supervisord's start-up lines for each server (INFO `RPC interface 'supervisor' initialized`, CRIT
 * `Server '<section>' running without any HTTP authentication checking`) are the caller's to log,
 * after each server is open; this module adds only Steward's warning for a world-writable socket
 * without credentials.
 *
 * Idle keep-alive connections are kept open (as supervisord does) by default: long-lived clients
 * such as superlance's memmon hold one connection through supervisor's own transport, which does
 * not reconnect when the server has closed it.
 */
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { toUserGroup } from "../config/convert.js";
import type { HostFacts } from "../config/host.js";
import { systemHost } from "../config/host-system.js";
import type { InetServerConfig, ServerConfig, UnixServerConfig } from "../config/types.js";
import { StewardError } from "../errors.js";
import type { Credentials } from "./basic-auth.js";
import { errorPage, reasonPhrase } from "./http-errors.js";
import { createRpcHttpHandler, type RpcHttpOptions } from "./http-handler.js";
import { exposureError, isLoopbackAddress, listenInet, resolveBindAddress } from "./inet-listen.js";
import { type BoundSocket, listenUnix, unlinkBoundSocket } from "./unix-listen.js";

/**
 * A server section, with Steward's extension option for `[inet_http_server]`:
 * `allow_unauthenticated = true` lets it listen beyond loopback without a username and password.
 */
export type ListenConfig = UnixServerConfig | InetServerConfig;

export interface HttpServerOptions extends Omit<RpcHttpOptions, "credentials"> {
  /** Where `Unlinking stale socket <file>` goes. @default process.stderr */
  readonly stderr?: (text: string) => void;
  /** Resolves `chown` names. @default the host's /etc/passwd and /etc/group */
  readonly host?: HostFacts;
  /** Time a client has to send a request's headers. @default 30000 */
  readonly headersTimeoutMs?: number;
  /** Time a client has to send a whole request (headers and body). @default 60000 */
  readonly requestTimeoutMs?: number;
  /** Idle time after which a keep-alive connection is closed; 0 keeps it (supervisord). @default 0 */
  readonly keepAliveTimeoutMs?: number;
  /** Connections beyond this many are dropped at once. @default 1024 */
  readonly maxConnections?: number;
}

export interface RunningHttpServer {
  readonly config: ServerConfig;
  /** `unix:///path`, or `http://host:port` with the port actually bound. */
  readonly url: string;
  readonly server: Server;
  /**
   * Stops listening, closes idle connections, lets answers in progress finish for `graceMs`, then
   * closes what is left, and removes the socket file this server created.
   */
  close(graceMs?: number): Promise<void>;
}

function credentialsOf(config: ServerConfig): Credentials | null {
  // supervisord checks `if username:`, so an empty username means no authentication.
  return config.username ? { username: config.username, password: config.password ?? "" } : null;
}

function clientErrorStatus(error: NodeJS.ErrnoException): number {
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") return 408;
  if (error.code === "HPE_HEADER_OVERFLOW") return 431;
  return 400;
}

function makeServer(config: ServerConfig, options: HttpServerOptions): Server {
  const handler = createRpcHttpHandler({ ...options, credentials: credentialsOf(config) });
  const headersTimeout = options.headersTimeoutMs ?? 30_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 60_000, headersTimeout);
  const server = createServer(
    {
      requireHostHeader: false,
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 0,
      // How often the timeouts above are checked (Node's default, 30 s, would double them).
      connectionsCheckingInterval: Math.min(1000, Math.max(20, Math.floor(headersTimeout / 4))),
    },
    handler,
  );
  server.on("checkContinue", handler.checkContinue);
  server.maxConnections = options.maxConnections ?? 1024;
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writable && socket.bytesWritten === 0 && error.code !== "ECONNRESET") {
      const status = clientErrorStatus(error);
      const body = errorPage(status);
      socket.write(
        `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\nServer: Medusa/1.12\r\nConnection: close\r\nContent-Length: ${body.length}\r\nContent-Type: text/html\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  });
  return server;
}

function closer(server: Server, bound: BoundSocket | null): (graceMs?: number) => Promise<void> {
  let closing: Promise<void> | null = null;
  return (graceMs = 1000) => {
    closing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      server.closeIdleConnections();
      if (bound !== null) unlinkBoundSocket(bound);
    });
    return closing;
  };
}

async function openUnix(config: UnixServerConfig, options: HttpServerOptions): Promise<RunningHttpServer> {
  const server = makeServer(config, options);
  let chown: { uid: number; gid: number } | null = null;
  if (config.chown !== null) {
    try {
      chown = toUserGroup(config.chown, options.host ?? systemHost());
    } catch (error) {
      throw new StewardError("STEWARD_ERR_USAGE", `Invalid sockchown value ${config.chown}`, {
        cause: error,
      });
    }
  }
  const bound = await listenUnix(server, {
    file: config.file,
    chmod: config.chmod,
    chown,
    stderr: options.stderr ?? ((text) => process.stderr.write(text)),
  });
  if (credentialsOf(config) === null && (config.chmod & 0o002) !== 0) {
    options.log?.warn(
      `Server '${config.section}': every local user may write to ${config.file} (chmod=${config.chmod.toString(8).padStart(4, "0")}) and it has no username and password, so every local user can control supervised programs`,
    );
  }
  return { config, url: `unix://${config.file}`, server, close: closer(server, bound) };
}

async function openInet(config: InetServerConfig, options: HttpServerOptions): Promise<RunningHttpServer> {
  const address = await resolveBindAddress(config.host);
  const authenticated = credentialsOf(config) !== null;
  if (!authenticated && !isLoopbackAddress(address) && config.allow_unauthenticated !== true) {
    throw exposureError(config.section, address, config.port);
  }
  const server = makeServer(config, options);
  const info = await listenInet(server, address, config.port);
  const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
  return { config, url: `http://${host}:${info.port}`, server, close: closer(server, null) };
}

/** Opens one server. Throws StewardError (`STEWARD_ERR_USAGE`, supervisord's wording) on failure. */
export function openHttpServer(config: ListenConfig, options: HttpServerOptions): Promise<RunningHttpServer> {
  return config.kind === "unix_http_server" ? openUnix(config, options) : openInet(config, options);
}

/** Opens every server in order (supervisord: inet first, then unix); on a failure closes the rest. */
export async function openHttpServers(
  configs: readonly ListenConfig[],
  options: HttpServerOptions,
): Promise<RunningHttpServer[]> {
  const running: RunningHttpServer[] = [];
  try {
    for (const config of configs) running.push(await openHttpServer(config, options));
  } catch (error) {
    await Promise.all(running.map((s) => s.close(0)));
    throw error;
  }
  return running;
}
