/** `start`, `stop` and `restart` (name, `g:*`, `all`), with supervisorctl's lines and exit statuses. */
import { makeNamespec, parseNamespec } from "../../process/namespec.js";
import { Faults, RpcFault } from "../../rpc/faults.js";
import { ExitCodes, exitAfterResult } from "../exit-codes.js";
import { signalResultMessage, startResultMessage, unknownResultError } from "../output.js";
import { type ActionResult, toActionResults } from "../records.js";
import type { CtlSession } from "../session.js";
import { upcheck } from "../upcheck.js";
import { type Command, printHelp, splitArgs } from "./command.js";

type Action = "start" | "stop";

/** Prints one result (or collects its JSON record) and applies the exit-status rule. */
export function reportResult(
  s: CtlSession,
  action: string,
  result: ActionResult,
  message: string | null,
  ignored?: number,
): void {
  if (message === null) {
    // supervisorctl raises on a code it does not know; we say so and go on.
    s.out(unknownResultError(result));
    s.exitStatus = ExitCodes.GENERIC;
    return;
  }
  s.result(message, {
    action,
    namespec: makeNamespec(result.group, result.name),
    group: result.group,
    name: result.name,
    status: result.status,
    ok: result.status === Faults.SUCCESS,
    message: message.slice(message.indexOf(": ") + 2),
  });
  s.exitStatus = exitAfterResult(s.exitStatus, result.status, ignored);
}

const METHODS = {
  start: { all: "startAllProcesses", group: "startProcessGroup", one: "startProcess" },
  stop: { all: "stopAllProcesses", group: "stopProcessGroup", one: "stopProcess" },
} as const;

function messageFor(action: Action, result: ActionResult): string | null {
  return action === "start" ? startResultMessage(result) : signalResultMessage(result, "stopped");
}

async function act(s: CtlSession, action: Action, names: readonly string[]): Promise<void> {
  const ignored = action === "start" ? Faults.ALREADY_STARTED : Faults.NOT_RUNNING;
  const methods = METHODS[action];
  if (names.includes("all")) {
    for (const r of toActionResults(await s.call(`supervisor.${methods.all}`))) {
      reportResult(s, action, r, messageFor(action, r), ignored);
    }
    return;
  }
  for (const name of names) {
    const spec = parseNamespec(name);
    if (spec.kind === "group") {
      try {
        for (const r of toActionResults(await s.call(`supervisor.${methods.group}`, [spec.group]))) {
          reportResult(s, action, r, messageFor(action, r), ignored);
        }
      } catch (error) {
        if (!(error instanceof RpcFault && error.faultCode === Faults.BAD_NAME)) {
          s.exitStatus = ExitCodes.GENERIC;
          throw error;
        }
        const message = `${spec.group}: ERROR (no such group)`;
        s.result(message, {
          action,
          namespec: `${spec.group}:*`,
          group: spec.group,
          status: Faults.BAD_NAME,
          ok: false,
          message: "ERROR (no such group)",
        });
        s.exitStatus = action === "start" ? ExitCodes.INVALID_ARGS : ExitCodes.GENERIC;
      }
      continue;
    }
    let result: ActionResult;
    try {
      await s.call(`supervisor.${methods.one}`, [name]);
      result = { name: spec.process, group: spec.group, status: Faults.SUCCESS, description: "OK" };
    } catch (error) {
      if (!(error instanceof RpcFault)) throw error;
      result = {
        name: spec.process,
        group: spec.group,
        status: error.faultCode,
        description: error.faultString,
      };
    }
    reportResult(s, action, result, messageFor(action, result), ignored);
  }
}

function simple(action: Action, help: string[], missingExit: number): Command {
  const command: Command = {
    name: action,
    completes: "processes",
    json: true,
    help,
    async run(s, arg) {
      if (!(await upcheck(s))) return;
      const { words } = splitArgs(arg);
      if (words.length === 0) {
        s.out(`Error: ${action} requires a process name`);
        s.exitStatus = missingExit;
        printHelp(s, command);
        return;
      }
      await act(s, action, words);
    },
  };
  return command;
}

export const start = simple(
  "start",
  [
    "start <name>\t\tStart a process",
    "start <gname>:*\t\tStart all processes in a group",
    "start <name> <name>\tStart multiple processes or groups",
    "start all\t\tStart all processes",
  ],
  ExitCodes.INVALID_ARGS,
);

export const stop = simple(
  "stop",
  [
    "stop <name>\t\tStop a process",
    "stop <gname>:*\t\tStop all processes in a group",
    "stop <name> <name>\tStop multiple processes or groups",
    "stop all\t\tStop all processes",
  ],
  ExitCodes.GENERIC,
);

export const restart: Command = {
  name: "restart",
  completes: "processes",
  json: true,
  help: [
    "restart <name>\t\tRestart a process",
    "restart <gname>:*\tRestart all processes in a group",
    "restart <name> <name>\tRestart multiple processes or groups",
    "restart all\t\tRestart all processes",
    "Note: restart does not reread config files. For that, see reread and update.",
  ],
  async run(s, arg) {
    if (!(await upcheck(s))) return;
    if (splitArgs(arg).words.length === 0) {
      s.out("Error: restart requires a process name");
      s.exitStatus = ExitCodes.GENERIC;
      printHelp(s, restart);
      return;
    }
    await stop.run(s, arg);
    await start.run(s, arg);
  },
};
