/**
 * One command line, as supervisorctl's `onecmd` runs it: parse, find the command, run it, and turn
 * what goes wrong into one line and an exit status — a fault no command handles into
 * supervisorctl's `error: …` line, a connection problem into its clear message, a 401 into
 * `Server requires authentication` (in the shell: ask for credentials and try again).
 */
import { RpcClientError } from "../rpc/errors.js";
import { RpcFault } from "../rpc/faults.js";
import { splitArgs } from "./commands/command.js";
import { ExitCodes } from "./exit-codes.js";
import { faultErrorLine } from "./output.js";
import { COMMANDS } from "./registry.js";
import type { CtlSession } from "./session.js";
import { parseLine } from "./words.js";

/** Runs one line; resolves true when the shell should end (quit, exit, EOF). */
export async function runLine(s: CtlSession, raw: string): Promise<boolean> {
  const { cmd, arg, line } = parseLine(raw);
  if (line === "") return false;
  const command = cmd ? COMMANDS.get(cmd) : undefined;
  if (command === undefined) {
    s.out(`*** Unknown syntax: ${line}`);
    s.exitStatus = ExitCodes.GENERIC;
    return false;
  }
  const json = command.json === true && (s.options.json || splitArgs(arg).json);
  s.records = json ? [] : null;
  try {
    const outcome = await command.run(s, arg);
    if (s.records) s.io.stdout(`${JSON.stringify(s.records, null, 2)}\n`);
    return outcome === "quit";
  } catch (error) {
    if (error instanceof RpcClientError && error.code === "STEWARD_ERR_RPC_UNAUTHORIZED") {
      s.out("Server requires authentication");
      if (s.options.interactive) {
        s.options.username = await s.io.ask("Username:");
        s.options.password = await s.io.ask("Password:", true);
        s.out("");
        s.reconnect();
        s.records = null;
        return runLine(s, raw);
      }
      s.exitStatus = ExitCodes.GENERIC;
      return false;
    }
    s.exitStatus = ExitCodes.GENERIC;
    if (error instanceof RpcFault) s.out(faultErrorLine(error.faultCode, error.faultString));
    else if (error instanceof RpcClientError) s.out(error.message);
    else throw error;
    return false;
  } finally {
    s.records = null;
  }
}
