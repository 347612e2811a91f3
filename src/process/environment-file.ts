/**
 * `environment_file=`: the variables a shell script (or a KEY=VALUE file) sets, read by sourcing it with
 * bash in a fresh shell whose environment is the one the child would otherwise get. Synchronous: it runs
 * on the spawn path, once per spawn.
 *
 * The shell dumps its exported environment (NUL-separated, on a descriptor of its own) before and after
 * `set -a; . FILE`; what changed across the `.` is the result. So a variable counts when a command run
 * at the end of the file would have received it: `KEY=VALUE` and `export KEY=VALUE` both count (`set -a`),
 * `unset KEY` and `export -n KEY` remove KEY, arrays and functions are not variables. Bash's own
 * variables (SHLVL, PWD, `_`, BASH_*) do not count unless the file changes them, with these exceptions:
 * `_` never counts, OLDPWD never counts (only `cd -` reads it), and PWD does not count when the file
 * changed the shell's directory (a `cd` in the file moves the shell, not the child).
 *
 * The file runs with stdin from /dev/null and its stdout sent to its stderr, which is captured in an
 * unlinked temporary file (so a background process started by the file does not hold a pipe open) and
 * becomes the message when the file fails. Nothing reaches the daemon's own stdout or stderr.
 */
import {
  type SpawnSyncOptionsWithBufferEncoding,
  type SpawnSyncReturns,
  spawnSync,
} from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants as fsConstants,
  fstatSync,
  openSync,
  readSync,
  statSync,
  unlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

export type EnvironmentFileResult =
  | {
      readonly ok: true;
      /** Variables the file set to a value the child would not otherwise have (new or changed). */
      readonly variables: Readonly<Record<string, string>>;
      /** Variables of `baseEnv` the file removed (`unset KEY`, `export -n KEY`): the child must lose them. */
      readonly unset: readonly string[];
    }
  | { readonly ok: false; readonly message: string };

export interface EnvironmentFileOptions {
  /** How long the shell may run. @default 10000 */
  readonly timeoutMs?: number;
  /** The shell's working directory (the program's `directory`); relative `source` lines resolve here. */
  readonly cwd?: string;
  /**
   * The shell to run (for tests). A file named `bash` gets the pure-bash script, anything else the POSIX
   * one, which needs `env -0`. @default the first executable of /bin/bash, /usr/bin/bash, /bin/sh
   */
  readonly shell?: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** The candidates, in order; the last is run with the POSIX script. */
const SHELLS = ["/bin/bash", "/usr/bin/bash", "/bin/sh"];

/** Messages longer than this keep their end (where the error usually is). */
const MAX_MESSAGE = 4000;

/** The dumps are at most this long: far above any real environment (Linux caps one at a few MiB). */
const MAX_DUMP = 64 * 1024 * 1024;

/**
 * Both scripts write to fd 3 (the shell's original stdout): a record `@` + the physical working
 * directory + newline (`pwd -P`, printed without a command substitution's fork), the exported variables
 * as `NAME=VALUE` records, an empty record; the same after the `.`; then `end`. Every record ends with
 * NUL. The file is sourced with fd 3 closed and stdout on stderr, with no positional parameters ($0 is
 * `bash`, as under `bash -c "source FILE && …"`; `sh` for the POSIX script). A non-zero status of the
 * `.` (a syntax error, a missing file, `return 1`, a failing last command) is the shell's exit status;
 * an `exit` in the file ends the shell before `end`. The bash script needs no other binary (bash 4.2
 * or later: `compgen`, `${!name}`); the POSIX one needs `env -0` (GNU coreutils, BusyBox).
 */
const BASH_SCRIPT = `exec 3>&1 1>&2
__steward_file=$1
builtin set --
__steward_dump() {
  local IFS=$' \\t\\n' __steward_name __steward_arrays=$'\\n'
  builtin printf '@'; builtin pwd -P; builtin printf '\\0'
  for __steward_name in $(builtin compgen -A arrayvar -P -; builtin compgen -e); do
    case $__steward_name in -*) __steward_arrays+=\${__steward_name#-}$'\\n'; continue ;; esac
    case $__steward_arrays in *$'\\n'"$__steward_name"$'\\n'*) continue ;; esac
    [[ -n \${!__steward_name+x} ]] || continue
    builtin printf '%s=%s\\0' "$__steward_name" "\${!__steward_name}"
  done
  builtin printf '\\0'
} >&3
__steward_after() {
  builtin set +a +e +u +x +v
  if [[ $1 != 0 ]]; then builtin exit "$1"; fi
  __steward_dump
  builtin printf 'end\\0' >&3
  builtin exit 0
}
__steward_dump
builtin set -a
. "$__steward_file" 3>&-
__steward_after "$?"
`;

const POSIX_SCRIPT = `exec 3>&1 1>&2
__steward_file=$1
set --
__steward_dump() {
  printf '@' && pwd -P && printf '\\0' && env -0 && printf '\\0'
} >&3
__steward_after() {
  set +a +e +u +x +v
  if [ "$1" != 0 ]; then exit "$1"; fi
  __steward_dump || exit 125
  printf 'end\\0' >&3
  exit 0
}
__steward_dump || exit 125
set -a
. "$__steward_file" 3>&-
__steward_after "$?"
`;

/** Variables never taken from the daemon into the loader's shell: they would run code before the script. */
const NOT_INHERITED = new Set(["BASH_ENV", "ENV"]);

let defaultShell: string | null | undefined;

function findShell(): string | null {
  if (defaultShell === undefined) {
    defaultShell = null;
    for (const candidate of SHELLS) {
      try {
        accessSync(candidate, fsConstants.X_OK);
        defaultShell = candidate;
        break;
      } catch {
        // the next one
      }
    }
  }
  return defaultShell;
}

/**
 * Loads `path` (absolute; a relative one resolves against `cwd`) by sourcing it with bash in a clean
 * subshell whose environment is `baseEnv` (the environment the child would get without the file), and
 * returns the variables the file sets or changes and those it unsets. The child's environment is then
 * `baseEnv`, minus `unset`, plus `variables`. Synchronous: called on the spawn path.
 */
export function loadEnvironmentFile(
  path: string,
  baseEnv: Readonly<Record<string, string>>,
  options: EnvironmentFileOptions = {},
): EnvironmentFileResult {
  const prefix = `environment_file ${path}: `;
  const fail = (text: string): EnvironmentFileResult => ({ ok: false, message: prefix + text });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const shell = options.shell ?? findShell();
  if (shell === null) return fail(`no shell to source it with (tried ${SHELLS.join(", ")})`);
  const isBash = basename(shell) === "bash";
  const script = isBash ? BASH_SCRIPT : POSIX_SCRIPT;
  // $0, as under `bash -c "source FILE && …"` (or `sh -c`).
  const argv0 = isBash ? "bash" : "sh";
  // `.` looks a name without a slash up in PATH; the file is meant relative to the directory.
  const sourced = path.includes("/") ? path : `./${path}`;

  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(baseEnv)) if (!NOT_INHERITED.has(key)) env[key] = value;

  const errors = openErrorFile();
  // `detached` (setsid: its own process group, so a timeout ends what the file started too) is honoured
  // by spawnSync (node's spawn_sync.cc) though @types/node leaves it out of SpawnSyncOptions.
  const spawnOptions: SpawnSyncOptionsWithBufferEncoding & { readonly detached: boolean } = {
    cwd: options.cwd,
    env,
    stdio: ["ignore", "pipe", errors ?? "pipe"],
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    maxBuffer: MAX_DUMP,
    detached: true,
  };
  let result: SpawnSyncReturns<Buffer>;
  try {
    result = spawnSync(shell, ["-c", script, argv0, sourced], spawnOptions);
  } catch (error) {
    // A value spawn refuses (a NUL byte in the environment).
    if (errors !== null) closeSync(errors);
    return fail((error as Error).message);
  }
  const stderrText = errors === null ? (result.stderr?.toString("utf8") ?? "") : readErrorFile(errors);
  const shellText = cleanMessage(stderrText, sourced);

  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === "ETIMEDOUT") {
      killGroup(result.pid);
      return fail(`did not finish in ${timeoutMs / 1000} s`);
    }
    if (code === "ENOBUFS") return fail(`its environment is larger than ${MAX_DUMP} bytes`);
    if (options.cwd !== undefined && code === "ENOENT") {
      const cwdError = chdirProblem(options.cwd);
      if (cwdError !== null) return fail(`couldn't chdir to ${options.cwd}: ${cwdError}`);
    }
    return fail(`could not run ${shell}: ${result.error.message}`);
  }
  if (result.signal !== null) return fail(withText(`the shell was killed by ${result.signal}`, shellText));
  if (result.status !== 0) return fail(shellText || `the file failed with status ${result.status}`);

  const dumps = parseDumps(result.stdout);
  if (dumps === null) return fail(withText("the file called exit before its end", shellText));
  return { ok: true, ...difference(dumps, baseEnv) };
}

interface Dump {
  readonly cwd: string;
  readonly variables: ReadonlyMap<string, string>;
}

/** The two dumps of a shell that reached `end`, else null. */
function parseDumps(stdout: Buffer): [Dump, Dump] | null {
  const records = stdout.toString("utf8").split("\0");
  let at = 0;
  const readDump = (): Dump | null => {
    const cwd = records[at++];
    if (cwd === undefined || !cwd.startsWith("@")) return null;
    const variables = new Map<string, string>();
    for (;;) {
      const record = records[at++];
      if (record === undefined) return null;
      if (record === "") return { cwd, variables };
      const eq = record.indexOf("=");
      if (eq > 0) variables.set(record.slice(0, eq), record.slice(eq + 1));
    }
  };
  const before = readDump();
  const after = before && readDump();
  if (!before || !after || records[at] !== "end") return null;
  return [before, after];
}

/** What changed across the `.`, against what the child gets without the file. */
function difference(
  [before, after]: [Dump, Dump],
  baseEnv: Readonly<Record<string, string>>,
): { variables: Record<string, string>; unset: string[] } {
  const moved = before.cwd !== after.cwd;
  const variables: Record<string, string> = {};
  for (const [name, value] of after.variables) {
    if (name === "_" || name === "OLDPWD" || (name === "PWD" && moved)) continue;
    if (before.variables.get(name) === value) continue;
    if (Object.hasOwn(baseEnv, name) && baseEnv[name] === value) continue;
    variables[name] = value;
  }
  const unset: string[] = [];
  for (const name of before.variables.keys()) {
    if (name !== "_" && !after.variables.has(name) && Object.hasOwn(baseEnv, name)) unset.push(name);
  }
  return { variables, unset };
}

/**
 * The shell's stderr, trimmed, with the file's name dropped where bash starts a line with it (the
 * message already names the file): `bash: line 24: FILE: No such file or directory` (line 24 of the
 * loader's own script) reads `No such file or directory`, `bash: line 24: .: FILE: is a directory`
 * reads `is a directory`, `FILE: line 3: syntax error …` reads
 * `line 3: syntax error …`. Other lines (the file's own output, dash's messages) are kept as they are.
 * Long text keeps its end.
 */
function cleanMessage(text: string, sourced: string): string {
  const own = [`bash: ${sourced}: `, `bash: .: ${sourced}: `, `${sourced}: `];
  const loaderLine = /^bash: line \d+: /;
  const lines = text.split("\n").map((line) => {
    const rest = line.replace(loaderLine, "bash: ");
    const prefix = own.find((p) => rest.startsWith(p));
    return prefix === undefined ? line : rest.slice(prefix.length);
  });
  const cleaned = lines.join("\n").trim();
  return cleaned.length > MAX_MESSAGE ? `…${cleaned.slice(-MAX_MESSAGE)}` : cleaned;
}

function withText(reason: string, text: string): string {
  return text === "" ? reason : `${reason}: ${text}`;
}

/** An unlinked temporary file for the shell's stderr, or null (then a pipe is used). */
function openErrorFile(): number | null {
  const name = join(tmpdir(), `steward-environment-file-${process.pid}-${randomBytes(6).toString("hex")}`);
  let fd: number;
  try {
    fd = openSync(name, "wx+", 0o600);
  } catch {
    return null;
  }
  try {
    unlinkSync(name);
  } catch {
    // Left behind in the tmpdir; the load still works.
  }
  return fd;
}

/** Everything written to the error file, then closes it. */
function readErrorFile(fd: number): string {
  try {
    const size = Math.min(fstatSync(fd).size, MAX_DUMP);
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString("utf8");
  } catch {
    return "";
  } finally {
    closeSync(fd);
  }
}

/** Ends what is left of the shell's process group after a timeout. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined || pid <= 0) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** Why chdir to `dir` fails, in strerror's words, or null. */
function chdirProblem(dir: string): string | null {
  try {
    return statSync(dir).isDirectory() ? null : "Not a directory";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "No such file or directory" : (code ?? "unknown error");
  }
}
