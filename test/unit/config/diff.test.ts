import assert from "node:assert/strict";
import { test } from "node:test";
import { diffGroups } from "../../../src/config/diff.js";
import { load } from "../../helpers/temp-config.js";

const groups = (body: string) => load(`[supervisord]\n${body}`).groups;

test("added, changed and removed groups, as reread reports them", () => {
  const before = groups("[program:a]\ncommand=a\n[program:b]\ncommand=b\n[program:c]\ncommand=c\n");
  const after = groups("[program:a]\ncommand=a\n[program:b]\ncommand=b --new\n[program:d]\ncommand=d\n");
  const diff = diffGroups(before, after);
  assert.deepEqual(
    diff.added.map((g) => g.name),
    ["d"],
  );
  assert.deepEqual(
    diff.changed.map((g) => g.name),
    ["b"],
  );
  assert.deepEqual(
    diff.removed.map((g) => g.name),
    ["c"],
  );
});

test("an AUTO log on either side is not a change; an environment change is", () => {
  const auto = groups("[program:a]\ncommand=a\n");
  const file = groups("[program:a]\ncommand=a\nstdout_logfile=/tmp/a.log\n");
  assert.equal(diffGroups(auto, file).changed.length, 0);
  const env = groups("environment=X=1\n[program:a]\ncommand=a\n");
  assert.deepEqual(
    diffGroups(auto, env).changed.map((g) => g.name),
    ["a"],
  );
});
