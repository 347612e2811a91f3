/**
 * The structs supervisord answers with, read from XML-RPC values with the fields the ctl uses.
 * A field of the wrong type reads as empty rather than failing: the ctl prints what it got. Pure.
 */
import type { XmlRpcValue } from "../rpc/values.js";
import { isStruct } from "../rpc/values.js";

/** `getProcessInfo` (the fields the ctl reads, plus everything else as sent). */
export interface ProcessInfo {
  readonly name: string;
  readonly group: string;
  readonly statename: string;
  readonly state: number;
  readonly description: string;
  readonly pid: number;
  readonly raw: { readonly [key: string]: XmlRpcValue };
}

/** One entry of a group/all result (`startProcessGroup`, `stopAllProcesses`, …). */
export interface ActionResult {
  readonly name: string;
  readonly group: string;
  readonly status: number;
  readonly description: string;
}

/** One entry of `getAllConfigInfo`. */
export interface ConfigInfo {
  readonly name: string;
  readonly group: string;
  readonly inuse: boolean;
  readonly autostart: boolean;
  readonly group_prio: number;
  readonly process_prio: number;
  readonly raw: { readonly [key: string]: XmlRpcValue };
}

type Struct = { readonly [key: string]: XmlRpcValue };

const str = (s: Struct, k: string): string => (typeof s[k] === "string" ? (s[k] as string) : "");
const num = (s: Struct, k: string): number => (typeof s[k] === "number" ? (s[k] as number) : 0);
const bool = (s: Struct, k: string): boolean => s[k] === true || s[k] === 1;

function structs(value: XmlRpcValue): Struct[] {
  return Array.isArray(value) ? value.filter(isStruct) : [];
}

export function toProcessInfo(value: XmlRpcValue): ProcessInfo {
  const s: Struct = isStruct(value) ? value : {};
  return {
    name: str(s, "name"),
    group: str(s, "group"),
    statename: str(s, "statename"),
    state: num(s, "state"),
    description: str(s, "description"),
    pid: num(s, "pid"),
    raw: s,
  };
}

export function toProcessInfos(value: XmlRpcValue): ProcessInfo[] {
  return structs(value).map(toProcessInfo);
}

export function toActionResults(value: XmlRpcValue): ActionResult[] {
  return structs(value).map((s) => ({
    name: str(s, "name"),
    group: str(s, "group"),
    status: num(s, "status"),
    description: str(s, "description"),
  }));
}

export function toConfigInfos(value: XmlRpcValue): ConfigInfo[] {
  return structs(value).map((s) => ({
    name: str(s, "name"),
    group: str(s, "group"),
    inuse: bool(s, "inuse"),
    autostart: bool(s, "autostart"),
    group_prio: num(s, "group_prio"),
    process_prio: num(s, "process_prio"),
    raw: s,
  }));
}

/** One `depends_on` entry of `steward.getDependencies`. */
export interface DependencyEntry {
  readonly target: string;
  readonly condition: string;
  /** The processes the target names, each `group:name`. */
  readonly processes: readonly string[];
  /** Whether the condition holds now for all of them. */
  readonly met: boolean;
}

/** One entry of `steward.getDependencies` (Steward only). */
export interface DependencyRecord {
  readonly name: string;
  readonly group: string;
  readonly statename: string;
  /** What it waits for now (`waiting for api (healthy)`), or "". */
  readonly waiting: string;
  readonly depends_on: readonly DependencyEntry[];
  readonly wait_for: readonly string[];
  /** The processes whose depends_on names this one, each `group:name`. */
  readonly dependents: readonly string[];
  readonly raw: Struct;
}

/** One entry of `steward.getHealth` (Steward only): a process with a healthcheck. */
export interface HealthRecord {
  readonly name: string;
  readonly group: string;
  readonly statename: string;
  readonly healthcheck: string;
  /** `starting`, `healthy`, `unhealthy` or `none` (not running). */
  readonly status: string;
  /** The last check's result: passed, and its words. */
  readonly ok: boolean;
  readonly detail: string;
  /** When the last check ran, in seconds since the epoch; 0 = never. */
  readonly checked: number;
  /** Failed checks in a row. */
  readonly failures: number;
  readonly unhealthy_action: string;
  readonly raw: Struct;
}

const strings = (s: Struct, k: string): string[] =>
  Array.isArray(s[k]) ? (s[k] as XmlRpcValue[]).filter((v): v is string => typeof v === "string") : [];

export function toDependencyRecords(value: XmlRpcValue): DependencyRecord[] {
  return structs(value).map((s) => ({
    name: str(s, "name"),
    group: str(s, "group"),
    statename: str(s, "statename"),
    waiting: str(s, "waiting"),
    depends_on: structs(s.depends_on ?? []).map((d) => ({
      target: str(d, "target"),
      condition: str(d, "condition"),
      processes: strings(d, "processes"),
      met: bool(d, "met"),
    })),
    wait_for: strings(s, "wait_for"),
    dependents: strings(s, "dependents"),
    raw: s,
  }));
}

export interface UsageRecord {
  readonly name: string;
  readonly group: string;
  readonly statename: string;
  readonly pid: number;
  /** The process and its descendants; 0 when it is not running. */
  readonly processes: number;
  readonly rss_kb: number;
  readonly cpu_seconds: number;
  readonly raw: Struct;
}

export function toUsageRecords(value: XmlRpcValue): UsageRecord[] {
  return structs(value).map((s) => ({
    name: str(s, "name"),
    group: str(s, "group"),
    statename: str(s, "statename"),
    pid: num(s, "pid"),
    processes: num(s, "processes"),
    rss_kb: num(s, "rss_kb"),
    cpu_seconds: num(s, "cpu_seconds"),
    raw: s,
  }));
}

export function toHealthRecords(value: XmlRpcValue): HealthRecord[] {
  return structs(value).map((s) => ({
    name: str(s, "name"),
    group: str(s, "group"),
    statename: str(s, "statename"),
    healthcheck: str(s, "healthcheck"),
    status: str(s, "status"),
    ok: bool(s, "ok"),
    detail: str(s, "detail"),
    checked: num(s, "checked"),
    failures: num(s, "failures"),
    unhealthy_action: str(s, "unhealthy_action"),
    raw: s,
  }));
}

/** An XML-RPC value as JSON: dates as their text, byte strings as UTF-8 text. */
export function toJson(value: XmlRpcValue): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("utf8");
  if ("value" in value && !isStruct(value)) return (value as { value: unknown }).value;
  return Object.fromEntries(Object.entries(value as Struct).map(([k, v]) => [k, toJson(v)]));
}
