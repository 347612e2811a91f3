/** A started ChildProcess and the parent's pipe ends, as the SpawnedChild the daemon holds. */
import type { ChildProcess } from "node:child_process";
import { Socket } from "node:net";
import type { LaunchMode, SpawnedChild } from "./spawner.js";
import { type WaitStatus, waitStatusFrom } from "./wait-status.js";

export function track(
  child: ChildProcess,
  mode: LaunchMode,
  stdinFd: number,
  stdoutFd: number,
  stderrFd: number | null,
) {
  let status: WaitStatus | null = null;
  const callbacks: Array<(status: WaitStatus) => void> = [];
  child.once("exit", (code, signal) => {
    status = waitStatusFrom(code, signal);
    for (const callback of callbacks.splice(0)) callback(status);
  });
  const stdin = new Socket({ fd: stdinFd, readable: false, writable: true });
  stdin.on("error", () => {});
  let sink: ((channel: "stdout" | "stderr", chunk: Buffer) => void) | null = null;
  const reader = (fd: number, channel: "stdout" | "stderr") => {
    const socket: Socket = new Socket({
      fd,
      readable: true,
      writable: false,
      onread: {
        buffer: readBuffer,
        callback: (n: number, buffer: Uint8Array) => {
          const chunk = Buffer.from(buffer.buffer, buffer.byteOffset, n);
          // Without a sink (tests, tools), a copy goes out as a plain `data` event.
          if (sink !== null) sink(channel, chunk);
          else socket.emit("data", Buffer.from(chunk));
        },
      },
    } as ConstructorParameters<typeof Socket>[0]);
    return socket;
  };
  const spawned: SpawnedChild = {
    pid: child.pid!,
    stdin,
    stdout: reader(stdoutFd, "stdout"),
    stderr: stderrFd === null ? null : reader(stderrFd, "stderr"),
    mode,
    onExit(callback) {
      if (status !== null) callback(status);
      else callbacks.push(callback);
    },
    onOutput(callback) {
      sink = callback;
    },
  };
  return spawned;
}

/**
 * The one buffer every child pipe is read into (libuv reads a stream and calls back before it reads
 * another, and the daemon consumes each chunk synchronously): no allocation per read, and reads of up
 * to 256 KiB where a `data` event would get at most 64 KiB in a fresh Buffer.
 */
const SHARED_READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
const readBuffer = () => SHARED_READ_BUFFER;
