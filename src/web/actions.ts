/**
 * The web page's actions, with supervisord's words for their outcomes (`Process x started`,
 * `ERROR: Process x: spawn error`, `All stopped at <ctime>` …). The XML-RPC call is injected, so this
 * holds only the mapping from action and fault to message; the daemon passes its registry.
 */
import { Faults, RpcFault } from "../rpc/faults.js";
import type { XmlRpcValue } from "../rpc/values.js";
import { ctime } from "./ctime.js";

export const WEB_ACTIONS = [
  "refresh",
  "stopall",
  "restartall",
  "start",
  "stop",
  "restart",
  "clearlog",
] as const;
export type WebAction = (typeof WEB_ACTIONS)[number];

export function isWebAction(text: string): text is WebAction {
  return (WEB_ACTIONS as readonly string[]).includes(text);
}

export interface ActionContext {
  /** Calls an XML-RPC method of this daemon (faults are thrown as RpcFault). */
  call(method: string, params: readonly XmlRpcValue[]): Promise<XmlRpcValue>;
  /** Whether `namespec` names one process. */
  exists(namespec: string): boolean;
  now(): Date;
}

const START_ERRORS: ReadonlyMap<number, string> = new Map([
  [Faults.NO_FILE, "no such file"],
  [Faults.NOT_EXECUTABLE, "file not executable"],
  [Faults.ALREADY_STARTED, "already started"],
  [Faults.SPAWN_ERROR, "spawn error"],
  [Faults.ABNORMAL_TERMINATION, "abnormal termination"],
]);

function unexpected(error: unknown): string {
  if (error instanceof RpcFault) return `unexpected rpc fault [${error.faultCode}] ${error.faultString}`;
  throw error;
}

async function start(namespec: string, c: ActionContext): Promise<string> {
  try {
    await c.call("supervisor.startProcess", [namespec, true]);
    return `Process ${namespec} started`;
  } catch (error) {
    const known = error instanceof RpcFault ? START_ERRORS.get(error.faultCode) : undefined;
    return `ERROR: Process ${namespec}: ${known ?? unexpected(error)}`;
  }
}

/** Runs `action` (on `namespec` for the per-process ones) and returns the message to show. */
export async function runWebAction(action: WebAction, namespec: string, c: ActionContext): Promise<string> {
  switch (action) {
    case "refresh":
      return `Page refreshed at ${ctime(c.now())}`;
    case "stopall":
      await c.call("supervisor.stopAllProcesses", [true]);
      return `All stopped at ${ctime(c.now())}`;
    case "restartall":
      await c.call("supervisor.stopAllProcesses", [true]);
      await c.call("supervisor.startAllProcesses", [true]);
      return `All restarted at ${ctime(c.now())}`;
  }
  if (!c.exists(namespec)) return `No such process named ${namespec}`;
  switch (action) {
    case "start":
      return start(namespec, c);
    case "stop":
      try {
        await c.call("supervisor.stopProcess", [namespec, true]);
        return `Process ${namespec} stopped`;
      } catch (error) {
        return unexpected(error);
      }
    case "restart": {
      // as supervisord's multicall of stop and start: a process that was not running is started
      try {
        await c.call("supervisor.stopProcess", [namespec, true]);
      } catch (error) {
        if (!(error instanceof RpcFault && error.faultCode === Faults.NOT_RUNNING)) return unexpected(error);
      }
      const started = await start(namespec, c);
      return started.startsWith("ERROR") ? started : `Process ${namespec} restarted`;
    }
    case "clearlog":
      try {
        await c.call("supervisor.clearProcessLogs", [namespec]);
        return `Log for ${namespec} cleared`;
      } catch (error) {
        return unexpected(error);
      }
  }
}
