/** Paths tests need: the repository root (tests run from dist/test/…) and the shared reference material. */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("package.json not found above the test files");
    dir = up;
  }
  return dir;
}

export const REPO_ROOT = findRoot();
export const SHARED = resolve(REPO_ROOT, "../shared");
export const CORPUS = join(SHARED, "corpus/supervisord-configs");
export const FIXTURES = join(REPO_ROOT, "test/fixtures");
export const BIN = join(REPO_ROOT, "dist/src/bin");
