/** `avail`, `reread`, `update`, `add` and `remove`: the configuration as the daemon re-reads it. */
import { makeNamespec } from "../../process/namespec.js";
import { Faults, RpcFault } from "../../rpc/faults.js";
import type { XmlRpcValue } from "../../rpc/values.js";
import { ExitCodes } from "../exit-codes.js";
import { formatChanges, formatConfigInfo } from "../output.js";
import { toActionResults, toConfigInfos, toJson, toProcessInfos } from "../records.js";
import type { CtlSession } from "../session.js";
import { pySplit } from "../words.js";
import { type Command, printHelp, splitArgs } from "./command.js";

function noArguments(s: CtlSession, command: Command, arg: string): boolean {
  if (arg === "") return true;
  s.out(`Error: ${command.name} accepts no arguments`);
  s.exitStatus = ExitCodes.GENERIC;
  printHelp(s, command);
  return false;
}

const strings = (v: XmlRpcValue | undefined): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];

/** `reloadConfig()`'s `[[added, changed, removed]]`. */
function changesOf(result: XmlRpcValue): { added: string[]; changed: string[]; removed: string[] } {
  const first = Array.isArray(result) ? result[0] : undefined;
  const lists = Array.isArray(first) ? first : [];
  return { added: strings(lists[0]), changed: strings(lists[1]), removed: strings(lists[2]) };
}

export const avail: Command = {
  name: "avail",
  json: true,
  help: ["avail\t\t\tDisplay all configured processes"],
  async run(s, arg) {
    if (!noArguments(s, avail, splitArgs(arg).words.join(" "))) return;
    let value: XmlRpcValue;
    try {
      value = await s.call("supervisor.getAllConfigInfo");
    } catch (error) {
      s.exitStatus = ExitCodes.GENERIC;
      if (!(error instanceof RpcFault && error.faultCode === Faults.SHUTDOWN_STATE)) throw error;
      s.out("ERROR: supervisor shutting down");
      return;
    }
    for (const info of toConfigInfos(value)) {
      s.result(formatConfigInfo(info), {
        namespec: makeNamespec(info.group, info.name),
        ...(toJson(info.raw) as object),
      });
    }
  },
};

export const reread: Command = {
  name: "reread",
  help: ["reread \t\t\tReload the daemon's configuration files without add/remove"],
  async run(s, arg) {
    if (!noArguments(s, reread, arg)) return;
    let result: XmlRpcValue;
    try {
      result = await s.call("supervisor.reloadConfig");
    } catch (error) {
      s.exitStatus = ExitCodes.GENERIC;
      if (error instanceof RpcFault && error.faultCode === Faults.SHUTDOWN_STATE) {
        s.out("ERROR: supervisor shutting down");
      } else if (error instanceof RpcFault && error.faultCode === Faults.CANT_REREAD) {
        s.out(`ERROR: ${error.faultString}`);
      } else throw error;
      return;
    }
    const { added, changed, removed } = changesOf(result);
    for (const line of formatChanges(added, changed, removed)) s.out(line);
  },
};

export const update: Command = {
  name: "update",
  completes: "groups",
  help: [
    "update\t\t\tReload config and add/remove as necessary, and will restart affected programs",
    "update all\t\tReload config and add/remove as necessary, and will restart affected programs",
    "update <gname> [...]\tUpdate specific groups",
  ],
  async run(s, arg) {
    let result: XmlRpcValue;
    try {
      result = await s.call("supervisor.reloadConfig");
    } catch (error) {
      s.exitStatus = ExitCodes.GENERIC;
      if (!(error instanceof RpcFault && error.faultCode === Faults.SHUTDOWN_STATE)) throw error;
      s.out("ERROR: already shutting down");
      return;
    }
    const { added, changed, removed } = changesOf(result);
    let wanted = new Set(pySplit(arg));
    if (wanted.has("all")) wanted = new Set();
    if (wanted.size > 0) {
      const groups = new Set(
        toProcessInfos(await s.call("supervisor.getAllProcessInfo")).map((i) => i.group),
      );
      for (const g of added) groups.add(g);
      for (const g of wanted) {
        if (!groups.has(g)) {
          s.out(`ERROR: no such group: ${g}`);
          s.exitStatus = ExitCodes.GENERIC;
        }
      }
    }
    const selected = (g: string) => wanted.size === 0 || wanted.has(g);
    for (const g of removed.filter(selected)) {
      const results = toActionResults(await s.call("supervisor.stopProcessGroup", [g]));
      s.out(`${g}: stopped`);
      if (results.some((r) => r.status === Faults.FAILED)) {
        s.out(`${g}: has problems; not removing`);
        s.exitStatus = ExitCodes.GENERIC;
        continue;
      }
      await s.call("supervisor.removeProcessGroup", [g]);
      s.out(`${g}: removed process group`);
    }
    for (const g of changed.filter(selected)) {
      await s.call("supervisor.stopProcessGroup", [g]);
      s.out(`${g}: stopped`);
      await s.call("supervisor.removeProcessGroup", [g]);
      await s.call("supervisor.addProcessGroup", [g]);
      s.out(`${g}: updated process group`);
    }
    for (const g of added.filter(selected)) {
      await s.call("supervisor.addProcessGroup", [g]);
      s.out(`${g}: added process group`);
    }
  },
};

export const add: Command = {
  name: "add",
  completes: "groups",
  help: ["add <name> [...]\tActivates any updates in config for process/group"],
  async run(s, arg) {
    for (const name of pySplit(arg)) {
      try {
        await s.call("supervisor.addProcessGroup", [name]);
      } catch (error) {
        const code = error instanceof RpcFault ? error.faultCode : null;
        if (code === Faults.SHUTDOWN_STATE) {
          s.out("ERROR: shutting down");
          s.exitStatus = ExitCodes.GENERIC;
        } else if (code === Faults.ALREADY_ADDED) s.out("ERROR: process group already active");
        else if (code === Faults.BAD_NAME) {
          s.out(`ERROR: no such process/group: ${name}`);
          s.exitStatus = ExitCodes.GENERIC;
        } else {
          s.exitStatus = ExitCodes.GENERIC;
          throw error;
        }
        continue;
      }
      s.out(`${name}: added process group`);
    }
  },
};

export const remove: Command = {
  name: "remove",
  completes: "groups",
  help: ["remove <name> [...]\tRemoves process/group from active config"],
  async run(s, arg) {
    for (const name of pySplit(arg)) {
      try {
        await s.call("supervisor.removeProcessGroup", [name]);
      } catch (error) {
        s.exitStatus = ExitCodes.GENERIC;
        const code = error instanceof RpcFault ? error.faultCode : null;
        if (code === Faults.STILL_RUNNING) s.out(`ERROR: process/group still running: ${name}`);
        else if (code === Faults.BAD_NAME) s.out(`ERROR: no such process/group: ${name}`);
        else throw error;
        continue;
      }
      s.out(`${name}: removed process group`);
    }
  },
};
