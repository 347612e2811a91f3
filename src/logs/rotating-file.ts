/**
 * An append-only log file with supervisord's size rotation (`maxbytes`, `backups`) and `reopen()` for
 * external rotation (SIGUSR2). Writes are synchronous and never throw: errors go to `onError`.
 * Special files (devices, FIFOs, `/dev/stdout`, `/dev/fd/N`) are never rotated, truncated or unlinked.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeSync,
} from "node:fs";

const { O_APPEND, O_CREAT, O_TRUNC, O_WRONLY } = constants;

export interface RotatingFileOptions {
  /** Rotate once the file holds at least this many bytes; 0 never rotates. */
  readonly maxBytes: number;
  /** Rotated copies to keep (`f.1` … `f.N`); 0 truncates the file instead. */
  readonly backups: number;
  /**
   * Permission bits for a file this creates (the process umask applies).
   * @default 0o666
   */
  readonly mode?: number;
  /**
   * Told about failed writes, rotations and (re)opens, with the chunk concerned dropped. A run of
   * failures of one operation with the same code is reported once; that operation's next success
   * re-arms reporting.
   * @default ignore
   */
  readonly onError?: (error: Error) => void;
}

type Operation = "write" | "open" | "rotate";

/** What `removeLogFile` did. */
export type RemoveResult = "removed" | "truncated" | "missing" | "not-regular";

/** Paths that stand for a descriptor of the daemon itself: never rotated even if they lead to a file. */
function isDescriptorPath(path: string): boolean {
  if (!path.startsWith("/dev/") && !path.startsWith("/proc/")) return false;
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** Opens for appending, creating the file; retries without O_APPEND where the target refuses it. */
function openForAppend(path: string, mode: number): number {
  try {
    return openSync(path, O_WRONLY | O_APPEND | O_CREAT, mode);
  } catch (error) {
    if (errnoCode(error) !== "ESPIPE") throw error;
    return openSync(path, O_WRONLY | O_CREAT, mode);
  }
}

/** Renames, tolerating a source that is already gone (supervisord does the same). */
function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if (errnoCode(error) !== "ENOENT") throw error;
  }
}

/**
 * Removes a log file for `clearLog`/`clearProcessLogs`: unlinks a regular file, truncates the target of
 * a symlink to a regular file (keeping the link), and leaves anything else alone (`/dev/null` must
 * survive a clear when running as root). Other failures (EACCES…) throw.
 */
export function removeLogFile(path: string): RemoveResult {
  let isLink: boolean;
  try {
    const st = lstatSync(path);
    if (st.isFile()) {
      unlinkSync(path);
      return "removed";
    }
    isLink = st.isSymbolicLink();
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return "missing";
    throw error;
  }
  if (!isLink || isDescriptorPath(path)) return "not-regular";
  try {
    if (!statSync(path).isFile()) return "not-regular";
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return "missing";
    throw error;
  }
  truncateSync(path, 0);
  return "truncated";
}

export class RotatingFile {
  readonly #path: string;
  readonly #maxBytes: number;
  readonly #backups: number;
  readonly #mode: number;
  readonly #onError: (error: Error) => void;
  #fd: number | null = null;
  #size = 0;
  #special = false;
  #closed = false;
  /** The error code of each operation that is failing now, to report a run of failures once. */
  readonly #failing = new Map<Operation, string>();

  /** Opens (creating) `path` for appending; throws the open error, as supervisord fails the spawn. */
  constructor(path: string, options: RotatingFileOptions) {
    this.#path = path;
    this.#maxBytes = options.maxBytes;
    this.#backups = options.backups;
    this.#mode = options.mode ?? 0o666;
    this.#onError = options.onError ?? (() => {});
    this.#open(false);
  }

  get path(): string {
    return this.#path;
  }

  /** Bytes in the current file as tracked since it was opened (0 for special files). */
  get size(): number {
    return this.#size;
  }

  /** True when the target is not a regular file: never rotated, truncated or unlinked. */
  get special(): boolean {
    return this.#special;
  }

  /** The open descriptor, or null while there is none (for diagnostics and tests). */
  get fd(): number | null {
    return this.#fd;
  }

  /** Appends the whole chunk, then rotates if the file reached `maxBytes`. Never throws. */
  write(chunk: Uint8Array): void {
    if (this.#closed || chunk.length === 0) return;
    if (this.#fd === null && !this.#tryOpen()) return;
    const fd = this.#fd!;
    let offset = 0;
    try {
      while (offset < chunk.length) offset += writeSync(fd, chunk, offset, chunk.length - offset);
      this.#failing.delete("write");
    } catch (error) {
      // EBADF: the descriptor is not ours any more; never write or close that number again.
      if (errnoCode(error) === "EBADF") this.#fd = null;
      this.#report("write", error);
    }
    if (this.#special) return;
    this.#size += offset;
    if (this.#maxBytes > 0 && this.#size >= this.#maxBytes && this.#fd !== null) this.#rotate();
  }

  /** Closes and reopens by name, creating the file if it was moved away (SIGUSR2, logrotate). */
  reopen(): void {
    this.#closed = false;
    this.#closeFd();
    this.#tryOpen();
  }

  /** `clearLog`: removes the file (see `removeLogFile`) and reopens it empty. Throws what removal throws. */
  clear(): RemoveResult {
    const result = this.#special ? "not-regular" : removeLogFile(this.#path);
    this.reopen();
    return result;
  }

  /** Closes the descriptor; later writes are dropped until `reopen()`. */
  close(): void {
    this.#closed = true;
    this.#closeFd();
  }

  #open(truncate: boolean): void {
    const fd = truncate
      ? openSync(this.#path, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC, this.#mode)
      : openForAppend(this.#path, this.#mode);
    try {
      const st = fstatSync(fd);
      this.#special = !st.isFile() || isDescriptorPath(this.#path);
      this.#size = this.#special ? 0 : st.size;
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.#fd = fd;
  }

  #tryOpen(): boolean {
    try {
      this.#open(false);
      this.#failing.delete("open");
      return true;
    } catch (error) {
      this.#report("open", error);
      return false;
    }
  }

  #closeFd(): void {
    if (this.#fd === null) return;
    try {
      closeSync(this.#fd);
    } catch {
      // already gone; nothing to do
    }
    this.#fd = null;
  }

  #rotate(): void {
    this.#closeFd();
    const base = this.#path;
    try {
      if (this.#backups > 0) {
        for (let i = this.#backups - 1; i >= 1; i--) renameIfPresent(`${base}.${i}`, `${base}.${i + 1}`);
        renameIfPresent(base, `${base}.1`);
      }
      this.#open(true);
      this.#failing.delete("rotate");
    } catch (error) {
      // Keep appending to whatever is there; the next write retries the rotation.
      this.#report("rotate", error);
      if (this.#fd === null) this.#tryOpen();
    }
  }

  #report(operation: Operation, error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    const code = errnoCode(err) ?? err.message;
    if (this.#failing.get(operation) === code) return;
    this.#failing.set(operation, code);
    try {
      this.#onError(err);
    } catch {
      // a failing error handler must not take the daemon down either
    }
  }
}
