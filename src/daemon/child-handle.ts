/** What the daemon needs from a spawned child and from the spawner (implemented in process/spawner.ts). */
import type { Readable, Writable } from "node:stream";
import type { ProcessConfig } from "../config/types.js";
import type { WaitStatus } from "../process/wait-status.js";

export interface ChildHandle {
  readonly pid: number;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly stdin: Writable | null;
  /** The environment it was started with, when the spawner tells (exec health checks reuse it). */
  readonly env?: Readonly<Record<string, string>>;
  /** Called once when the child is reaped (not when its pipes close). */
  onExit(listener: (status: WaitStatus) => void): void;
  /**
   * Output chunk by chunk (the real spawner reads into a reused buffer: consume synchronously). Without
   * it, the runner reads `data` events.
   */
  onOutput?(sink: (channel: "stdout" | "stderr", chunk: Buffer) => void): void;
}

export interface SpawnContext {
  /** The daemon's environment, which children inherit. */
  readonly env: ReadonlyMap<string, string>;
  /** The computed SUPERVISOR_SERVER_URL, or null when no server is configured. */
  readonly serverurl: string | null;
  readonly groupName: string;
}

export interface ProcessSpawner {
  /** Starts the process or throws a SpawnFailure carrying supervisord's spawnerr message. */
  spawn(config: ProcessConfig, ctx: SpawnContext): ChildHandle;
  /** Sends a signal to the pid (or its process group); "gone" when it no longer exists (ESRCH). */
  kill(pid: number, signal: number, group: boolean): "sent" | "gone";
}
