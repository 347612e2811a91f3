import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { RotatingFile, removeLogFile } from "../../../src/logs/rotating-file.js";

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "steward-rotating-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Deterministic bytes: chunk `n` of `size` bytes, distinct per chunk. */
function chunk(n: number, size: number): Buffer {
  return Buffer.alloc(size, String.fromCharCode(97 + (n % 26)));
}

/** supervisord's rotation as a model: [current, .1, .2, …]. */
function model(sizes: readonly number[], maxBytes: number, backups: number): Buffer[] {
  let files: Buffer[] = [Buffer.alloc(0)];
  sizes.forEach((size, n) => {
    files[0] = Buffer.concat([files[0]!, chunk(n, size)]);
    if (maxBytes > 0 && files[0]!.length >= maxBytes) {
      files = backups > 0 ? [Buffer.alloc(0), ...files].slice(0, backups + 1) : [Buffer.alloc(0)];
    }
  });
  while (files.length < backups + 1) files.push(Buffer.alloc(0));
  return files;
}

function readSet(path: string, backups: number): Buffer[] {
  const out = [readFileSync(path)];
  for (let i = 1; i <= backups; i++) {
    out.push(existsSync(`${path}.${i}`) ? readFileSync(`${path}.${i}`) : Buffer.alloc(0));
  }
  return out;
}

const SIZES = [300, 300, 300, 300, 50, 999, 1, 1000, 2500, 10, 700, 300, 7];

for (const backups of [1, 3, 10]) {
  test(`rotation with backups=${backups} matches supervisord's shifting`, (t) => {
    const path = join(tempDir(t), "app.log");
    const file = new RotatingFile(path, { maxBytes: 1000, backups });
    for (const [n, size] of SIZES.entries()) file.write(chunk(n, size));
    file.close();
    assert.deepEqual(readSet(path, backups), model(SIZES, 1000, backups));
    assert.equal(existsSync(`${path}.${backups + 1}`), false, "never more than N backups");
  });
}

test("rotation keeps every byte while the backups suffice", (t) => {
  const path = join(tempDir(t), "app.log");
  const file = new RotatingFile(path, { maxBytes: 1000, backups: 10 });
  const sizes = [400, 400, 400, 100, 1000, 5];
  for (const [n, size] of sizes.entries()) file.write(chunk(n, size));
  file.close();
  const total = readSet(path, 10).reduce((sum, b) => sum + b.length, 0);
  assert.equal(
    total,
    sizes.reduce((a, b) => a + b, 0),
  );
  assert.equal(readFileSync(`${path}.1`).length, 1100);
  assert.equal(readFileSync(`${path}.2`).length, 1200, "a file exceeds maxBytes by up to one chunk");
});

test("backups=0 truncates: only the tail since the last rotation remains", (t) => {
  const path = join(tempDir(t), "app.log");
  const file = new RotatingFile(path, { maxBytes: 1000, backups: 0 });
  for (const [n, size] of SIZES.entries()) file.write(chunk(n, size));
  file.close();
  assert.deepEqual(readFileSync(path), model(SIZES, 1000, 0)[0]);
  assert.equal(readFileSync(path).length, 7);
  assert.equal(existsSync(`${path}.1`), false);
});

test("maxBytes=0 never rotates", (t) => {
  const path = join(tempDir(t), "app.log");
  const file = new RotatingFile(path, { maxBytes: 0, backups: 5 });
  for (const [n, size] of SIZES.entries()) file.write(chunk(n, size));
  file.close();
  assert.equal(
    statSync(path).size,
    SIZES.reduce((a, b) => a + b, 0),
  );
  assert.equal(existsSync(`${path}.1`), false);
});

test("an existing file is appended to and its size counts toward maxBytes", (t) => {
  const path = join(tempDir(t), "app.log");
  writeFileSync(path, "x".repeat(900));
  const file = new RotatingFile(path, { maxBytes: 1000, backups: 1 });
  assert.equal(file.size, 900);
  file.write(Buffer.from("y".repeat(50)));
  assert.equal(existsSync(`${path}.1`), false);
  file.write(Buffer.from("z".repeat(50)));
  file.close();
  assert.equal(readFileSync(`${path}.1`, "utf8"), `${"x".repeat(900)}${"y".repeat(50)}${"z".repeat(50)}`);
  assert.equal(readFileSync(path, "utf8"), "");
});

test("rotation tolerates a log file deleted behind its back", (t) => {
  const path = join(tempDir(t), "app.log");
  const errors: Error[] = [];
  const file = new RotatingFile(path, { maxBytes: 100, backups: 2, onError: (e) => errors.push(e) });
  file.write(Buffer.from("a".repeat(60)));
  unlinkSync(path);
  file.write(Buffer.from("b".repeat(60)));
  file.write(Buffer.from("c"));
  file.close();
  assert.deepEqual(errors, []);
  assert.equal(existsSync(`${path}.1`), false, "the unlinked file cannot be renamed");
  assert.equal(readFileSync(path, "utf8"), "c");
});

test("reopen() after an external mv (logrotate) creates the file anew", (t) => {
  const path = join(tempDir(t), "app.log");
  const file = new RotatingFile(path, { maxBytes: 0, backups: 0 });
  file.write(Buffer.from("one\n"));
  renameSync(path, `${path}.old`);
  file.write(Buffer.from("two\n"));
  assert.equal(existsSync(path), false);
  file.reopen();
  file.write(Buffer.from("three\n"));
  file.close();
  assert.equal(readFileSync(`${path}.old`, "utf8"), "one\ntwo\n");
  assert.equal(readFileSync(path, "utf8"), "three\n");
  file.write(Buffer.from("dropped after close\n"));
  assert.equal(readFileSync(path, "utf8"), "three\n");
});

test("reopen() re-reads the size of the file it opens", (t) => {
  const path = join(tempDir(t), "app.log");
  const file = new RotatingFile(path, { maxBytes: 1000, backups: 1 });
  file.write(Buffer.from("x".repeat(800)));
  renameSync(path, `${path}.old`);
  file.reopen();
  assert.equal(file.size, 0);
  file.write(Buffer.from("y".repeat(800)));
  file.close();
  assert.equal(existsSync(`${path}.1`), false);
});

test("10 MB into /dev/null with maxBytes=1KB: no rotation, no error", () => {
  const errors: Error[] = [];
  const file = new RotatingFile("/dev/null", { maxBytes: 1024, backups: 3, onError: (e) => errors.push(e) });
  assert.equal(file.special, true);
  const block = Buffer.alloc(64 * 1024, 0x41);
  for (let i = 0; i < 160; i++) file.write(block);
  file.close();
  assert.deepEqual(errors, []);
  assert.equal(existsSync("/dev/null.1"), false);
  assert.equal(statSync("/dev/null").isCharacterDevice(), true);
});

test("a FIFO is never rotated and its reader gets every byte", async (t) => {
  const dir = tempDir(t);
  const fifo = join(dir, "pipe");
  const out = join(dir, "received");
  assert.equal(spawnSync("mkfifo", [fifo]).status, 0);
  const outFd = openSync(out, "w");
  const reader = spawn("cat", [fifo], { stdio: ["ignore", outFd, "inherit"] });
  closeSync(outFd);
  const exited = new Promise<number | null>((resolve) => reader.on("exit", resolve));
  const errors: Error[] = [];
  const file = new RotatingFile(fifo, { maxBytes: 1024, backups: 2, onError: (e) => errors.push(e) });
  assert.equal(file.special, true);
  const hash = createHash("sha256");
  for (let i = 0; i < 160; i++) {
    const block = Buffer.alloc(64 * 1024 + (i % 7), String.fromCharCode(65 + (i % 26)));
    hash.update(block);
    file.write(block);
  }
  file.close();
  assert.equal(await exited, 0);
  assert.deepEqual(errors, []);
  assert.equal(existsSync(`${fifo}.1`), false);
  assert.equal(statSync(fifo).isFIFO(), true);
  assert.equal(createHash("sha256").update(readFileSync(out)).digest("hex"), hash.digest("hex"));
});

test("write errors go to onError once per run and never throw (ENOSPC on /dev/full)", () => {
  const errors: NodeJS.ErrnoException[] = [];
  const file = new RotatingFile("/dev/full", { maxBytes: 10, backups: 1, onError: (e) => errors.push(e) });
  for (let i = 0; i < 5; i++) file.write(Buffer.from("data"));
  file.close();
  assert.deepEqual(
    errors.map((e) => e.code),
    ["ENOSPC"],
  );
});

test("a descriptor closed behind its back: EBADF is reported, the next write reopens", (t) => {
  const path = join(tempDir(t), "app.log");
  const errors: NodeJS.ErrnoException[] = [];
  const file = new RotatingFile(path, { maxBytes: 0, backups: 0, onError: (e) => errors.push(e) });
  file.write(Buffer.from("a"));
  closeSync(file.fd!);
  file.write(Buffer.from("lost"));
  file.write(Buffer.from("b"));
  file.close();
  assert.deepEqual(
    errors.map((e) => e.code),
    ["EBADF"],
  );
  assert.equal(readFileSync(path, "utf8"), "ab");
});

test("an unopenable path throws from the constructor; a throwing onError is contained", (t) => {
  const dir = tempDir(t);
  assert.throws(() => new RotatingFile(join(dir, "missing", "x.log"), { maxBytes: 0, backups: 0 }), {
    code: "ENOENT",
  });
  const file = new RotatingFile("/dev/full", {
    maxBytes: 0,
    backups: 0,
    onError: () => {
      throw new Error("handler bug");
    },
  });
  assert.doesNotThrow(() => file.write(Buffer.from("x")));
  file.close();
});

test("removeLogFile unlinks regular files only", (t) => {
  const dir = tempDir(t);
  const regular = join(dir, "a.log");
  writeFileSync(regular, "data");
  assert.equal(removeLogFile(regular), "removed");
  assert.equal(existsSync(regular), false);
  assert.equal(removeLogFile(regular), "missing");
  assert.equal(removeLogFile("/dev/null"), "not-regular");
  assert.equal(statSync("/dev/null").isCharacterDevice(), true);
  assert.equal(removeLogFile(dir), "not-regular");
  const target = join(dir, "target.log");
  const link = join(dir, "link.log");
  writeFileSync(target, "data");
  symlinkSync(target, link);
  assert.equal(removeLogFile(link), "truncated");
  assert.equal(readFileSync(target, "utf8"), "");
  assert.equal(existsSync(link), true);
});

test("clear() removes and reopens a regular file, and leaves /dev/null alone", (t) => {
  const path = join(tempDir(t), "app.log");
  const file = new RotatingFile(path, { maxBytes: 0, backups: 0 });
  file.write(Buffer.from("old"));
  assert.equal(file.clear(), "removed");
  file.write(Buffer.from("new"));
  file.close();
  assert.equal(readFileSync(path, "utf8"), "new");
  const devnull = new RotatingFile("/dev/null", { maxBytes: 0, backups: 0 });
  assert.equal(devnull.clear(), "not-regular");
  devnull.close();
  assert.equal(statSync("/dev/null").isCharacterDevice(), true);
});
