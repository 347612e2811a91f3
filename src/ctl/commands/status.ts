/** `status [name|g:*|all ...]`: the process table, exit 3 when something shown is not running. */
import { makeNamespec, parseNamespec } from "../../process/namespec.js";
import { type ProcessStateName, STOPPED_STATES } from "../../process/states.js";
import { StatusExitCodes } from "../exit-codes.js";
import { formatStatusLines } from "../output.js";
import { type ProcessInfo, toJson, toProcessInfos } from "../records.js";
import type { CtlSession } from "../session.js";
import { upcheck } from "../upcheck.js";
import type { Command } from "./command.js";
import { splitArgs } from "./command.js";

/**
 * The infos (or other per-process records) `names` select, in argument order, and the error lines
 * for names that match nothing.
 */
export function selectInfos<T extends { readonly group: string; readonly name: string }>(
  all: readonly T[],
  names: readonly string[],
): { infos: T[]; errors: { name: string; message: string }[] } {
  if (names.length === 0 || names.includes("all")) return { infos: [...all], errors: [] };
  const infos: T[] = [];
  const errors: { name: string; message: string }[] = [];
  for (const name of names) {
    const spec = parseNamespec(name);
    const matched = all.filter(
      (i) => i.group === spec.group && (spec.kind === "group" || i.name === spec.process),
    );
    infos.push(...matched);
    if (matched.length === 0) {
      errors.push(
        spec.kind === "group"
          ? { name: spec.group, message: `${spec.group}: ERROR (no such group)` }
          : { name, message: `${name}: ERROR (no such process)` },
      );
    }
  }
  return { infos, errors };
}

/** A process info as a JSON record: every field the server sent, plus its namespec. */
export function infoRecord(info: ProcessInfo): unknown {
  return { namespec: makeNamespec(info.group, info.name), ...(toJson(info.raw) as object) };
}

export async function showStatus(s: CtlSession, names: readonly string[]): Promise<void> {
  if (!(await upcheck(s))) {
    s.exitStatus = StatusExitCodes.UNKNOWN;
    return;
  }
  const all = toProcessInfos(await s.call("supervisor.getAllProcessInfo"));
  const { infos, errors } = selectInfos(all, names);
  // supervisorctl prints each unknown name as it meets it, all before the table.
  for (const e of errors) {
    s.result(e.message, { namespec: e.name, error: e.message.slice(e.message.indexOf("(") + 1, -1) });
    s.exitStatus = StatusExitCodes.UNKNOWN;
  }
  const lines = formatStatusLines(infos);
  infos.forEach((info, i) => {
    s.result(lines[i]!, infoRecord(info));
  });
  if (infos.some((i) => STOPPED_STATES.has(i.statename as ProcessStateName))) {
    s.exitStatus = StatusExitCodes.NOT_RUNNING;
  }
}

export const status: Command = {
  name: "status",
  completes: "processes",
  json: true,
  help: [
    "status <name>\t\tGet status for a single process",
    "status <gname>:*\tGet status for all processes in a group",
    "status <name> <name>\tGet status for multiple named processes",
    "status\t\t\tGet all process status info",
  ],
  async run(s, arg) {
    await showStatus(s, splitArgs(arg).words);
  },
};
