import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BEGIN_TOKEN,
  CaptureScanner,
  type CaptureSegment,
  END_TOKEN,
  heldPrefixLength,
} from "../../../src/logs/capture-scanner.js";

const show = (segments: CaptureSegment[]) =>
  segments.map((s) =>
    s.type === "toggle" ? `toggle:${s.capturing}` : `${s.capturing ? "cap" : "log"}:${s.data}`,
  );

test("the tokens are supervisord's", () => {
  assert.equal(BEGIN_TOKEN.toString(), "<!--XSUPERVISOR:BEGIN-->");
  assert.equal(END_TOKEN.toString(), "<!--XSUPERVISOR:END-->");
});

test("heldPrefixLength finds the longest proper token prefix at the end", () => {
  assert.equal(heldPrefixLength(Buffer.from("abc"), BEGIN_TOKEN), 0);
  assert.equal(heldPrefixLength(Buffer.from("abc<"), BEGIN_TOKEN), 1);
  assert.equal(heldPrefixLength(Buffer.from("a<!--XSUPERVISOR:BEGIN--"), BEGIN_TOKEN), 23);
  assert.equal(heldPrefixLength(Buffer.from("<!--XSUPERVISOR:<!--X"), BEGIN_TOKEN), 5);
  assert.equal(heldPrefixLength(Buffer.from("<<"), BEGIN_TOKEN), 1);
  assert.equal(heldPrefixLength(Buffer.from("<!--XSUPERVISOR:BEGIN"), END_TOKEN), 0);
  assert.equal(heldPrefixLength(Buffer.alloc(0), END_TOKEN), 0);
});

test("segments in stream order, BEGIN inside a capture is data, END outside is data", () => {
  const scanner = new CaptureScanner();
  assert.deepEqual(
    show(scanner.push(Buffer.from(`a${END_TOKEN}b${BEGIN_TOKEN}c${BEGIN_TOKEN}d${END_TOKEN}e<!`))),
    [`log:a${END_TOKEN}b`, "toggle:true", `cap:c${BEGIN_TOKEN}d`, "toggle:false", "log:e"],
  );
  assert.deepEqual(show(scanner.push(Buffer.from("--X"))), []);
  assert.deepEqual(show(scanner.end()), ["log:<!--X"]);
  assert.deepEqual(show(scanner.end()), []);
});

test("end() during a capture returns the held bytes as captured data and resets the mode", () => {
  const scanner = new CaptureScanner();
  assert.deepEqual(show(scanner.push(Buffer.from(`${BEGIN_TOKEN}x<!--`))), ["toggle:true", "cap:x"]);
  assert.equal(scanner.capturing, true);
  assert.deepEqual(show(scanner.end()), ["cap:<!--"]);
  assert.equal(scanner.capturing, false);
});
