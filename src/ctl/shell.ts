/**
 * The interactive shell on node:readline: prompt `<prompt>> `, `status` first, history in
 * `history_file`, completion of commands and names. Ctrl-C during a command (`tail -f`) ends that
 * command; at the prompt it leaves the shell with an empty line. IO.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createInterface, type Interface } from "node:readline";
import { complete, currentWord, type NameSource } from "./completion.js";
import { runLine } from "./dispatch.js";
import { LineQueue } from "./line-queue.js";
import { toProcessInfos } from "./records.js";
import { COMMANDS, VOCABULARY } from "./registry.js";
import type { CtlSession } from "./session.js";
import type { InterruptHub, ShellState } from "./session-io.js";

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

/**
 * Runs the shell until quit, EOF or Ctrl-C; `shell` holds its readline (for questions) and its
 * lines (for `fg`) while it runs.
 */
export async function runShell(
  s: CtlSession,
  streams: ShellStreams,
  hub: InterruptHub,
  shell: ShellState,
): Promise<void> {
  // Process names for completion: fetched once per command line, as supervisorctl caches them.
  let names: Promise<readonly NameSource[]> | null = null;
  const processNames = () =>
    (names ??= s.call("supervisor.getAllProcessInfo").then(toProcessInfos, () => []));
  let rl!: Interface;
  let lines!: LineQueue;
  let history = loadHistory(s.options.history_file);
  let leave = false;
  const open = (pending: readonly string[] = []) => {
    rl = createInterface({
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
    (rl as unknown as { history: string[] }).history = history;
    lines = new LineQueue(rl, pending);
    shell.rl = rl;
    shell.lines = lines;
    rl.on("SIGINT", () => {
      if (hub.fire()) return;
      leave = true;
      s.out("");
      rl.close();
    });
  };
  open();
  try {
    if (await runLine(s, "status")) return;
    while (!leave) {
      rl.setPrompt(`${s.options.prompt}> `);
      rl.prompt();
      const next = await lines.next();
      if (next === null) {
        if (!leave) await runLine(s, "EOF");
        break;
      }
      names = null;
      if (await runLine(s, next)) break;
      // Ctrl-D closes a terminal readline. Typed while `fg` read the input, it ended fg only (as
      // raw_input's EOFError in supervisorctl): the shell goes on with a new readline.
      const ended = (streams.input as { readableEnded?: boolean }).readableEnded === true;
      if (lines.ended && !leave && streams.terminal && !ended) {
        history = (rl as unknown as { history: string[] }).history;
        open(lines.takeAll());
      }
    }
  } finally {
    saveHistory(s.options.history_file, (rl as unknown as { history: string[] }).history);
    shell.rl = null;
    shell.lines = null;
    rl.close();
  }
}
