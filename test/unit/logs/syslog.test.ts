import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { UnixSyslog } from "../../../src/logs/syslog.js";

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "steward-syslog-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A stream server on a unix path that resolves once it has received `until`. */
async function listen(t: TestContext, path: string, until: string): Promise<{ received: Promise<string> }> {
  let received = "";
  let done: (text: string) => void;
  const result = new Promise<string>((resolve) => (done = resolve));
  const server: Server = createServer((socket) => {
    socket.on("data", (data) => {
      received += data.toString();
      if (received.includes(until)) done(received);
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.after(() => server.close());
  return { received: result };
}

test("RFC3164 lines over a stream connection to the syslog socket", async (t) => {
  const path = join(tempDir(t), "log");
  const { received } = await listen(t, path, "second\n");
  const syslog = new UnixSyslog({ path, journalPath: null });
  syslog.send("first");
  syslog.send("second");
  assert.equal(await received, "<14>stewardd: first\n<14>stewardd: second\n");
  syslog.send("after connect");
  syslog.close();
  syslog.send("after close is dropped");
});

test("falls back to journald's stdout stream protocol when the syslog socket fails", async (t) => {
  const dir = tempDir(t);
  const journal = join(dir, "stdout");
  const { received } = await listen(t, journal, "two\n");
  const syslog = new UnixSyslog({ path: join(dir, "missing"), journalPath: journal, tag: "steward-test" });
  syslog.send("one");
  syslog.send("two");
  assert.equal(await received, "steward-test\n\n6\n1\n0\n0\n0\n<6>one\n<6>two\n");
  syslog.close();
});

test("no target at all: messages are dropped without errors", async (t) => {
  const dir = tempDir(t);
  const syslog = new UnixSyslog({ path: join(dir, "a"), journalPath: join(dir, "b"), retryMs: 60_000 });
  syslog.send("lost");
  await new Promise((resolve) => setTimeout(resolve, 50));
  syslog.send("dropped while down");
  syslog.close();
});
