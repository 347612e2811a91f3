/**
 * Python's `str.split()` and `cmd.Cmd.parseline`, which decide how supervisorctl reads a command
 * line. Pure.
 */
import { isPySpace, pyStrip } from "../config/py-text.js";

/** `s.split()`: words separated by runs of Python whitespace. */
export function pySplit(s: string): string[] {
  const words: string[] = [];
  let word = "";
  for (const ch of s) {
    if (isPySpace(ch)) {
      if (word !== "") words.push(word);
      word = "";
    } else word += ch;
  }
  if (word !== "") words.push(word);
  return words;
}

const IDENT = /[A-Za-z0-9_]/;

/** `cmd.Cmd.parseline`: the command word (null when there is none), its argument, the stripped line. */
export function parseLine(raw: string): { cmd: string | null; arg: string; line: string } {
  let line = pyStrip(raw);
  if (line === "") return { cmd: null, arg: "", line };
  if (line.startsWith("?")) line = `help ${line.slice(1)}`;
  else if (line.startsWith("!")) return { cmd: null, arg: "", line };
  let i = 0;
  while (i < line.length && IDENT.test(line[i]!)) i++;
  return { cmd: line.slice(0, i), arg: pyStrip(line.slice(i)), line };
}
