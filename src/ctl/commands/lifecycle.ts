/** `reload`, `shutdown`, `version`, `open`, and the shell's `quit`/`exit`/`EOF`. */
import { RpcClientError } from "../../rpc/errors.js";
import { Faults, RpcFault } from "../../rpc/faults.js";
import { ExitCodes } from "../exit-codes.js";
import type { CtlSession } from "../session.js";
import { upcheck } from "../upcheck.js";
import { type Command, printHelp } from "./command.js";
import { showStatus } from "./status.js";

function rejectArguments(s: CtlSession, command: Command, arg: string): boolean {
  if (arg === "") return false;
  s.out(`Error: ${command.name} accepts no arguments`);
  s.exitStatus = ExitCodes.GENERIC;
  printHelp(s, command);
  return true;
}

async function confirmed(s: CtlSession, question: string): Promise<boolean> {
  if (!s.options.interactive) return true;
  const answer = await s.io.ask(question);
  return answer.toLowerCase().startsWith("y");
}

export const shutdown: Command = {
  name: "shutdown",
  help: ["shutdown \tShut the remote supervisord down."],
  async run(s, arg) {
    if (rejectArguments(s, shutdown, arg)) return;
    if (!(await confirmed(s, "Really shut the remote supervisord process down y/N? "))) return;
    try {
      await s.call("supervisor.shutdown");
    } catch (error) {
      if (error instanceof RpcFault && error.faultCode === Faults.SHUTDOWN_STATE) {
        s.out("ERROR: already shutting down");
        return;
      }
      s.exitStatus = ExitCodes.GENERIC;
      if (error instanceof RpcClientError && error.code === "STEWARD_ERR_RPC_REFUSED") {
        s.out(`ERROR: ${s.options.serverurl} refused connection (already shut down?)`);
      } else if (error instanceof RpcClientError && error.code === "STEWARD_ERR_RPC_NO_SOCKET") {
        s.out(`ERROR: ${s.options.serverurl} no such file (already shut down?)`);
      } else throw error;
      return;
    }
    s.out("Shut down");
  },
};

export const reload: Command = {
  name: "reload",
  help: ["reload \t\tRestart the remote supervisord."],
  async run(s, arg) {
    if (rejectArguments(s, reload, arg)) return;
    if (!(await confirmed(s, "Really restart the remote supervisord process y/N? "))) return;
    try {
      await s.call("supervisor.restart");
    } catch (error) {
      s.exitStatus = ExitCodes.GENERIC;
      if (!(error instanceof RpcFault && error.faultCode === Faults.SHUTDOWN_STATE)) throw error;
      s.out("ERROR: already shutting down");
      return;
    }
    s.out("Restarted supervisord");
  },
};

export const version: Command = {
  name: "version",
  help: ["version\t\t\tShow the version of the remote supervisord process"],
  async run(s, arg) {
    if (rejectArguments(s, version, arg)) return;
    if (!(await upcheck(s))) return;
    s.out(String(await s.call("supervisor.getSupervisorVersion")));
  },
};

export const open: Command = {
  name: "open",
  help: [
    "open <url>\tConnect to a remote supervisord process.",
    "\t\t(for UNIX domain socket, use unix:///socket/path)",
  ],
  async run(s, arg) {
    const url = arg.trim();
    if (!/^(unix|http):/i.test(url)) {
      s.out("ERROR: url must be http:// or unix://");
      s.exitStatus = ExitCodes.GENERIC;
      return;
    }
    s.options.serverurl = url;
    s.reconnect();
    const before = s.exitStatus;
    await showStatus(s, []);
    s.exitStatus = before;
  },
};

function leaving(name: string, help: string): Command {
  return {
    name,
    help: [help],
    async run(s) {
      s.out("");
      return "quit";
    },
  };
}

export const quit = leaving("quit", "quit\tExit the supervisor shell.");
export const exit = leaving("exit", "exit\tExit the supervisor shell.");
/** Ctrl-D; supervisorctl has no help topic for it in its command list. */
export const eof = leaving("EOF", "To quit, type ^D or use the quit command");
