/**
 * Binding `[unix_http_server]` as supervisord does. The socket is bound under a temporary name
 * (`<file>.<pid>`), chmod-ed, then hard-linked to `<file>`, so the path never exists with the wrong
 * mode. If `<file>` exists: a live server there (it accepts a connection) is an error; otherwise
 * the stale file is reported on stderr (`Unlinking stale socket <file>`), removed, and the bind is
 * retried. Then the socket is chown-ed. IO.
 *
 * Unlike supervisord, a path that exists but is not a socket is refused instead of unlinked, and a
 * socket this user may not connect to is reported instead of retried forever.
 */
import { chmodSync, chownSync, existsSync, linkSync, lstatSync, unlinkSync } from "node:fs";
import type { Server } from "node:http";
import { connect } from "node:net";
import { userInfo } from "node:os";
import { dirname } from "node:path";
import { StewardError } from "../errors.js";
import { inUseError, isErrno, openError } from "./listen-errors.js";

export interface UnixListenOptions {
  readonly file: string;
  readonly chmod: number;
  /** uid and gid to give the socket (-1 keeps one), or null for no change. */
  readonly chown: { readonly uid: number; readonly gid: number } | null;
  /** Where `Unlinking stale socket <file>` goes. */
  readonly stderr: (text: string) => void;
  /** How long a peer that accepted the probe may stay silent before it counts as live. @default 2000 */
  readonly probeTimeoutMs?: number;
}

/** The identity of the socket file this server created, to unlink only that one at close. */
export interface BoundSocket {
  readonly file: string;
  readonly dev: number;
  readonly ino: number;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * supervisord's `checkused`: connect and send `GET / HTTP/1.0`; any answer (even a close) means a
 * live server. Refused or missing means stale. A silent peer counts as live once the probe
 * times out; a full backlog (EAGAIN) counts as live.
 */
export function probeUnixSocket(file: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect(file);
    let settled = false;
    const done = (live: boolean | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (live instanceof Error) reject(live);
      else resolve(live);
    };
    const timer = setTimeout(() => done(true), timeoutMs);
    socket.once("connect", () => socket.write("GET / HTTP/1.0\r\n\r\n"));
    socket.once("data", () => done(true));
    socket.once("end", () => done(true));
    socket.once("error", (error) => {
      if (isErrno(error, "ECONNREFUSED", "ENOENT", "ECONNRESET", "EPIPE", "ENOTSOCK")) done(false);
      else if (isErrno(error, "EAGAIN")) done(true);
      else done(error);
    });
  });
}

function listenOn(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off("listening", onListening);
      reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ path, backlog: 1024 });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function chownError(file: string, uid: number, gid: number): StewardError {
  return new StewardError(
    "STEWARD_ERR_USAGE",
    `Not permitted to chown ${file} to uid/gid (${uid}, ${gid}); adjust "sockchown" value in config file or on command line to values that the current user (${userInfo().username}) can successfully chown`,
  );
}

/** Makes `server` listen on the unix socket `options.file`. Throws StewardError (usage) on failure. */
export async function listenUnix(server: Server, options: UnixListenOptions): Promise<BoundSocket> {
  const { file } = options;
  const temp = `${file}.${process.pid}`;
  unlinkQuietly(temp);
  for (let attempt = 0; ; attempt++) {
    try {
      await listenOn(server, temp);
    } catch (error) {
      if (isErrno(error, "EADDRINUSE")) throw inUseError();
      // libuv reports a missing directory as EACCES; supervisord (Python) says ENOENT
      if (isErrno(error, "EACCES") && !existsSync(dirname(temp))) {
        throw openError(Object.assign(new Error("no such directory"), { code: "ENOENT", errno: -2 }));
      }
      throw openError(error);
    }
    try {
      chmodSync(temp, options.chmod);
      linkSync(temp, file);
    } catch (error) {
      await closeServer(server);
      unlinkQuietly(temp);
      if (!isErrno(error, "EEXIST") || attempt >= 5) throw openError(error);
      const existing = lstatSync(file, { throwIfNoEntry: false });
      if (existing === undefined) continue; // removed meanwhile: bind again
      if (!existing.isSocket()) {
        throw new StewardError(
          "STEWARD_ERR_USAGE",
          `Cannot open an HTTP server: ${file} exists and is not a socket; remove it or choose another "file" in [unix_http_server]`,
        );
      }
      let live: boolean;
      try {
        live = await probeUnixSocket(file, options.probeTimeoutMs);
      } catch (probeError) {
        throw openError(probeError);
      }
      if (live) throw inUseError();
      options.stderr(`Unlinking stale socket ${file}\n`);
      unlinkQuietly(file);
      continue;
    }
    unlinkQuietly(temp);
    const chown = options.chown;
    if (chown !== null) {
      try {
        chownSync(file, chown.uid, chown.gid);
      } catch (error) {
        await closeServer(server);
        unlinkQuietly(file);
        throw isErrno(error, "EPERM") ? chownError(file, chown.uid, chown.gid) : openError(error);
      }
    }
    const stat = lstatSync(file);
    return { file, dev: stat.dev, ino: stat.ino };
  }
}

/** Removes the socket file at close, if it is still the one this server created. */
export function unlinkBoundSocket(bound: BoundSocket): void {
  const stat = lstatSync(bound.file, { throwIfNoEntry: false });
  if (stat !== undefined && stat.dev === bound.dev && stat.ino === bound.ino) unlinkQuietly(bound.file);
}
