/**
 * A process and its descendants from Linux's /proc: parsing `/proc/PID/stat` and summing a tree's CPU
 * time (pure). The tree is followed by parent pid, so children that started their own session
 * (setsid) still count while their parent lives.
 */

export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime of the process itself, in clock ticks. */
  readonly ticks: number;
  /** cutime + cstime: its children that it has waited for, in clock ticks. */
  readonly childTicks: number;
}

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux's common architectures). */
export const CLOCK_TICKS = 100;

/**
 * One `/proc/PID/stat` line, or null when it cannot be read as one. The command name (in
 * parentheses) may hold spaces and parentheses: the fields are counted after its last `)`.
 */
export function parseStat(text: string): ProcStat | null {
  const open = text.indexOf(" (");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open));
  // after ") ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
  const f = text.slice(close + 2).split(" ");
  const [ppid, utime, stime, cutime, cstime] = [f[1], f[11], f[12], f[13], f[14]].map(Number);
  if (![pid, ppid, utime, stime, cutime, cstime].every((n) => Number.isInteger(n) && n! >= 0)) return null;
  return { pid, ppid: ppid!, ticks: utime! + stime!, childTicks: cutime! + cstime! };
}

/** The processes of one /proc reading, with each one's children indexed. */
export class ProcTable {
  readonly #stats = new Map<number, ProcStat>();
  readonly #children = new Map<number, number[]>();

  constructor(stats: Iterable<ProcStat>) {
    for (const s of stats) {
      this.#stats.set(s.pid, s);
      const list = this.#children.get(s.ppid);
      if (list) list.push(s.pid);
      else this.#children.set(s.ppid, [s.pid]);
    }
  }

  get(pid: number): ProcStat | undefined {
    return this.#stats.get(pid);
  }

  /** `root` and its live descendants, root first; empty when `root` is not in the table. */
  tree(root: number): number[] {
    if (!this.#stats.has(root)) return [];
    const tree: number[] = [];
    const seen = new Set<number>();
    const queue = [root];
    for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
      if (seen.has(pid)) continue;
      seen.add(pid);
      tree.push(pid);
      queue.push(...(this.#children.get(pid) ?? []));
    }
    return tree;
  }

  /**
   * CPU seconds of a tree: every member's own time and its waited-for children's (the kernel moves a
   * reaped child's time into its parent, so each is counted once).
   */
  cpuSeconds(tree: readonly number[]): number {
    let ticks = 0;
    for (const pid of tree) {
      const s = this.#stats.get(pid);
      if (s) ticks += s.ticks + s.childTicks;
    }
    return ticks / CLOCK_TICKS;
  }
}
