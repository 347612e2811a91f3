/** Finding processes through /proc: by working directory (what a deployment left running) and by parent. */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

function pids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** The parent pid and state letter of `pid`, or null when it is gone. */
function stat(pid: number): { ppid: number; state: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0]!, ppid: Number(fields[1]) };
  } catch {
    return null;
  }
}

/** The command line of `pid` with its arguments joined by spaces ("" when it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** Live (not zombie) processes whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  return pids().filter((p) => {
    const s = stat(p);
    return s !== null && s.ppid === pid && s.state !== "Z";
  });
}

/** Live processes whose working directory is `dir` or below it: what a deployment there still runs. */
export function processesIn(dir: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const pid of pids()) {
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue;
    }
    if (cwd !== dir && !cwd.startsWith(`${dir}/`)) continue;
    const s = stat(pid);
    if (s !== null && s.state !== "Z") found.push({ pid, command: commandLine(pid) });
  }
  return found;
}
