/**
 * From `command=` to what gets exec'd: Python's POSIX `shlex.split` and supervisord's resolution of
 * the executable (`Subprocess.get_execv_args`, `ServerOptions.check_execv_args`), with its exact
 * messages. Pure: the file system is asked through the injected FileFacts.
 */
import { pyRepr } from "../config/py-text.js";
import { StewardError } from "../errors.js";

/** Why a spawn failed, for the RPC fault it maps to (supervisord's exception classes). */
export type SpawnFailureKind =
  /** BadCommand: unparsable or empty command (fault NOT_EXECUTABLE). */
  | "bad-command"
  /** NotFound (fault NO_FILE). */
  | "not-found"
  /** NotExecutable: a directory, or no execute bit (fault NOT_EXECUTABLE). */
  | "not-executable"
  /** NoPermission: `access(X_OK)` refused (fault NOT_EXECUTABLE). */
  | "no-permission"
  /** Pipes or fork failed (supervisord's spawnerr; no RPC fault of its own). */
  | "resources"
  /** Steward's `environment_file` failed to load (the shell's message). */
  | "environment";

/** A spawn that failed before a child existed. `message` is supervisord's spawnerr, verbatim. */
export class SpawnError extends StewardError {
  readonly failure: SpawnFailureKind;
  constructor(failure: SpawnFailureKind, message: string, options?: { cause?: unknown }) {
    super("STEWARD_ERR_SPAWN", message, options);
    this.name = "SpawnError";
    this.failure = failure;
  }
}

/** What Python's `shlex` raises (`ValueError`), with its message. */
export class ShlexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShlexError";
  }
}

const WHITESPACE = " \t\r\n";
const QUOTES = "'\"";
const ESCAPE = "\\";
/** Quotes inside which a backslash escapes (only `"` in POSIX mode). */
const ESCAPED_QUOTES = '"';

/**
 * Python's `shlex.split(s)` (POSIX mode, `whitespace_split=True`, no comments): quotes, backslash
 * escapes, `''` as an empty word, newline as whitespace. Throws ShlexError with Python's messages.
 */
export function shlexSplit(s: string): string[] {
  const words: string[] = [];
  let state = " ";
  let escapedState = " ";
  let token = "";
  let quoted = false;
  const finish = () => {
    if (token !== "" || quoted) words.push(token);
    token = "";
    quoted = false;
  };
  for (let i = 0; i <= s.length; i++) {
    const ch = i < s.length ? s[i]! : "";
    if (state === " " || state === "a") {
      if (ch === "") break;
      if (WHITESPACE.includes(ch)) {
        if (state === "a" || quoted) finish();
        state = " ";
      } else if (QUOTES.includes(ch)) {
        state = ch;
      } else if (ch === ESCAPE) {
        escapedState = "a";
        state = ch;
      } else {
        token += ch;
        state = "a";
      }
    } else if (QUOTES.includes(state)) {
      quoted = true;
      if (ch === "") throw new ShlexError("No closing quotation");
      if (ch === state) state = "a";
      else if (ch === ESCAPE && ESCAPED_QUOTES.includes(state)) {
        escapedState = state;
        state = ch;
      } else token += ch;
    } else {
      // After a backslash.
      if (ch === "") throw new ShlexError("No escaped character");
      // Inside quotes only the quote itself and the backslash can be escaped.
      if (QUOTES.includes(escapedState) && ch !== state && ch !== escapedState) token += state;
      token += ch;
      state = escapedState;
    }
  }
  if (state === "a" || quoted) finish();
  return words;
}

/** The parts of a `stat()` supervisord looks at. */
export interface FileStat {
  readonly isDirectory: boolean;
  /** `st_mode` (permission bits are what matter). */
  readonly mode: number;
}

/** The file-system facts resolution needs (relative paths are relative to the daemon's cwd). */
export interface FileFacts {
  /** `os.stat(path)`, following symlinks; null where Python would raise OSError. */
  stat(path: string): FileStat | null;
  /** `os.access(path, os.X_OK)`. */
  canExecute(path: string): boolean;
}

/** Where to look for a command without a `/`. */
export interface CommandContext {
  /** The program's merged `environment=` (ProcessConfig.environment). */
  readonly programEnvironment: Readonly<Record<string, string>>;
  /** The daemon's own environment (`process.env`). */
  readonly daemonEnvironment: Readonly<Record<string, string | undefined>>;
  readonly files: FileFacts;
}

/** What to exec: the resolved file and the argv, whose argv[0] is the first word as written. */
export interface ResolvedCommand {
  readonly filename: string;
  readonly argv: readonly string[];
}

const DEFAULT_PATH: readonly string[] = ["/bin", "/usr/bin", "/usr/local/bin"];

/**
 * The directories searched for a command without `/`: the program's PATH if its environment defines
 * one (even an empty one, which searches `""`, i.e. the daemon's cwd), else the daemon's PATH when
 * non-empty, else `/bin:/usr/bin:/usr/local/bin`.
 */
export function searchPath(
  programEnvironment: Readonly<Record<string, string>>,
  daemonEnvironment: Readonly<Record<string, string | undefined>>,
): readonly string[] {
  const own = Object.hasOwn(programEnvironment, "PATH") ? programEnvironment.PATH : undefined;
  if (own !== undefined) return own.split(":");
  const daemon = daemonEnvironment.PATH;
  return daemon ? daemon.split(":") : DEFAULT_PATH;
}

/** Python's `os.path.join(dir, name)` for a `name` without `/`. */
function joinPath(dir: string, name: string): string {
  if (dir === "" || dir.endsWith("/")) return dir + name;
  return `${dir}/${name}`;
}

/**
 * supervisord's `get_execv_args`: split the command, find the executable, check it. Throws
 * SpawnError with supervisord's message (`can't find command 'x'`, …) when the spawn must not happen.
 */
export function resolveCommand(command: string, context: CommandContext): ResolvedCommand {
  let argv: string[];
  try {
    argv = shlexSplit(command);
  } catch (error) {
    if (!(error instanceof ShlexError)) throw error;
    throw new SpawnError("bad-command", `can't parse command ${pyRepr(command)}: ${error.message}`);
  }
  const program = argv[0];
  if (program === undefined) throw new SpawnError("bad-command", "command is empty");
  const { files } = context;
  let filename = program;
  let st: FileStat | null = null;
  if (program.includes("/")) {
    st = files.stat(program);
  } else {
    for (const dir of searchPath(context.programEnvironment, context.daemonEnvironment)) {
      const candidate = joinPath(dir, program);
      st = files.stat(candidate);
      if (st !== null) {
        filename = candidate;
        break;
      }
    }
  }
  const shown = pyRepr(filename);
  if (st === null) throw new SpawnError("not-found", `can't find command ${shown}`);
  if (st.isDirectory) throw new SpawnError("not-executable", `command at ${shown} is a directory`);
  if ((st.mode & 0o111) === 0)
    throw new SpawnError("not-executable", `command at ${shown} is not executable`);
  if (!files.canExecute(filename))
    throw new SpawnError("no-permission", `no permission to run command ${shown}`);
  return { filename, argv };
}
