import assert from "node:assert/strict";
import { test } from "node:test";
import { BEGIN_TOKEN, END_TOKEN } from "../../../src/logs/capture-scanner.js";
import { MainLog } from "../../../src/logs/main-log.js";
import type { LevelName } from "../../../src/logs/main-log-format.js";
import {
  type ChildLogFile,
  OutputChannel,
  type OutputChannelOptions,
} from "../../../src/logs/output-channel.js";
import type { SyslogSink } from "../../../src/logs/syslog.js";

const NOW = new Date(2026, 10, 28, 13, 25, 37, 123);
const TS = "2026-11-28 13:25:37,123";

function fakeFile() {
  const writes: Buffer[] = [];
  let reopened = 0;
  const file: ChildLogFile = {
    write: (c) => writes.push(c as Buffer),
    reopen: () => reopened++,
    clear: () => "removed",
    close: () => {},
  };
  return { file, writes, text: () => Buffer.concat(writes).toString("latin1"), reopened: () => reopened };
}

function setup(options: Partial<OutputChannelOptions> & { level?: LevelName } = {}) {
  const out = fakeFile();
  const echo: Buffer[] = [];
  const mainLog = new MainLog({
    level: options.level ?? "info",
    echo: { write: (c) => echo.push(Buffer.from(c)) },
    now: () => NOW,
  });
  const logEvents: Buffer[] = [];
  const commEvents: Buffer[] = [];
  const channel = new OutputChannel({
    processName: "cat",
    channel: "stdout",
    file: out.file,
    mainLog,
    captureMaxBytes: 0,
    stripAnsi: false,
    syslog: false,
    onLogEvent: (d) => logEvents.push(Buffer.from(d)),
    onCommEvent: (d) => commEvents.push(Buffer.from(d)),
    ...options,
  });
  return { channel, out, logEvents, commEvents, mainText: () => Buffer.concat(echo).toString() };
}

const cat = (bufs: Buffer[]) => Buffer.concat(bufs).toString("latin1");

test("plain output: the same Buffer goes to the file and the event, nothing to the main log at info", () => {
  const calls: string[] = [];
  const mainLog = {
    isEnabled: (level: LevelName) => {
      calls.push(level);
      return false;
    },
    log: () => assert.fail("no formatting when debug is off"),
  };
  const out = fakeFile();
  const events: Buffer[] = [];
  const channel = new OutputChannel({
    processName: "cat",
    channel: "stdout",
    file: out.file,
    mainLog,
    captureMaxBytes: 0,
    stripAnsi: false,
    syslog: false,
    onLogEvent: (d) => events.push(d),
  });
  const chunk = Buffer.from("hello\n");
  channel.write(chunk);
  channel.write(Buffer.alloc(0));
  assert.equal(out.writes[0], chunk, "no copy on the hot path");
  assert.equal(events[0], chunk);
  assert.equal(out.writes.length, 1);
  assert.deepEqual(calls, ["debug"]);
});

test("debug level mirrors each chunk into the main log", () => {
  const { channel, out, mainText } = setup({ level: "debug" });
  channel.write(Buffer.from("hello\n"));
  channel.write(Buffer.from("\x88\n", "latin1"));
  assert.equal(out.text(), "hello\n\x88\n");
  assert.equal(
    mainText(),
    `${TS} DEBG 'cat' stdout output:\nhello\n\n${TS} DEBG 'cat' stdout output:\nUndecodable: b'\\x88\\n'\n`,
  );
});

test("event listener stdout: the raw chunk mirrored as a bytes repr, the file gets the stripped bytes", () => {
  const { channel, out, mainText } = setup({ level: "debug", mirrorAsBytes: true, stripAnsi: true });
  channel.write(Buffer.from("RESULT 2\nOK\x1b[1mREADY\n"));
  assert.equal(mainText(), `${TS} DEBG 'cat' stdout output:\nb'RESULT 2\\nOK\\x1b[1mREADY\\n'\n`);
  assert.equal(out.text(), "RESULT 2\nOKREADY\n");
});

test("file NONE: data still reaches the mirror, syslog and events", () => {
  const lines: string[] = [];
  const sink: SyslogSink = { send: (l) => lines.push(l), close: () => {} };
  const { channel, logEvents, mainText } = setup({
    level: "debug",
    file: null,
    syslog: true,
    syslogSink: sink,
  });
  channel.write(Buffer.from("a\nb\n\n"));
  assert.deepEqual(lines, ["cat a", "cat b"]);
  assert.equal(cat(logEvents), "a\nb\n\n");
  assert.match(mainText(), /'cat' stdout output:\na\nb\n\n\n$/);
  assert.equal(channel.clear(), null);
  channel.reopen();
});

test("syslog: true without a sink is refused", () => {
  assert.throws(() => setup({ syslog: true }), TypeError);
});

test("strip_ansi removes escape sequences before every destination", () => {
  const { channel, out, logEvents } = setup({ stripAnsi: true });
  channel.write(Buffer.from("\x1b[31mred\x1b[0m plain\n"));
  assert.equal(out.text(), "red plain\n");
  assert.equal(cat(logEvents), "red plain\n");
});

const STREAM = Buffer.concat([
  Buffer.from("before<!--XSUPERVISOR:"),
  BEGIN_TOKEN,
  Buffer.from("inside <!--XSUPERVISOR:BEGIN--> stays"),
  END_TOKEN,
  Buffer.from("after<"),
]);

function checkCapture(chunks: Buffer[], label: string) {
  const { channel, out, logEvents, commEvents, mainText } = setup({ captureMaxBytes: 1000, level: "debug" });
  for (const c of chunks) channel.write(c);
  channel.flush();
  assert.equal(out.text(), "before<!--XSUPERVISOR:after<", label);
  assert.equal(cat(logEvents), "before<!--XSUPERVISOR:after<", label);
  assert.deepEqual(
    commEvents.map((e) => e.toString()),
    ["inside <!--XSUPERVISOR:BEGIN--> stays"],
    label,
  );
  assert.ok(mainText().includes(`${TS} DEBG 'cat' stdout emitted a comm event\n`), label);
  assert.equal(channel.capturing, false);
}

test("capture mode: tokens split at every byte boundary", () => {
  for (let i = 0; i <= STREAM.length; i++) {
    checkCapture([STREAM.subarray(0, i), STREAM.subarray(i)], `split at ${i}`);
  }
});

test("capture mode: tokens split at every pair of byte boundaries", () => {
  for (let i = 0; i <= STREAM.length; i++) {
    for (let j = i; j <= STREAM.length; j++) {
      checkCapture([STREAM.subarray(0, i), STREAM.subarray(i, j), STREAM.subarray(j)], `split at ${i},${j}`);
    }
  }
});

test("capture mode: one byte at a time", () => {
  checkCapture(
    Array.from(STREAM, (byte) => Buffer.from([byte])),
    "bytewise",
  );
});

test("capture mode logs short output at once and holds back only a token prefix", () => {
  const { channel, out } = setup({ captureMaxBytes: 100 });
  channel.write(Buffer.from("out1\n"));
  assert.equal(out.text(), "out1\n", "supervisord's quirk holds this back; Steward does not");
  channel.write(Buffer.from("abc<!--XSUP"));
  assert.equal(out.text(), "out1\nabc");
  channel.write(Buffer.from("X"));
  assert.equal(out.text(), "out1\nabc<!--XSUPX");
  channel.write(Buffer.from("<!--"));
  channel.flush();
  assert.equal(out.text(), "out1\nabc<!--XSUPX<!--");
});

test("capture buffer keeps the newest capture_maxbytes bytes", () => {
  const { channel, commEvents } = setup({ captureMaxBytes: 10 });
  channel.write(Buffer.concat([BEGIN_TOKEN, Buffer.from("0123456789abc")]));
  channel.write(Buffer.from("def"));
  channel.write(Buffer.concat([Buffer.from("g"), END_TOKEN]));
  channel.write(Buffer.concat([BEGIN_TOKEN, Buffer.from("0123456789ABCDEFGHIJ"), END_TOKEN]));
  channel.write(Buffer.concat([BEGIN_TOKEN, END_TOKEN]));
  assert.deepEqual(
    commEvents.map((e) => e.toString()),
    ["789abcdefg", "ABCDEFGHIJ", ""],
  );
});

test("an unterminated capture is dropped at flush and the channel starts over", () => {
  const { channel, out, commEvents } = setup({ captureMaxBytes: 100 });
  channel.write(Buffer.concat([Buffer.from("a"), BEGIN_TOKEN, Buffer.from("lost<!--XSUPERVISOR:E")]));
  assert.equal(channel.capturing, true);
  channel.flush();
  assert.equal(channel.capturing, false);
  channel.write(Buffer.concat([Buffer.from("b"), BEGIN_TOKEN, Buffer.from("kept"), END_TOKEN]));
  assert.equal(out.text(), "ab");
  assert.deepEqual(
    commEvents.map((e) => e.toString()),
    ["kept"],
  );
});

test("captured data is stripped of ANSI escapes too", () => {
  const { channel, commEvents } = setup({ captureMaxBytes: 100, stripAnsi: true });
  channel.write(Buffer.concat([BEGIN_TOKEN, Buffer.from("\x1b[1mbold\x1b["), Buffer.from("0m"), END_TOKEN]));
  assert.deepEqual(
    commEvents.map((e) => e.toString()),
    ["bold"],
  );
});

test("flush releases a held ESC; reopen and clear reach the file", () => {
  const { channel, out } = setup({ stripAnsi: true });
  channel.write(Buffer.from("x\x1b"));
  assert.equal(out.text(), "x");
  channel.flush();
  assert.equal(out.text(), "x\x1b");
  channel.reopen();
  assert.equal(out.reopened(), 1);
  assert.equal(channel.clear(), "removed");
  channel.close();
});

test("log_timestamps: the file's lines begin with the stamp; events and the mirror get the output as it came", () => {
  const { channel, out, logEvents, mainText } = setup({ level: "debug", lineStamp: () => `${TS} ` });
  channel.write(Buffer.from("one\ntw"));
  channel.write(Buffer.from("o\n"));
  assert.equal(out.text(), `${TS} one\n${TS} two\n`);
  assert.equal(cat(logEvents), "one\ntwo\n");
  assert.match(mainText(), /stdout output:\none\ntw\n/);
});
