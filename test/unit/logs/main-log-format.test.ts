import assert from "node:assert/strict";
import { test } from "node:test";
import {
  decodeUtf8Strict,
  formatCommEventNotice,
  formatListenerMirror,
  formatOutputMirror,
  formatRecord,
  formatTimestamp,
  LEVEL_CODES,
  LEVEL_NUMBERS,
  type LevelName,
  levelEnabled,
  pyBytesRepr,
} from "../../../src/logs/main-log-format.js";

const b = (s: string) => Buffer.from(s, "latin1");

test("record format: local time, milliseconds truncated to three digits, four-letter level", () => {
  const date = new Date(2026, 10, 28, 9, 5, 7, 89);
  assert.equal(
    formatRecord(date, "info", "supervisord started with pid 42"),
    "2026-11-28 09:05:07,089 INFO supervisord started with pid 42\n",
  );
  assert.equal(formatTimestamp(new Date(2026, 0, 2, 23, 59, 59, 999)), "2026-01-02 23:59:59,999");
  assert.equal(formatTimestamp(new Date(2026, 0, 2, 0, 0, 0, 0)), "2026-01-02 00:00:00,000");
  assert.equal(formatRecord(date, "debug", "a\nb"), "2026-11-28 09:05:07,089 DEBG a\nb\n");
});

test("levels: names, numbers and codes as supervisord has them", () => {
  assert.deepEqual(LEVEL_NUMBERS, {
    critical: 50,
    error: 40,
    warn: 30,
    info: 20,
    debug: 10,
    trace: 5,
    blather: 3,
  });
  assert.deepEqual(Object.values(LEVEL_CODES), ["CRIT", "ERRO", "WARN", "INFO", "DEBG", "TRAC", "BLAT"]);
});

test("levelEnabled: a record is written when its level is at or above the configured one", () => {
  const names = Object.keys(LEVEL_NUMBERS) as LevelName[];
  for (const config of names) {
    for (const level of names) {
      assert.equal(
        levelEnabled(config, level),
        names.indexOf(level) <= names.indexOf(config),
        `${config}/${level}`,
      );
    }
  }
  assert.equal(levelEnabled("info", "debug"), false);
  assert.equal(levelEnabled("debug", "debug"), true);
  assert.equal(levelEnabled("blather", "trace"), true);
});

test("pyBytesRepr matches Python's repr(bytes)", () => {
  const cases: Array<[Buffer, string]> = [
    [b(""), "b''"],
    [b("it's"), `b"it's"`],
    [b(`both'"`), `b'both\\'"'`],
    [b("\x88\n"), "b'\\x88\\n'"],
    [b("RESULT 2\nOKREADY\n"), "b'RESULT 2\\nOKREADY\\n'"],
    [b("\\ \t\r\x00\x7f\xff~"), "b'\\\\ \\t\\r\\x00\\x7f\\xff~'"],
    [Buffer.from("ö"), "b'\\xc3\\xb6'"],
  ];
  for (const [data, expected] of cases) assert.equal(pyBytesRepr(data), expected);
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const repr = pyBytesRepr(all);
  assert.ok(repr.startsWith("b'\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t\\n\\x0b\\x0c\\r\\x0e"));
  assert.ok(repr.includes(` !"#$%&\\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_\`abc`));
  assert.ok(
    repr.endsWith(
      "|}~\\x7f\\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87\\x88\\x89\\x8a\\x8b\\x8c\\x8d\\x8e\\x8f\\x90\\x91\\x92\\x93\\x94\\x95\\x96\\x97\\x98\\x99\\x9a\\x9b\\x9c\\x9d\\x9e\\x9f\\xa0\\xa1\\xa2\\xa3\\xa4\\xa5\\xa6\\xa7\\xa8\\xa9\\xaa\\xab\\xac\\xad\\xae\\xaf\\xb0\\xb1\\xb2\\xb3\\xb4\\xb5\\xb6\\xb7\\xb8\\xb9\\xba\\xbb\\xbc\\xbd\\xbe\\xbf\\xc0\\xc1\\xc2\\xc3\\xc4\\xc5\\xc6\\xc7\\xc8\\xc9\\xca\\xcb\\xcc\\xcd\\xce\\xcf\\xd0\\xd1\\xd2\\xd3\\xd4\\xd5\\xd6\\xd7\\xd8\\xd9\\xda\\xdb\\xdc\\xdd\\xde\\xdf\\xe0\\xe1\\xe2\\xe3\\xe4\\xe5\\xe6\\xe7\\xe8\\xe9\\xea\\xeb\\xec\\xed\\xee\\xef\\xf0\\xf1\\xf2\\xf3\\xf4\\xf5\\xf6\\xf7\\xf8\\xf9\\xfa\\xfb\\xfc\\xfd\\xfe\\xff'",
    ),
  );
});

test("decodeUtf8Strict: Python's strict decode, BOM kept, surrogates and overlongs refused", () => {
  assert.equal(decodeUtf8Strict(Buffer.from("héllo\n")), "héllo\n");
  assert.equal(decodeUtf8Strict(b("\xef\xbb\xbfhi")), "\ufeffhi");
  assert.equal(decodeUtf8Strict(b("\xed\xa0\x80")), null);
  assert.equal(decodeUtf8Strict(b("\xc0\xaf")), null);
  assert.equal(decodeUtf8Strict(b("ok\xc3")), null, "a character cut at the chunk end");
});

test("output mirror: name as Python repr, data as text or Undecodable", () => {
  assert.equal(formatOutputMirror("cat", "stdout", Buffer.from("hello\n")), "'cat' stdout output:\nhello\n");
  assert.equal(formatOutputMirror("it's", "stderr", Buffer.from("x")), `"it's" stderr output:\nx`);
  assert.equal(formatOutputMirror(`a"b'c`, "stdout", Buffer.from("x")), `'a"b\\'c' stdout output:\nx`);
  assert.equal(
    formatOutputMirror("test_öäü", "stdout", Buffer.from("ü\n")),
    "'test_öäü' stdout output:\nü\n",
  );
  assert.equal(formatOutputMirror("tab\there", "stdout", Buffer.from("")), "'tab\\there' stdout output:\n");
  assert.equal(formatOutputMirror("x\\y", "stdout", Buffer.from("1")), "'x\\\\y' stdout output:\n1");
  assert.equal(
    formatOutputMirror("cat", "stdout", b("\x88\n")),
    "'cat' stdout output:\nUndecodable: b'\\x88\\n'",
  );
});

test("listener mirror: the data as a bytes repr, never decoded", () => {
  assert.equal(
    formatListenerMirror("listener", "stdout", Buffer.from("RESULT 2\nOKREADY\n")),
    "'listener' stdout output:\nb'RESULT 2\\nOKREADY\\n'",
  );
  assert.equal(formatCommEventNotice("cat", "stdout"), "'cat' stdout emitted a comm event");
});
