/**
 * `/metrics`: the daemon and its processes in Prometheus' text exposition format (version 0.0.4),
 * for a Prometheus scrape or a quick `curl` (pure).
 */
import { type ProcessStateName, ProcessStates } from "../process/states.js";

export interface MetricsProcess {
  readonly group: string;
  readonly name: string;
  readonly statename: ProcessStateName;
  readonly pid: number;
  /** When the process last started (epoch seconds); 0: never. */
  readonly start: number;
  readonly exitstatus: number;
  /** Spawns since the daemon started (restarts = spawns - 1). */
  readonly spawns: number;
  /** Without a `healthcheck`: null. */
  readonly health: { readonly status: string; readonly failures: number } | null;
  /** The process and its descendants, while it runs; null otherwise. */
  readonly usage: TreeUsage | null;
}

export interface TreeUsage {
  readonly cpuSeconds: number;
  readonly residentBytes: number;
  readonly processes: number;
}

export interface MetricsView {
  readonly version: string;
  readonly identifier: string;
  /** Epoch seconds. */
  readonly startTime: number;
  readonly residentBytes: number;
  readonly processes: readonly MetricsProcess[];
}

/** A label value: backslash, double quote and newline escaped. */
function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function family(
  lines: string[],
  name: string,
  type: "gauge" | "counter",
  help: string,
  samples: ReadonlyArray<readonly [labels: string, value: number]>,
): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  for (const [labels, value] of samples) lines.push(`${name}${labels ? `{${labels}}` : ""} ${value}`);
}

export function metricsText(view: MetricsView): string {
  const lines: string[] = [];
  const id = (p: MetricsProcess) => `group="${label(p.group)}",name="${label(p.name)}"`;
  const per = (value: (p: MetricsProcess) => number) => view.processes.map((p) => [id(p), value(p)] as const);
  family(lines, "steward_info", "gauge", "The daemon's version and identifier.", [
    [`version="${label(view.version)}",identifier="${label(view.identifier)}"`, 1],
  ]);
  family(lines, "steward_start_time_seconds", "gauge", "When the daemon started (epoch seconds).", [
    ["", view.startTime],
  ]);
  family(lines, "steward_resident_memory_bytes", "gauge", "The daemon's resident memory.", [
    ["", view.residentBytes],
  ]);
  const states = Object.keys(ProcessStates) as ProcessStateName[];
  family(
    lines,
    "steward_process_state",
    "gauge",
    "1 for the state each process is in, 0 for the others.",
    view.processes.flatMap((p) =>
      states.map((s) => [`${id(p)},state="${s}"`, p.statename === s ? 1 : 0] as const),
    ),
  );
  family(
    lines,
    "steward_process_up",
    "gauge",
    "1 when the process is RUNNING.",
    per((p) => (p.statename === "RUNNING" ? 1 : 0)),
  );
  family(
    lines,
    "steward_process_pid",
    "gauge",
    "The process's pid; 0 when it has none.",
    per((p) => p.pid),
  );
  family(
    lines,
    "steward_process_start_time_seconds",
    "gauge",
    "When the process last started (epoch seconds); 0 when it never did.",
    per((p) => p.start),
  );
  family(
    lines,
    "steward_process_spawns_total",
    "counter",
    "Times the process was spawned since the daemon started; restarts are this minus one.",
    per((p) => p.spawns),
  );
  family(
    lines,
    "steward_process_exit_status",
    "gauge",
    "The exit status of the process's last exit.",
    per((p) => p.exitstatus),
  );
  const checked = view.processes.filter((p) => p.health !== null);
  family(
    lines,
    "steward_process_healthy",
    "gauge",
    "For processes with a healthcheck: 1 when the last check passed (healthy), 0 otherwise.",
    checked.map((p) => [id(p), p.health!.status === "healthy" ? 1 : 0] as const),
  );
  family(
    lines,
    "steward_process_health_failures",
    "gauge",
    "For processes with a healthcheck: failed checks in a row.",
    checked.map((p) => [id(p), p.health!.failures] as const),
  );
  const running = view.processes.filter((p) => p.usage !== null);
  family(
    lines,
    "steward_process_cpu_seconds_total",
    "counter",
    "CPU time of the running process and its descendants (user + system).",
    running.map((p) => [id(p), Math.round(p.usage!.cpuSeconds * 100) / 100] as const),
  );
  family(
    lines,
    "steward_process_resident_memory_bytes",
    "gauge",
    "Resident memory of the running process and its descendants.",
    running.map((p) => [id(p), p.usage!.residentBytes] as const),
  );
  family(
    lines,
    "steward_process_tree_processes",
    "gauge",
    "The running process and its descendants: how many there are.",
    running.map((p) => [id(p), p.usage!.processes] as const),
  );
  return `${lines.join("\n")}\n`;
}
