/**
 * One run of one check (`wait_for`, `healthcheck`): a TCP connect, an HTTP(S) GET, a shell command,
 * or another supervisord's view of a program over XML-RPC. Each run ends with a `ProbeResult` — never
 * a rejection — within `ProbeContext.timeoutMs`, or at once when its AbortSignal fires, and leaves
 * nothing behind: its socket is destroyed, its command's whole process group killed. `log` checks
 * watch a program's output and are not run here. IO.
 *
 * HTTPS certificates are verified against Node's CA store (plus `NODE_EXTRA_CA_CERTS`); there is
 * no switch to skip the check — a server with a self-signed certificate is checked with an `exec`
 * probe (`curl -fsk https://…`) instead.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import type { ProbeSpec } from "../config/types.js";
import { RpcClient } from "../rpc/client.js";
import { RpcClientError } from "../rpc/errors.js";
import { Faults, RpcFault } from "../rpc/faults.js";
import { isStruct } from "../rpc/values.js";

export interface ProbeResult {
  readonly ok: boolean;
  /**
   * One line for logs and status: "connected", "HTTP 503", "exit status 1: <first line of its
   * output>", "connection refused", "timed out after 5 s", "bklog-api is STARTING there", "cancelled".
   */
  readonly detail: string;
}

export interface ProbeContext {
  /** The whole run, connect to answer (or spawn to exit). 0 or less, or not finite: no limit. */
  readonly timeoutMs: number;
  /** exec: the whole environment of the command (the program's). @default process.env */
  readonly env?: Readonly<Record<string, string>>;
  /** exec: the directory it runs in (the program's `directory`). @default the daemon's cwd */
  readonly cwd?: string | null;
  /**
   * exec: the program's `user=` when the daemon must switch to it (it runs as root): the command runs
   * with that uid, gid and the user's groups, as the program does. @default the daemon's user
   */
  readonly user?: { readonly uid: number; readonly gid: number } | null;
  /** Cancels the run: it then resolves at once with `{ ok: false, detail: "cancelled" }`. */
  readonly signal?: AbortSignal;
}

export type RunnableProbe = Exclude<ProbeSpec, { kind: "log" }>;

/** How much of an HTTP body is read (and thrown away) before the answer counts as complete. */
const HTTP_BODY_LIMIT = 4096;
/** How much of an exec probe's stdout and stderr is kept, each, to find its first line. */
const EXEC_OUTPUT_LIMIT = 4096;
/** The longest line an exec probe's detail quotes. */
const DETAIL_LINE_MAX = 200;
/** setTimeout's largest delay; longer timeouts are clamped to it (24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

const CANCELLED: ProbeResult = { ok: false, detail: "cancelled" };

/** `5000` → `5`, `1500` → `1.5`, `200` → `0.2`. */
function seconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(3)));
}

export function timedOutDetail(timeoutMs: number): string {
  return `timed out after ${seconds(timeoutMs)} s`;
}

function oneLine(text: string, max = DETAIL_LINE_MAX): string {
  const line = text.replace(/[\x00-\x1f\x7f]+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** The errno code of a socket error; Node's happy-eyeballs connect wraps its errors in an AggregateError. */
function errnoCode(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException & { errors?: unknown[] };
  if (typeof e?.code === "string") return e.code;
  if (Array.isArray(e?.errors)) return errnoCode(e.errors[0]);
  return undefined;
}

/** A socket or TLS error in a few words. */
export function networkErrorDetail(error: unknown, host: string): string {
  const code = errnoCode(error) ?? "";
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
    case "EAI_FAIL":
    case "EAI_NODATA":
      return `unknown host ${host}`;
    case "ECONNRESET":
      return "connection reset";
    case "EPIPE":
      return "connection closed";
    case "EHOSTUNREACH":
      return "host unreachable";
    case "ENETUNREACH":
      return "network unreachable";
    case "ETIMEDOUT":
      return "connection timed out";
    case "EADDRNOTAVAIL":
      return "address not available";
    case "ENOENT":
      return "no such socket file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
  }
  const message = error instanceof Error ? error.message : String(error);
  if (code.startsWith("ERR_TLS_") || code.includes("CERT") || code.startsWith("ERR_SSL_")) {
    return `TLS: ${oneLine(message)}`;
  }
  return oneLine(message) || code || "connection failed";
}

interface Run {
  /** Releases whatever the run holds; called once, whichever way it ends (also after a result). */
  cancel(): void;
  /** The result when the time is up, if not "timed out after N s". */
  onTimeout?(): ProbeResult;
}

/**
 * The frame every probe runs in: the first result wins; the timeout and the AbortSignal give
 * theirs; `start` throwing is a failed run; the run's `cancel` is always called at the end.
 */
function frame(
  ctx: ProbeContext,
  start: (finish: (result: ProbeResult) => void) => Run,
): Promise<ProbeResult> {
  return new Promise((resolve) => {
    if (ctx.signal?.aborted) {
      resolve(CANCELLED);
      return;
    }
    let run: Run | null = null;
    let result: ProbeResult | null = null;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => finish(CANCELLED);
    const finish = (r: ProbeResult) => {
      if (result) return;
      result = r;
      clearTimeout(timer);
      ctx.signal?.removeEventListener("abort", onAbort);
      try {
        run?.cancel();
      } catch {
        // Releasing is best effort: the result is already given.
      }
      resolve(r);
    };
    if (Number.isFinite(ctx.timeoutMs) && ctx.timeoutMs > 0) {
      timer = setTimeout(
        () => finish(run?.onTimeout?.() ?? { ok: false, detail: timedOutDetail(ctx.timeoutMs) }),
        Math.min(ctx.timeoutMs, MAX_TIMER_MS),
      );
    }
    ctx.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const started = start(finish);
      run = started;
      // A run that finished while starting still gets released.
      if (result) started.cancel();
    } catch (error) {
      finish({ ok: false, detail: oneLine(error instanceof Error ? error.message : String(error)) });
    }
  });
}

function runTcp(probe: Extract<RunnableProbe, { kind: "tcp" }>, ctx: ProbeContext): Promise<ProbeResult> {
  return frame(ctx, (finish) => {
    if (!Number.isInteger(probe.port) || probe.port < 1 || probe.port > 65535) {
      finish({ ok: false, detail: `bad port ${probe.port}` });
      return { cancel() {} };
    }
    const socket = connect({ host: probe.host, port: probe.port });
    socket.once("connect", () => finish({ ok: true, detail: "connected" }));
    socket.on("error", (error) => finish({ ok: false, detail: networkErrorDetail(error, probe.host) }));
    return { cancel: () => socket.destroy() };
  });
}

function runHttp(probe: Extract<RunnableProbe, { kind: "http" }>, ctx: ProbeContext): Promise<ProbeResult> {
  return frame(ctx, (finish) => {
    let url: URL;
    try {
      url = new URL(probe.url);
    } catch {
      finish({ ok: false, detail: `bad URL ${oneLine(probe.url)}` });
      return { cancel() {} };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      finish({ ok: false, detail: `unsupported URL scheme ${url.protocol}` });
      return { cancel() {} };
    }
    const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    // No agent: a connection of its own, closed after the answer. Redirects are answers like any other.
    const req = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, {
      method: "GET",
      agent: false,
      headers: { "User-Agent": "steward-probe", Accept: "*/*", Connection: "close" },
    });
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      const ok = probe.expect === null ? status >= 200 && status <= 299 : status === probe.expect;
      const done = () => finish({ ok, detail: `HTTP ${status}` });
      let read = 0;
      res.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read >= HTTP_BODY_LIMIT) done();
      });
      res.on("end", done);
      // A body cut short still came with its status.
      res.on("error", done);
    });
    req.on("error", (error) => finish({ ok: false, detail: networkErrorDetail(error, host) }));
    req.end();
    return { cancel: () => req.destroy() };
  });
}

/** `exit status N` or `killed by SIGX`, with the first line of stderr (else stdout). */
function execDetail(
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: Buffer,
  stdout: Buffer,
): string {
  const how = signal ? `killed by ${signal}` : `exit status ${code}`;
  const firstLine = (b: Buffer) =>
    b
      .toString("utf8")
      .split("\n")
      .map((l) => oneLine(l))
      .find((l) => l !== "") ?? "";
  const line = firstLine(stderr) || firstLine(stdout);
  return line === "" ? how : `${how}: ${line}`;
}

const SETPRIV =
  ["/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv"].find((path) => existsSync(path)) ?? null;

/**
 * `/bin/sh -c COMMAND`, as `user` when given: through util-linux's setpriv (uid, gid and the user's
 * groups, as the program's spawn does), else the spawn's own uid/gid switch (no supplementary groups).
 */
function shellCommand(
  command: string,
  user: { readonly uid: number; readonly gid: number } | null,
): [string, string[], { uid?: number; gid?: number }?] {
  if (user === null) return ["/bin/sh", ["-c", command]];
  if (SETPRIV === null) return ["/bin/sh", ["-c", command], { uid: user.uid, gid: user.gid }];
  return [
    SETPRIV,
    [`--reuid=${user.uid}`, `--regid=${user.gid}`, "--init-groups", "--", "/bin/sh", "-c", command],
  ];
}

function runExec(probe: Extract<RunnableProbe, { kind: "exec" }>, ctx: ProbeContext): Promise<ProbeResult> {
  return frame(ctx, (finish) => {
    // Detached: the shell leads a new session and process group, so one kill(-pid) reaches
    // everything it started.
    const [file, args, ids] = shellCommand(probe.command, ctx.user ?? null);
    const child = spawn(file, args, {
      ...ids,
      env: ctx.env ?? process.env,
      cwd: ctx.cwd ?? undefined,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const pid = child.pid;
    // Once killed after the exit, the group is empty: no second kill to a number that may be reused.
    let groupKilled = false;
    const killGroup = () => {
      if (pid === undefined || groupKilled) return;
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // ESRCH: nothing left.
      }
    };
    const output = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const keep = (into: Buffer[]) => {
      let kept = 0;
      return (chunk: Buffer) => {
        if (kept >= EXEC_OUTPUT_LIMIT) return;
        into.push(chunk);
        kept += chunk.length;
      };
    };
    child.stdout.on("data", keep(output.stdout));
    child.stderr.on("data", keep(output.stderr));
    let exitResult: (() => ProbeResult) | null = null;
    child.on("exit", (code, signal) => {
      exitResult = () => ({
        ok: code === 0,
        detail: execDetail(code, signal, Buffer.concat(output.stderr), Buffer.concat(output.stdout)),
      });
      // What the command left running in the background goes with it; the pipes then close.
      killGroup();
      groupKilled = true;
    });
    // After the exit and the last of its output.
    child.on("close", () => finish(exitResult?.() ?? { ok: false, detail: "exited" }));
    child.on("error", (error: NodeJS.ErrnoException) => {
      // /bin/sh is there: ENOENT means the directory is not.
      const detail =
        error.code === "ENOENT" && ctx.cwd
          ? `no such directory ${ctx.cwd}`
          : `cannot run /bin/sh: ${oneLine(error.message)}`;
      finish({ ok: false, detail });
    });
    return {
      cancel: () => {
        killGroup();
        child.stdout.destroy();
        child.stderr.destroy();
      },
      // Exited, but something that left the process group still holds its output open.
      onTimeout: () => exitResult?.() ?? { ok: false, detail: timedOutDetail(ctx.timeoutMs) },
    };
  });
}

function rpcErrorDetail(error: unknown, probe: Extract<RunnableProbe, { kind: "program" }>): string {
  if (error instanceof RpcFault) {
    if (error.faultCode === Faults.BAD_NAME) return `no such process ${probe.name}`;
    return `fault ${oneLine(error.faultString)}`;
  }
  if (error instanceof RpcClientError) {
    switch (error.code) {
      case "STEWARD_ERR_RPC_UNAUTHORIZED":
        return "401 unauthorized";
      case "STEWARD_ERR_RPC_HTTP":
        return `HTTP ${error.status} from ${probe.serverurl}`;
      case "STEWARD_ERR_RPC_URL":
        return `bad serverurl ${probe.serverurl}`;
    }
    if (error.cause !== undefined && errnoCode(error.cause) !== undefined) {
      const host = probe.serverurl.startsWith("unix://") ? probe.serverurl : hostOf(probe.serverurl);
      return `cannot reach ${probe.serverurl}: ${networkErrorDetail(error.cause, host)}`;
    }
    return oneLine(error.message);
  }
  return oneLine(error instanceof Error ? error.message : String(error));
}

function hostOf(serverurl: string): string {
  try {
    return new URL(serverurl).hostname;
  } catch {
    return serverurl;
  }
}

function runProgram(
  probe: Extract<RunnableProbe, { kind: "program" }>,
  ctx: ProbeContext,
): Promise<ProbeResult> {
  return frame(ctx, (finish) => {
    const client = new RpcClient({
      serverurl: probe.serverurl,
      username: probe.username,
      password: probe.password,
      userAgent: "steward-probe",
    });
    client.call("supervisor.getProcessInfo", [probe.name]).then(
      (info) => {
        const statename = isStruct(info) ? info.statename : undefined;
        if (typeof statename !== "string") {
          finish({ ok: false, detail: `unexpected answer from ${probe.serverurl}` });
          return;
        }
        finish({ ok: statename === "RUNNING", detail: `${probe.name} is ${statename} there` });
      },
      (error: unknown) => finish({ ok: false, detail: rpcErrorDetail(error, probe) }),
    );
    // Closing destroys the connection, also one still waiting for its answer.
    return { cancel: () => client.close() };
  });
}

/** Runs a check once. Never rejects: every failure is a result with `ok: false`. */
export async function runProbe(probe: RunnableProbe, ctx: ProbeContext): Promise<ProbeResult> {
  try {
    switch (probe.kind) {
      case "tcp":
        return await runTcp(probe, ctx);
      case "http":
        return await runHttp(probe, ctx);
      case "exec":
        return await runExec(probe, ctx);
      case "program":
        return await runProgram(probe, ctx);
    }
  } catch (error) {
    return { ok: false, detail: oneLine(error instanceof Error ? error.message : String(error)) };
  }
  const unknown: { kind?: unknown } = probe;
  return { ok: false, detail: `unknown check kind ${String(unknown.kind)}` };
}
