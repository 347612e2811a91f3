/**
 * The `description` field of supervisord's process info (`getProcessInfo`), which `status`
 * prints: uptime as Python's timedelta, stop time as `%b %d %I:%M %p` in local time. Pure.
 */
import type { ProcessStateName } from "./states.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** Python's `str(timedelta(seconds=s))` for whole seconds ≥ 0: `0:00:05`, `1 day, 0:00:05`. */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const rest = s % 86400;
  const clock = `${Math.floor(rest / 3600)}:${two(Math.floor((rest % 3600) / 60))}:${two(rest % 60)}`;
  return days === 0 ? clock : `${days} day${days === 1 ? "" : "s"}, ${clock}`;
}

/** `time.strftime('%b %d %I:%M %p', time.localtime(t))` in the C locale. */
export function formatStopTime(date: Date): string {
  const h = date.getHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${MONTHS[date.getMonth()]} ${two(date.getDate())} ${two(h12)}:${two(date.getMinutes())} ${h < 12 ? "AM" : "PM"}`;
}

export interface DescribedProcess {
  readonly state: ProcessStateName;
  readonly pid: number;
  /** Seconds since the epoch; 0 when never. */
  readonly start: number;
  readonly stop: number;
  readonly now: number;
  readonly spawnerr: string;
  readonly name: string;
}

export function describeProcess(p: DescribedProcess): string {
  switch (p.state) {
    case "RUNNING":
      return `pid ${p.pid}, uptime ${formatUptime(p.now - p.start)}`;
    case "STOPPED":
    case "EXITED":
      return p.start ? formatStopTime(new Date(p.stop * 1000)) : "Not started";
    case "FATAL":
    case "BACKOFF":
      return p.spawnerr || `unknown error (try "tail ${p.name}")`;
    default:
      return "";
  }
}
