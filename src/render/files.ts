/** The file system side of `steward render`: reading templates and env files, atomic writes. */
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { RenderInputError } from "./errors.js";
import type { RenderIo, TemplateFile } from "./render.js";

/** The system's words for a failed file operation: "no such file or directory", "permission denied". */
export function describeFsError(error: unknown): string {
  const message = String((error as Error)?.message ?? error);
  return message.replace(/^[A-Z0-9_]+: /, "").replace(/, [a-z]+ '.*'$/s, "");
}

function isErrno(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}

export function readEnvFileText(path: string, cwd: string): string {
  try {
    const full = resolve(cwd, path);
    if (statSync(full).isDirectory())
      throw new RenderInputError(`cannot read env file '${path}': is a directory`);
    return readFileSync(full, "utf8");
  } catch (error) {
    if (!isErrno(error)) throw error;
    throw new RenderInputError(`cannot read env file '${path}': ${describeFsError(error)}`);
  }
}

export function readTemplateFile(path: string, cwd: string): TemplateFile {
  try {
    const full = resolve(cwd, path);
    const stat = statSync(full);
    if (stat.isDirectory()) throw new RenderInputError(`cannot read template '${path}': is a directory`);
    return { bytes: readFileSync(full), mode: stat.mode & 0o777 };
  } catch (error) {
    if (!isErrno(error)) throw error;
    throw new RenderInputError(`cannot read template '${path}': ${describeFsError(error)}`);
  }
}

/**
 * Writes `bytes` to `target` so that a reader sees the old file or the new one, never a part: a
 * temporary file in the same directory, written, synced, given `mode`, then renamed over the target.
 * Missing directories are created (mkdir -p, modes by the umask).
 */
export function writeFileAtomic(target: string, bytes: Uint8Array, mode: number): void {
  const dir = dirname(target);
  const temp = join(
    dir,
    `.${basename(target)}.steward-render-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
  let created = false;
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(temp, "wx", 0o600);
    created = true;
    try {
      writeFileSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temp, mode);
    renameSync(temp, target);
  } catch (error) {
    if (created) {
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
    }
    if (!isErrno(error)) throw error;
    throw new RenderInputError(`cannot write '${target}': ${describeFsError(error)}`);
  }
}

/** RenderIo on the real file system; relative paths are taken from `cwd`. */
export function fileSystemRenderIo(base: Pick<RenderIo, "env" | "stdout" | "stderr">, cwd: string): RenderIo {
  return {
    env: base.env,
    stdout: base.stdout,
    stderr: base.stderr,
    readEnvFile: (path) => readEnvFileText(path, cwd),
    readTemplate: (path) => readTemplateFile(path, cwd),
    writeFile: writeFileAtomic,
  };
}
