/**
 * The interactive shell on node:readline: prompt `<prompt>> `, `status` first, history in
 * `history_file`, completion of commands and names. Ctrl-C during a command (`tail -f`) ends that
 * command; at the prompt it leaves the shell with an empty line. IO.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createInterface, type Interface } from "node:readline";
import { complete, currentWord, type NameSource } from "./completion.js";
import { runLine } from "./dispatch.js";
import { toProcessInfos } from "./records.js";
import { COMMANDS, VOCABULARY } from "./registry.js";
import type { CtlSession } from "./session.js";
import type { InterruptHub } from "./session-io.js";

const HISTORY_SIZE = 1000;

function loadHistory(file: string | null): string[] {
  if (file === null) return [];
  try {
    // The file is oldest first (as Python's readline writes it); readline wants newest first.
    return readFileSync(file, "utf8").split("\n").filter(Boolean).reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

function saveHistory(file: string | null, history: readonly string[]): void {
  if (file === null) return;
  try {
    writeFileSync(file, history.length > 0 ? `${[...history].reverse().join("\n")}\n` : "");
  } catch {
    // supervisorctl ignores a history file it cannot write.
  }
}

export interface ShellStreams {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly terminal: boolean;
}

/** Runs the shell until quit, EOF or Ctrl-C; `shell.rl` is set while it runs (for questions). */
export async function runShell(
  s: CtlSession,
  streams: ShellStreams,
  hub: InterruptHub,
  shell: { rl: Interface | null },
): Promise<void> {
  // Process names for completion: fetched once per command line, as supervisorctl caches them.
  let names: Promise<readonly NameSource[]> | null = null;
  const processNames = () =>
    (names ??= s.call("supervisor.getAllProcessInfo").then(toProcessInfos, () => []));
  const rl = createInterface({
    input: streams.input,
    output: streams.output,
    terminal: streams.terminal,
    historySize: HISTORY_SIZE,
    completer: (line: string, done: (error: null, result: [string[], string]) => void) => {
      processNames().then((list) =>
        done(null, [complete(line, VOCABULARY, COMMANDS, () => list), currentWord(line)]),
      );
    },
  });
  const history = rl as unknown as { history: string[] };
  history.history = loadHistory(s.options.history_file);
  shell.rl = rl;
  let leave = false;
  rl.on("SIGINT", () => {
    if (hub.fire()) return;
    leave = true;
    s.out("");
    rl.close();
  });
  const lines = rl[Symbol.asyncIterator]();
  try {
    if (await runLine(s, "status")) return;
    while (!leave) {
      rl.setPrompt(`${s.options.prompt}> `);
      rl.prompt();
      const next = await lines.next();
      if (next.done) {
        if (!leave) await runLine(s, "EOF");
        break;
      }
      names = null;
      if (await runLine(s, next.value)) break;
    }
  } finally {
    saveHistory(s.options.history_file, history.history);
    shell.rl = null;
    rl.close();
  }
}
