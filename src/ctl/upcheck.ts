/**
 * supervisorctl's `upcheck`: `getVersion()` before most commands, with its messages and exit
 * statuses for a wrong API version, a missing supervisor namespace, a refused connection and a
 * missing socket file. Any other failure propagates to the command dispatcher.
 */
import { RpcClientError } from "../rpc/errors.js";
import { Faults, RpcFault } from "../rpc/faults.js";
import { ExitCodes } from "./exit-codes.js";
import type { CtlSession } from "./session.js";

export const API_VERSION = "3.0";

export async function upcheck(s: CtlSession): Promise<boolean> {
  try {
    const api = await s.call("supervisor.getVersion");
    if (api !== API_VERSION) {
      s.out(
        `Sorry, this version of supervisorctl expects to talk to a server with API version ${API_VERSION}, but the remote version is ${String(api)}.`,
      );
      s.exitStatus = ExitCodes.NOT_INSTALLED;
      return false;
    }
  } catch (error) {
    if (error instanceof RpcFault && error.faultCode === Faults.UNKNOWN_METHOD) {
      s.out(
        "Sorry, supervisord responded but did not recognize the supervisor namespace commands that supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] section is enabled in the configuration file (see sample.conf).",
      );
      s.exitStatus = ExitCodes.UNIMPLEMENTED_FEATURE;
      return false;
    }
    if (
      error instanceof RpcClientError &&
      error.code === "STEWARD_ERR_RPC_REFUSED" &&
      /refused connection$/.test(error.message)
    ) {
      s.out(error.message);
      s.exitStatus = ExitCodes.INSUFFICIENT_PRIVILEGES;
      return false;
    }
    if (error instanceof RpcClientError && error.code === "STEWARD_ERR_RPC_NO_SOCKET") {
      s.out(error.message);
      s.exitStatus = ExitCodes.NOT_RUNNING;
      return false;
    }
    s.exitStatus = ExitCodes.GENERIC;
    throw error;
  }
  return true;
}
