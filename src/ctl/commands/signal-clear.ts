/** `signal SIG name|g:*|all ...` and `clear name|all ...`. */
import { parseNamespec } from "../../process/namespec.js";
import { Faults, RpcFault } from "../../rpc/faults.js";
import { ExitCodes } from "../exit-codes.js";
import { clearResultMessage, signalResultMessage } from "../output.js";
import { type ActionResult, toActionResults } from "../records.js";
import { upcheck } from "../upcheck.js";
import { type Command, printHelp, splitArgs } from "./command.js";
import { reportResult } from "./start-stop.js";

export const signal: Command = {
  name: "signal",
  completes: "processes",
  help: [
    "signal <signal name> <name>\t\tSignal a process",
    "signal <signal name> <gname>:*\t\tSignal all processes in a group",
    "signal <signal name> <name> <name>\tSignal multiple processes or groups",
    "signal <signal name> all\t\tSignal all processes",
  ],
  async run(s, arg) {
    if (!(await upcheck(s))) return;
    const { words } = splitArgs(arg);
    if (words.length < 2) {
      s.out("Error: signal requires a signal name and a process name");
      printHelp(s, signal);
      s.exitStatus = ExitCodes.GENERIC;
      return;
    }
    const [sig, ...names] = words as [string, ...string[]];
    const report = (r: ActionResult) => reportResult(s, "signal", r, signalResultMessage(r));
    if (names.includes("all")) {
      for (const r of toActionResults(await s.call("supervisor.signalAllProcesses", [sig]))) report(r);
      return;
    }
    for (const name of names) {
      const spec = parseNamespec(name);
      if (spec.kind === "group") {
        try {
          const results = await s.call("supervisor.signalProcessGroup", [spec.group, sig]);
          for (const r of toActionResults(results)) report(r);
        } catch (error) {
          if (!(error instanceof RpcFault && error.faultCode === Faults.BAD_NAME)) throw error;
          s.out(`${spec.group}: ERROR (no such group)`);
          s.exitStatus = ExitCodes.GENERIC;
        }
        continue;
      }
      try {
        await s.call("supervisor.signalProcess", [name, sig]);
        report({ name: spec.process, group: spec.group, status: Faults.SUCCESS, description: "OK" });
      } catch (error) {
        if (!(error instanceof RpcFault)) throw error;
        report({
          name: spec.process,
          group: spec.group,
          status: error.faultCode,
          description: error.faultString,
        });
      }
    }
  },
};

export const clear: Command = {
  name: "clear",
  completes: "processes",
  help: [
    "clear <name>\t\tClear a process' log files.",
    "clear <name> <name>\tClear multiple process' log files",
    "clear all\t\tClear all process' log files",
  ],
  async run(s, arg) {
    if (!(await upcheck(s))) return;
    const { words: names } = splitArgs(arg);
    if (names.length === 0) {
      s.out("Error: clear requires a process name");
      s.exitStatus = ExitCodes.GENERIC;
      printHelp(s, clear);
      return;
    }
    const report = (r: ActionResult) => reportResult(s, "clear", r, clearResultMessage(r));
    if (names.includes("all")) {
      for (const r of toActionResults(await s.call("supervisor.clearAllProcessLogs"))) report(r);
      return;
    }
    for (const name of names) {
      const spec = parseNamespec(name);
      const process = spec.kind === "group" ? spec.group : spec.process;
      try {
        await s.call("supervisor.clearProcessLogs", [name]);
        report({ name: process, group: spec.group, status: Faults.SUCCESS, description: "OK" });
      } catch (error) {
        if (!(error instanceof RpcFault)) throw error;
        report({ name: process, group: spec.group, status: error.faultCode, description: error.faultString });
      }
    }
  },
};
