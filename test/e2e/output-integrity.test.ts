/**
 * Every child pipe is read into one buffer the daemon reuses (src/process/spawned-child.ts): output of
 * programs writing at the same time must still land, byte for byte, in its own program's log.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { startDaemon } from "../helpers/daemon.js";

const SIZE = 8 * 1024 * 1024;

test("concurrent floods of output each land whole in their own logs", async (t) => {
  const programs = ["a", "b", "c", "d"];
  const d = startDaemon(
    t,
    programs
      .map(
        (p) =>
          `[program:${p}]\ncommand=/bin/sh -c "head -c ${SIZE} /dev/zero | tr '\\\\0' '${p}'; head -c ${SIZE / 2} /dev/zero | tr '\\\\0' '${p.toUpperCase()}' >&2"\n` +
          `startsecs=0\nautorestart=false\nstdout_logfile=%(here)s/${p}.out\nstderr_logfile=%(here)s/${p}.err\nstdout_logfile_maxbytes=0\nstderr_logfile_maxbytes=0\n`,
      )
      .join(""),
  );
  await d.waitForCount(/exited: [abcd] \(exit status 0; expected\)/, programs.length, 60000);
  for (const p of programs) {
    for (const [file, size, letter] of [
      [`${p}.out`, SIZE, p],
      [`${p}.err`, SIZE / 2, p.toUpperCase()],
    ] as const) {
      const data = readFileSync(join(d.dir, file));
      assert.equal(data.length, size, `${file} size`);
      const code = letter.charCodeAt(0);
      assert.ok(
        data.every((byte) => byte === code),
        `${file} holds only '${letter}'`,
      );
    }
  }
  await d.stop();
});
