/**
 * The shell's tab completion, as supervisorctl's: command names first; then group names after
 * `add`/`remove`/`update`, process names (and `g:*`) after the process commands, commands after
 * `help`. `:`, `*` and `-` are part of a word. Pure: the caller supplies the process list.
 */
import type { Command } from "./commands/command.js";

/** The word being completed: after the last of readline's delimiters (without `:`, `*`, `-`). */
export function currentWord(line: string): string {
  return /[^ \t\n`~!@#$%^&()=+[{\]}\\|;'",<>/?]*$/.exec(line)?.[0] ?? "";
}

export interface NameSource {
  readonly group: string;
  readonly name: string;
}

/** Completions for `line` (everything typed so far), each ending with a space. */
export function complete(
  line: string,
  vocabulary: readonly string[],
  commands: ReadonlyMap<string, Command>,
  processes: () => readonly NameSource[],
): string[] {
  const text = currentWord(line);
  const words = line.split(/\s+/).filter(Boolean);
  const actions = () => vocabulary.filter((a) => a.startsWith(text)).map((a) => `${a} `);
  if (line.trim() === "" || (words.length === 1 && !/\s$/.test(line))) return actions();
  const kind = commands.get(words[0]!)?.completes;
  if (kind === "actions") return actions();
  if (kind === "groups") {
    const groups = [...new Set(processes().map((p) => p.group))];
    return groups.filter((g) => g.startsWith(text)).map((g) => `${g} `);
  }
  if (kind === "processes") {
    const names: string[] = [];
    for (const p of processes()) {
      if (text.includes(":") || p.name !== p.group) {
        names.push(`${p.group}:${p.name}`);
        if (!names.includes(`${p.group}:*`)) names.push(`${p.group}:*`);
      } else names.push(p.name);
    }
    return names.filter((n) => n.startsWith(text)).map((n) => `${n} `);
  }
  return [];
}
