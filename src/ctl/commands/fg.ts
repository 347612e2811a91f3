/**
 * `fg <process>`: supervisorctl's foreground mode. The process's stdout and stderr logs are streamed
 * to stdout (`/logtail/<name>/stdout` and `/stderr`, each starting with its last 1024 bytes), every
 * line typed is sent to the process with `sendProcessStdin`, and Ctrl-C or the end of input leaves
 * fg without touching the process. supervisorctl notices that the process ended only when the next
 * line is typed; fg also checks every FG_POLL_MS, and ends with supervisorctl's words either way.
 */
import { StringDecoder } from "node:string_decoder";
import { pyRepr } from "../../config/py-text.js";
import { ProcessStates } from "../../process/states.js";
import { Faults, RpcFault } from "../../rpc/faults.js";
import { ExitCodes } from "../exit-codes.js";
import { toProcessInfo } from "../records.js";
import type { CtlSession } from "../session.js";
import { upcheck } from "../upcheck.js";
import { pySplit } from "../words.js";
import { type Command, printHelp } from "./command.js";

/** How often fg checks that the process still runs between two typed lines. */
export const FG_POLL_MS = 200;
/** Once the process has ended, its last output is shown until the logs stay quiet this long… */
const DRAIN_QUIET_MS = 300;
/** …but no longer than this. */
const DRAIN_MAX_MS = 1500;

/** Python's `str()` of an `xmlrpc.client.Fault`. */
const faultText = (fault: RpcFault) => `<Fault ${fault.faultCode}: ${pyRepr(fault.faultString)}>`;

/** A name in a URL path: percent-encoded (both servers decode it), `:` kept as it reads. */
const pathName = (name: string) => encodeURIComponent(name).replace(/%3A/gi, ":");

type Ending =
  | { readonly why: "interrupt" }
  | { readonly why: "eof" }
  | { readonly why: "killed" }
  | { readonly why: "fault"; readonly fault: RpcFault }
  | { readonly why: "error"; readonly error: unknown };

const failure = (error: unknown): Ending =>
  error instanceof RpcFault ? { why: "fault", fault: error } : { why: "error", error };

export const fg: Command = {
  name: "fg",
  completes: "processes",
  help: ["fg <process>\tConnect to a process in foreground mode", "\t\tCtrl-C to exit"],
  async run(s, arg) {
    if (!(await upcheck(s))) return;
    const names = pySplit(arg);
    if (names.length === 0) {
      s.out("ERROR: no process name supplied");
      s.exitStatus = ExitCodes.GENERIC;
      printHelp(s, fg);
      return;
    }
    if (names.length > 1) {
      s.out("ERROR: too many process names supplied");
      s.exitStatus = ExitCodes.GENERIC;
      return;
    }
    const name = names[0]!;
    let pid: number;
    try {
      const info = toProcessInfo(await s.call("supervisor.getProcessInfo", [name]));
      if (info.state !== ProcessStates.RUNNING) {
        s.out("ERROR: process not running");
        s.exitStatus = ExitCodes.GENERIC;
        return;
      }
      pid = info.pid;
    } catch (error) {
      if (!(error instanceof RpcFault)) throw error;
      if (error.faultCode === Faults.BAD_NAME) {
        s.out("ERROR: bad process name supplied");
        s.exitStatus = ExitCodes.GENERIC;
      } else s.out(`ERROR: ${faultText(error)}`); // supervisorctl keeps the exit status here
      return;
    }
    s.out("==> Press Ctrl-C to exit <==");
    await foreground(s, name, pid);
  },
};

/** Whether `name` is still the RUNNING process fg attached to (a restart gave it another pid). */
async function stillRunning(s: CtlSession, name: string, pid: number): Promise<boolean> {
  try {
    const info = toProcessInfo(await s.call("supervisor.getProcessInfo", [name]));
    return info.state === ProcessStates.RUNNING && info.pid === pid;
  } catch (error) {
    // Removed from the configuration (`update`): it was stopped first.
    if (error instanceof RpcFault && error.faultCode === Faults.BAD_NAME) return false;
    throw error;
  }
}

/** Streams the logs and forwards input until Ctrl-C, the end of input, or the process ending. */
async function foreground(s: CtlSession, name: string, pid: number): Promise<void> {
  let ending: Ending | null = null;
  let wake!: () => void;
  const ended = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const finish = (why: Ending) => {
    if (ending !== null) return;
    ending = why;
    wake();
  };
  const stopInterrupt = s.io.onInterrupt(() => finish({ why: "interrupt" }));
  const input = s.io.lines();
  let received = 0;
  const logs = openLogs(s, name, (text) => {
    received++;
    s.io.stdout(text);
  });
  try {
    const poll = async () => {
      while (ending === null) {
        await Promise.race([s.io.sleep(FG_POLL_MS), ended]);
        if (ending !== null) return;
        if (!(await stillRunning(s, name, pid))) finish({ why: "killed" });
      }
    };
    const forward = async () => {
      while (ending === null) {
        const line = await Promise.race([input.next(), ended.then(() => undefined)]);
        if (ending !== null || line === undefined) return;
        if (line === null) {
          finish({ why: "eof" });
          return;
        }
        try {
          await s.call("supervisor.sendProcessStdin", [name, `${line}\n`]);
        } catch (error) {
          if (error instanceof RpcFault && error.faultCode === Faults.NOT_RUNNING) finish({ why: "killed" });
          else throw error;
        }
        if (ending === null && !(await stillRunning(s, name, pid))) finish({ why: "killed" });
      }
    };
    poll().catch((error: unknown) => finish(failure(error)));
    forward().catch((error: unknown) => finish(failure(error)));
    await ended;
  } finally {
    stopInterrupt();
    input.close();
  }
  const end = ending as Ending | null;
  try {
    if (end?.why === "killed") {
      // Show what the process wrote last: wait until its logs have been quiet for a moment.
      const start = s.io.now();
      let seen = -1;
      while (seen !== received && s.io.now() - start < DRAIN_MAX_MS) {
        seen = received;
        await s.io.sleep(DRAIN_QUIET_MS);
      }
    }
  } finally {
    logs.close();
  }
  if (end === null || end.why === "interrupt" || end.why === "eof") s.out("Exiting foreground");
  else if (end.why === "killed") {
    s.out("Process got killed");
    s.out("Exiting foreground");
  } else if (end.why === "fault") {
    s.out(`ERROR: ${faultText(end.fault)}`);
    s.out("Exiting foreground");
  } else throw end.error;
}

/**
 * Opens the stdout and stderr log streams, each piece decoded as UTF-8 and passed to `show`, without
 * waiting for them: a server may hold an answer's headers until the log has bytes. A channel without
 * a log file (404: `redirect_stderr`, `*_logfile=NONE`) is left out quietly, where supervisorctl
 * prints `… Cannot read, status code 404` on stderr; when neither has one, one line says so. Other
 * refusals get supervisorctl's line.
 */
function openLogs(s: CtlSession, name: string, show: (text: string) => void): { close(): void } {
  let closed = false;
  let missing = 0;
  const streams = (["stdout", "stderr"] as const).map((channel) => {
    const decoder = new StringDecoder("utf8");
    const stream = s.stream(`/logtail/${pathName(name)}/${channel}`, (chunk) => {
      const text = decoder.write(chunk);
      if (text !== "") show(text);
    });
    stream.status.then(
      (status) => {
        if (closed || status === 200) return;
        stream.close();
        if (status !== 404) {
          s.io.stderr(
            `${s.options.serverurl}/logtail/${name}/${channel} Cannot read, status code ${status}\n`,
          );
        } else if (++missing === 2) s.io.stderr(`${name}: ERROR (no log file): its output cannot be shown\n`);
      },
      (error: unknown) => {
        if (!closed) s.io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
    return stream;
  });
  return {
    close() {
      closed = true;
      for (const stream of streams) stream.close();
    },
  };
}
