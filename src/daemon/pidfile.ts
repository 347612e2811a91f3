/** The daemon's pidfile: who holds it, writing it, and removing it only when it is ours. IO. */
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";

/** The pid in `path` if that process is alive and looks like a supervisor daemon; else null. */
export function livePidfileOwner(path: string): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return null;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return /stewardd|supervisord/.test(cmdline) ? pid : null;
  } catch {
    return null;
  }
}

/** Writes `<pid>\n`; false when it cannot. */
export function writePidfile(path: string, pid: number): boolean {
  try {
    writeFileSync(path, `${pid}\n`);
    return true;
  } catch {
    return false;
  }
}

/** Removes the pidfile if it still names `pid`. */
export function removePidfile(path: string, pid: number): void {
  try {
    if (readFileSync(path, "utf8").trim() === String(pid)) unlinkSync(path);
  } catch {
    // Already gone, or replaced by someone else's: leave it.
  }
}
