/**
 * `reloadConfig` (ctl `reread`): which groups a new configuration adds, changes and removes,
 * compared as supervisord compares them (`ProcessGroupConfig.__eq__`, `ProcessConfig.__eq__`:
 * every process option, with an AUTO log file on either side never counting as a change). Pure.
 */
import type { ChannelConfig, GroupConfig, ProcessConfig } from "./types.js";

export interface ConfigDiff {
  readonly added: readonly GroupConfig[];
  readonly changed: readonly GroupConfig[];
  readonly removed: readonly GroupConfig[];
}

/** What identifies a process's behaviour; where it came from (section, file) does not count. */
function comparable(p: ProcessConfig): Record<string, unknown> {
  const {
    section: _s,
    file: _f,
    program_name: _p,
    group_name: _g,
    process_num: _n,
    stdout,
    stderr,
    ...rest
  } = p;
  return rest;
}

function sameChannel(a: ChannelConfig, b: ChannelConfig): boolean {
  const auto = a.logfile.kind === "auto" || b.logfile.kind === "auto";
  const { logfile: la, ...ra } = a;
  const { logfile: lb, ...rb } = b;
  return (auto || JSON.stringify(la) === JSON.stringify(lb)) && JSON.stringify(ra) === JSON.stringify(rb);
}

function sameProcess(a: ProcessConfig, b: ProcessConfig): boolean {
  return (
    JSON.stringify(comparable(a)) === JSON.stringify(comparable(b)) &&
    sameChannel(a.stdout, b.stdout) &&
    sameChannel(a.stderr, b.stderr)
  );
}

export function sameGroup(a: GroupConfig, b: GroupConfig): boolean {
  if (a.kind !== b.kind || a.name !== b.name || a.priority !== b.priority) return false;
  if (a.processes.length !== b.processes.length) return false;
  if (!a.processes.every((p, i) => sameProcess(p, b.processes[i]!))) return false;
  if (a.kind === "eventlistener" && b.kind === "eventlistener") {
    return (
      a.buffer_size === b.buffer_size &&
      a.result_handler === b.result_handler &&
      a.events.join() === b.events.join()
    );
  }
  if (a.kind === "fcgi-program" && b.kind === "fcgi-program") {
    return JSON.stringify(a.socket) === JSON.stringify(b.socket);
  }
  return true;
}

/** supervisord's `diff_to_active`, in its order: added and changed in the new config's order. */
export function diffGroups(active: readonly GroupConfig[], next: readonly GroupConfig[]): ConfigDiff {
  const current = new Map(active.map((g) => [g.name, g]));
  const incoming = new Set(next.map((g) => g.name));
  return {
    added: next.filter((g) => !current.has(g.name)),
    changed: next.filter((g) => current.has(g.name) && !sameGroup(current.get(g.name)!, g)),
    removed: active.filter((g) => !incoming.has(g.name)),
  };
}
