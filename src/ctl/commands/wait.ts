/**
 * `wait [--timeout S] name|g:*|all ...` (Steward only): returns 0 once every named process is
 * RUNNING; polls `getAllProcessInfo` at a short interval. Prints the status lines of the named
 * processes at the end. Exit 2 for an unknown name, 7 when one is FATAL (it will not start by
 * itself), 1 when the timeout passes first.
 */
import { ExitCodes } from "../exit-codes.js";
import { formatStatusLines } from "../output.js";
import { type ProcessInfo, toProcessInfos } from "../records.js";
import { upcheck } from "../upcheck.js";
import { type Command, printHelp, splitArgs } from "./command.js";
import { selectInfos } from "./status.js";

export const WAIT_POLL_MS = 200;
export const DEFAULT_WAIT_SECONDS = 60;

/** `--timeout S`, `--timeout=S` and the names, or an error line. */
export function parseWaitArgs(
  words: readonly string[],
): { timeout: number; names: string[] } | { error: string } {
  const names: string[] = [];
  let timeout = DEFAULT_WAIT_SECONDS;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    let value: string | undefined;
    if (w === "--timeout") value = words[++i];
    else if (w.startsWith("--timeout=")) value = w.slice("--timeout=".length);
    else {
      names.push(w);
      continue;
    }
    const n = value === undefined ? null : Number(value);
    if (n === null || !Number.isFinite(n) || n < 0 || value!.trim() === "") {
      return { error: `Error: bad timeout ${value === undefined ? "(missing)" : value}` };
    }
    timeout = n;
  }
  if (names.length === 0) return { error: "Error: wait requires a process name" };
  return { timeout, names };
}

export const wait: Command = {
  name: "wait",
  completes: "processes",
  help: [
    "wait <name> [...]\t\tWait until the processes are RUNNING (exit 0)",
    `wait --timeout <secs> <name>\tGive up after <secs> seconds (default ${DEFAULT_WAIT_SECONDS}; exit 1)`,
    "\t\t\t\tA FATAL process fails at once (exit 7); an unknown name exits 2",
  ],
  async run(s, arg) {
    if (!(await upcheck(s))) return;
    const parsed = parseWaitArgs(splitArgs(arg).words);
    if ("error" in parsed) {
      s.out(parsed.error);
      s.exitStatus = ExitCodes.INVALID_ARGS;
      printHelp(s, wait);
      return;
    }
    const deadline = s.io.now() + parsed.timeout * 1000;
    let infos: ProcessInfo[];
    for (;;) {
      const all = toProcessInfos(await s.call("supervisor.getAllProcessInfo"));
      const selected = selectInfos(all, parsed.names);
      if (selected.errors.length > 0) {
        for (const e of selected.errors) s.out(e.message);
        s.exitStatus = ExitCodes.INVALID_ARGS;
        return;
      }
      infos = selected.infos;
      if (infos.every((i) => i.statename === "RUNNING")) break;
      if (infos.some((i) => i.statename === "FATAL")) {
        s.exitStatus = ExitCodes.NOT_RUNNING;
        break;
      }
      const left = deadline - s.io.now();
      if (left <= 0) {
        s.io.stderr(`Error: timed out after ${parsed.timeout} s waiting for RUNNING\n`);
        s.exitStatus = ExitCodes.GENERIC;
        break;
      }
      await s.io.sleep(Math.min(WAIT_POLL_MS, left));
    }
    for (const line of formatStatusLines(infos)) s.out(line);
  },
};
