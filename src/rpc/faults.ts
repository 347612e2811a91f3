/**
 * supervisord's XML-RPC fault numbers, verbatim from `supervisor/xmlrpc.py` (`Faults`), and
 * `RpcFault`, whose `faultString` is built as supervisord's `RPCError` builds it: the fault's name,
 * or `NAME: detail` when a detail is given (`BAD_NAME: foo`).
 */

export const Faults = {
  UNKNOWN_METHOD: 1,
  INCORRECT_PARAMETERS: 2,
  BAD_ARGUMENTS: 3,
  SIGNATURE_UNSUPPORTED: 4,
  SHUTDOWN_STATE: 6,
  BAD_NAME: 10,
  BAD_SIGNAL: 11,
  NO_FILE: 20,
  NOT_EXECUTABLE: 21,
  FAILED: 30,
  ABNORMAL_TERMINATION: 40,
  SPAWN_ERROR: 50,
  ALREADY_STARTED: 60,
  NOT_RUNNING: 70,
  SUCCESS: 80,
  ALREADY_ADDED: 90,
  STILL_RUNNING: 91,
  CANT_REREAD: 92,
} as const;

export type FaultName = keyof typeof Faults;
export type FaultCode = (typeof Faults)[FaultName];

const NAMES_BY_CODE: ReadonlyMap<number, FaultName> = new Map(
  (Object.keys(Faults) as FaultName[]).map((name) => [Faults[name], name]),
);

/** The fault's name for a code, or `UNKNOWN` (supervisord's `getFaultDescription`). */
export function faultName(code: number): FaultName | "UNKNOWN" {
  return NAMES_BY_CODE.get(code) ?? "UNKNOWN";
}

/** `NAME` or `NAME: detail`, as supervisord's `RPCError.text`. An empty detail still adds `: `. */
export function faultString(code: number, detail?: string): string {
  const name = faultName(code);
  return detail === undefined ? name : `${name}: ${detail}`;
}

/**
 * An XML-RPC fault. Handlers throw it to answer with a fault; the client throws it when the server
 * answers with one. `code` is the Steward error code shared by all faults; match on `faultCode`.
 */
export class RpcFault extends Error {
  readonly code = "STEWARD_ERR_RPC_FAULT";
  readonly faultCode: number;
  readonly faultString: string;

  /**
   * `new RpcFault(Faults.BAD_NAME, "foo")` → faultString `BAD_NAME: foo`;
   * `new RpcFault(code, { faultString })` keeps a string exactly as a server sent it.
   */
  constructor(faultCode: number, detail?: string | { readonly faultString: string }) {
    const text = typeof detail === "object" ? detail.faultString : faultString(faultCode, detail);
    super(text);
    this.name = "RpcFault";
    this.faultCode = faultCode;
    this.faultString = text;
  }
}

export function isRpcFault(error: unknown): error is RpcFault {
  return error instanceof RpcFault;
}
