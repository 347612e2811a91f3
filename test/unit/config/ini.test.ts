import assert from "node:assert/strict";
import { test } from "node:test";
import {
  emptyDocument,
  getOption,
  IniParseError,
  optionNames,
  readIniInto,
  sectionNames,
} from "../../../src/config/ini.js";

function parse(text: string) {
  const doc = emptyDocument();
  readIniInto(doc, text, "f.conf");
  return doc;
}
const value = (text: string, section: string, option: string) =>
  getOption(parse(text), section, option)?.value;

test("inline comments start only after whitespace", () => {
  assert.equal(value("[s]\na=/x.log ; note\n", "s", "a"), "/x.log");
  assert.equal(value("[s]\na=/bin/echo a;b\n", "s", "a"), "/bin/echo a;b");
  assert.equal(value("[s]\na=/x.pid#y\n", "s", "a"), "/x.pid#y");
  assert.equal(value("[s]\na=bash -c 'foo ; bar'\n", "s", "a"), "bash -c 'foo");
  assert.equal(value("[s]\na=x\t# tabbed\n", "s", "a"), "x");
});

test("full-line comments are dropped, also indented ones inside a value", () => {
  assert.equal(value("; top\n# top\n[s]\na=1\n  ; inside\n  2\n", "s", "a"), "1\n2");
});

test("continuation lines join with newlines, keep blank lines and drop trailing ones", () => {
  assert.equal(value("[s]\na=1\n  2\n\n  3\n\n\n", "s", "a"), "1\n2\n\n3");
});

test("key: value, lower-cased keys, last duplicate wins, duplicate sections merge", () => {
  const doc = parse("[s]\nKey: v1\nkey = v2\n[t]\nx=1\n[s]\nother=3\n");
  assert.equal(getOption(doc, "s", "key")?.value, "v2");
  assert.equal(getOption(doc, "s", "other")?.value, "3");
  assert.deepEqual(sectionNames(doc), ["s", "t"]);
});

test("[DEFAULT] options are inherited by every section", () => {
  const doc = parse("[DEFAULT]\nstartsecs=7\n[program:a]\ncommand=x\n");
  assert.equal(getOption(doc, "program:a", "startsecs")?.value, "7");
  assert.deepEqual(optionNames(doc, "program:a"), ["command", "startsecs"]);
  assert.deepEqual(sectionNames(doc), ["program:a"]);
});

test("CRLF and lone CR end lines, as Python's universal newlines do", () => {
  assert.equal(value("[s]\r\na=1\r\nb=2\r", "s", "b"), "2");
  assert.equal(value("[s]\ra=1\r", "s", "a"), "1");
});

test("section names keep inner whitespace and everything up to the last ]", () => {
  assert.deepEqual(sectionNames(parse("[program: foo ]\n[a]b]\n")), ["program: foo ", "a]b"]);
});

test("options record file and line", () => {
  const opt = getOption(parse("[s]\n\na=1\n"), "s", "a");
  assert.deepEqual(opt, { value: "1", file: "f.conf", line: 3 });
});

test("a missing section header is configparser's MissingSectionHeaderError", () => {
  assert.throws(
    () => parse("invalid=key\n"),
    (e: unknown) =>
      e instanceof IniParseError &&
      e.message === "File contains no section headers.\nfile: 'f.conf', line: 1\n'invalid=key\\n'",
  );
});

test("unparsable lines are all listed in one ParsingError", () => {
  assert.throws(
    () => parse("[s]\nnovalue\na=1\n{% if x %}\n"),
    (e: unknown) =>
      e instanceof IniParseError &&
      e.message ===
        "Source contains parsing errors: 'f.conf'\n\t[line  2]: 'novalue\\n'\n\t[line  4]: '{% if x %}\\n'",
  );
});

test("non-ASCII names and values survive", () => {
  assert.equal(value("[program:ünïcödé]\ncommand=echo 日本\n", "program:ünïcödé", "command"), "echo 日本");
});
