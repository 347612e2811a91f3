/** The three executables, run as a user runs them: help, version, and `steward config`. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { STEWARD_VERSION } from "../../src/version.js";
import { BIN, CORPUS, FIXTURES } from "../helpers/paths.js";

function run(bin: string, args: string[], cwd = "/") {
  const r = spawnSync(process.execPath, [join(BIN, `${bin}.js`), ...args], {
    cwd,
    env: { PATH: "/usr/bin:/bin", HOME: "/root" },
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "steward-cli-"));
  const file = join(dir, "supervisord.conf");
  writeFileSync(file, text);
  return file;
}

describe("every executable has -h/--help and --version", () => {
  for (const bin of ["steward", "stewardd", "stewardctl"]) {
    test(`${bin} --help`, () => {
      for (const flag of ["-h", "--help"]) {
        const r = run(bin, [flag]);
        assert.equal(r.status, 0);
        assert.match(r.stdout, /Usage: /);
      }
    });
    test(`${bin} --version`, () => {
      const r = run(bin, ["--version"]);
      assert.equal(r.status, 0);
      assert.equal(r.stdout, `${STEWARD_VERSION}\n`);
    });
  }
});

describe("stewardd validates its configuration like supervisord", () => {
  test("an unknown option is a usage error with exit status 2", () => {
    const r = run("stewardd", ["--bogus"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^Error: option --bogus not recognized\nFor help, use .*stewardd.js -h\n$/);
  });
  test("a rejected config prints supervisord's message", () => {
    const file = tempConfig("[supervisord]\n[program:x]\ncommand=/bin/true\nautorestart=maybe\n");
    const r = run("stewardd", ["-c", file]);
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr.split("\n")[0],
      `Error: invalid 'autorestart' value 'maybe' in section 'program:x' (file: '${file}')`,
    );
  });
});

describe("steward config", () => {
  test("dump of the BK-LOG configs matches the checked-in fixtures", () => {
    for (const name of ["016-bklog-api", "017-bklog-grafana"]) {
      const r = run("steward", [
        "config",
        "dump",
        "--json",
        "--no-host-checks",
        "-c",
        join(CORPUS, `${name}.conf`),
      ]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, readFileSync(join(FIXTURES, "dumps", `${name}.json`), "utf8"));
    }
  });

  test("dump of a rejected config is {error} with exit status 2", () => {
    const file = tempConfig("invalid=key\n");
    const r = run("steward", ["config", "dump", "--json", "-c", file]);
    assert.equal(r.status, 2);
    assert.deepEqual(JSON.parse(r.stdout), {
      error: `File contains no section headers.\nfile: '${file}', line: 1\n'invalid=key\\n'`,
    });
  });

  test("check prints OK and exits 0 for a good config", () => {
    const file = tempConfig("[supervisord]\nlogfile=/tmp/x.log\n[program:a]\ncommand=/bin/cat\n");
    const r = run("steward", ["config", "check", "-c", file]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^OK: /m);
  });

  test("check names file, line, section, option and what to do for every problem", () => {
    const file = tempConfig(
      "[supervisord]\n[program:a]\ncommand=/bin/cat\nstartsecs=soon\nautostart=perhaps\n",
    );
    const r = run("steward", ["config", "check", "-c", file]);
    assert.equal(r.status, 2);
    assert.match(r.stdout, /2 problems/);
    assert.ok(
      r.stdout.includes(`${file}:4: [program:a] startsecs: invalid literal for int() with base 10: 'soon'`),
    );
    assert.ok(r.stdout.includes(`${file}:5: [program:a] autostart: not a valid boolean value: 'perhaps'`));
    assert.match(r.stdout, /→ write a whole number/);
    assert.doesNotMatch(r.stdout + r.stderr, /at .*\.js:\d+/);
  });

  test("check --strict warns about options supervisord does not know", () => {
    const file = tempConfig("[supervisord]\n[program:a]\ncommand=/bin/cat\nautostrat=false\n");
    const plain = run("steward", ["config", "check", "-c", file]);
    assert.equal(plain.status, 0);
    assert.doesNotMatch(plain.stdout, /autostrat/);
    const strict = run("steward", ["config", "check", "--strict", "-c", file]);
    assert.equal(strict.status, 0);
    assert.match(strict.stdout, new RegExp(`warning: ${file}:4: \\[program:a\\] autostrat: unknown option`));
  });

  test("--no-host-checks accepts directories and users of another host", () => {
    const file = tempConfig(
      "[supervisord]\nlogfile=/nonexistent/dir/x.log\n[program:a]\ncommand=/bin/cat\nuser=nosuchuser\n",
    );
    assert.equal(run("steward", ["config", "check", "-c", file]).status, 2);
    assert.equal(run("steward", ["config", "check", "--no-host-checks", "-c", file]).status, 0);
  });
});
