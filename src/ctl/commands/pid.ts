/** `pid [name ...|all]`: supervisord's pid, or each process's (0 when not running: exit 7). */
import { makeNamespec } from "../../process/namespec.js";
import { Faults, RpcFault } from "../../rpc/faults.js";
import { ExitCodes } from "../exit-codes.js";
import { toProcessInfo, toProcessInfos } from "../records.js";
import { upcheck } from "../upcheck.js";
import { type Command, splitArgs } from "./command.js";

export const pid: Command = {
  name: "pid",
  completes: "processes",
  json: true,
  help: [
    "pid\t\t\tGet the PID of supervisord.",
    "pid <name>\t\tGet the PID of a single child process by name.",
    "pid all\t\t\tGet the PID of every child process, one per line.",
  ],
  async run(s, arg) {
    if (!(await upcheck(s))) return;
    const { words: names } = splitArgs(arg);
    if (names.length === 0) {
      const value = await s.call("supervisor.getPID");
      s.result(String(value), { namespec: "supervisord", pid: value });
      return;
    }
    if (names.includes("all")) {
      for (const info of toProcessInfos(await s.call("supervisor.getAllProcessInfo"))) {
        s.result(String(info.pid), { namespec: makeNamespec(info.group, info.name), pid: info.pid });
      }
      return;
    }
    for (const name of names) {
      try {
        const info = toProcessInfo(await s.call("supervisor.getProcessInfo", [name]));
        s.result(String(info.pid), { namespec: makeNamespec(info.group, info.name), pid: info.pid });
        if (info.pid === 0) s.exitStatus = ExitCodes.NOT_RUNNING;
      } catch (error) {
        if (!(error instanceof RpcFault)) throw error;
        s.exitStatus = ExitCodes.GENERIC;
        if (error.faultCode !== Faults.BAD_NAME) throw error;
        s.result(`No such process ${name}`, { namespec: name, error: "no such process" });
      }
    }
  },
};
