/** The start-up errors of supervisord's HTTP servers, with its wording (usage errors, exit 2). */
import { StewardError } from "../errors.js";

/** EADDRINUSE, or a live server on the unix socket path. */
export function inUseError(): StewardError {
  return new StewardError(
    "STEWARD_ERR_USAGE",
    "Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.",
  );
}

/** Any other socket error: `Cannot open an HTTP server: socket.error reported errno.EACCES (13)`. */
export function openError(error: unknown): StewardError {
  const e = error as NodeJS.ErrnoException;
  const help = "Cannot open an HTTP server: socket.error reported";
  const detail =
    typeof e?.code === "string" && typeof e.errno === "number"
      ? `errno.${e.code} (${Math.abs(e.errno)})`
      : String(e?.message ?? error);
  return new StewardError("STEWARD_ERR_USAGE", `${help} ${detail}`, { cause: error });
}

export function isErrno(error: unknown, ...codes: string[]): boolean {
  return codes.includes((error as NodeJS.ErrnoException | undefined)?.code ?? "");
}
