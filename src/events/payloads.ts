/**
 * The payload of each supervisord event, as its `payload()` renders it, and the envelope a listener
 * reads on stdin. Pure.
 */
import { decodeUtf8Strict, pyBytesRepr } from "../logs/main-log-format.js";
import type { ProcessStateName } from "../process/states.js";

/** Output bytes as supervisord puts them in a payload: UTF-8 text, else `Undecodable: b'…'`. */
export function payloadText(data: Uint8Array): string {
  return decodeUtf8Strict(data) ?? `Undecodable: ${pyBytesRepr(data)}`;
}

/** What a state change event reports; the values are taken at the moment of the change. */
export interface StateChange {
  readonly processName: string;
  readonly groupName: string;
  readonly from: ProcessStateName;
  readonly to: ProcessStateName;
  /** The pid at the change (the old one for EXITED and STOPPED; 0 when there is none). */
  readonly pid: number;
  /** supervisord's backoff counter at the change (`tries`). */
  readonly tries: number;
  /** EXITED only: whether the exit status is in `exitcodes`. */
  readonly expected: boolean;
}

/** `PROCESS_STATE_<TO>`: `processname:… groupname:… from_state:…` and the state's extra tokens. */
export function processStatePayload(change: StateChange): string {
  const base = `processname:${change.processName} groupname:${change.groupName} from_state:${change.from}`;
  switch (change.to) {
    case "STARTING":
    case "BACKOFF":
      return `${base} tries:${change.tries}`;
    case "EXITED":
      return `${base} expected:${change.expected ? 1 : 0} pid:${change.pid}`;
    case "RUNNING":
    case "STOPPING":
    case "STOPPED":
      return `${base} pid:${change.pid}`;
    default:
      return base;
  }
}

export interface OutputEventSource {
  readonly processName: string;
  readonly groupName: string;
  readonly pid: number;
}

/** `PROCESS_LOG_STDOUT`/`_STDERR`. */
export function processLogPayload(source: OutputEventSource, channel: string, data: Uint8Array): string {
  return `processname:${source.processName} groupname:${source.groupName} pid:${source.pid} channel:${channel}\n${payloadText(data)}`;
}

/** `PROCESS_COMMUNICATION_STDOUT`/`_STDERR`. */
export function processCommunicationPayload(source: OutputEventSource, data: Uint8Array): string {
  return `processname:${source.processName} groupname:${source.groupName} pid:${source.pid}\n${payloadText(data)}`;
}

/** Steward's `STEWARD_HEALTH_HEALTHY`/`_UNHEALTHY`: the process, then the last check's result. */
export function healthPayload(source: OutputEventSource, detail: string): string {
  return `processname:${source.processName} groupname:${source.groupName} pid:${source.pid}\n${detail}`;
}

/** `REMOTE_COMMUNICATION` (from `sendRemoteCommEvent(type, data)`). */
export function remoteCommunicationPayload(type: string, data: string): string {
  return `type:${type}\n${data}`;
}

/** `TICK_5`/`_60`/`_3600`: the period boundary, in epoch seconds. */
export function tickPayload(when: number): string {
  return `when:${when}`;
}

/** `PROCESS_GROUP_ADDED`/`_REMOVED`: the only payloads that end with a newline. */
export function processGroupPayload(groupName: string): string {
  return `groupname:${groupName}\n`;
}

export interface EnvelopeFields {
  /** `[supervisord] identifier`. */
  readonly server: string;
  readonly serial: number;
  readonly pool: string;
  readonly poolSerial: number;
  readonly eventName: string;
  readonly payload: string;
}

/**
 * The header line and payload a listener reads. `len` counts the payload's characters (code points),
 * as supervisord 4 does, while the payload is sent UTF-8 encoded: text-mode Python listeners
 * (childutils) read `len` characters and stay in step.
 */
export function envelope(f: EnvelopeFields): string {
  let length = 0;
  for (const _ of f.payload) length++;
  return `ver:3.0 server:${f.server} serial:${f.serial} pool:${f.pool} poolserial:${f.poolSerial} eventname:${f.eventName} len:${length}\n${f.payload}`;
}
