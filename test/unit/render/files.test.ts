/** The file system side: atomic writes with the template's mode, directories made, errors worded. */
import assert from "node:assert/strict";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { RenderInputError } from "../../../src/render/errors.js";
import {
  describeFsError,
  readEnvFileText,
  readTemplateFile,
  writeFileAtomic,
} from "../../../src/render/files.js";

const temp = () => mkdtempSync(join(tmpdir(), "steward-render-files-"));

test("writeFileAtomic makes the directories and sets the mode whatever the umask", () => {
  const dir = temp();
  const target = join(dir, "a/b/c/file.sh");
  const old = process.umask(0o077);
  try {
    writeFileAtomic(target, Buffer.from("#!/bin/sh\n"), 0o755);
  } finally {
    process.umask(old);
  }
  assert.equal(readFileSync(target, "utf8"), "#!/bin/sh\n");
  assert.equal(statSync(target).mode & 0o777, 0o755);
  assert.deepEqual(readdirSync(join(dir, "a/b/c")), ["file.sh"], "no temporary file left behind");
});

test("writeFileAtomic replaces a read-only file, and a symlink rather than writing through it", () => {
  const dir = temp();
  const target = join(dir, "conf");
  writeFileSync(target, "old");
  chmodSync(target, 0o444);
  writeFileAtomic(target, Buffer.from("new"), 0o640);
  assert.equal(readFileSync(target, "utf8"), "new");
  assert.equal(statSync(target).mode & 0o777, 0o640);

  const elsewhere = join(dir, "elsewhere");
  writeFileSync(elsewhere, "keep");
  const link = join(dir, "link");
  symlinkSync(elsewhere, link);
  writeFileAtomic(link, Buffer.from("rendered"), 0o644);
  assert.equal(readFileSync(elsewhere, "utf8"), "keep");
  assert.equal(readFileSync(link, "utf8"), "rendered");
});

test("writeFileAtomic errors name the target and leave no temporary file", () => {
  const dir = temp();
  mkdirSync(join(dir, "isdir"));
  writeFileSync(join(dir, "isdir/inside"), "");
  assert.throws(
    () => writeFileAtomic(join(dir, "isdir"), Buffer.from("x"), 0o644),
    (e: unknown) =>
      e instanceof RenderInputError && e.message.startsWith(`cannot write '${join(dir, "isdir")}': `),
  );
  assert.deepEqual(readdirSync(dir), ["isdir"]);
  writeFileSync(join(dir, "file"), "");
  assert.throws(() => writeFileAtomic(join(dir, "file/sub/x"), Buffer.from("x"), 0o644), {
    message: `cannot write '${join(dir, "file/sub/x")}': not a directory`,
  });
});

test("readTemplateFile returns the bytes and the permission bits", () => {
  const dir = temp();
  const file = join(dir, "api#bin#environ.sh");
  writeFileSync(file, Buffer.from([0xff, 0x00, 0x41]));
  chmodSync(file, 0o4755);
  const t = readTemplateFile("api#bin#environ.sh", dir);
  assert.deepEqual(Buffer.from(t.bytes), Buffer.from([0xff, 0x00, 0x41]));
  assert.equal(t.mode, 0o755);
});

test("read errors say what and which path, as given", () => {
  const dir = temp();
  assert.throws(() => readTemplateFile("missing.conf", dir), {
    message: "cannot read template 'missing.conf': no such file or directory",
  });
  assert.throws(() => readTemplateFile(".", dir), { message: "cannot read template '.': is a directory" });
  assert.throws(() => readEnvFileText("bk.env", dir), {
    message: "cannot read env file 'bk.env': no such file or directory",
  });
  assert.throws(() => readEnvFileText(".", dir), { message: "cannot read env file '.': is a directory" });
});

test("describeFsError keeps the system's words only", () => {
  const error = Object.assign(new Error("EACCES: permission denied, open '/x/y'"), { code: "EACCES" });
  assert.equal(describeFsError(error), "permission denied");
  const rename = Object.assign(new Error("EISDIR: illegal operation on a directory, rename '/a' -> '/b'"), {
    code: "EISDIR",
  });
  assert.equal(describeFsError(rename), "illegal operation on a directory");
});
