/**
 * `tail -f` and `maintail -f` by polling the log methods (the daemon's `/logtail` stream is not used):
 * a process log through `tail*Log`, which tracks the offset and survives rotation; the main log
 * through `readLog` from a byte position found once by bisection. Ctrl-C ends the follow.
 */
import { Faults, RpcFault } from "../../rpc/faults.js";
import type { CtlSession } from "../session.js";

/** How long to wait between two polls. */
export const FOLLOW_INTERVAL_MS = 250;
const CHUNK = 65536;

async function followLoop(s: CtlSession, poll: () => Promise<string>): Promise<void> {
  s.out("==> Press Ctrl-C to exit <==");
  let stopped = false;
  const dispose = s.io.onInterrupt(() => {
    stopped = true;
  });
  try {
    while (!stopped) {
      const text = await poll();
      if (text !== "") s.io.stdout(text);
      if (!stopped) await s.io.sleep(FOLLOW_INTERVAL_MS);
    }
  } finally {
    dispose();
  }
  s.out("");
}

/**
 * The new part of a `tail*Log` answer. supervisord's tailFile always answers the last `length`
 * bytes before the log's end (`next`), so of those only the last `next - previous` are new; when
 * the log shrank (rotation) or grew by more than `length`, all of them are.
 */
export function newTailBytes(data: string, previous: number, next: number): string {
  const bytes = Buffer.from(data, "utf8");
  const fresh = next - previous;
  if (fresh <= 0) return next < previous ? data : "";
  if (fresh >= bytes.length) return data;
  return bytes.subarray(bytes.length - fresh).toString("utf8");
}

/** Follows a process's stdout or stderr log, starting with its last 1600 bytes. */
export async function followProcessLog(
  s: CtlSession,
  name: string,
  channel: "stdout" | "stderr",
): Promise<void> {
  const method = channel === "stdout" ? "supervisor.tailProcessStdoutLog" : "supervisor.tailProcessStderrLog";
  let offset: number | null = null;
  await followLoop(s, async () => {
    const answer = await s.call(method, [name, offset ?? 0, offset === null ? 1600 : CHUNK]);
    const [data, next] = Array.isArray(answer) ? answer : [];
    if (typeof data !== "string" || typeof next !== "number") return "";
    const text = offset === null ? data : newTailBytes(data, offset, next);
    offset = next;
    return text;
  });
}

/** The main log's size in bytes, found with one-byte reads (`readLog(p, 1)` is empty past the end). */
async function mainLogSize(s: CtlSession): Promise<number> {
  const hasByteAt = async (p: number) => (await s.call("supervisor.readLog", [p, 1])) !== "";
  if (!(await hasByteAt(0))) return 0;
  let low = 0; // a position with a byte
  let high = 1;
  while (await hasByteAt(high)) {
    low = high;
    high *= 2;
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (await hasByteAt(mid)) low = mid;
    else high = mid;
  }
  return high;
}

/** Follows supervisord's main log, starting with its last 1600 bytes. */
export async function followMainLog(s: CtlSession): Promise<void> {
  let first = true;
  let position = 0;
  await followLoop(s, async () => {
    if (first) {
      first = false;
      const text = await s.call("supervisor.readLog", [-1600, 0]);
      position = await mainLogSize(s);
      return typeof text === "string" ? text : "";
    }
    let text = await s.call("supervisor.readLog", [position, 0]).catch((error: unknown) => {
      if (error instanceof RpcFault && error.faultCode === Faults.FAILED) return "";
      throw error;
    });
    if (text === "" && position > 0 && (await s.call("supervisor.readLog", [position - 1, 1])) === "") {
      // The log shrank (rotated or cleared): start again from its beginning.
      position = 0;
      text = await s.call("supervisor.readLog", [0, 0]);
    }
    if (typeof text !== "string") return "";
    position += Buffer.byteLength(text, "utf8");
    return text;
  });
}
