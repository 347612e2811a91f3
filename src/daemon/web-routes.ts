/**
 * The web pages on every HTTP server of the daemon, as supervisord has them, plus Prometheus metrics:
 * `/` and `/index.html` (status, and the actions posted from its buttons), `/tail.html`, `/ok.html`,
 * `/metrics`. Actions go through the daemon's own XML-RPC methods, so they behave exactly as
 * `supervisorctl`'s. They are accepted only as a POST carrying this daemon's page token: a link or a
 * form on another site cannot stop or restart anything through a visitor's browser (supervisord takes
 * them as GET links). IO: reads request bodies, writes responses.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { RUNNING_STATES } from "../process/states.js";
import { RpcFault } from "../rpc/faults.js";
import { errorPage } from "../rpc/http-errors.js";
import type { RpcRegistry } from "../rpc/registry.js";
import type { XmlRpcValue } from "../rpc/values.js";
import { STEWARD_VERSION } from "../version.js";
import { isWebAction, runWebAction } from "../web/actions.js";
import { metricsText } from "../web/metrics.js";
import { type StatusRow, statusPage, tailPage } from "../web/status-page.js";
import { Control } from "./control.js";
import { treeUsages } from "./proc-usage.js";
import type { ProcessRunner } from "./process-runner.js";

/** The largest form body read. */
const MAX_FORM_BYTES = 64 * 1024;
/** The most of a log `tail.html` shows, and the least (supervisord's). */
const TAIL_MAX = 1024 * 1024;
const TAIL_MIN = 1024;

export interface WebRoutesOptions {
  readonly control: Control;
  /** Every supervisor.* and steward.* method, whatever `[rpcinterface:x]` the config has. */
  readonly registry: RpcRegistry;
  /** Epoch seconds. */
  readonly startTime: number;
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" }).end(body);
}

/** medusa's error page with its status. */
function refuse(response: ServerResponse, code: number): void {
  send(response, code, "text/html", errorPage(code));
}

function readForm(request: IncomingMessage): Promise<URLSearchParams | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FORM_BYTES) chunks.push(chunk);
    });
    request.once("end", () =>
      resolve(size > MAX_FORM_BYTES ? null : new URLSearchParams(Buffer.concat(chunks).toString("utf8"))),
    );
    request.once("error", () => resolve(null));
  });
}

export function webRoutes(options: WebRoutesOptions) {
  const { control, registry } = options;
  const token = randomBytes(16).toString("hex");
  const context = { signal: new AbortController().signal, username: null };
  const call = (method: string, params: readonly XmlRpcValue[]) => registry.call(method, params, context);
  const identifier = () => control.supervisor.config.supervisord.identifier;

  /** The health check's status, last answer and failures in a row; null without a check. */
  const healthOf = (runner: ProcessRunner) => {
    if (runner.config.healthcheck === null) return null;
    const report = control.supervisor.health(runner);
    return {
      status: report?.status ?? "none",
      detail: report?.last?.detail ?? "",
      failures: report?.failures ?? 0,
    };
  };

  const rows = (): StatusRow[] => {
    const targets = control.targets();
    const usages = treeUsages(targets.map(({ runner }) => runner.snapshot.pid));
    return targets.map(({ group, runner }) => {
      const info = control.info(group, runner);
      return {
        namespec: Control.namespec(group, runner),
        statename: info.statename,
        description: info.description,
        health: healthOf(runner),
        usage: usages.get(runner.snapshot.pid) ?? null,
        running: RUNNING_STATES.has(runner.state),
      };
    });
  };

  const status = (response: ServerResponse, code: number, message: string | null, refresh: number | null) =>
    send(
      response,
      code,
      "text/html; charset=utf-8",
      statusPage({
        identifier: identifier(),
        version: STEWARD_VERSION,
        pid: process.pid,
        message,
        token,
        refresh,
        rows: rows(),
      }),
    );

  const exists = (spec: string): boolean => {
    try {
      control.findProcess(spec);
      return true;
    } catch {
      return false;
    }
  };

  /** A POSTed action: run it, then send the browser back to the page with its message (303). */
  const act = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const form = await readForm(request);
    if (form === null) {
      refuse(response, 413);
      return;
    }
    const action = form.get("action") ?? "";
    if (form.get("token") !== token) {
      const why = "ERROR: the form is from another page or an earlier daemon: reload and try again";
      status(response, 403, why, null);
      return;
    }
    if (!isWebAction(action)) {
      status(response, 400, `ERROR: unknown action '${action}'`, null);
      return;
    }
    let message: string;
    try {
      message = await runWebAction(action, form.get("processname") ?? "", {
        call,
        exists,
        now: () => new Date(),
      });
    } catch (error) {
      message = error instanceof RpcFault ? `ERROR: ${error.faultString}` : `ERROR: ${String(error)}`;
    }
    response.writeHead(303, { Location: `index.html?message=${encodeURIComponent(message)}` }).end();
  };

  const index = (request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void => {
    if (request.method === "POST") {
      void act(request, response);
    } else if (request.method !== "GET" && request.method !== "HEAD") {
      refuse(response, 405);
    } else if (query.has("action")) {
      const why = `ERROR: action=${query.get("action")} as a link is refused (any web page could make a browser follow it): use this page's buttons, or supervisorctl`;
      status(response, 403, why, null);
    } else {
      const refresh = Number(query.get("refresh"));
      const valid = Number.isInteger(refresh) && refresh >= 1 && refresh <= 3600;
      status(response, 200, query.get("message"), valid ? refresh : null);
    }
  };

  const tail = async (response: ServerResponse, query: URLSearchParams) => {
    const namespec = query.get("processname") ?? "";
    const limit = Math.min(TAIL_MAX, Math.max(TAIL_MIN, Number(query.get("limit")) || TAIL_MIN));
    let text: string;
    try {
      const [bytes] = (await call("supervisor.tailProcessStdoutLog", [namespec, 0, limit])) as [string];
      text = bytes;
    } catch (error) {
      if (!(error instanceof RpcFault)) throw error;
      text = `ERROR: unexpected rpc fault [${error.faultCode}] ${error.faultString}`;
    }
    send(response, 200, "text/html; charset=utf-8", tailPage(namespec, text, identifier()));
  };

  const metrics = (response: ServerResponse) => {
    const targets = control.targets();
    const usages = treeUsages(targets.map(({ runner }) => runner.snapshot.pid));
    send(
      response,
      200,
      "text/plain; version=0.0.4; charset=utf-8",
      metricsText({
        version: STEWARD_VERSION,
        identifier: identifier(),
        startTime: options.startTime,
        residentBytes: process.memoryUsage.rss(),
        processes: targets.map(({ group, runner }) => {
          const info = control.info(group, runner);
          return {
            group: info.group,
            name: info.name,
            statename: runner.state,
            pid: info.pid,
            start: info.start,
            exitstatus: info.exitstatus,
            spawns: runner.spawns,
            health: healthOf(runner),
            usage: usages.get(runner.snapshot.pid) ?? null,
          };
        }),
      }),
    );
  };

  return (request: IncomingMessage, response: ServerResponse, path: string): void => {
    const query = new URL(request.url ?? "/", "http://localhost").searchParams;
    const reading = request.method === "GET" || request.method === "HEAD";
    if (path === "/" || path === "/index.html") index(request, response, query);
    else if (!reading) refuse(response, path === "/tail.html" || path === "/metrics" ? 405 : 400);
    else if (path === "/tail.html") void tail(response, query).catch(() => refuse(response, 500));
    else if (path === "/ok.html") send(response, 200, "text/plain", "OK");
    else if (path === "/metrics") metrics(response);
    else refuse(response, 404);
  };
}
