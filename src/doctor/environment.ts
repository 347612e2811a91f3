/**
 * What an environment script (`bin/environ.sh`, an `environment_file`, a `source`d file) sets, read
 * without running it: assignments, `export`, `unset`, `cd`, and the files it sources in turn, in order.
 * A value the shell would compute (`$(…)`) is unknown (null). Pure over DoctorFiles.
 */
import type { DoctorFiles } from "./files.js";
import { placeLine, resolvePath } from "./paths-util.js";
import { hasPlaceholder } from "./placeholders.js";
import {
  asAssignment,
  blankFunctionBodies,
  type EnvValue,
  expandWord,
  literalWord,
  parseShell,
  type SimpleCommand,
  type Word,
  wordSource,
} from "./shell.js";

/** A file a script or a command line sources (`source F`, `. F`). */
export interface SourcedFile {
  /** Absolute, or null when its name is computed. */
  readonly path: string | null;
  /** As written. */
  readonly written: string;
  /** Where the `source` is: `file:line`. */
  readonly from: string;
  /** Whether it exists as a file (its text could be read). */
  readonly found: boolean;
  /** How deep: 0 for a file the command sources, 1 for one that file sources, … */
  readonly depth: number;
}

/** The state a run of shell commands leaves behind. */
export interface ShellState {
  readonly env: Map<string, EnvValue>;
  cwd: string;
  readonly sourced: SourcedFile[];
  /** Every file read, for the placeholder check. */
  readonly read: string[];
}

const MAX_DEPTH = 5;
const DECLARE = new Set(["export", "declare", "typeset", "readonly", "local"]);

/**
 * Applies `commands` to `state`. `origin(line)` names where a command is (for the values it sets);
 * `files` reads the files sourced.
 */
export function applyCommands(
  commands: readonly SimpleCommand[],
  state: ShellState,
  origin: (line: number) => string,
  files: DoctorFiles,
  depth = 0,
): void {
  for (const command of commands) {
    const words = command.words;
    const head = literalWord(words[0]!);
    const set = (word: Word) => {
      const a = asAssignment(word);
      if (a) state.env.set(a.name, { value: expandWord(a.value, state.env), origin: origin(command.line) });
    };
    if (head !== null && DECLARE.has(head)) {
      for (const w of words.slice(1)) {
        const lit = literalWord(w);
        if (lit?.startsWith("-")) {
          if (lit.includes("f") || lit.includes("n")) break;
          continue;
        }
        set(w);
      }
    } else if (head === "unset") {
      for (const w of words.slice(1)) {
        const lit = literalWord(w);
        if (lit === "-f") break;
        if (lit !== null && !lit.startsWith("-")) state.env.delete(lit);
      }
    } else if (head === "cd" && words[1] !== undefined) {
      const dir = expandWord(words[1], state.env);
      if (dir !== null && dir !== "-") state.cwd = resolvePath(dir, state.cwd);
    } else if ((head === "source" || head === ".") && words[1] !== undefined) {
      sourceFile(words[1], state, origin(command.line), files, depth);
    } else if (words.every((w) => asAssignment(w) !== null)) {
      for (const w of words) set(w);
    }
  }
}

function sourceFile(word: Word, state: ShellState, from: string, files: DoctorFiles, depth: number): void {
  const written = wordSource(word);
  const name = expandWord(word, state.env);
  // A computed name, or one under an unrendered directory: nothing to look at.
  if (name === null || hasPlaceholder(resolvePath(name, state.cwd))) {
    state.sourced.push({ path: null, written, from, found: false, depth });
    return;
  }
  const path = resolvePath(name, state.cwd);
  const text = files.stat(path)?.kind === "file" ? files.readText(path) : null;
  state.sourced.push({ path, written, from, found: text !== null, depth });
  if (text === null || depth >= MAX_DEPTH || state.read.includes(path)) return;
  state.read.push(path);
  applyEnvScript(text, path, state, files, depth + 1);
}

/** Applies the text of a script read from `path` (sourced, or an environment_file). */
export function applyEnvScript(
  text: string,
  path: string,
  state: ShellState,
  files: DoctorFiles,
  depth = 0,
): void {
  const commands = parseShell(blankFunctionBodies(text));
  applyCommands(commands, state, (line) => placeLine(path, line), files, depth);
}

/** A fresh state with `env` (copied) in `cwd`. */
export function shellState(env: ReadonlyMap<string, EnvValue>, cwd: string): ShellState {
  return { env: new Map(env), cwd, sourced: [], read: [] };
}
