/**
 * The layer rules of docs/ARCHITECTURE.md, checked on the import lines of src/: a pure core that
 * knows nothing of the daemon, and no import cycles between folders.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { test } from "node:test";
import { REPO_ROOT } from "../helpers/paths.js";

const SRC = join(REPO_ROOT, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** src-relative paths a file imports from the project. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/from "(\.[^"]+)\.js"/g)].map((m) =>
    relative(SRC, resolve(file, "..", `${m[1]}.ts`)),
  );
}

/** For each file pattern, the imports it may have. */
const RULES: Array<[RegExp, RegExp]> = [
  [/^(errors|version)\.ts$/, /^$/],
  [/^process\/states\.ts$/, /^$/],
  [/^config\//, /^(config\/|errors\.ts$)/],
  [/^process\//, /^(process\/|config\/(types|py-text|convert)\.ts$|errors\.ts$)/],
  [/^logs\//, /^(logs\/|config\/py-text\.ts$|errors\.ts$)/],
  [/^events\//, /^(events\/|logs\/main-log-format\.ts$|process\/states\.ts$|errors\.ts$)/],
  [/^render\//, /^(render\/|errors\.ts$)/],
  [/^web\//, /^(web\/|rpc\/(faults|values)\.ts$|process\/states\.ts$)/],
  [
    /^doctor\//,
    /^(doctor\/|config\/|rpc\/(client|errors|values)\.ts$|process\/command-line\.ts$|errors\.ts$)/,
  ],
  [/^ctl\//, /^(ctl\/|rpc\/|config\/|cli\/|process\/(states|namespec)\.ts$|errors\.ts$|version\.ts$)/],
];

test("each module imports only what its layer may", () => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const name = relative(SRC, file);
    const rule = RULES.find(([pattern]) => pattern.test(name));
    if (!rule) continue;
    for (const imported of importsOf(file)) {
      if (!rule[1].test(imported)) violations.push(`${name} imports ${imported}`);
    }
  }
  assert.deepEqual(violations, []);
});

test("folders do not import each other in a cycle", () => {
  const edges = new Map<string, Set<string>>();
  const folder = (p: string) => (p.includes("/") ? p.split("/")[0]! : p);
  for (const file of sourceFiles(SRC)) {
    const from = folder(relative(SRC, file));
    for (const imported of importsOf(file)) {
      const to = folder(imported);
      if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (node: string, path: string[]): void => {
    if (done.has(node)) return;
    assert.ok(!visiting.has(node), `import cycle: ${[...path, node].join(" → ")}`);
    visiting.add(node);
    for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    visiting.delete(node);
    done.add(node);
  };
  for (const node of edges.keys()) visit(node, []);
});
