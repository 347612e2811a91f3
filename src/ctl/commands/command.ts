/** The shape of a ctl command, and the helpers several commands share. Pure. */
import type { CtlSession } from "../session.js";
import { pySplit } from "../words.js";

export interface Command {
  readonly name: string;
  /** The lines `help <name>` prints (and a usage error prints after its message). */
  readonly help: readonly string[];
  /** What the shell completes after the command word. */
  readonly completes?: "processes" | "groups" | "actions";
  /** Whether `--json` selects a JSON form. */
  readonly json?: boolean;
  /** Runs the command; "quit" ends the shell. */
  run(s: CtlSession, arg: string): Promise<void | "quit">;
}

/** Prints a command's help lines. */
export function printHelp(s: CtlSession, command: Command): void {
  for (const line of command.help) s.out(line);
}

/** The words of an argument with `--json` removed, and whether it was there. */
export function splitArgs(arg: string): { words: string[]; json: boolean } {
  const all = pySplit(arg);
  const words = all.filter((w) => w !== "--json");
  return { words, json: words.length !== all.length };
}
