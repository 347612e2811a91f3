/**
 * supervisord's main log formats, pure: the record line, the levels, and the debug-level mirror of
 * child output (`'<name>' stdout output:\n<data>`) with Python's `repr` of str and bytes.
 */
import { pyRepr } from "../config/py-text.js";

/** Level numbers by config name (supervisord's `LevelsByDescription`). */
export const LEVEL_NUMBERS = {
  critical: 50,
  error: 40,
  warn: 30,
  info: 20,
  debug: 10,
  trace: 5,
  blather: 3,
} as const;

/** A level as `loglevel=` names it. */
export type LevelName = keyof typeof LEVEL_NUMBERS;

/** The four-letter name a record shows (supervisord's `LevelsByName`). */
export const LEVEL_CODES: Readonly<Record<LevelName, string>> = {
  critical: "CRIT",
  error: "ERRO",
  warn: "WARN",
  info: "INFO",
  debug: "DEBG",
  trace: "TRAC",
  blather: "BLAT",
};

/** Whether a record of `level` is written when the log is configured at `configLevel`. */
export function levelEnabled(configLevel: LevelName, level: LevelName): boolean {
  return LEVEL_NUMBERS[level] >= LEVEL_NUMBERS[configLevel];
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** `YYYY-MM-DD HH:MM:SS,mmm` in local time, milliseconds truncated. */
export function formatTimestamp(date: Date): string {
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`
  );
}

/** One main log record: `YYYY-MM-DD HH:MM:SS,mmm LEVL message\n` (the message may hold newlines). */
export function formatRecord(date: Date, level: LevelName, message: string): string {
  return `${formatTimestamp(date)} ${LEVEL_CODES[level]} ${message}\n`;
}

const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;

/** How each byte appears inside a Python bytes literal quoted with `'`. */
const BYTE_REPR: readonly string[] = Array.from({ length: 256 }, (_, b) => {
  if (b === 0x5c) return "\\\\";
  if (b === SINGLE_QUOTE) return "\\'";
  if (b === 0x09) return "\\t";
  if (b === 0x0a) return "\\n";
  if (b === 0x0d) return "\\r";
  if (b < 0x20 || b >= 0x7f) return `\\x${b.toString(16).padStart(2, "0")}`;
  return String.fromCharCode(b);
});

/** Python's `repr(bytes)`: `b'...'`, or `b"..."` when the data holds `'` and no `"`. */
export function pyBytesRepr(data: Uint8Array): string {
  const useDouble = data.includes(SINGLE_QUOTE) && !data.includes(DOUBLE_QUOTE);
  const parts: string[] = [useDouble ? 'b"' : "b'"];
  for (const b of data) parts.push(useDouble && b === SINGLE_QUOTE ? "'" : BYTE_REPR[b]!);
  parts.push(useDouble ? '"' : "'");
  return parts.join("");
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Python's strict `bytes.decode('utf-8')` (a BOM is kept), or null where Python raises. */
export function decodeUtf8Strict(data: Uint8Array): string | null {
  try {
    return STRICT_UTF8.decode(data);
  } catch {
    return null;
  }
}

/** The mirror of a child output chunk: the data as UTF-8, or `Undecodable: b'…'` when it is not. */
export function formatOutputMirror(processName: string, channel: string, data: Uint8Array): string {
  const text = decodeUtf8Strict(data) ?? `Undecodable: ${pyBytesRepr(data)}`;
  return `${pyRepr(processName)} ${channel} output:\n${text}`;
}

/** The mirror of an event listener's stdout: always the bytes repr (`b'READY\n'`). */
export function formatListenerMirror(processName: string, channel: string, data: Uint8Array): string {
  return `${pyRepr(processName)} ${channel} output:\n${pyBytesRepr(data)}`;
}

/** The debug record written when capture mode emits a PROCESS_COMMUNICATION event. */
export function formatCommEventNotice(processName: string, channel: string): string {
  return `${pyRepr(processName)} ${channel} emitted a comm event`;
}
