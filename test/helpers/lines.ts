/** Waiting on a child's stdout lines (collected by the caller into `lines`), bounded, no polling. */
import type { ChildProcess } from "node:child_process";

/** Resolves once a line in `lines` matches `pattern`, re-checked at each stdout chunk of `proc`. */
export function waitForLine(
  proc: ChildProcess,
  lines: string[],
  pattern: RegExp,
  timeoutMs = 30000,
): Promise<void> {
  if (lines.some((l) => pattern.test(l))) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.stdout!.off("data", check);
      reject(new Error(`timed out waiting for ${pattern}\n${lines.join("\n")}`));
    }, timeoutMs);
    const check = () => {
      if (!lines.some((l) => pattern.test(l))) return;
      clearTimeout(timer);
      proc.stdout!.off("data", check);
      resolve();
    };
    proc.stdout!.on("data", check);
  });
}
