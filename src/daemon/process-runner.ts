/**
 * One process at run time: holds its state-machine snapshot, feeds it inputs (requests, spawn
 * results, exits, its one deadline timer) and performs the effects it returns — spawning, signals,
 * main-log lines, and state notifications. The IO shell around process/machine.ts.
 */

import type { ProcessConfig } from "../config/types.js";
import type { MainLog } from "../logs/main-log.js";
import { formatTimestamp } from "../logs/main-log-format.js";
import { OutputChannel } from "../logs/output-channel.js";
import { RotatingFile } from "../logs/rotating-file.js";
import type { SyslogSink } from "../logs/syslog.js";
import { SpawnError } from "../process/command-line.js";
import type { Transition } from "../process/machine.js";
import {
  type Effect,
  INITIAL_SNAPSHOT,
  type MachineInput,
  nextDeadline,
  type ProcessSnapshot,
  step,
} from "../process/machine.js";
import type { ProcessStateName } from "../process/states.js";
import type { WaitStatus } from "../process/wait-status.js";
import { signame } from "../process/wait-status.js";
import type { ChildHandle, ProcessSpawner, SpawnContext } from "./child-handle.js";

export interface RunnerDeps {
  readonly spawner: ProcessSpawner;
  readonly log: MainLog;
  readonly now: () => number;
  /** False while the daemon shuts down or reloads. */
  readonly mayStart: () => boolean;
  readonly spawnContext: SpawnContext;
  readonly stripAnsi: boolean;
  /** The shared syslog connection for `*_syslog=true` (opened on first use). */
  readonly syslog: () => SyslogSink;
  /** Told about every state change, after it happened. */
  readonly onTransition: (runner: ProcessRunner, transition: Transition) => void;
  /** Set for an event listener: its stdout is the protocol channel (see EventPool). */
  readonly listener?: ListenerHooks | null;
  /** PROCESS_LOG_* (`*_events_enabled`) and PROCESS_COMMUNICATION_* (capture mode) events. */
  readonly outputEvents?: OutputEventHooks | null;
  /** `depends_on` / `wait_for`: the machine's `gate` effect opens or closes it. */
  readonly gate?: { open(): void; close(): void } | null;
  /** The health check of each instance (readiness and liveness). */
  readonly health?: ListenerHooks | null;
}

/** What an event listener's pool is told about the listener process. */
export interface ListenerHooks {
  /** A new instance was spawned (before any of its output is read). */
  spawned(): void;
  /** A chunk of its stdout, raw. */
  output(chunk: Buffer): void;
  /** The instance exited (after its exit was dispatched). */
  exited(): void;
}

export interface OutputEventHooks {
  /** Output logged outside capture mode, on a channel with `*_events_enabled`. */
  log(channel: "stdout" | "stderr", pid: number, data: Buffer): void;
  /** The bytes of a finished capture block. */
  communication(channel: "stdout" | "stderr", pid: number, data: Buffer): void;
}

/** Where the process's output goes: resolved once per group creation (AUTO paths are fixed then). */
export interface LogPaths {
  readonly stdout: string | null;
  readonly stderr: string | null;
}

/** Longest time an exit waits for the child's pipes to drain before it is reported. */
const DRAIN_LIMIT_MS = 100;

export class ProcessRunner {
  readonly config: ProcessConfig;
  readonly logPaths: LogPaths;
  #snapshot: ProcessSnapshot = INITIAL_SNAPSHOT;
  #timer: NodeJS.Timeout | null = null;
  #child: ChildHandle | null = null;
  #spawns = 0;
  /** Process groups this runner started; emptied as they are found gone (see killLeftovers). */
  readonly #groups = new Set<number>();
  readonly #deps: RunnerDeps;
  readonly #queue: MachineInput[] = [];
  #busy = false;
  /** Output channels whose pipes are still open (a previous child's may still be draining). */
  readonly #channels = new Set<OutputChannel>();

  constructor(config: ProcessConfig, logPaths: LogPaths, deps: RunnerDeps) {
    this.config = config;
    this.logPaths = logPaths;
    this.#deps = deps;
  }

  get name(): string {
    return this.config.name;
  }

  get snapshot(): ProcessSnapshot {
    return this.#snapshot;
  }

  get state(): ProcessStateName {
    return this.#snapshot.state;
  }

  get child(): ChildHandle | null {
    return this.#child;
  }

  /** Children spawned since this runner was made (the `steward_process_spawns_total` metric). */
  get spawns(): number {
    return this.#spawns;
  }

  /** Feeds one input; inputs raised while effects run are processed in order afterwards. */
  dispatch(input: MachineInput): void {
    this.#queue.push(input);
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
        const result = step(this.#snapshot, next, this.config, {
          now: this.#deps.now(),
          mayStart: this.#deps.mayStart(),
        });
        this.#snapshot = result.snapshot;
        for (const effect of result.effects) this.#perform(effect);
      }
    } finally {
      this.#busy = false;
      this.#armTimer();
    }
  }

  /** Cancels the timer (daemon exit). */
  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #armTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const at = nextDeadline(this.#snapshot, this.config);
    if (at === null) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.dispatch({ kind: "evaluate" });
      },
      Math.max(0, at - this.#deps.now()),
    );
  }

  #perform(effect: Effect): void {
    switch (effect.kind) {
      case "log":
        this.#deps.log.log(effect.level, effect.message);
        break;
      case "transition":
        this.#deps.onTransition(this, effect);
        break;
      case "spawn":
        this.#spawn();
        break;
      case "gate":
        if (effect.open) this.#deps.gate?.open();
        else this.#deps.gate?.close();
        break;
      case "kill":
        this.#kill(effect.signal, effect.group);
        break;
    }
  }

  #kill(signal: number, group: boolean): void {
    const pid = this.#snapshot.pid;
    try {
      if (this.#deps.spawner.kill(pid, signal, group) === "gone") {
        this.#deps.log.debug(
          `unable to signal ${this.name} (pid ${pid}), it probably just exited on its own: [Errno 3] No such process`,
        );
      }
    } catch (error) {
      this.#queue.push({ kind: "killFailed", message: `\n${(error as Error).message}` });
    }
  }

  #openChannel(channel: "stdout" | "stderr", path: string | null, pid: () => number): OutputChannel {
    const c = channel === "stdout" ? this.config.stdout : this.config.stderr;
    const file =
      path === null
        ? null
        : new RotatingFile(path, { maxBytes: c.logfile_maxbytes, backups: c.logfile_backups });
    // A listener's stdout is the protocol channel: never captured, no PROCESS_LOG events.
    const protocol = channel === "stdout" && this.#deps.listener != null;
    const events = protocol ? null : (this.#deps.outputEvents ?? null);
    return new OutputChannel({
      processName: this.name,
      channel,
      file,
      mainLog: this.#deps.log,
      captureMaxBytes: protocol ? 0 : c.capture_maxbytes,
      stripAnsi: this.#deps.stripAnsi,
      syslog: c.syslog,
      syslogSink: c.syslog ? this.#deps.syslog() : null,
      mirrorAsBytes: protocol,
      onLogEvent: events && c.events_enabled ? (data) => events.log(channel, pid(), data) : null,
      onCommEvent: events ? (data) => events.communication(channel, pid(), data) : null,
      lineStamp: this.config.log_timestamps ? () => `${formatTimestamp(new Date())} ` : null,
    });
  }

  /** Writes to the running child's stdin; false when there is none to write to (or it is stopping). */
  writeStdin(data: Buffer): boolean {
    const stdin = this.#child?.stdin;
    if (!stdin || stdin.destroyed || !stdin.writable || this.#snapshot.killing || !this.#snapshot.pid)
      return false;
    stdin.write(data);
    return true;
  }

  #spawn(): void {
    const channels: OutputChannel[] = [];
    let child: ChildHandle;
    let childPid = 0;
    const pid = () => childPid;
    try {
      try {
        channels.push(this.#openChannel("stdout", this.logPaths.stdout, pid));
        if (!this.config.redirect_stderr)
          channels.push(this.#openChannel("stderr", this.logPaths.stderr, pid));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "EIO";
        throw new SpawnError(
          "resources",
          code === "EMFILE"
            ? `too many open files to spawn '${this.name}'`
            : `unknown error making dispatchers for '${this.name}': ${code}`,
        );
      }
      child = this.#deps.spawner.spawn(this.config, this.#deps.spawnContext);
    } catch (error) {
      for (const c of channels) c.close();
      if (!(error instanceof SpawnError)) throw error;
      this.#queue.push({ kind: "spawnFailed", message: error.message });
      return;
    }
    this.#child = child;
    this.#spawns++;
    childPid = child.pid;
    const listener = this.#deps.listener ?? null;
    listener?.spawned();
    const health = this.#deps.health ?? null;
    health?.spawned();
    const streams = [child.stdout, child.stderr].filter((s) => s !== null);
    let received = 0;
    let open = streams.length;
    const [out, err] = channels;
    for (const c of channels) this.#channels.add(c);
    const closeAll = () => {
      for (const c of channels) {
        c.close();
        this.#channels.delete(c);
      }
    };
    const deliver = (channel: "stdout" | "stderr", chunk: Buffer) => {
      received++;
      if (channel === "stdout") {
        out?.write(chunk);
        listener?.output(chunk);
      } else (err ?? out)?.write(chunk);
      health?.output(chunk);
    };
    const watch = (stream: NodeJS.ReadableStream | null, channel: "stdout" | "stderr") => {
      if (!stream) return;
      if (!child.onOutput) stream.on("data", (chunk: Buffer) => deliver(channel, chunk));
      stream.on("close", () => {
        open--;
        if (open === 0) closeAll();
      });
    };
    child.onOutput?.(deliver);
    watch(child.stdout, "stdout");
    watch(child.stderr, "stderr");
    if (streams.length === 0) closeAll();
    child.stdin?.on("error", () => {});
    this.#groups.add(child.pid);
    child.onExit((status) =>
      this.#drainThenReport(
        child,
        status,
        () => received,
        () => open === 0,
      ),
    );
    this.#queue.push({ kind: "spawned", pid: child.pid });
  }

  /** Lets output already in the pipes reach the log before the exit is reported (bounded). */
  #drainThenReport(
    child: ChildHandle,
    status: WaitStatus,
    received: () => number,
    closed: () => boolean,
  ): void {
    const started = this.#deps.now();
    // Output already in the pipes is read in the same poll phase that reports the exit, so one
    // event-loop turn without new data means they are drained (a grandchild may keep them open).
    let seen = received();
    const check = () => {
      if (closed() || received() === seen || this.#deps.now() - started > DRAIN_LIMIT_MS) {
        this.#child = null;
        this.#deps.log.debug("received SIGCHLD indicating a child quit");
        const stopped = this.#snapshot.killing;
        // killasgroup (or stopasgroup, which implies it): the group goes with its leader, on a stop
        // and when the leader exits on its own, before any respawn; like systemd's control-group
        // KillMode. Otherwise (supervisord's default) survivors are left alone until the daemon exits.
        if (this.config.killasgroup || this.config.stopasgroup) this.#killLeftoversOf(child.pid, stopped);
        // An event the listener had not answered goes back to its pool before a respawn can happen.
        this.#deps.listener?.exited();
        this.#deps.health?.exited();
        this.dispatch({ kind: "exited", status });
        this.#forgetGroupIfGone(child.pid);
        return;
      }
      seen = received();
      setImmediate(check);
    };
    setImmediate(check);
  }

  #forgetGroupIfGone(pgid: number): void {
    try {
      if (this.#deps.spawner.kill(pgid, 0, true) === "gone") this.#groups.delete(pgid);
    } catch {
      this.#groups.delete(pgid);
    }
  }

  /**
   * SIGKILLs what is left of an exited child's process group (e.g. gunicorn's workers after their
   * master died, which would keep its port until they notice). Logged unless the program was being
   * stopped, where killing the group is what killasgroup asks for.
   */
  #killLeftoversOf(pgid: number, stopping: boolean): void {
    try {
      if (this.#deps.spawner.kill(pgid, 0, true) === "gone") return;
      if (!stopping)
        this.#deps.log.info(
          `${this.name} (pid ${pgid}) exited, leaving processes in its group: killing them with signal SIGKILL (killasgroup)`,
        );
      this.#killGroup(pgid);
    } catch {
      // EPERM: a member changed user; nothing more can be done.
    }
  }

  #killGroup(pgid: number): void {
    if (this.#deps.spawner.kill(pgid, 9, true) === "gone") this.#groups.delete(pgid);
  }

  /**
   * At daemon exit: SIGKILL whatever is left in the process groups this runner started (children
   * of children that outlived their parent), so nothing the daemon started keeps running.
   */
  killLeftovers(): void {
    for (const pgid of [...this.#groups]) {
      try {
        this.#killGroup(pgid);
      } catch {
        // EPERM: a grandchild changed user; nothing more can be done.
      }
      this.#groups.delete(pgid);
    }
  }

  /** clearProcessLogs: remove and reopen the log files being written now. */
  clearLogs(): void {
    for (const channel of this.#channels) channel.clear();
  }

  /** SIGUSR2: reopen the log files of the output being written now. */
  reopenLogs(): void {
    for (const channel of this.#channels) channel.reopen();
  }

  /** For `signalProcess`: sends a signal to the pid without a state change. */
  signal(signal: number): "sent" | "gone" {
    this.#deps.log.debug(`sending ${this.name} (pid ${this.#snapshot.pid}) sig ${signame(signal)}`);
    return this.#deps.spawner.kill(this.#snapshot.pid, signal, false);
  }
}
