/**
 * `/logtail/<namespec>[/stderr]` and `/mainlogtail`: what `supervisorctl tail -f` and `fg` read.
 * The last 1024 bytes, then every byte appended as it arrives (chunked), following the file across
 * rotation and truncation as supervisord's `tail_f_producer` does. IO.
 */
import { closeSync, fstatSync, openSync, readSync, statSync, watch } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseNamespec } from "../process/namespec.js";
import { errorPage } from "../rpc/http-errors.js";
import type { Supervisor } from "./supervisor.js";

const HEAD_BYTES = 1024;
/** Re-check interval when no file-change event arrives (as supervisord's 0.1 s producer delay). */
const POLL_MS = 100;

function notFound(response: ServerResponse): void {
  response.writeHead(404, { "Content-Type": "text/html" }).end(errorPage(404));
}

/** Streams `path` to the response until the client goes away. */
export function streamTail(request: IncomingMessage, response: ServerResponse, path: string): void {
  let fd: number;
  let ino: number;
  let offset: number;
  try {
    fd = openSync(path, "r");
    const st = fstatSync(fd);
    ino = st.ino;
    offset = Math.max(0, st.size - HEAD_BYTES);
    response.writeHead(200, {
      "Content-Type": "text/plain;charset=utf-8",
      "Last-Modified": st.mtime.toUTCString(),
      "X-Accel-Buffering": "no",
    });
  } catch {
    notFound(response);
    return;
  }
  let closed = false;
  const pump = () => {
    if (closed) return;
    try {
      const current = statSync(path);
      if (current.ino !== ino) {
        closeSync(fd);
        fd = openSync(path, "r");
        ino = current.ino;
        offset = 0;
      }
    } catch {
      // Unlinked: keep reading the open file until it comes back.
    }
    const size = fstatSync(fd).size;
    if (size < offset) {
      offset = 0;
      response.write("==> File truncated <==\n");
    }
    while (offset < size) {
      const buffer = Buffer.alloc(Math.min(size - offset, 64 * 1024));
      const n = readSync(fd, buffer, 0, buffer.length, offset);
      if (n <= 0) break;
      offset += n;
      response.write(buffer.subarray(0, n));
    }
  };
  let watcher: ReturnType<typeof watch> | null = null;
  try {
    watcher = watch(path, pump);
    watcher.on("error", () => {});
  } catch {
    watcher = null;
  }
  const timer = setInterval(pump, POLL_MS);
  const stop = () => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    watcher?.close();
    closeSync(fd);
  };
  request.on("close", stop);
  response.on("close", stop);
  pump();
}

/** The route handlers for the HTTP server. */
export function logtailRoutes(supervisor: () => Supervisor) {
  return {
    logtail: (request: IncomingMessage, response: ServerResponse, path: string) => {
      if (request.method !== "GET") {
        response.writeHead(400, { "Content-Type": "text/html" }).end(errorPage(400));
        return;
      }
      const rest = path.replace(/^\/+/, "").split("/").slice(1);
      const [spec = "", channel = "stdout"] = [rest[0], rest.slice(1).join("/") || "stdout"];
      const parsed = parseNamespec(spec);
      const group = supervisor().group(parsed.group);
      const runner =
        parsed.kind === "process" ? group?.runners.find((r) => r.name === parsed.process) : undefined;
      const file = runner && (channel === "stdout" || channel === "stderr") ? runner.logPaths[channel] : null;
      if (!file) {
        notFound(response);
        return;
      }
      streamTail(request, response, file);
    },
    mainlogtail: (request: IncomingMessage, response: ServerResponse) => {
      const logfile = supervisor().config.supervisord.logfile;
      if (request.method !== "GET" || logfile === "syslog") {
        notFound(response);
        return;
      }
      streamTail(request, response, logfile);
    },
  };
}
