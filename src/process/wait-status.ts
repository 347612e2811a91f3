/** How a child ended, and supervisord's words for it (`decode_wait_status`, `signame`). Pure. */
import { constants as osConstants } from "node:os";

/** A reaped child: an exit code, or the signal that killed it. */
export type WaitStatus =
  | { readonly kind: "exited"; readonly code: number }
  | { readonly kind: "signaled"; readonly signal: number; readonly coreDumped: boolean };

/** Names as supervisord's `signame()` picks them (last alias in Python's signal module wins). */
const SIGNAMES: ReadonlyMap<number, string> = new Map([
  [1, "SIGHUP"],
  [2, "SIGINT"],
  [3, "SIGQUIT"],
  [4, "SIGILL"],
  [5, "SIGTRAP"],
  [6, "SIGABRT"],
  [7, "SIGBUS"],
  [8, "SIGFPE"],
  [9, "SIGKILL"],
  [10, "SIGUSR1"],
  [11, "SIGSEGV"],
  [12, "SIGUSR2"],
  [13, "SIGPIPE"],
  [14, "SIGALRM"],
  [15, "SIGTERM"],
  [16, "SIGSTKFLT"],
  [17, "SIGCHLD"],
  [18, "SIGCONT"],
  [19, "SIGSTOP"],
  [20, "SIGTSTP"],
  [21, "SIGTTIN"],
  [22, "SIGTTOU"],
  [23, "SIGURG"],
  [24, "SIGXCPU"],
  [25, "SIGXFSZ"],
  [26, "SIGVTALRM"],
  [27, "SIGPROF"],
  [28, "SIGWINCH"],
  [29, "SIGPOLL"],
  [30, "SIGPWR"],
  [31, "SIGSYS"],
  [34, "SIGRTMIN"],
  [64, "SIGRTMAX"],
]);

/** `SIGTERM`, or `signal 40` for a number without a name. */
export function signame(signal: number): string {
  return SIGNAMES.get(signal) ?? `signal ${signal}`;
}

/** supervisord's exit status (-1 for a signal death) and description (`exit status 3`, `terminated by SIGTERM`). */
export function describeWaitStatus(status: WaitStatus): { exitstatus: number; how: string } {
  if (status.kind === "exited") return { exitstatus: status.code, how: `exit status ${status.code}` };
  return {
    exitstatus: -1,
    how: `terminated by ${signame(status.signal)}${status.coreDumped ? " (core dumped)" : ""}`,
  };
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
