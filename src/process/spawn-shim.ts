/**
 * The shell scripts children run through: the shim that prepares a child and execs in place (umask,
 * re-entering the directory, closing inherited fds, `exec -a argv0`), and the stand-in that writes
 * supervisord's failure lines to fd 2 and exits 127.
 */
import { readdirSync, readFileSync } from "node:fs";
import { attempt, diagnose, type Launched, parentSideError } from "./spawn-attempt.js";

const O_CLOEXEC = 0o2000000;

/** This process's fds ≥ 3 without close-on-exec: inherited from whoever started it (Node makes none). */
export function inheritableFds(): number[] {
  let names: string[];
  try {
    names = readdirSync("/proc/self/fd");
  } catch {
    return [];
  }
  const fds: number[] = [];
  for (const fd of names.map(Number).filter((n) => n >= 3)) {
    try {
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"));
      if (flags && (Number.parseInt(flags[1]!, 8) & O_CLOEXEC) === 0) fds.push(fd);
    } catch {
      // The listing's own fd, closed by now.
    }
  }
  return fds.sort((a, b) => a - b);
}

/**
 * The shim's script. Parameters: umask (or ""), a directory to re-enter as the new user (or ""), argv0,
 * file, arguments. Where a shell cannot know the errno it names the likely one. Without bash, argv0
 * becomes the file and only fds up to 9 can be closed.
 */
export function shimScript(closeFds: readonly number[], bash: boolean): string {
  const closable = bash ? closeFds : closeFds.filter((fd) => fd <= 9);
  return [
    ...(bash ? ["shopt -s execfail"] : []),
    "m=$1 d=$2 a=$3 f=$4; shift 4",
    `fail() { printf 'supervisor: %s\\n' "$1" 'child process was not spawned' >&2; exit 127; }`,
    `[ -z "$d" ] || cd -- "$d" 2>/dev/null || fail "couldn't chdir to $d: EACCES"`,
    '[ -z "$m" ] || umask "$m"',
    `[ -x "$f" ] || { [ -e "$f" ] && fail "couldn't exec $a: EACCES"; fail "couldn't exec $a: ENOENT"; }`,
    ...(closable.length > 0 ? [`exec ${closable.map((fd) => `${fd}>&-`).join(" ")}`] : []),
    bash ? 'exec -a "$a" -- "$f" "$@"' : 'exec "$f" "$@"',
    `[ $? = 127 ] && fail "couldn't exec $a: ENOENT"; fail "couldn't exec $a: EACCES"`,
  ].join("\n");
}

/** The stand-in's script: the lines as arguments, or one line read from fd 3 when they are not known yet. */
const REPORT_SCRIPT = `printf 'supervisor: %s\\n' "$@" >&2; exit 127`;
const REPORT_LATER_SCRIPT = `IFS= read -r l <&3; exec 3<&-; printf 'supervisor: %s\\n' "$l" "$@" >&2; exit 127`;
const NOT_SPAWNED = "child process was not spawned";

/** A child that writes supervisord's lines to fd 2 and exits 127; `line` null: read it from fd 3. */
export function standIn(name: string, stdio: number[], line: string | null): Launched {
  const script = line === null ? REPORT_LATER_SCRIPT : REPORT_SCRIPT;
  const args = ["-c", script, "steward", ...(line === null ? [] : [clean(line)]), NOT_SPAWNED];
  const a = attempt("/bin/sh", args, "sh", undefined, {}, stdio);
  if (a.kind === "started") return { mode: "failure", child: a.child };
  throw a.kind === "failed" && a.errno !== null
    ? (parentSideError(a.errno, name, "fork") ?? diagnose(name))
    : diagnose(name);
}

/** A line safe to pass as an argument (no NUL, no newline). */
export function clean(line: string): string {
  return line.replaceAll("\0", "\\x00").replaceAll("\n", "\\n");
}
