/** `tail [-f|-N] name [stdout|stderr]` and `maintail [-f|-N]`. */
import { pyInt, pyRepr } from "../../config/py-text.js";
import { Faults, RpcFault } from "../../rpc/faults.js";
import { ExitCodes } from "../exit-codes.js";
import type { CtlSession } from "../session.js";
import { upcheck } from "../upcheck.js";
import { type Command, printHelp, splitArgs } from "./command.js";
import { followMainLog, followProcessLog } from "./follow.js";

const DEFAULT_BYTES = 1600;

/** Parsed `tail` arguments, or the error line supervisorctl prints (with help when `help` is set). */
export type TailArgs =
  | {
      readonly ok: true;
      readonly name: string;
      readonly channel: "stdout" | "stderr";
      readonly bytes: number | "follow";
    }
  | { readonly ok: false; readonly error: string; readonly help: boolean };

export function parseTailArgs(words: readonly string[]): TailArgs {
  if (words.length < 1) return { ok: false, error: "Error: too few arguments", help: true };
  if (words.length > 3) return { ok: false, error: "Error: too many arguments", help: true };
  const args = [...words];
  const modifier = args[0]!.startsWith("-") ? args.shift()! : null;
  let name: string;
  let channel: string;
  if (args.length === 1) {
    name = args[0]!;
    channel = "stdout";
  } else if (args.length > 0) {
    name = args[0]!;
    channel = args[args.length - 1]!.toLowerCase();
    if (channel !== "stdout" && channel !== "stderr") {
      return { ok: false, error: `Error: bad channel ${pyRepr(channel)}`, help: false };
    }
  } else return { ok: false, error: "Error: tail requires process name", help: false };
  let bytes: number | "follow" = DEFAULT_BYTES;
  if (modifier !== null) {
    const what = modifier.slice(1);
    if (what === "f") bytes = "follow";
    else {
      const n = pyInt(what);
      if (n === null) return { ok: false, error: `Error: bad argument ${modifier}`, help: false };
      bytes = n;
    }
  }
  return { ok: true, name, channel: channel as "stdout" | "stderr", bytes };
}

function logFault(s: CtlSession, who: string, error: unknown, badName: boolean): void {
  if (!(error instanceof RpcFault)) throw error;
  s.exitStatus = ExitCodes.GENERIC;
  if (error.faultCode === Faults.NO_FILE) s.out(`${who}: ERROR (no log file)`);
  else if (error.faultCode === Faults.FAILED) s.out(`${who}: ERROR (unknown error reading log)`);
  else if (badName && error.faultCode === Faults.BAD_NAME) s.out(`${who}: ERROR (no such process name)`);
  else throw error;
}

export const tail: Command = {
  name: "tail",
  completes: "processes",
  help: [
    "tail [-f] <name> [stdout|stderr] (default stdout)\nEx:\ntail -f <name>\t\tContinuous tail of named process stdout\n\t\t\tCtrl-C to exit.\ntail -100 <name>\tlast 100 *bytes* of process stdout\ntail <name> stderr\tlast 1600 *bytes* of process stderr",
  ],
  async run(s, arg) {
    if (!(await upcheck(s))) return;
    const parsed = parseTailArgs(splitArgs(arg).words);
    if (!parsed.ok) {
      s.out(parsed.error);
      s.exitStatus = ExitCodes.GENERIC;
      if (parsed.help) printHelp(s, tail);
      return;
    }
    const { name, channel, bytes } = parsed;
    if (bytes === "follow") {
      try {
        await followProcessLog(s, name, channel);
      } catch (error) {
        logFault(s, name, error, true);
      }
      return;
    }
    const method =
      channel === "stdout" ? "supervisor.readProcessStdoutLog" : "supervisor.readProcessStderrLog";
    try {
      s.out(String(await s.call(method, [name, -bytes, 0])));
    } catch (error) {
      logFault(s, name, error, true);
    }
  },
};

export const maintail: Command = {
  name: "maintail",
  help: [
    "maintail -f \tContinuous tail of supervisor main log file (Ctrl-C to exit)\nmaintail -100\tlast 100 *bytes* of supervisord main log file\nmaintail\tlast 1600 *bytes* of supervisor main log file\n",
  ],
  async run(s, arg) {
    if (!(await upcheck(s))) return;
    const { words } = splitArgs(arg);
    if (words.length > 1) {
      s.out("Error: too many arguments");
      s.exitStatus = ExitCodes.GENERIC;
      printHelp(s, maintail);
      return;
    }
    let bytes = DEFAULT_BYTES;
    if (words.length === 1) {
      const word = words[0]!;
      const n = word.startsWith("-") ? pyInt(word.slice(1)) : null;
      if (word === "-f") {
        try {
          await followMainLog(s);
        } catch (error) {
          logFault(s, "supervisord", error, false);
        }
        return;
      }
      if (n === null) {
        s.out(`Error: bad argument ${word}`);
        s.exitStatus = ExitCodes.GENERIC;
        return;
      }
      bytes = n;
    }
    try {
      s.out(String(await s.call("supervisor.readLog", [-bytes, 0])));
    } catch (error) {
      logFault(s, "supervisord", error, false);
    }
  },
};
