/** `steward render`'s command line, run in-process. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { CliIo } from "../../../src/cli/io.js";
import { parseRenderArgs, RENDER_USAGE } from "../../../src/cli/render-command.js";
import { STEWARD_USAGE, stewardMain } from "../../../src/cli/steward-main.js";

function steward(args: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: new Map(Object.entries(env)),
    cwd,
  };
  const status = stewardMain(args, io);
  return { status, stdout, stderr };
}

function request(args: string[]) {
  const parsed = parseRenderArgs(args, "/cwd");
  assert.ok("request" in parsed, JSON.stringify(parsed));
  return parsed.request;
}

function usageError(args: string[]): string {
  const parsed = parseRenderArgs(args, "/cwd");
  assert.ok("error" in parsed, JSON.stringify(parsed));
  return parsed.error;
}

describe("options", () => {
  test("short and long forms, repeatable -e -f -E, prefix made absolute", () => {
    const r = request([
      "-p",
      "install",
      "--module=bklog",
      "-e",
      "a.env",
      "--env-file",
      "b.env",
      "-f",
      "c.env",
      "--extra-env-file=d.env",
      "-E",
      "A=1",
      "--extra-env",
      "B=x=y",
      "-Ec=",
      "-cu",
      "t1",
    ]);
    assert.deepEqual(r, {
      prefix: "/cwd/install",
      module: "bklog",
      envFiles: ["a.env", "b.env"],
      extraEnvFiles: ["c.env", "d.env"],
      extraEnv: [
        ["A", "1"],
        ["B", "x=y"],
        ["c", ""],
      ],
      check: true,
      undefinedEmpty: true,
      dryRun: false,
      templates: ["t1"],
    });
  });

  test("options may come after the templates; -- ends them", () => {
    const r = request(["t1", "-p", "/p", "t2", "-n", "--", "-t3", "--x"]);
    assert.deepEqual(r.templates, ["t1", "t2", "-t3", "--x"]);
    assert.equal(r.prefix, "/p");
    assert.equal(r.dryRun, true);
  });

  test("a value that looks like an option is a value", () => {
    assert.deepEqual(request(["-p", "/p", "-E", "A=--", "t"]).extraEnv, [["A", "--"]]);
    assert.deepEqual(request(["-p", "/p", "-m", "--", "t"]).templates, ["t"]);
  });

  test("usage errors", () => {
    assert.equal(usageError(["-p", "/p", "-E", "FOO", "t"]), "-E expects KEY=VALUE, got 'FOO'");
    assert.equal(usageError(["-p", "/p", "-E", "=v", "t"]), "-E =v: '' is not a variable name");
    assert.equal(usageError(["-p", "/p", "-E", "A-B=v", "t"]), "-E A-B=v: 'A-B' is not a variable name");
    assert.match(usageError(["t"]), /^-p\/--prefix DIR is required/);
    assert.equal(usageError(["-p", "/p"]), "no template given");
    assert.match(usageError(["-p", "/p", "-c", "-n", "t"]), /^-c and -n do not go together/);
    assert.equal(usageError(["-p", "/p", "-x", "t"]), "option -x not recognized");
    assert.equal(usageError(["-p"]), "option -p requires argument");
    assert.equal(usageError(["--e=x", "t"]), "option --e not a unique prefix");
  });
});

describe("steward render", () => {
  test("-h prints the help, status 0; steward -h lists render", () => {
    const r = steward(["render", "-h"], "/");
    assert.equal(r.status, 0);
    assert.equal(r.stdout, RENDER_USAGE);
    assert.match(STEWARD_USAGE, /steward render -p DIR/);
  });

  test("a usage error: one line, how to get help, status 2", () => {
    const r = steward(["render", "-E", "FOO", "-p", "/p", "t"], "/");
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr,
      "steward render: -E expects KEY=VALUE, got 'FOO'\nFor help, use steward render -h\n",
    );
  });

  test("renders relative paths from the working directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "steward-render-cmd-"));
    writeFileSync(join(dir, "#etc#x.conf"), "home=__BK_HOME__\n");
    writeFileSync(join(dir, "bk.env"), "BK_HOME=$PREFIX_FROM_ENV/bkee\n");
    const r = steward(["render", "-p", "out", "-e", "bk.env", "#etc#x.conf"], dir, {
      PREFIX_FROM_ENV: "/data",
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(join(dir, "out/etc/x.conf"), "utf8"), "home=/data/bkee\n");
    assert.equal(r.stdout, `#etc#x.conf -> ${join(dir, "out/etc/x.conf")}\n`);
  });
});
