/** src/render/ is a pure core: only files.ts touches the file system or the process. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { REPO_ROOT } from "../../helpers/paths.js";

test("only src/render/files.ts imports node's IO modules", () => {
  const dir = join(REPO_ROOT, "src/render");
  const impure: string[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".ts") && n !== "files.ts")) {
    const text = readFileSync(join(dir, name), "utf8");
    for (const m of text.matchAll(/from "node:([a-z_/]+)"/g))
      if (m[1] !== "path") impure.push(`${name}: node:${m[1]}`);
    if (/\bprocess\./.test(text)) impure.push(`${name}: process`);
  }
  assert.deepEqual(impure, []);
});
