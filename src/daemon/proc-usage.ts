/**
 * CPU and memory of each supervised process together with its descendants (gunicorn's master and
 * workers, a shell and what it runs), read from /proc when someone asks (/metrics, the status page).
 * IO; the parsing and the tree are in process/proc-tree.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { type ProcStat, ProcTable, parseStat } from "../process/proc-tree.js";

export interface TreeUsage {
  /** CPU time of the tree since each member started (a counter while the root lives). */
  readonly cpuSeconds: number;
  /** The sum of the members' resident memory. */
  readonly residentBytes: number;
  /** How many processes the tree has. */
  readonly processes: number;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null; // gone since the directory was listed
  }
}

function readTable(): ProcTable {
  const stats: ProcStat[] = [];
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return new ProcTable([]);
  }
  for (const name of names) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const text = readText(`/proc/${name}/stat`);
    const stat = text === null ? null : parseStat(text);
    if (stat) stats.push(stat);
  }
  return new ProcTable(stats);
}

/** VmRSS of `pid` in bytes (0 for a zombie or a process gone). */
function residentBytes(pid: number): number {
  const status = readText(`/proc/${pid}/status`);
  const kb = status === null ? null : /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return kb ? Number(kb[1]) * 1024 : 0;
}

/** The usage of each root's tree; a root that is not running (pid 0, or gone) has none. */
export function treeUsages(roots: readonly number[]): Map<number, TreeUsage> {
  const usages = new Map<number, TreeUsage>();
  const live = roots.filter((pid) => pid > 0);
  if (live.length === 0) return usages;
  const table = readTable();
  for (const root of live) {
    const tree = table.tree(root);
    if (tree.length === 0) continue;
    usages.set(root, {
      cpuSeconds: table.cpuSeconds(tree),
      residentBytes: tree.reduce((sum, pid) => sum + residentBytes(pid), 0),
      processes: tree.length,
    });
  }
  return usages;
}
