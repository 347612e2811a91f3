/**
 * The file-system facts the checks ask for, as an interface: the real one (system-io.ts) asks the
 * machine, tests pass a map. Paths are absolute.
 */

export interface FileInfo {
  readonly kind: "file" | "directory" | "other";
  /** `st_mode`; the permission bits are what matter. */
  readonly mode: number;
}

export interface DoctorFiles {
  /** `stat()`, following symlinks; null when there is nothing there (or it cannot be reached). */
  stat(path: string): FileInfo | null;
  /** The text of a file (UTF-8), or null when it cannot be read. */
  readText(path: string): string | null;
  /** `access(path, W_OK)` for this user. */
  canWrite(path: string): boolean;
  /** `access(path, X_OK)` for this user. */
  canExecute(path: string): boolean;
}

/** Files from a map of path → text (directories implied by the paths, plus `dirs`); for tests. */
export function memoryFiles(
  texts: Readonly<Record<string, string>>,
  options: {
    readonly dirs?: readonly string[];
    /** Paths with these modes (default 0o644 for files, 0o755 for directories). */
    readonly modes?: Readonly<Record<string, number>>;
    /** Paths that are not writable. */
    readonly readOnly?: readonly string[];
  } = {},
): DoctorFiles {
  const dirs = new Set<string>(["/"]);
  const addParents = (path: string) => {
    for (let p = parentOf(path); p !== "/" && !dirs.has(p); p = parentOf(p)) dirs.add(p);
  };
  for (const path of Object.keys(texts)) addParents(path);
  for (const dir of options.dirs ?? []) {
    dirs.add(dir);
    addParents(dir);
  }
  const modes = options.modes ?? {};
  const readOnly = new Set(options.readOnly ?? []);
  const stat = (path: string): FileInfo | null => {
    const p = trimSlash(path);
    if (Object.hasOwn(texts, p)) return { kind: "file", mode: 0o100000 | (modes[p] ?? 0o644) };
    if (dirs.has(p)) return { kind: "directory", mode: 0o040000 | (modes[p] ?? 0o755) };
    return null;
  };
  return {
    stat,
    readText: (path) => texts[trimSlash(path)] ?? null,
    canWrite: (path) => stat(path) !== null && !readOnly.has(trimSlash(path)),
    canExecute: (path) => ((stat(path)?.mode ?? 0) & 0o111) !== 0,
  };
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

function parentOf(path: string): string {
  const i = trimSlash(path).lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}
