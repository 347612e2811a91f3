/**
 * Python's `glob.glob` for `[include] files=`: `*`, `?` and `[...]` per path component, hidden
 * files matched only by patterns that start with `.`, no `**`, no braces, no `~`. IO (reads
 * directories).
 */
import { lstatSync, readdirSync } from "node:fs";

const MAGIC = /[*?[]/;

/** Python's `fnmatch.translate` for one component, as an anchored RegExp. */
export function fnmatchRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      let j = i + 1;
      if (pattern[j] === "!") j++;
      if (pattern[j] === "]") j++;
      while (j < pattern.length && pattern[j] !== "]") j++;
      if (j >= pattern.length) re += "\\[";
      else {
        let body = pattern.slice(i + 1, j).replace(/\\/g, "\\\\");
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        else if (body.startsWith("^")) body = `\\${body}`;
        re += `[${body}]`;
        i = j;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "su");
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** All paths matching `pattern` (absolute), unsorted like Python's (callers sort). */
export function glob(pattern: string): string[] {
  if (!MAGIC.test(pattern)) return exists(pattern) ? [pattern] : [];
  const parts = pattern.split("/");
  let bases = [parts[0] === "" ? "/" : parts[0]!];
  if (parts[0] === "") parts.shift();
  else bases = ["."];
  const relative = !pattern.startsWith("/");
  for (let k = relative ? 0 : 0; k < parts.length; k++) {
    const part = parts[k]!;
    const last = k === parts.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      const join = (name: string) =>
        base === "/" ? `/${name}` : base === "." && relative ? name : `${base}/${name}`;
      if (part === "") {
        if (last && isDir(base)) next.push(`${base}/`);
        continue;
      }
      if (!MAGIC.test(part)) {
        const p = join(part);
        if (last ? exists(p) : isDir(p)) next.push(p);
        continue;
      }
      let entries: string[];
      try {
        entries = readdirSync(base === "" ? "." : base);
      } catch {
        continue;
      }
      const re = fnmatchRegExp(part);
      for (const name of entries) {
        if (name.startsWith(".") && !part.startsWith(".")) continue;
        if (!re.test(name)) continue;
        const p = join(name);
        if (last || isDir(p)) next.push(p);
      }
    }
    bases = next;
  }
  return bases;
}
