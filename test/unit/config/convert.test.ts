import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ConversionError,
  toAutoRestart,
  toBoolean,
  toByteSize,
  toExistingDirpath,
  toExitCodes,
  toInetAddress,
  toInteger,
  toLogLevel,
  toName,
  toOctal,
  toSignal,
  toUid,
} from "../../../src/config/convert.js";
import { permissiveHost } from "../../../src/config/host.js";

const refuses = (fn: () => unknown, message: string) =>
  assert.throws(fn, (e: unknown) => e instanceof ConversionError && e.message === message, message);

test("integer", () => {
  assert.equal(toInteger(" 42 "), 42);
  refuses(() => toInteger("abc"), "invalid literal for int() with base 10: 'abc'");
});

test("boolean", () => {
  for (const t of ["yes", "TRUE", "On", "1"]) assert.equal(toBoolean(t), true);
  for (const f of ["no", "False", "OFF", "0"]) assert.equal(toBoolean(f), false);
  refuses(() => toBoolean("yup"), "not a valid boolean value: 'yup'");
});

test("byte size", () => {
  assert.equal(toByteSize("50MB"), 52428800);
  assert.equal(toByteSize("1kb"), 1024);
  assert.equal(toByteSize("1 MB"), 1048576);
  assert.equal(toByteSize("2GB"), 2 * 1024 ** 3);
  assert.equal(toByteSize("-1"), -1);
  assert.equal(toByteSize("0"), 0);
  refuses(() => toByteSize("10xb"), "invalid literal for int() with base 10: '10xb'");
  refuses(() => toByteSize("1KB "), "invalid literal for int() with base 10: '1kb '");
});

test("octal", () => {
  assert.equal(toOctal("022"), 18);
  assert.equal(toOctal("0o777"), 511);
  refuses(() => toOctal("999"), "999 can not be converted to an octal type");
});

test("signal: names with or without SIG, numbers Python knows", () => {
  assert.equal(toSignal("TERM"), 15);
  assert.equal(toSignal("sigterm"), 15);
  assert.equal(toSignal(" HUP "), 1);
  assert.equal(toSignal("IOT"), 6);
  assert.equal(toSignal("9"), 9);
  assert.equal(toSignal("RTMIN"), 34);
  refuses(() => toSignal("FOO"), "value 'FOO' is not a valid signal name");
  refuses(() => toSignal("32"), "value '32' is not a valid signal number");
  refuses(() => toSignal("RTMIN+1"), "value 'RTMIN+1' is not a valid signal name");
});

test("exit codes", () => {
  assert.deepEqual(toExitCodes("0, 2"), [0, 2]);
  assert.deepEqual(toExitCodes(""), []);
  refuses(() => toExitCodes("0,256"), "not a valid list of exit codes: '0,256'");
});

test("autorestart", () => {
  assert.equal(toAutoRestart("TRUE"), "true");
  assert.equal(toAutoRestart("off"), "false");
  assert.equal(toAutoRestart("Unexpected"), "unexpected");
  refuses(() => toAutoRestart("Maybe"), "invalid 'autorestart' value 'maybe'");
});

test("logging level", () => {
  assert.equal(toLogLevel("WARN"), "warn");
  assert.equal(toLogLevel("blather"), "blather");
  refuses(() => toLogLevel("warning"), "bad logging level name 'warning'");
});

test("process and group names", () => {
  assert.equal(toName(" web "), "web");
  refuses(() => toName("x y"), "Invalid name: 'x y' because of character: ' '");
  refuses(() => toName("a:b"), "Invalid name: 'a:b' because of character: ':'");
  refuses(() => toName("a/b"), "Invalid name: 'a/b' because of character: '/'");
});

test("inet address", () => {
  assert.deepEqual(toInetAddress("127.0.0.1:9001"), { host: "127.0.0.1", port: 9001 });
  assert.deepEqual(toInetAddress("*:9001"), { host: "", port: 9001 });
  assert.deepEqual(toInetAddress(":9001"), { host: "", port: 9001 });
  assert.deepEqual(toInetAddress("9001"), { host: "", port: 9001 });
  assert.deepEqual(toInetAddress("LocalHost:1"), { host: "localhost", port: 1 });
  refuses(() => toInetAddress("foo"), "not a valid port number: 'foo' ");
  refuses(() => toInetAddress("h:"), "no port number specified in ''");
  refuses(() => toInetAddress("h:0"), "0 is below lower bound (1)");
  refuses(() => toInetAddress("h:70000"), "70000 is above upper bound (65535)");
});

test("paths and users consult the host facts", () => {
  const host = {
    ...permissiveHost({ homeOf: () => "/home/u" }),
    isDirectory: (p: string) => p === "/var/log",
    uidOfName: () => null,
  };
  const ctx = { env: new Map([["HOME", "/root"]]), host };
  assert.equal(toExistingDirpath("/var/log/x.log", ctx), "/var/log/x.log");
  assert.equal(toExistingDirpath("x.log", ctx), "x.log");
  refuses(
    () => toExistingDirpath("/nope/x.log", ctx),
    "The directory named as part of the path /nope/x.log does not exist",
  );
  refuses(() => toUid("nosuchuser", host), "Invalid user name nosuchuser");
});
