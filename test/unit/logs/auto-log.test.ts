import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import {
  AUTO_NAME_CHARS,
  autoLogName,
  autoLogPattern,
  cleanAutoLogs,
  createAutoLog,
  randomAutoSuffix,
} from "../../../src/logs/auto-log.js";

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "steward-autolog-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("AUTO names: <name>-<channel>---<identifier>-<8 of [a-z0-9_]>.log", () => {
  assert.equal(
    autoLogName("cat", "stdout", "supervisor", "m9zxsjl5"),
    "cat-stdout---supervisor-m9zxsjl5.log",
  );
  assert.equal(AUTO_NAME_CHARS, "abcdefghijklmnopqrstuvwxyz0123456789_");
  for (let i = 0; i < 200; i++) assert.match(randomAutoSuffix(), /^[a-z0-9_]{8}$/);
  assert.match(
    autoLogName("web_01", "stderr", "supervisor"),
    /^web_01-stderr---supervisor-[a-z0-9_]{8}\.log$/,
  );
});

test("createAutoLog makes an empty 0600 file and takes another name on EEXIST", (t) => {
  const dir = tempDir(t);
  const path = createAutoLog(dir, "cat", "stdout", "supervisor");
  assert.match(path, /\/cat-stdout---supervisor-[a-z0-9_]{8}\.log$/);
  assert.equal(statSync(path).size, 0);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  writeFileSync(join(dir, "cat-stdout---supervisor-aaaaaaaa.log"), "taken");
  const suffixes = ["aaaaaaaa", "aaaaaaaa", "bbbbbbbb"];
  const second = createAutoLog(dir, "cat", "stdout", "supervisor", () => suffixes.shift()!);
  assert.equal(second, join(dir, "cat-stdout---supervisor-bbbbbbbb.log"));
  assert.deepEqual(suffixes, []);
  assert.throws(() => createAutoLog(join(dir, "nope"), "cat", "stdout", "supervisor"), { code: "ENOENT" });
  assert.throws(() => createAutoLog(dir, "cat", "stdout", "supervisor", () => "aaaaaaaa"), {
    code: "EEXIST",
  });
});

test("the cleanup pattern is supervisord's, anchored at the start only", () => {
  const re = autoLogPattern("supervisor");
  const matching = [
    "cat-stdout---supervisor-m9zxsjl5.log",
    "cat-stdout---supervisor-m9zxsjl5.log.1",
    "cat-stdout---supervisor-m9zxsjl5.log.10",
    "cat-stdout---supervisor-m9zxsjl5.logXYZ",
    "a---b---supervisor-x.log",
    "x---supervisor-a.b.log",
  ];
  const other = [
    "supervisord.log",
    "---supervisor-x.log",
    "cat-stdout---supervisor-.log",
    "cat-stdout---supervisor2-m9zxsjl5.log",
    "cat-stdout---other-m9zxsjl5.log",
    "cat-stdout---supervisor-m9 zx.log",
    "cat-stdout---supervisor-m9\u3000zx.log",
    "cat\n---supervisor-x.log",
  ];
  for (const name of matching) assert.equal(re.test(name), true, name);
  for (const name of other) assert.equal(re.test(name), false, name);
  assert.equal(autoLogPattern("a.b").test("x---aXb-1.log"), false, "the identifier is literal");
  assert.equal(autoLogPattern("a.b").test("x---a.b-1.log"), true);
  assert.equal(autoLogPattern("(x").test("y---(x-1.log"), true);
});

test("cleanAutoLogs removes this identifier's regular files only", (t) => {
  const dir = tempDir(t);
  const mine = [
    "cat-stdout---supervisor-m9zxsjl5.log",
    "cat-stdout---supervisor-m9zxsjl5.log.1",
    "cat-stderr---supervisor-abcdefgh.log.12",
  ];
  const kept = [
    "cat-stdout---other-m9zxsjl5.log",
    "supervisord.log",
    "cat-stdout---supervisor2-aaaaaaaa.log",
  ];
  for (const name of [...mine, ...kept]) writeFileSync(join(dir, name), "x");
  mkdirSync(join(dir, "dir---supervisor-x.log"));
  symlinkSync("/dev/null", join(dir, "link---supervisor-x.log"));
  const result = cleanAutoLogs(dir, "supervisor");
  assert.equal(result.listed, true);
  assert.deepEqual([...result.removed].sort(), mine.map((n) => join(dir, n)).sort());
  assert.deepEqual(result.failed, []);
  assert.deepEqual(
    readdirSync(dir).sort(),
    [...kept, "dir---supervisor-x.log", "link---supervisor-x.log"].sort(),
  );
  assert.equal(existsSync("/dev/null"), true);
});

test("cleanAutoLogs on a missing childlogdir reports it could not list", () => {
  assert.deepEqual(cleanAutoLogs("/nonexistent/steward/childlogdir", "supervisor"), {
    listed: false,
    removed: [],
    failed: [],
  });
});
