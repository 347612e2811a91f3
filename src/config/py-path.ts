/** Python's `os.path` functions on POSIX that supervisord applies to paths. Pure. */
import type { HostFacts } from "./host.js";

/** `os.path.normpath` (keeps a leading `//`, as POSIX allows). */
export function normpath(p: string): string {
  if (p === "") return ".";
  const initial = p.startsWith("/") ? (p.startsWith("//") && !p.startsWith("///") ? "//" : "/") : "";
  const parts: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== ".." || (!initial && parts.length === 0) || parts.at(-1) === "..") parts.push(part);
    else if (parts.length > 0) parts.pop();
  }
  const joined = initial + parts.join("/");
  return joined || ".";
}

/** `os.path.abspath` against `cwd`. */
export function abspath(p: string, cwd: string): string {
  return normpath(p.startsWith("/") ? p : `${cwd.replace(/\/$/, "")}/${p}`);
}

/** `os.path.dirname`. */
export function dirname(p: string): string {
  const i = p.lastIndexOf("/") + 1;
  const head = p.slice(0, i);
  return head && head !== "/".repeat(head.length) ? head.replace(/\/+$/, "") : head;
}

/** `os.path.join(a, b)` for two parts. */
export function join(a: string, b: string): string {
  if (b.startsWith("/")) return b;
  if (a === "" || a.endsWith("/")) return a + b;
  return `${a}/${b}`;
}

/** `os.path.expanduser`: `~` from `$HOME` (else the user database), `~user` from the user database. */
export function expanduser(
  p: string,
  env: ReadonlyMap<string, string>,
  host: Pick<HostFacts, "homeOf">,
): string {
  if (!p.startsWith("~")) return p;
  let i = p.indexOf("/", 1);
  if (i < 0) i = p.length;
  let home: string | null;
  if (i === 1) home = env.get("HOME") ?? host.homeOf("");
  else home = host.homeOf(p.slice(1, i));
  if (home === null) return p;
  const trimmed = home.replace(/\/+$/, "");
  return trimmed + p.slice(i) || "/";
}

/** supervisord's `normalize_path`: `normpath(abspath(expanduser(v)))`. */
export function normalizePath(
  p: string,
  cwd: string,
  env: ReadonlyMap<string, string>,
  host: Pick<HostFacts, "homeOf">,
): string {
  return abspath(expanduser(p, env, host), cwd);
}
