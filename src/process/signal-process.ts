/** Signalling a child or its process group, with ESRCH read as "already gone". */

/**
 * Signals `pid`, or its process group. `gone` on ESRCH (supervisord then logs `unable to signal <name>
 * (pid <pid>), it probably just exited on its own: …`); other errors throw.
 */
export function kill(pid: number, signal: number, group: boolean): "sent" | "gone" {
  if (!Number.isInteger(pid) || pid <= 0) throw new RangeError(`refusing to signal pid ${pid}`);
  try {
    process.kill(group ? -pid : pid, signal);
    return "sent";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return "gone";
    throw error;
  }
}
