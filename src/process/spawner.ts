/**
 * Starting children the way supervisord's `Subprocess._spawn_as_child` does, on node:child_process.
 * IO.
 *
 * - The program is the daemon's direct child and leads its own process group (`detached`: setsid).
 * - stdin/stdout/stderr are real pipes (FIFOs opened at both ends, then unlinked), not the socketpairs
 *   Node's `stdio: "pipe"` makes, so programs can open `/dev/stdout` as under supervisord
 *   (nodejs/node#21941). With `redirect_stderr` the stdout pipe is fd 2 as well.
 * - The common case (no user switch, no umask, no inherited fd to close) is one direct spawn. Otherwise
 *   a shim prepares the child and execs in place: `[setpriv --reuid --regid --init-groups --] bash -c`
 *   (re-enter the directory as the user, umask, close inherited fds, `exec -a argv0`).
 * - What supervisord's child writes to fd 2 before `_exit(127)` (chdir, setuid or exec failure) comes
 *   from a stand-in child that writes those lines and exits 127, never as a spawn error.
 *
 * Known differences from supervisord 4.2.5: the child gets a new session (setsid), not only a new
 * process group; SIGPIPE and SIGXFSZ are not left ignored (Python's dispositions leak into
 * supervisord's children); a script without `#!` runs under a shell (execvp) instead of failing with
 * ENOEXEC; the chdir happens before the user switch (then is repeated as the user); no core-dump flag,
 * and a death by a real-time signal reads as exit 0 (Node's `exit` event loses both).
 */
import type { ChildProcess } from "node:child_process";
import { closeSync, existsSync, rmSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import type { ProcessConfig } from "../config/types.js";
import { childEnvironment } from "./child-environment.js";
import { type FileFacts, resolveCommand, SpawnError } from "./command-line.js";
import { loadEnvironmentFile } from "./environment-file.js";
import { defaultPipeDirectory, FifoPool, openPipe, type Pipe } from "./fifo-pool.js";
import { kill } from "./signal-process.js";
import {
  type Attempt,
  attempt,
  chdirError,
  diagnose,
  type Launched,
  parentSideError,
} from "./spawn-attempt.js";
import { clean, inheritableFds, shimScript, standIn } from "./spawn-shim.js";
import { planUser, systemUsers, type UserLookup, type UserPlan } from "./spawn-user.js";
import { track } from "./spawned-child.js";
import { systemFiles } from "./system-files.js";
import type { WaitStatus } from "./wait-status.js";

/** One process to start, fully resolved (see resolveCommand and childEnvironment). */
export interface SpawnRequest {
  /** The process name, for messages. */
  readonly name: string;
  /** The executable; a relative path is relative to `directory` once there, as with execve. */
  readonly filename: string;
  /** argv[0] is the first word of the command as written. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly directory: string | null;
  readonly umask: number | null;
  /** `user=` as written (a name or a uid). */
  readonly user: string | null;
  readonly redirectStderr: boolean;
}

/** How the child was started: directly, through the shim, or as a stand-in reporting a failure. */
export type LaunchMode = "direct" | "shim" | "failure";

export interface SpawnedChild {
  readonly pid: number;
  /** The write end of the child's stdin; its errors (EPIPE) are swallowed. */
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Null with `redirect_stderr`. */
  readonly stderr: Readable | null;
  readonly mode: LaunchMode;
  /** The environment it was started with (environment_file's variables included); set by `spawn`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Called once when the child is reaped (at once if it already was), not when its pipes close. */
  onExit(callback: (status: WaitStatus) => void): void;
  /**
   * Where the output goes, chunk by chunk, instead of `data` events: the pipes are read into one
   * buffer the daemon reuses, so `sink` must be done with a chunk when it returns (copy what it keeps).
   * The streams still emit `close`.
   */
  onOutput(sink: (channel: "stdout" | "stderr", chunk: Buffer) => void): void;
}

/** What the daemon knows that a ProcessConfig does not. */
export interface SpawnContext {
  /** The daemon's environment, which children inherit. */
  readonly env: ReadonlyMap<string, string>;
  /** The computed SUPERVISOR_SERVER_URL (Config.serverurl), used when the program's is AUTO. */
  readonly serverurl: string | null;
  readonly groupName: string;
}

/** The seam the daemon uses; a fake stands in for it in unit tests. */
export interface Spawner {
  /** Starts the process, or throws SpawnError with supervisord's spawnerr message. */
  spawn(config: ProcessConfig, context: SpawnContext): SpawnedChild;
  kill(pid: number, signal: number, group: boolean): "sent" | "gone";
}

const firstExisting = (paths: readonly string[]) => paths.find((p) => existsSync(p)) ?? null;

export interface SpawnerOptions {
  /** Where the FIFO directory is made. @default /dev/shm if writable, else os.tmpdir() */
  readonly pipeDirectory?: string;
  /** Fds to close in every child. @default inheritableFds() at construction */
  readonly closeFds?: readonly number[];
  /** @default systemUsers() */
  readonly users?: UserLookup;
  /** The daemon's uid. @default process.getuid() */
  readonly uid?: number;
  /** @default systemFiles */
  readonly files?: FileFacts;
}

/** The real spawner. `close()` removes its FIFO directory (also done when the process exits). */
export class NodeSpawner implements Spawner {
  readonly #pool: FifoPool;
  readonly #closeFds: readonly number[];
  readonly #users: UserLookup;
  readonly #uid: number;
  readonly #files: FileFacts;
  readonly #bash = firstExisting(["/bin/bash", "/usr/bin/bash"]);
  readonly #setpriv = firstExisting(["/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv"]);
  readonly #script: string;
  readonly #cleanup = () => this.#pool.close();

  constructor(options: SpawnerOptions = {}) {
    const pipeDirectory = options.pipeDirectory ?? defaultPipeDirectory();
    FifoPool.removeStale(pipeDirectory);
    this.#pool = new FifoPool(pipeDirectory);
    this.#closeFds = options.closeFds ?? inheritableFds();
    this.#users = options.users ?? systemUsers();
    this.#uid = options.uid ?? process.getuid?.() ?? 0;
    this.#files = options.files ?? systemFiles;
    this.#script = shimScript(this.#closeFds, this.#bash !== null);
    process.once("exit", this.#cleanup);
  }

  /** Resolves the command and the environment as supervisord does, then starts the process. */
  spawn(config: ProcessConfig, context: SpawnContext): SpawnedChild {
    const daemonEnvironment = Object.fromEntries(context.env);
    let env = childEnvironment({
      daemonEnvironment,
      process: { ...config, group_name: context.groupName },
      defaultServerurl: context.serverurl,
    });
    // Steward's environment_file: sourced now, over everything else; its PATH finds the command.
    let programEnvironment = config.environment;
    if (config.environment_file !== null) {
      const cwd = config.directory === null ? process.cwd() : resolve(config.directory);
      const path = resolve(cwd, config.environment_file);
      const loaded = loadEnvironmentFile(path, env, { cwd });
      if (!loaded.ok) throw new SpawnError("environment", loaded.message);
      env = { ...env, ...loaded.variables };
      for (const name of loaded.unset) delete env[name];
      programEnvironment = { ...programEnvironment, ...loaded.variables };
      if (loaded.unset.includes("PATH") && !Object.hasOwn(loaded.variables, "PATH")) {
        programEnvironment = { ...programEnvironment, PATH: "" };
      }
    }
    const { filename, argv } = resolveCommand(config.command, {
      programEnvironment,
      daemonEnvironment,
      files: this.#files,
    });
    const child = this.start({
      name: config.name,
      filename,
      argv,
      env,
      directory: config.directory,
      umask: config.umask,
      user: config.user,
      redirectStderr: config.redirect_stderr,
    });
    return { ...child, env };
  }

  kill(pid: number, signal: number, group: boolean): "sent" | "gone" {
    return kill(pid, signal, group);
  }

  /** Starts a resolved request. Throws SpawnError only for failures on the daemon's side (pipes, fork). */
  start(request: SpawnRequest): SpawnedChild {
    const pipes = this.#openPipes(request.name, request.redirectStderr ? 2 : 3);
    const [stdin, stdout, stderr = stdout] = pipes as [Pipe, Pipe, Pipe?];
    let launched: Launched;
    try {
      launched = this.#launch(request, [stdin.child, stdout.child, stderr.child]);
    } catch (error) {
      for (const p of pipes) for (const fd of [p.parent, p.child]) closeSync(fd);
      throw error;
    }
    for (const p of pipes) closeSync(p.child);
    const stderrFd = stderr === stdout ? null : stderr.parent;
    return track(launched.child, launched.mode, stdin.parent, stdout.parent, stderrFd);
  }

  /** Removes the FIFO directory. */
  close(): void {
    process.removeListener("exit", this.#cleanup);
    this.#pool.close();
  }

  #openPipes(name: string, count: number): Pipe[] {
    const pipes: Pipe[] = [];
    let paths: string[] = [];
    try {
      paths = this.#pool.take(count);
      for (const [i, path] of paths.entries()) pipes.push(openPipe(path, i === 0 ? "toChild" : "fromChild"));
      return pipes;
    } catch (error) {
      for (const p of pipes) for (const fd of [p.parent, p.child]) closeSync(fd);
      for (const path of paths.slice(pipes.length + 1)) rmSync(path, { force: true });
      const code = (error as NodeJS.ErrnoException).code;
      throw parentSideError(typeof code === "string" ? code : "EIO", name, "pipes")!;
    }
  }

  /** The program, or a stand-in that reports why it could not be run; throws for the daemon's side. */
  #launch(request: SpawnRequest, stdio: number[]): Launched {
    const { name, argv } = request;
    const argv0 = argv[0] ?? request.filename;
    const directory = request.directory === null ? undefined : resolve(request.directory);
    const childSideLine = (errno: string) => {
      const dirError = directory === undefined ? null : chdirError(directory);
      if (dirError !== null) return `couldn't chdir to ${request.directory}: ${dirError}`;
      return `couldn't exec ${argv0}: ${errno}`;
    };
    const plan = planUser(request.user, this.#uid, this.#users);
    if (plan.kind === "fail") return standIn(name, stdio, plan.message);
    if (plan.kind === "switch" && this.#setpriv === null)
      return standIn(name, stdio, `couldn't setuid to ${plan.uid}: setpriv is not installed`);
    const direct = plan.kind === "keep" && request.umask === null && this.#closeFds.length === 0;
    const file = request.filename.includes("/") ? request.filename : `./${request.filename}`;
    const first = direct
      ? attempt(file, argv.slice(1), argv0, directory, request.env, stdio)
      : this.#attemptShim(request, plan, file, argv0, directory, stdio);
    if (first.kind === "started") return { mode: direct ? "direct" : "shim", child: first.child };
    if (first.kind === "pending") return this.#reportLater(name, first.child, stdio, childSideLine);
    if (first.errno === null) return standIn(name, stdio, `couldn't exec ${argv0}: ${first.reason}`);
    const parentSide = parentSideError(first.errno, name, "fork");
    if (parentSide !== null) throw parentSide;
    return standIn(name, stdio, childSideLine(first.errno));
  }

  #attemptShim(
    request: SpawnRequest,
    plan: UserPlan,
    file: string,
    argv0: string,
    directory: string | undefined,
    stdio: number[],
  ): Attempt {
    const shell = this.#bash ?? "/bin/sh";
    const mask = request.umask === null ? "" : request.umask.toString(8).padStart(3, "0");
    const reenter = plan.kind === "switch" ? (directory ?? "") : "";
    const args = ["-c", this.#script, "steward", mask, reenter, argv0, file, ...request.argv.slice(1)];
    if (plan.kind !== "switch") return attempt(shell, args, shell, directory, request.env, stdio);
    const ids = [`--reuid=${plan.uid}`, `--regid=${plan.gid}`, "--init-groups", "--", shell];
    return attempt(this.#setpriv!, [...ids, ...args], this.#setpriv!, directory, request.env, stdio);
  }

  /** libuv's errno is not known yet: a stand-in waits on fd 3 for the line, written when it arrives. */
  #reportLater(name: string, pending: ChildProcess, stdio: number[], lineFor: (errno: string) => string) {
    let channel: Pipe;
    try {
      channel = openPipe(this.#pool.take(1)[0]!, "toChild");
    } catch {
      throw diagnose(name);
    }
    try {
      const launched = standIn(name, [...stdio, channel.child], null);
      pending.once("error", (error: NodeJS.ErrnoException) => {
        writeSync(channel.parent, `${clean(lineFor(error.code ?? "EINVAL"))}\n`);
        closeSync(channel.parent);
      });
      return launched;
    } catch (error) {
      closeSync(channel.parent);
      throw error;
    } finally {
      closeSync(channel.child);
    }
  }
}
