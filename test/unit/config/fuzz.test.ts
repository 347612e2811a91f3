/**
 * Property test: mutated corpus configs and random text either load or fail with a ConfigError
 * carrying a message; nothing else (TypeError, RangeError, a hang) ever escapes the loader.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../../src/config/load.js";
import { isConfigError } from "../../../src/errors.js";
import { listEntries } from "../../helpers/corpus.js";
import { CORPUS } from "../../helpers/paths.js";
import { writeTree } from "../../helpers/temp-config.js";

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  "%",
  "%(",
  ")s",
  "%(process_num)02d",
  "%%",
  "=",
  ":",
  ";",
  "#",
  " ",
  "\n",
  "\r\n",
  "\t",
  "[",
  "]",
  "[program:x]",
  "[group:g]",
  "[eventlistener:e]",
  "[fcgi-program:f]",
  "[include]",
  "[DEFAULT]",
  "numprocs=3",
  "environment=",
  '"',
  "'",
  ",",
  "\u00e9",
  "\ufeff",
  "\x00",
  "~",
  "unix://",
  "tcp://h:1",
  "events=",
  "programs=",
  "files=*",
];

function mutate(text: string, random: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (out.length + 1));
    const r = random();
    if (r < 0.4) out = out.slice(0, at) + PIECES[Math.floor(random() * PIECES.length)] + out.slice(at);
    else if (r < 0.7) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 20));
    else out = out.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x3000)) + out.slice(at);
  }
  return out;
}

test("the loader returns a config or a ConfigError for mutated and random configs", () => {
  const sources = listEntries(CORPUS, (n) => n.endsWith(".conf")).map((e) => readFileSync(e.file, "utf8"));
  const dir = writeTree({});
  const file = join(dir, "supervisord.conf");
  const seed = Number(process.env.STEWARD_FUZZ_SEED ?? 20261128);
  const random = rng(seed);
  const iterations = Number(process.env.STEWARD_FUZZ_ITERATIONS ?? 1500);
  for (let i = 0; i < iterations; i++) {
    const base = random() < 0.9 ? sources[Math.floor(random() * sources.length)]! : "";
    let text = mutate(base, random);
    if (base === "") for (let k = 0; k < 30; k++) text += PIECES[Math.floor(random() * PIECES.length)];
    writeFileSync(file, text);
    try {
      const config = loadConfig({
        file,
        env: new Map([["HOME", "/root"]]),
        cwd: "/",
        hostChecks: random() < 0.5,
      });
      assert.ok(Array.isArray(config.groups));
    } catch (error) {
      if (!isConfigError(error) || !error.issues[0]?.message) {
        assert.fail(
          `seed ${seed} iteration ${i}: ${String((error as Error)?.stack ?? error)}\n--- config ---\n${text}`,
        );
      }
    }
  }
});
