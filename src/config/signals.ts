/**
 * Signal names and numbers as Python's `signal` module has them on Linux, which decides what
 * supervisord accepts for `stopsignal`. Pure data.
 */

/** Canonical name (without `SIG`) of each signal number supervisord accepts. */
export const SIGNAL_NAMES: ReadonlyMap<number, string> = new Map([
  [1, "HUP"],
  [2, "INT"],
  [3, "QUIT"],
  [4, "ILL"],
  [5, "TRAP"],
  [6, "ABRT"],
  [7, "BUS"],
  [8, "FPE"],
  [9, "KILL"],
  [10, "USR1"],
  [11, "SEGV"],
  [12, "USR2"],
  [13, "PIPE"],
  [14, "ALRM"],
  [15, "TERM"],
  [16, "STKFLT"],
  [17, "CHLD"],
  [18, "CONT"],
  [19, "STOP"],
  [20, "TSTP"],
  [21, "TTIN"],
  [22, "TTOU"],
  [23, "URG"],
  [24, "XCPU"],
  [25, "XFSZ"],
  [26, "VTALRM"],
  [27, "PROF"],
  [28, "WINCH"],
  [29, "IO"],
  [30, "PWR"],
  [31, "SYS"],
  [34, "RTMIN"],
  [64, "RTMAX"],
]);

/** Every `SIG*` attribute of Python's signal module, aliases and handler constants included. */
export const SIGNAL_NUMBERS_BY_NAME: ReadonlyMap<string, number> = new Map([
  ...[...SIGNAL_NAMES].map(([n, name]) => [`SIG${name}`, n] as const),
  ["SIGIOT", 6],
  ["SIGCLD", 17],
  ["SIGPOLL", 29],
  ["SIG_DFL", 0],
  ["SIG_IGN", 1],
  ["SIG_BLOCK", 0],
  ["SIG_UNBLOCK", 1],
  ["SIG_SETMASK", 2],
]);

/** Numbers supervisord accepts: the values of all those attributes. */
export const VALID_SIGNAL_NUMBERS: ReadonlySet<number> = new Set(SIGNAL_NUMBERS_BY_NAME.values());

/** The name to show for a resolved signal number (`0` has none: it is shown as `0`). */
export function signalName(n: number): string {
  return SIGNAL_NAMES.get(n) ?? String(n);
}
