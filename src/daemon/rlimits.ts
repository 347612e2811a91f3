/**
 * `minfds`/`minprocs`: raise the daemon's RLIMIT_NOFILE/RLIMIT_NPROC soft limits (and the hard
 * limit, as root) as supervisord does at start-up; children inherit them. Node cannot call
 * setrlimit, so util-linux's `prlimit --pid` sets them on this process. IO.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

interface LimitSpec {
  readonly name: "RLIMIT_NOFILE" | "RLIMIT_NPROC";
  readonly procLabel: string;
  readonly prlimitOption: string;
  readonly message: (min: number, hard: string) => string;
}

const SPECS: readonly LimitSpec[] = [
  {
    name: "RLIMIT_NOFILE",
    procLabel: "Max open files",
    prlimitOption: "--nofile",
    message: (min, hard) =>
      `The minimum number of file descriptors required to run this process is ${min} as per the "minfds" command-line argument or config file setting. The current environment will only allow you to open ${hard} file descriptors.  Either raise the number of usable file descriptors in your environment (see README.rst) or lower the minfds setting in the config file to allow the process to start.`,
  },
  {
    name: "RLIMIT_NPROC",
    procLabel: "Max processes",
    prlimitOption: "--nproc",
    message: (min, hard) =>
      `The minimum number of available processes required to run this program is ${min} as per the "minprocs" command-line argument or config file setting. The current environment will only allow you to open ${hard} processes.  Either raise the number of usable processes in your environment (see README.rst) or lower the minprocs setting in the config file to allow the program to start.`,
  },
];

/** Soft and hard limit from /proc/self/limits; null stands for unlimited. */
export function readLimit(
  limitsText: string,
  label: string,
): { soft: number | null; hard: number | null } | null {
  const line = limitsText.split("\n").find((l) => l.startsWith(label));
  if (!line) return null;
  const [soft, hard] = line.slice(label.length).trim().split(/\s+/);
  const value = (v: string | undefined) => (v === undefined || v === "unlimited" ? null : Number(v));
  return { soft: value(soft), hard: value(hard) };
}

/** Raises the limits; returns supervisord's INFO lines, or its usage error. */
export function raiseLimits(minfds: number, minprocs: number): { infos: string[] } | { error: string } {
  let text: string;
  try {
    text = readFileSync("/proc/self/limits", "utf8");
  } catch {
    return { infos: [] };
  }
  const infos: string[] = [];
  for (const spec of SPECS) {
    const min = spec.name === "RLIMIT_NOFILE" ? minfds : minprocs;
    const limit = readLimit(text, spec.procLabel);
    if (!limit || limit.soft === null || limit.soft >= min) continue;
    const hard = limit.hard !== null && limit.hard < min ? min : limit.hard;
    const r = spawnSync(
      "prlimit",
      ["--pid", String(process.pid), `${spec.prlimitOption}=${min}:${hard ?? "unlimited"}`],
      {
        stdio: "ignore",
      },
    );
    if (r.status !== 0) return { error: spec.message(min, String(hard ?? "unlimited")) };
    infos.push(`Increased ${spec.name} limit to ${min}`);
  }
  return { infos };
}
