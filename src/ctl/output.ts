/**
 * What supervisorctl prints: the status table, the one-line results of start/stop/signal/clear,
 * `avail` lines, `reread` changes, `help`'s columns and the generic error line. Pure.
 */
import { pyRepr } from "../config/py-text.js";
import { makeNamespec } from "../process/namespec.js";
import { Faults } from "../rpc/faults.js";
import type { ActionResult, ConfigInfo, ProcessInfo } from "./records.js";

const ljust = (s: string, width: number) => (s.length >= width ? s : s + " ".repeat(width - s.length));

/** `status` lines: namespec padded to max(30, longest)+3, state padded to 10, then the description. */
export function formatStatusLines(infos: readonly ProcessInfo[]): string[] {
  const names = infos.map((i) => makeNamespec(i.group, i.name));
  const width = Math.max(30, ...names.map((n) => n.length)) + 3;
  return infos.map((info, i) => `${ljust(names[i]!, width)}${ljust(info.statename, 10)}${info.description}`);
}

/** The message for a start result, or null for a code supervisorctl has no words for. */
export function startResultMessage(result: ActionResult): string | null {
  const name = makeNamespec(result.group, result.name);
  const error: Record<number, string> = {
    [Faults.BAD_NAME]: "no such process",
    [Faults.NO_FILE]: "no such file",
    [Faults.NOT_EXECUTABLE]: "file is not executable",
    [Faults.ALREADY_STARTED]: "already started",
    [Faults.SPAWN_ERROR]: "spawn error",
    [Faults.ABNORMAL_TERMINATION]: "abnormal termination",
  };
  if (result.status === Faults.SUCCESS) return `${name}: started`;
  const text = error[result.status];
  return text === undefined ? null : `${name}: ERROR (${text})`;
}

/** The message for a signal (or, with `success` "stopped", a stop) result; FAILED prints its string. */
export function signalResultMessage(result: ActionResult, success = "signalled"): string | null {
  const name = makeNamespec(result.group, result.name);
  switch (result.status) {
    case Faults.BAD_NAME:
      return `${name}: ERROR (no such process)`;
    case Faults.BAD_SIGNAL:
      return `${name}: ERROR (bad signal name)`;
    case Faults.NOT_RUNNING:
      return `${name}: ERROR (not running)`;
    case Faults.SUCCESS:
      return `${name}: ${success}`;
    case Faults.FAILED:
      return result.description;
    default:
      return null;
  }
}

export function clearResultMessage(result: ActionResult): string | null {
  const name = makeNamespec(result.group, result.name);
  if (result.status === Faults.BAD_NAME) return `${name}: ERROR (no such process)`;
  if (result.status === Faults.FAILED) return `${name}: ERROR (failed)`;
  if (result.status === Faults.SUCCESS) return `${name}: cleared`;
  return null;
}

/** supervisorctl's assertion for a result code it does not know. */
export function unknownResultError(result: ActionResult): string {
  return `error: <class 'ValueError'>, Unknown result code ${result.status} for ${makeNamespec(result.group, result.name)}`;
}

/** One `avail` line: `%-32s %-9s %-9s %s`. */
export function formatConfigInfo(info: ConfigInfo): string {
  const name = makeNamespec(info.group, info.name);
  return `${ljust(name, 32)} ${ljust(info.inuse ? "in use" : "avail", 9)} ${ljust(info.autostart ? "auto" : "manual", 9)} ${info.group_prio}:${info.process_prio}`;
}

/** `reread`'s lines: every changed group with its change, sorted by name. */
export function formatChanges(
  added: readonly string[],
  changed: readonly string[],
  removed: readonly string[],
): string[] {
  const changes = new Map<string, string>();
  for (const [names, word] of [
    [added, "available"],
    [changed, "changed"],
    [removed, "disappeared"],
  ] as const) {
    for (const n of names) changes.set(n, word);
  }
  if (changes.size === 0) return ["No config updates to processes"];
  return [...changes.keys()].sort(codepointCompare).map((n) => `${n}: ${changes.get(n)}`);
}

function codepointCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Python `cmd.Cmd.columnize`: the fewest rows whose columns fit `width`, two spaces apart. */
export function columnize(items: readonly string[], width: number): string[] {
  if (items.length === 0) return ["<empty>"];
  if (items.length === 1) return [items[0]!];
  const size = items.length;
  let nrows = size;
  let ncols = 1;
  let widths = [0];
  for (let rows = 1; rows < size; rows++) {
    const cols = Math.ceil(size / rows);
    const colWidths: number[] = [];
    let total = -2;
    for (let col = 0; col < cols; col++) {
      let w = 0;
      for (let row = 0; row < rows; row++) {
        const i = row + rows * col;
        if (i >= size) break;
        w = Math.max(w, items[i]!.length);
      }
      colWidths.push(w);
      total += w + 2;
      if (total > width) break;
    }
    if (total <= width) {
      nrows = rows;
      ncols = cols;
      widths = colWidths;
      break;
    }
  }
  const lines: string[] = [];
  for (let row = 0; row < nrows; row++) {
    const texts: string[] = [];
    for (let col = 0; col < ncols; col++) {
      const i = row + nrows * col;
      texts.push(i >= size ? "" : items[i]!);
    }
    while (texts.length > 0 && texts[texts.length - 1] === "") texts.pop();
    lines.push(texts.map((t, c) => ljust(t, widths[c] ?? 0)).join("  "));
  }
  return lines;
}

/** A fault no command handles, in supervisorctl's `error: <class>, <Fault n: 'text'>` form. */
export function faultErrorLine(faultCode: number, faultString: string): string {
  return `error: <class 'xmlrpc.client.Fault'>, <Fault ${faultCode}: ${pyRepr(faultString)}>`;
}
