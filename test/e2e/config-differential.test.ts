/**
 * The differential test of issue #2: supervisord 4.2's own parser (Debian's `supervisor`, driven by
 * test/reference/supervisord-dump.py) and Steward must produce the same dump for every corpus entry
 * and every edge-case fixture, or both reject it with the same message.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { configToJson, errorToJson, stringifyDump } from "../../src/config/dump.js";
import { loadConfig } from "../../src/config/load.js";
import { isConfigError } from "../../src/errors.js";
import { type Entry, listEntries } from "../helpers/corpus.js";
import { CORPUS, FIXTURES, REPO_ROOT } from "../helpers/paths.js";

const PYTHON = "/usr/bin/python3";
const DUMPER = join(REPO_ROOT, "test/reference/supervisord-dump.py");

function referenceDump(entry: Entry, hostChecks: boolean): unknown {
  const args = [DUMPER, ...(hostChecks ? [] : ["--no-host-checks"]), "-c", entry.file];
  const out = execFileSync(PYTHON, args, { cwd: "/", env: Object.fromEntries(entry.env), encoding: "utf8" });
  return JSON.parse(out);
}

function stewardDump(entry: Entry, hostChecks: boolean): unknown {
  try {
    const config = loadConfig({ file: entry.file, env: entry.env, cwd: "/", hostChecks });
    return JSON.parse(stringifyDump(configToJson(config)));
  } catch (error) {
    if (isConfigError(error)) return errorToJson(error);
    throw error;
  }
}

test("Debian's supervisord is installed for the reference dumper", () => {
  assert.ok(
    existsSync(PYTHON),
    "install python3 and Debian's supervisor package (apt-get install -y supervisor)",
  );
  execFileSync(PYTHON, ["-c", "import supervisor.options"]);
});

/** Where Steward knowingly differs (docs/config-dump.md): id → Steward's message and the reason. */
const DEVIATIONS: Record<string, { reason: string; error: string }> = JSON.parse(
  readFileSync(join(FIXTURES, "conf/edge/deviations.json"), "utf8"),
);

for (const [title, dir] of [
  ["corpus", CORPUS],
  ["edge cases", join(FIXTURES, "conf/edge")],
] as const) {
  describe(`steward and supervisord agree on every ${title} entry`, () => {
    const entries = existsSync(dir) ? listEntries(dir) : [];
    test(`${title} has entries`, () => assert.ok(entries.length > 0, `no entries in ${dir}`));
    for (const entry of entries) {
      const hostChecks = !entry.noHostChecks;
      const deviation = DEVIATIONS[entry.id];
      test(`${entry.id}${hostChecks ? " (host checks)" : ""}`, () => {
        const reference = referenceDump(entry, hostChecks);
        const steward = stewardDump(entry, hostChecks);
        if (deviation) {
          assert.deepStrictEqual(
            steward,
            { error: deviation.error.replace("{FILE}", entry.file) },
            deviation.reason,
          );
          assert.notDeepStrictEqual(
            reference,
            steward,
            "supervisord now agrees: remove the entry from deviations.json",
          );
        } else assert.deepStrictEqual(steward, reference);
      });
    }
  });
}

describe("with host checks", () => {
  for (const entry of listEntries(CORPUS, (n) => /^0(0[1-9]|1[0-9])/.test(n))) {
    test(`${entry.id}`, () => {
      assert.deepStrictEqual(stewardDump(entry, true), referenceDump(entry, true));
    });
  }
});
