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
import { type ChildProcess, execFile, execFileSync, spawn as spawnChild } from "node:child_process";
import {
  accessSync,
  closeSync,
  existsSync,
  constants as fsConstants,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { Socket } from "node:net";
import { constants as osConstants, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import { pyInt, pyRepr } from "../config/py-text.js";
import type { ProcessConfig } from "../config/types.js";
import { childEnvironment } from "./child-environment.js";
import { type FileFacts, resolveCommand, SpawnError } from "./command-line.js";
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
  /** Called once when the child is reaped (at once if it already was), not when its pipes close. */
  onExit(callback: (status: WaitStatus) => void): void;
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

/**
 * Signals `pid`, or its process group. `gone` on ESRCH (supervisord then logs `unable to signal <name>
 * (pid <pid>), it probably just exited on its own: …`); other errors throw.
 */
export function kill(pid: number, signal: number, group: boolean): "sent" | "gone" {
  if (!Number.isInteger(pid) || pid <= 0) throw new RangeError(`refusing to signal pid ${pid}`);
  try {
    process.kill(group ? -pid : pid, signal);
    return "sent";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return "gone";
    throw error;
  }
}

/**
 * Node's `exit` event as a WaitStatus. Node has no core-dump flag, and reports a death by a signal it
 * has no name for (the real-time signals) as exit code 0.
 */
export function waitStatusFrom(code: number | null, signal: string | null): WaitStatus {
  if (signal) {
    const number = osConstants.signals[signal as keyof typeof osConstants.signals] ?? 0;
    return { kind: "signaled", signal: number, coreDumped: false };
  }
  return { kind: "exited", code: code ?? 0 };
}

/** A failure of the daemon's side (pipes, fork) in supervisord's words; null for the child's side. */
export function parentSideError(errno: string, name: string, stage: "pipes" | "fork"): SpawnError | null {
  if (errno === "EMFILE") return new SpawnError("resources", `too many open files to spawn '${name}'`);
  if (stage === "pipes" || errno === "ENFILE")
    return new SpawnError("resources", `unknown error making dispatchers for '${name}': ${errno}`);
  if (errno === "EAGAIN")
    return new SpawnError("resources", `Too many processes in process table to spawn '${name}'`);
  if (errno === "ENOMEM")
    return new SpawnError("resources", `unknown error during fork for '${name}': ${errno}`);
  return null;
}

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export interface UserLookup {
  byName(name: string): PasswdEntry | null;
  byUid(uid: number): PasswdEntry | null;
}

export type UserPlan =
  | { readonly kind: "keep" }
  | { readonly kind: "switch"; readonly uid: number; readonly gid: number }
  /** The line supervisord's child writes (after `supervisor: `) before giving up. */
  | { readonly kind: "fail"; readonly message: string };

/**
 * supervisord's `drop_privileges` in the child: the current uid → nothing to do; not root → refused
 * (supervisord does not ignore `user=` then); root → that uid, its primary gid and its groups.
 */
export function planUser(user: string | null, currentUid: number, users: UserLookup): UserPlan {
  if (user === null) return { kind: "keep" };
  const fail = (who: string | number, why: string): UserPlan => ({
    kind: "fail",
    message: `couldn't setuid to ${who}: ${why}`,
  });
  const uid = pyInt(user);
  const entry = uid === null ? users.byName(user) : users.byUid(uid);
  if (entry === null)
    return uid === null
      ? fail(user, `Can't find username ${pyRepr(user)}`)
      : fail(uid, `Can't find uid ${uid}`);
  if (entry.uid === currentUid) return { kind: "keep" };
  if (currentUid !== 0) return fail(entry.uid, "Can't drop privilege as nonroot user");
  return { kind: "switch", uid: entry.uid, gid: entry.gid };
}

/** Users from /etc/passwd, read at each call (what `getpwnam` sees at spawn time on a files-only host). */
export function systemUsers(path = "/etc/passwd"): UserLookup {
  const entries = (): PasswdEntry[] => {
    let text = "";
    try {
      text = readFileSync(path, "utf8");
    } catch {
      return [];
    }
    return text
      .split("\n")
      .map((line) => line.split(":"))
      .filter((f) => f.length >= 4 && !f[0]!.startsWith("#"))
      .map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]) }));
  };
  return {
    byName: (name) => entries().find((e) => e.name === name) ?? null,
    byUid: (uid) => entries().find((e) => e.uid === uid) ?? null,
  };
}

/** The file system as resolveCommand asks it. */
export const systemFiles: FileFacts = {
  stat(path) {
    try {
      const st = statSync(path);
      return { isDirectory: st.isDirectory(), mode: st.mode };
    } catch {
      return null;
    }
  },
  canExecute(path) {
    try {
      accessSync(path, fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

const O_CLOEXEC = 0o2000000;

/** This process's fds ≥ 3 without close-on-exec: inherited from whoever started it (Node makes none). */
export function inheritableFds(): number[] {
  let names: string[];
  try {
    names = readdirSync("/proc/self/fd");
  } catch {
    return [];
  }
  const fds: number[] = [];
  for (const fd of names.map(Number).filter((n) => n >= 3)) {
    try {
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"));
      if (flags && (Number.parseInt(flags[1]!, 8) & O_CLOEXEC) === 0) fds.push(fd);
    } catch {
      // The listing's own fd, closed by now.
    }
  }
  return fds.sort((a, b) => a - b);
}

/**
 * The shim's script. Parameters: umask (or ""), a directory to re-enter as the new user (or ""), argv0,
 * file, arguments. Where a shell cannot know the errno it names the likely one. Without bash, argv0
 * becomes the file and only fds up to 9 can be closed.
 */
export function shimScript(closeFds: readonly number[], bash: boolean): string {
  const closable = bash ? closeFds : closeFds.filter((fd) => fd <= 9);
  return [
    ...(bash ? ["shopt -s execfail"] : []),
    "m=$1 d=$2 a=$3 f=$4; shift 4",
    `fail() { printf 'supervisor: %s\\n' "$1" 'child process was not spawned' >&2; exit 127; }`,
    `[ -z "$d" ] || cd -- "$d" 2>/dev/null || fail "couldn't chdir to $d: EACCES"`,
    '[ -z "$m" ] || umask "$m"',
    `[ -x "$f" ] || { [ -e "$f" ] && fail "couldn't exec $a: EACCES"; fail "couldn't exec $a: ENOENT"; }`,
    ...(closable.length > 0 ? [`exec ${closable.map((fd) => `${fd}>&-`).join(" ")}`] : []),
    bash ? 'exec -a "$a" -- "$f" "$@"' : 'exec "$f" "$@"',
    `[ $? = 127 ] && fail "couldn't exec $a: ENOENT"; fail "couldn't exec $a: EACCES"`,
  ].join("\n");
}

/** The stand-in's script: the lines as arguments, or one line read from fd 3 when they are not known yet. */
const REPORT_SCRIPT = `printf 'supervisor: %s\\n' "$@" >&2; exit 127`;
const REPORT_LATER_SCRIPT = `IFS= read -r l <&3; exec 3<&-; printf 'supervisor: %s\\n' "$l" "$@" >&2; exit 127`;
const NOT_SPAWNED = "child process was not spawned";
const LOW_WATER = 48;
const BATCH = 96;

/** FIFOs made by `mkfifo` in batches in a private directory, each used once. */
class FifoPool {
  readonly #base: string;
  #dir: string | null = null;
  #ready: string[] = [];
  #next = 0;
  #filling = false;

  constructor(base: string) {
    this.#base = base;
  }

  /** `count` FIFO paths. Blocks on `mkfifo` only when the pool is dry; refills in the background. */
  take(count: number): string[] {
    if (this.#ready.length < count) {
      const paths = this.#paths(Math.max(BATCH, count + LOW_WATER));
      execFileSync("mkfifo", ["-m", "600", "--", ...paths], { env: MKFIFO_ENV, stdio: "ignore" });
      this.#ready.push(...paths);
    }
    const taken = this.#ready.splice(0, count);
    if (this.#ready.length < LOW_WATER && !this.#filling) {
      this.#filling = true;
      const paths = this.#paths(BATCH);
      const dir = this.#dir;
      execFile("mkfifo", ["-m", "600", "--", ...paths], { env: MKFIFO_ENV }, (error) => {
        this.#filling = false;
        if (this.#dir !== dir) rmSync(dir!, { recursive: true, force: true });
        else if (!error) this.#ready.push(...paths);
      });
    }
    return taken;
  }

  #paths(count: number): string[] {
    this.#dir ??= mkdtempSync(join(this.#base, `steward-pipes-${process.pid}-`));
    const dir = this.#dir;
    return Array.from({ length: count }, () => join(dir, `${this.#next++}`));
  }

  close(): void {
    if (this.#dir !== null) rmSync(this.#dir, { recursive: true, force: true });
    this.#dir = null;
    this.#ready = [];
  }

  /** Removes what daemons that died without cleaning up (SIGKILL) left in `base`. */
  static removeStale(base: string): void {
    let names: string[] = [];
    try {
      names = readdirSync(base);
    } catch {
      return;
    }
    for (const name of names) {
      const pid = Number(/^steward-pipes-(\d+)-/.exec(name)?.[1] ?? 0);
      if (pid <= 0 || pid === process.pid || isAlive(pid)) continue;
      try {
        rmSync(join(base, name), { recursive: true, force: true });
      } catch {
        // Someone else's.
      }
    }
  }
}

const MKFIFO_ENV = { PATH: `/usr/bin:/bin:${process.env.PATH ?? ""}`, LC_ALL: "C" };

interface Pipe {
  /** Our end. */
  readonly parent: number;
  /** The child's end, blocking; closed here once the child has it. */
  readonly child: number;
}

/** Opens a FIFO at both ends, the way `os.pipe()` would give them, and unlinks it. */
function openPipe(path: string, direction: "toChild" | "fromChild"): Pipe {
  const { O_RDONLY, O_WRONLY, O_NONBLOCK } = fsConstants;
  const opened: number[] = [];
  const open = (flags: number) => {
    opened.push(openSync(path, flags));
    return opened.at(-1)!;
  };
  try {
    if (direction === "fromChild") {
      const parent = open(O_RDONLY | O_NONBLOCK);
      return { parent, child: open(O_WRONLY) };
    }
    const holder = open(O_RDONLY | O_NONBLOCK);
    const parent = open(O_WRONLY | O_NONBLOCK);
    const child = open(O_RDONLY);
    closeSync(holder);
    return { parent, child };
  } catch (error) {
    for (const fd of opened) closeSync(fd);
    throw error;
  } finally {
    try {
      unlinkSync(path);
    } catch {
      // Already gone: the error that matters is the open's.
    }
  }
}

type Attempt =
  | { readonly kind: "started"; readonly child: ChildProcess }
  /** libuv refused synchronously; errno is null for a non-errno error (a NUL byte in an argument). */
  | { readonly kind: "failed"; readonly errno: string | null; readonly reason: string }
  /** No pid: the errno arrives with the child's `error` event on the next tick. */
  | { readonly kind: "pending"; readonly child: ChildProcess };

function attempt(
  file: string,
  args: readonly string[],
  argv0: string,
  cwd: string | undefined,
  env: object,
  stdio: number[],
): Attempt {
  let child: ChildProcess;
  try {
    child = spawnChild(file, args, { argv0, cwd, env: env as NodeJS.ProcessEnv, stdio, detached: true });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const errno = typeof e.errno === "number" && typeof e.code === "string" ? e.code : null;
    return { kind: "failed", errno, reason: e.message };
  }
  child.on("error", () => {});
  return child.pid === undefined ? { kind: "pending", child } : { kind: "started", child };
}

/** The errno chdir to `dir` fails with now, or null. */
function chdirError(dir: string): string | null {
  try {
    if (!statSync(dir).isDirectory()) return "ENOTDIR";
    accessSync(dir, fsConstants.X_OK);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? "EINVAL";
  }
}

/** Why even a stand-in could not be started, when libuv did not say: descriptors, else processes. */
function diagnose(name: string): SpawnError {
  try {
    closeSync(openSync("/dev/null", "r"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "EIO";
    return parentSideError(code, name, "pipes")!;
  }
  return parentSideError("EAGAIN", name, "fork")!;
}

/** tmpfs when there is one (`mknod` on a disk file system is several times slower), else the tmpdir. */
function defaultPipeDirectory(): string {
  try {
    accessSync("/dev/shm", fsConstants.W_OK | fsConstants.X_OK);
    if (statSync("/dev/shm").isDirectory()) return "/dev/shm";
  } catch {
    // No /dev/shm.
  }
  return tmpdir();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
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
    const { filename, argv } = resolveCommand(config.command, {
      programEnvironment: config.environment,
      daemonEnvironment,
      files: this.#files,
    });
    const env = childEnvironment({
      daemonEnvironment,
      process: { ...config, group_name: context.groupName },
      defaultServerurl: context.serverurl,
    });
    return this.start({
      name: config.name,
      filename,
      argv,
      env,
      directory: config.directory,
      umask: config.umask,
      user: config.user,
      redirectStderr: config.redirect_stderr,
    });
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

interface Launched {
  readonly mode: LaunchMode;
  readonly child: ChildProcess;
}

/** A child that writes supervisord's lines to fd 2 and exits 127; `line` null: read it from fd 3. */
function standIn(name: string, stdio: number[], line: string | null): Launched {
  const script = line === null ? REPORT_LATER_SCRIPT : REPORT_SCRIPT;
  const args = ["-c", script, "steward", ...(line === null ? [] : [clean(line)]), NOT_SPAWNED];
  const a = attempt("/bin/sh", args, "sh", undefined, {}, stdio);
  if (a.kind === "started") return { mode: "failure", child: a.child };
  throw a.kind === "failed" && a.errno !== null
    ? (parentSideError(a.errno, name, "fork") ?? diagnose(name))
    : diagnose(name);
}

/** A line safe to pass as an argument (no NUL, no newline). */
function clean(line: string): string {
  return line.replaceAll("\0", "\\x00").replaceAll("\n", "\\n");
}

function track(
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
  const spawned: SpawnedChild = {
    pid: child.pid!,
    stdin,
    stdout: new Socket({ fd: stdoutFd, readable: true, writable: false }),
    stderr: stderrFd === null ? null : new Socket({ fd: stderrFd, readable: true, writable: false }),
    mode,
    onExit(callback) {
      if (status !== null) callback(status);
      else callbacks.push(callback);
    },
  };
  return spawned;
}
