/**
 * Steward only: `deps [name|g:*|all ...]` shows the dependency graph (`steward.getDependencies`),
 * `health [name|g:*|all ...]` the health checks (`steward.getHealth`), `usage [name|g:*|all ...]`
 * each process tree's size, memory and CPU (`steward.getUsage`). Against a plain supervisord,
 * which has no `steward.*` methods, both say so: `deps` exits 3 (LSB "unimplemented feature", as
 * upcheck for a server without the supervisor namespace), `health` exits 4 (LSB status "unknown",
 * as `status` when it cannot tell), so that 3 keeps meaning "not healthy" for `health`.
 */
import { makeNamespec } from "../../process/namespec.js";
import { Faults, RpcFault } from "../../rpc/faults.js";
import type { XmlRpcValue } from "../../rpc/values.js";
import { ExitCodes, StatusExitCodes } from "../exit-codes.js";
import { toDependencyRecords, toHealthRecords, toJson, toProcessInfos, toUsageRecords } from "../records.js";
import type { CtlSession } from "../session.js";
import {
  formatDependencyTree,
  formatHealthLines,
  formatUsageLines,
  NOT_STEWARDD,
} from "../steward-output.js";
import { upcheck } from "../upcheck.js";
import { type Command, splitArgs } from "./command.js";
import { selectInfos } from "./status.js";

/** A record as JSON: its namespec, then every field the server sent. */
function jsonRecord(r: {
  group: string;
  name: string;
  raw: { readonly [key: string]: XmlRpcValue };
}): unknown {
  return { namespec: makeNamespec(r.group, r.name), ...(toJson(r.raw) as object) };
}

/** An error line, and in JSON mode its record (`{namespec, error}`, as `status` has them). */
function errorResult(s: CtlSession, e: { name: string; message: string }): void {
  s.result(e.message, { namespec: e.name, error: e.message.slice(e.message.indexOf("(") + 1, -1) });
}

/** Calls a `steward.*` method; null (after saying so) when the server does not have it. */
async function callSteward(s: CtlSession, method: string): Promise<XmlRpcValue | null> {
  try {
    return await s.call(method);
  } catch (error) {
    if (error instanceof RpcFault && error.faultCode === Faults.UNKNOWN_METHOD) {
      s.result(NOT_STEWARDD, { error: NOT_STEWARDD });
      return null;
    }
    throw error;
  }
}

/**
 * `deps` and `usage`: the records of a `steward.*` method, narrowed to the names given (errors for the
 * unknown ones, exit 2), as JSON records or as `format`'s lines; exit 3 when the server is not stewardd.
 */
async function listSteward<
  R extends { group: string; name: string; raw: { readonly [key: string]: XmlRpcValue } },
>(
  s: CtlSession,
  arg: string,
  method: string,
  toRecords: (value: XmlRpcValue) => R[],
  format: (shown: R[], all: R[]) => string[],
): Promise<void> {
  if (!(await upcheck(s))) return;
  const answer = await callSteward(s, method);
  if (answer === null) {
    s.exitStatus = ExitCodes.UNIMPLEMENTED_FEATURE;
    return;
  }
  const all = toRecords(answer);
  const { infos, errors } = selectInfos(all, splitArgs(arg).words);
  for (const e of errors) errorResult(s, e);
  if (errors.length > 0) s.exitStatus = ExitCodes.INVALID_ARGS;
  if (s.json) for (const r of infos) s.result("", jsonRecord(r));
  else for (const line of format(infos, all)) s.out(line);
}

export const deps: Command = {
  name: "deps",
  completes: "processes",
  json: true,
  help: [
    "deps\t\t\tShow each process's dependencies: its state and what it waits",
    "\t\t\tfor now, what it depends on (met or not met), its wait_for",
    "\t\t\tchecks, and what depends on it",
    "deps <name>\t\tShow the dependencies of a single process",
    "deps <gname>:*\t\tShow the dependencies of all processes in a group",
    "deps --json [...]\tPrint the steward.getDependencies records as JSON",
    "\t\t\tExit 2 for an unknown name, 3 when the server is not stewardd",
  ],
  run: (s, arg) =>
    listSteward(s, arg, "steward.getDependencies", toDependencyRecords, (infos, all) =>
      formatDependencyTree(infos, all),
    ),
};

export const health: Command = {
  name: "health",
  completes: "processes",
  json: true,
  help: [
    "health\t\t\tShow each process that has a healthcheck: state, health",
    "\t\t\t(starting, healthy, unhealthy, none), the check, the last",
    "\t\t\tresult and how long ago, failures in a row",
    "health <name>\t\tShow the health of a single process",
    "health <gname>:*\tShow the health of the processes in a group",
    "health --json [...]\tPrint the steward.getHealth records as JSON",
    "\t\t\tExit 0 when all shown are healthy, 3 when one is not, 4 for an",
    "\t\t\tunknown name, a process without a healthcheck, or a server",
    "\t\t\tthat is not stewardd",
  ],
  async run(s, arg) {
    if (!(await upcheck(s))) {
      s.exitStatus = StatusExitCodes.UNKNOWN;
      return;
    }
    const answer = await callSteward(s, "steward.getHealth");
    if (answer === null) {
      s.exitStatus = StatusExitCodes.UNKNOWN;
      return;
    }
    const all = toHealthRecords(answer);
    const names = splitArgs(arg).words;
    const { infos, errors } = selectInfos(all, names);
    if (errors.length > 0) {
      // A name that is a process (or group) without a healthcheck says so.
      const processes = toProcessInfos(await s.call("supervisor.getAllProcessInfo"));
      for (const name of names) {
        const missing = selectInfos(all, [name]).errors[0];
        if (missing === undefined) continue;
        const unknown = selectInfos(processes, [name]).errors[0];
        errorResult(s, unknown ?? { name: missing.name, message: `${missing.name}: ERROR (no healthcheck)` });
      }
      s.exitStatus = StatusExitCodes.UNKNOWN;
    }
    if (!s.json && names.length === 0 && all.length === 0) s.out("No process has a healthcheck");
    const lines = formatHealthLines(infos, s.io.now());
    infos.forEach((r, i) => {
      s.result(lines[i]!, jsonRecord(r));
    });
    if (infos.some((r) => r.status !== "healthy")) s.exitStatus = StatusExitCodes.NOT_RUNNING;
  },
};

export const usage: Command = {
  name: "usage",
  completes: "processes",
  json: true,
  help: [
    "usage\t\t\tShow each process's state and pid and, while it runs, its",
    "\t\t\tprocess tree (it and its descendants): how many processes,",
    "\t\t\ttheir resident memory and their CPU time",
    "usage <name>\t\tShow the usage of a single process",
    "usage <gname>:*\t\tShow the usage of the processes in a group",
    "usage --json [...]\tPrint the steward.getUsage records as JSON",
    "\t\t\tExit 2 for an unknown name, 3 when the server is not stewardd",
  ],
  run: (s, arg) =>
    listSteward(s, arg, "steward.getUsage", toUsageRecords, (infos) =>
      infos.length > 0 ? formatUsageLines(infos) : [],
    ),
};
