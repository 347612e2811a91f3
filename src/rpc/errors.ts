/**
 * The control plane's own error types (not XML-RPC faults, which are `RpcFault`). Code matches on
 * `.code`, never on message text.
 */

/** Why a body could not be read as XML or as XML-RPC. */
export type RpcCodecErrorCode =
  | "STEWARD_ERR_RPC_XML"
  | "STEWARD_ERR_RPC_MALFORMED"
  | "STEWARD_ERR_RPC_MARSHAL";

/**
 * A body that is not well-formed XML (`STEWARD_ERR_RPC_XML`), well-formed XML that is not a valid
 * XML-RPC message (`STEWARD_ERR_RPC_MALFORMED`), or a value that XML-RPC cannot carry
 * (`STEWARD_ERR_RPC_MARSHAL`). The codec throws nothing else.
 */
export class RpcCodecError extends Error {
  readonly code: RpcCodecErrorCode;
  /** Character offset in the decoded text where XML parsing failed, when known. */
  readonly offset: number | undefined;
  constructor(code: RpcCodecErrorCode, message: string, offset?: number) {
    super(message);
    this.name = "RpcCodecError";
    this.code = code;
    this.offset = offset;
  }
}

export function isRpcCodecError(error: unknown): error is RpcCodecError {
  return error instanceof RpcCodecError;
}

/** Why a client call did not get an XML-RPC answer. */
export type RpcClientErrorCode =
  /** Nothing listens there (ECONNREFUSED). */
  | "STEWARD_ERR_RPC_REFUSED"
  /** The unix socket file does not exist (ENOENT). */
  | "STEWARD_ERR_RPC_NO_SOCKET"
  /** This user may not connect to the unix socket (EACCES, EPERM). */
  | "STEWARD_ERR_RPC_PERMISSION"
  /** The server wants (other) credentials: HTTP 401. */
  | "STEWARD_ERR_RPC_UNAUTHORIZED"
  /** Any other HTTP status than 200. */
  | "STEWARD_ERR_RPC_HTTP"
  /** No answer within the client's timeout. */
  | "STEWARD_ERR_RPC_TIMEOUT"
  /** The answer was not XML-RPC, or the connection broke. */
  | "STEWARD_ERR_RPC_PROTOCOL"
  /** A server URL that is neither `unix://` nor `http://`. */
  | "STEWARD_ERR_RPC_URL";

export class RpcClientError extends Error {
  readonly code: RpcClientErrorCode;
  /** The server URL the client was talking to. */
  readonly serverurl: string;
  /** The HTTP status, for `STEWARD_ERR_RPC_UNAUTHORIZED` and `STEWARD_ERR_RPC_HTTP`. */
  readonly status: number | undefined;
  constructor(
    code: RpcClientErrorCode,
    message: string,
    details: { serverurl: string; status?: number; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "RpcClientError";
    this.code = code;
    this.serverurl = details.serverurl;
    this.status = details.status;
  }
}
