/**
 * Binding `[inet_http_server]`: the host resolved as supervisord resolves it (IPv4 first; an empty
 * host is every IPv4 interface), and Steward's start-up guard: a server reachable from other
 * machines must have a username and password unless its section says `allow_unauthenticated =
 * true`. IO.
 */
import { lookup } from "node:dns/promises";
import type { Server } from "node:http";
import { type AddressInfo, isIP } from "node:net";
import { StewardError } from "../errors.js";
import { inUseError, isErrno, openError } from "./listen-errors.js";

/** 127.0.0.0/8, ::1, and IPv4-mapped loopback. */
export function isLoopbackAddress(address: string): boolean {
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.split(".")[0] === "127";
  return address === "::1" || address === "0:0:0:0:0:0:0:1";
}

/** The address to bind for a configured host ("" → 0.0.0.0). */
export async function resolveBindAddress(host: string): Promise<string> {
  if (host === "") return "0.0.0.0";
  const literal = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (isIP(literal) !== 0) return literal;
  try {
    return (await lookup(literal, { family: 4 })).address;
  } catch {
    try {
      return (await lookup(literal)).address;
    } catch (error) {
      throw new StewardError(
        "STEWARD_ERR_USAGE",
        `Cannot open an HTTP server: cannot resolve the host name ${JSON.stringify(host)} of its "port" setting`,
        { cause: error },
      );
    }
  }
}

/** The start-up refusal of an unauthenticated server that other machines can reach. */
export function exposureError(section: string, address: string, port: number): StewardError {
  return new StewardError(
    "STEWARD_ERR_USAGE",
    `[${section}] would accept commands from other machines on ${address}:${port} without a username and password. Set username and password in [${section}], or bind it to 127.0.0.1, or add "allow_unauthenticated = true" to [${section}] to accept that risk.`,
  );
}

/** Makes `server` listen on address:port (port 0: any free port); resolves to the bound address. */
export function listenInet(server: Server, address: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off("listening", onListening);
      reject(isErrno(error, "EADDRINUSE") ? inUseError() : openError(error));
    };
    const onListening = () => {
      server.off("error", onError);
      resolve(server.address() as AddressInfo);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ host: address, port, backlog: 1024 });
  });
}
