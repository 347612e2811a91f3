import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { renderConfigDocs } from "../../../src/config/docs.js";
import { SECTIONS } from "../../../src/config/schema.js";
import { REPO_ROOT } from "../../helpers/paths.js";

test("docs/config.md is what the schema generates (run `npm run docs` after changing it)", () => {
  assert.equal(readFileSync(join(REPO_ROOT, "docs/config.md"), "utf8"), renderConfigDocs());
});

test("every option has a type, a doc line and its names", () => {
  for (const section of SECTIONS) {
    for (const option of section.options) {
      assert.ok(option.doc.length > 10, `${section.title} ${option.name}`);
      assert.ok(option.expands.length > 0, `${section.title} ${option.name}`);
    }
  }
});
