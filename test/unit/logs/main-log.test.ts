import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { MainLog, openMainLog } from "../../../src/logs/main-log.js";
import type { SyslogSink } from "../../../src/logs/syslog.js";

const NOW = new Date(2026, 10, 28, 13, 25, 37, 123);
const TS = "2026-11-28 13:25:37,123";

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "steward-mainlog-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function collector() {
  const chunks: Buffer[] = [];
  return {
    chunks,
    write: (c: Uint8Array) => chunks.push(Buffer.from(c)),
    text: () => Buffer.concat(chunks).toString(),
  };
}

function fakeSyslog() {
  const lines: string[] = [];
  let closed = false;
  const sink: SyslogSink = { send: (l) => lines.push(l), close: () => (closed = true) };
  return { sink, lines, closed: () => closed };
}

test("records at or above the level go to the file and the echo, in the same format", (t) => {
  const path = join(tempDir(t), "supervisord.log");
  const echo = collector();
  const log = openMainLog({ logfile: path, maxBytes: 0, backups: 0, level: "info", echo, now: () => NOW });
  log.critical("Supervisor is running as root.");
  log.error("e");
  log.warn("received SIGTERM indicating exit request");
  log.info("supervisord started with pid 42");
  log.debug("hidden");
  log.trace("hidden");
  log.blather("hidden");
  log.close();
  const expected =
    `${TS} CRIT Supervisor is running as root.\n${TS} ERRO e\n` +
    `${TS} WARN received SIGTERM indicating exit request\n${TS} INFO supervisord started with pid 42\n`;
  assert.equal(readFileSync(path, "utf8"), expected);
  assert.equal(echo.text(), expected);
});

test("setLevel and isEnabled", () => {
  const echo = collector();
  const log = new MainLog({ level: "warn", echo, now: () => NOW });
  assert.equal(log.isEnabled("info"), false);
  log.info("no");
  log.setLevel("blather");
  assert.equal(log.level, "blather");
  assert.equal(log.isEnabled("blather"), true);
  log.blather("yes");
  log.log("trace", "multi\nline");
  assert.equal(echo.text(), `${TS} BLAT yes\n${TS} TRAC multi\nline\n`);
});

test("the clock is read per record", () => {
  const echo = collector();
  let ms = 0;
  const log = new MainLog({ level: "info", echo, now: () => new Date(2026, 0, 1, 0, 0, 0, ms++) });
  log.info("a");
  log.info("b");
  assert.equal(echo.text(), "2026-01-01 00:00:00,000 INFO a\n2026-01-01 00:00:00,001 INFO b\n");
});

test("a throwing echo (EPIPE) does not stop the file record", (t) => {
  const path = join(tempDir(t), "supervisord.log");
  const echo = {
    write: () => {
      throw Object.assign(new Error("EPIPE"), { code: "EPIPE" });
    },
  };
  const log = openMainLog({ logfile: path, maxBytes: 0, backups: 0, level: "info", echo, now: () => NOW });
  assert.doesNotThrow(() => log.info("still logged"));
  log.close();
  assert.equal(readFileSync(path, "utf8"), `${TS} INFO still logged\n`);
});

test("logfile=syslog: one syslog message per line of the record, no file", () => {
  const syslog = fakeSyslog();
  const log = openMainLog({
    logfile: "syslog",
    maxBytes: 1000,
    backups: 1,
    level: "info",
    now: () => NOW,
    syslog: syslog.sink,
  });
  log.info("one");
  log.warn("two\nthree\n\n");
  log.debug("hidden");
  assert.equal(log.clear(), null);
  log.reopen();
  log.close();
  assert.deepEqual(syslog.lines, [`${TS} INFO one`, `${TS} WARN two`, `${TS} WARN three`]);
  assert.equal(syslog.closed(), true);
});

test("the main log rotates and reopens like any RotatingFile", (t) => {
  const path = join(tempDir(t), "supervisord.log");
  const log = openMainLog({ logfile: path, maxBytes: 100, backups: 2, level: "info", now: () => NOW });
  for (let i = 0; i < 5; i++) log.info(`message number ${i} ${"x".repeat(30)}`);
  renameSync(path, `${path}.moved`);
  log.reopen();
  log.info("after reopen");
  assert.equal(log.clear(), "removed");
  log.info("after clear");
  log.close();
  assert.match(readFileSync(`${path}.1`, "utf8"), /message number 3/);
  assert.equal(readFileSync(path, "utf8"), `${TS} INFO after clear\n`);
});

test("deferWrites: records are written at the end of the task, in order, each with its own timestamp", async (t) => {
  const path = join(tempDir(t), "supervisord.log");
  const echo = collector();
  let clock = NOW.getTime();
  const log = openMainLog({
    logfile: path,
    maxBytes: 0,
    backups: 0,
    level: "info",
    echo,
    now: () => new Date(clock),
    deferWrites: true,
  });
  t.after(() => log.close());
  log.info("exited: a (exit status 1; not expected)");
  clock += 1000;
  log.info("spawned: 'a' with pid 42");
  assert.equal(readFileSync(path, "utf8"), "", "nothing written synchronously");
  assert.equal(echo.chunks.length, 0);
  await Promise.resolve();
  const expected =
    `${TS} INFO exited: a (exit status 1; not expected)\n` +
    `2026-11-28 13:25:38,123 INFO spawned: 'a' with pid 42\n`;
  assert.equal(readFileSync(path, "utf8"), expected);
  assert.equal(echo.chunks.length, 1, "the echo gets the batch in one write");
  assert.equal(echo.text(), expected);
});

test("deferWrites: flush, reopen, clear and close write what is pending first", (t) => {
  const dir = tempDir(t);
  const path = join(dir, "supervisord.log");
  const log = openMainLog({
    logfile: path,
    maxBytes: 0,
    backups: 0,
    level: "info",
    now: () => NOW,
    deferWrites: true,
  });
  log.info("one");
  log.flush();
  assert.equal(readFileSync(path, "utf8"), `${TS} INFO one\n`);
  log.info("two");
  renameSync(path, join(dir, "rotated.log"));
  log.reopen();
  assert.equal(readFileSync(join(dir, "rotated.log"), "utf8"), `${TS} INFO one\n${TS} INFO two\n`);
  log.info("three");
  log.clear();
  assert.equal(readFileSync(path, "utf8"), "", "clearLog removes what was pending before it");
  log.info("four");
  log.close();
  assert.equal(readFileSync(path, "utf8"), `${TS} INFO four\n`);
});
