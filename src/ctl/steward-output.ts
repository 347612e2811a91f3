/**
 * What `deps` and `health` print (Steward only): the dependency tree of each process and one line
 * per health-checked process, aligned as `status` aligns its table. Pure.
 */
import { makeNamespec, parseNamespec } from "../process/namespec.js";
import type { DependencyRecord, HealthRecord, UsageRecord } from "./records.js";

const ljust = (s: string, width: number) => (s.length >= width ? s : s + " ".repeat(width - s.length));

/** The message for a server without the `steward.*` methods (a plain supervisord). */
export const NOT_STEWARDD = "this server is not stewardd: it has no steward.* methods";

/** `group:name` as `status` shows it: `name` when it is its group's name. */
export function displayName(spec: string): string {
  const parsed = parseNamespec(spec);
  return parsed.kind === "process" ? makeNamespec(parsed.group, parsed.process) : spec;
}

/**
 * Whether `check` (a wait_for entry) is still awaited according to `waiting` (the daemon's
 * `waiting for A, B (last result), …`), and the last result it shows for it.
 */
export function waitForProgress(waiting: string, check: string): { pending: boolean; last: string } {
  const head = "waiting for ";
  if (!waiting.startsWith(head) || check === "") return { pending: false, last: "" };
  for (let i = waiting.indexOf(check, head.length); i >= 0; i = waiting.indexOf(check, i + 1)) {
    if (i !== head.length && waiting.slice(i - 2, i) !== ", ") continue;
    const end = i + check.length;
    if (end === waiting.length || waiting.startsWith(", ", end)) return { pending: true, last: "" };
    if (!waiting.startsWith(" (", end)) continue;
    let depth = 0;
    for (let j = end + 1; j < waiting.length; j++) {
      if (waiting[j] === "(") depth++;
      else if (waiting[j] === ")" && --depth === 0) {
        if (j + 1 === waiting.length || waiting.startsWith(", ", j + 1)) {
          return { pending: true, last: waiting.slice(end + 2, j) };
        }
        break;
      }
    }
  }
  return { pending: false, last: "" };
}

interface Row {
  readonly label: string;
  readonly state: string;
  readonly text: string;
}

/** The rows under one process: what it depends on, what it waits for, what depends on it. */
function childRows(record: DependencyRecord, states: ReadonlyMap<string, string>): Row[] {
  const rows: Row[] = [];
  for (const d of record.depends_on) {
    const now = d.processes.map((p) => `${displayName(p)} ${states.get(p) ?? "(not configured)"}`);
    rows.push({
      label: `depends on ${d.target} (${d.condition})`,
      state: d.met ? "met" : "not met",
      text: now.join(", "),
    });
  }
  for (const w of record.wait_for) {
    const progress = waitForProgress(record.waiting, w);
    rows.push({
      label: `waits for ${w}`,
      state: record.waiting === "" ? "" : progress.pending ? "not met" : "met",
      text: progress.last,
    });
  }
  for (const p of record.dependents) {
    rows.push({ label: `needed by ${displayName(p)}`, state: states.get(p) ?? "", text: "" });
  }
  return rows;
}

/**
 * `deps` lines: each process as a `status` line (namespec, state, what it waits for now), then a
 * tree of what it depends on (condition: met or not met, and the state of each process named),
 * its wait_for checks (met or not met while it waits, with the last result) and what depends on it
 * (with its state). `all` gives the states of processes not shown.
 */
export function formatDependencyTree(
  shown: readonly DependencyRecord[],
  all: readonly DependencyRecord[] = shown,
): string[] {
  const states = new Map<string, string>();
  for (const r of [...all, ...shown]) states.set(`${r.group}:${r.name}`, r.statename);
  const blocks = shown.map((r) => ({
    record: r,
    name: makeNamespec(r.group, r.name),
    rows: childRows(r, states),
  }));
  const width =
    Math.max(
      30,
      ...blocks.map((b) => b.name.length),
      ...blocks.flatMap((b) => b.rows.map((row) => row.label.length + 3)),
    ) + 3;
  const lines: string[] = [];
  for (const b of blocks) {
    lines.push(`${ljust(b.name, width)}${ljust(b.record.statename, 10)}${b.record.waiting}`.trimEnd());
    b.rows.forEach((row, i) => {
      const branch = i === b.rows.length - 1 ? "└─ " : "├─ ";
      lines.push(`${ljust(branch + row.label, width)}${ljust(row.state, 10)}${row.text}`.trimEnd());
    });
  }
  return lines;
}

/** How long ago, from seconds: `3s ago`, `4m 05s ago`, `2h 07m ago`, `3d 04h ago`. */
export function formatAgo(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${two(Math.floor(s / 60) % 60)}m ago`;
  return `${Math.floor(s / 86400)}d ${two(Math.floor(s / 3600) % 24)}h ago`;
}

/** The last check of a health record, e.g. `passed 3s ago: HTTP 200` or `failed 1s ago: … (2 failures in a row)`. */
export function formatLastCheck(record: HealthRecord, nowMs: number): string {
  const failures =
    record.failures > 0 ? ` (${record.failures} failure${record.failures === 1 ? "" : "s"} in a row)` : "";
  if (record.checked <= 0) return `not checked yet${failures}`;
  const ago = formatAgo(Math.floor(nowMs / 1000) - record.checked);
  const detail = record.detail === "" ? "" : `: ${record.detail}`;
  return `${record.ok ? "passed" : "failed"} ${ago}${detail}${failures}`;
}

/**
 * `health` lines: namespec and state as `status` pads them, the health status padded to 11, the
 * check padded to the longest one shown plus 2, then the last check's result and failures in a row.
 */
export function formatHealthLines(records: readonly HealthRecord[], nowMs: number): string[] {
  const names = records.map((r) => makeNamespec(r.group, r.name));
  const width = Math.max(30, ...names.map((n) => n.length)) + 3;
  const checkWidth = Math.max(0, ...records.map((r) => r.healthcheck.length)) + 2;
  return records.map(
    (r, i) =>
      `${ljust(names[i]!, width)}${ljust(r.statename, 10)}${ljust(r.status, 11)}${ljust(r.healthcheck, checkWidth)}${formatLastCheck(r, nowMs)}`,
  );
}

/** `42.1M`, `1.5G`, `512K`: a size in kB, short. */
export function formatKilobytes(kb: number): string {
  if (kb >= 1024 * 1024) return `${(kb / (1024 * 1024)).toFixed(1)}G`;
  if (kb >= 1024) return `${(kb / 1024).toFixed(1)}M`;
  return `${kb}K`;
}

/** `0:01:02.5`-style CPU time: h:mm:ss.s. */
export function formatCpu(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const sec = (seconds % 60).toFixed(1).padStart(4, "0");
  return `${h}:${String(m).padStart(2, "0")}:${sec}`;
}

/** `usage`: a header, then per process its state, pid, tree size, memory and CPU (blank when not running). */
export function formatUsageLines(records: readonly UsageRecord[]): string[] {
  const names = records.map((r) => makeNamespec(r.group, r.name));
  const width = Math.max(30, ...names.map((n) => n.length)) + 3;
  const row = (name: string, state: string, pid: string, procs: string, mem: string, cpu: string) =>
    `${ljust(name, width)}${ljust(state, 10)}${pid.padStart(8)}${procs.padStart(7)}${mem.padStart(9)}${cpu.padStart(12)}`;
  return [
    row("NAME", "STATE", "PID", "PROCS", "MEMORY", "CPU"),
    ...records.map((r, i) =>
      r.processes === 0
        ? row(names[i]!, r.statename, "", "", "", "").trimEnd()
        : row(
            names[i]!,
            r.statename,
            String(r.pid),
            String(r.processes),
            formatKilobytes(r.rss_kb),
            formatCpu(r.cpu_seconds),
          ),
    ),
  ];
}
