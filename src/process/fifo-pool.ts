/**
 * The children's stdio pipes: FIFOs made by `mkfifo` in batches in a private directory, then opened at
 * both ends (the way `os.pipe()` gives them) and unlinked.
 */
import { execFile, execFileSync } from "node:child_process";
import {
  accessSync,
  closeSync,
  constants as fsConstants,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  unlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LOW_WATER = 48;
const BATCH = 192;

/** FIFOs made by `mkfifo` in batches in a private directory, each used once. */
export class FifoPool {
  readonly #base: string;
  #dir: string | null = null;
  #ready: string[] = [];
  #next = 0;
  #filling = false;

  constructor(base: string) {
    this.#base = base;
  }

  /**
   * `count` FIFO paths. Blocks on `mkfifo` only when the pool is dry; otherwise a refill starts in the
   * background once the caller's work is done (a `setImmediate`), so its fork never delays a spawn.
   */
  take(count: number): string[] {
    if (this.#ready.length < count) {
      const paths = this.#paths(Math.max(BATCH, count + LOW_WATER));
      execFileSync("mkfifo", ["-m", "600", "--", ...paths], { env: MKFIFO_ENV, stdio: "ignore" });
      this.#ready.push(...paths);
    }
    const taken = this.#ready.splice(0, count);
    if (this.#ready.length < LOW_WATER && !this.#filling) {
      this.#filling = true;
      setImmediate(() => this.#refill());
    }
    return taken;
  }

  #refill(): void {
    if (this.#dir === null) {
      this.#filling = false;
      return;
    }
    const paths = this.#paths(BATCH);
    const dir = this.#dir;
    execFile("mkfifo", ["-m", "600", "--", ...paths], { env: MKFIFO_ENV }, (error) => {
      this.#filling = false;
      if (this.#dir !== dir) rmSync(dir, { recursive: true, force: true });
      else if (!error) this.#ready.push(...paths);
    });
  }

  #paths(count: number): string[] {
    this.#dir ??= mkdtempSync(join(this.#base, `steward-pipes-${process.pid}-`));
    const dir = this.#dir;
    return Array.from({ length: count }, () => join(dir, `${this.#next++}`));
  }

  close(): void {
    if (this.#dir !== null) rmSync(this.#dir, { recursive: true, force: true });
    this.#dir = null;
    this.#ready = [];
  }

  /** Removes what daemons that died without cleaning up (SIGKILL) left in `base`. */
  static removeStale(base: string): void {
    let names: string[] = [];
    try {
      names = readdirSync(base);
    } catch {
      return;
    }
    for (const name of names) {
      const pid = Number(/^steward-pipes-(\d+)-/.exec(name)?.[1] ?? 0);
      if (pid <= 0 || pid === process.pid || isAlive(pid)) continue;
      try {
        rmSync(join(base, name), { recursive: true, force: true });
      } catch {
        // Someone else's.
      }
    }
  }
}

const MKFIFO_ENV = { PATH: `/usr/bin:/bin:${process.env.PATH ?? ""}`, LC_ALL: "C" };

export interface Pipe {
  /** Our end. */
  readonly parent: number;
  /** The child's end, blocking; closed here once the child has it. */
  readonly child: number;
}

/** Opens a FIFO at both ends, the way `os.pipe()` would give them, and unlinks it. */
export function openPipe(path: string, direction: "toChild" | "fromChild"): Pipe {
  const { O_RDONLY, O_WRONLY, O_NONBLOCK } = fsConstants;
  const opened: number[] = [];
  const open = (flags: number) => {
    opened.push(openSync(path, flags));
    return opened.at(-1)!;
  };
  try {
    if (direction === "fromChild") {
      const parent = open(O_RDONLY | O_NONBLOCK);
      return { parent, child: open(O_WRONLY) };
    }
    const holder = open(O_RDONLY | O_NONBLOCK);
    const parent = open(O_WRONLY | O_NONBLOCK);
    const child = open(O_RDONLY);
    closeSync(holder);
    return { parent, child };
  } catch (error) {
    for (const fd of opened) closeSync(fd);
    throw error;
  } finally {
    try {
      unlinkSync(path);
    } catch {
      // Already gone: the error that matters is the open's.
    }
  }
}

/** tmpfs when there is one (`mknod` on a disk file system is several times slower), else the tmpdir. */
export function defaultPipeDirectory(): string {
  try {
    accessSync("/dev/shm", fsConstants.W_OK | fsConstants.X_OK);
    if (statSync("/dev/shm").isDirectory()) return "/dev/shm";
  } catch {
    // No /dev/shm.
  }
  return tmpdir();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}
