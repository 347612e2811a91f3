// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are bash, not templates
/**
 * `steward render` on copies of BK-LOG's real templates with BlueKing's bklog.env, as the installer runs
 * it: target paths, permission bits, every defined placeholder filled in with the value bash gives it,
 * undefined ones reported with file:line, and the rendered supervisord configs load.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { readEnvFile } from "../../src/render/env-file.js";
import { BIN, FIXTURES, SHARED } from "../helpers/paths.js";

const TEMPLATES = join(SHARED, "corpus/bklog-templates");
const SECRETS = join(FIXTURES, "render/secrets.env");
const PLACEHOLDER = /__[A-Z][A-Z0-9]+(_[A-Z0-9]+){0,9}__/g;

/** Template name → [target under the prefix, the mode its copy is given]. */
const LAYOUT: Record<string, [string, number]> = {
  "#etc#supervisor-bklog-api.conf": ["etc/supervisor-bklog-api.conf", 0o644],
  "#etc#supervisor-bklog-grafana.conf": ["etc/supervisor-bklog-grafana.conf", 0o600],
  "api#bin#environ.sh": ["bklog/api/bin/environ.sh", 0o755],
  "grafana#conf#grafana.ini": ["bklog/grafana/conf/grafana.ini", 0o640],
};

function steward(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(BIN, "steward.js"), ...args], {
    cwd,
    env: { PATH: "/usr/bin:/bin", ...env },
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh directory with the templates and bklog.env copied in, each template with its LAYOUT mode. */
function workspace(): { dir: string; templates: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "steward-render-"));
  mkdirSync(join(dir, "templates"));
  const templates: string[] = [];
  for (const [name, [, mode]] of Object.entries(LAYOUT)) {
    const copy = join(dir, "templates", name);
    copyFileSync(join(TEMPLATES, name), copy);
    chmodSync(copy, mode);
    templates.push(`templates/${name}`);
  }
  copyFileSync(join(TEMPLATES, "bklog.env.example"), join(dir, "bklog.env"));
  return { dir, templates };
}

/** What bash makes of the env files: each variable's value after sourcing them in order. */
function bashValues(files: string[], names: string[], cwd: string): Map<string, string> {
  const script = `set -a; ${files.map((f) => `. '${f}';`).join(" ")} for n in ${names.join(" ")}; do printf '%s\\0%s\\0' "$n" "\${!n}"; done`;
  const r = spawnSync("bash", ["-c", script], { cwd, env: { PATH: "/usr/bin:/bin" }, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const parts = r.stdout.split("\0");
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < parts.length; i += 2) values.set(parts[i]!, parts[i + 1]!);
  return values;
}

function placeholderNames(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[0].slice(2, -2));
}

describe("steward render on BK-LOG's templates", () => {
  test("writes each template to its target with its permission bits; undefined LAN_IP reported, status 1", () => {
    const { dir, templates } = workspace();
    const prefix = join(dir, "bkee");
    const r = steward(
      [
        "render",
        "-p",
        prefix,
        "-m",
        "bklog",
        "-e",
        "bklog.env",
        "-f",
        SECRETS,
        "-E",
        `BK_HOME=${prefix}`,
        ...templates,
      ],
      dir,
    );
    assert.equal(r.status, 1, r.stderr);
    assert.equal(
      r.stderr,
      "templates/api#bin#environ.sh:3: __LAN_IP__ is not defined\n" +
        "templates/grafana#conf#grafana.ini:26: __LAN_IP__ is not defined\n" +
        "steward render: 1 variable is not defined: __LAN_IP__ (left in place)\n" +
        '  define it with -e, -f, -E or in the environment, or use -u to replace it with ""\n',
    );
    assert.equal(
      r.stdout,
      Object.entries(LAYOUT)
        .map(([name, [target]]) => `templates/${name} -> ${join(prefix, target)}\n`)
        .join(""),
    );

    const written = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? written(join(d, e.name)) : [join(d, e.name).slice(prefix.length + 1)],
      );
    assert.deepEqual(
      written(prefix).sort(),
      Object.values(LAYOUT)
        .map(([t]) => t)
        .sort(),
      "nothing else written",
    );

    const templateNames = new Set<string>();
    for (const name of Object.keys(LAYOUT)) {
      for (const n of placeholderNames(readFileSync(join(TEMPLATES, name), "latin1"))) templateNames.add(n);
    }
    const bash = bashValues(["bklog.env", SECRETS], [...templateNames], dir);
    bash.set("BK_HOME", prefix);

    for (const [name, [target, mode]] of Object.entries(LAYOUT)) {
      const out = join(prefix, target);
      assert.equal(statSync(out).mode & 0o777, mode, `${target} keeps the template's mode`);
      const template = readFileSync(join(TEMPLATES, name), "utf8");
      // The expected text: each placeholder replaced by bash's value of its variable, LAN_IP left.
      const expected = template.replace(PLACEHOLDER, (m) => {
        const v = m.slice(2, -2);
        return v === "LAN_IP" ? m : (bash.get(v) ?? assert.fail(`bash has no ${v}`));
      });
      const text = readFileSync(out, "utf8");
      assert.equal(text, expected, target);
      const left = placeholderNames(text).filter((n) => n !== "BK_HOME"); // __BK_HOME__ is inside a password
      assert.deepEqual(
        [...new Set(left)],
        name.includes("environ") || name.includes("grafana.ini") ? ["LAN_IP"] : [],
      );
    }

    const environ = readFileSync(join(prefix, "bklog/api/bin/environ.sh"), "utf8");
    assert.ok(
      environ.includes(`export DB_PASSWORD="p|a&s/s\\w"o'r d"\n`),
      "the sed-breaking password survives",
    );
    assert.ok(environ.includes("export BK_BKLOG_REDIS_PASSWORD=first line\nsecond line\n"));
    assert.ok(environ.includes('export APP_TOKEN="s3cr&t|x y"\n'));
    assert.ok(environ.includes(`export PATH=${prefix}/.envs/bklog-api/bin:$PATH\n`));
    const grafana = readFileSync(join(prefix, "bklog/grafana/conf/grafana.ini"), "utf8");
    assert.ok(
      grafana.includes(`password = """g&r|a/f\\a"n'a __BK_HOME__"""\n`),
      "a value's __BK_HOME__ is not expanded",
    );
    assert.ok(grafana.includes("host = mysql-log.service.consul:3306\n"));
  });

  test("with LAN_IP in the environment nothing is left and the status is 0; the configs load", () => {
    const { dir, templates } = workspace();
    const prefix = join(dir, "bkee");
    const r = steward(
      ["render", "-p", prefix, "-m", "bklog", "-e", "bklog.env", "-E", `BK_HOME=${prefix}`, ...templates],
      dir,
      {
        LAN_IP: "10.0.0.7",
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    for (const [target] of Object.values(LAYOUT)) {
      assert.deepEqual(placeholderNames(readFileSync(join(prefix, target), "utf8")), [], target);
    }
    assert.match(
      readFileSync(join(prefix, "bklog/grafana/conf/grafana.ini"), "utf8"),
      /^http_addr = 10\.0\.0\.7$/m,
    );
    for (const conf of ["etc/supervisor-bklog-api.conf", "etc/supervisor-bklog-grafana.conf"]) {
      const check = steward(["config", "check", "--no-host-checks", "-c", join(prefix, conf)], dir);
      assert.equal(check.status, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /^OK: /m);
    }
    const dump = steward(
      ["config", "dump", "--json", "--no-host-checks", "-c", join(prefix, "etc/supervisor-bklog-api.conf")],
      dir,
    );
    assert.equal(JSON.parse(dump.stdout).supervisord.logfile, join(prefix, "logs/bklog/api-supervisord.log"));
  });

  test("rendering again replaces the files (read-only templates give read-only files)", () => {
    const { dir, templates } = workspace();
    const prefix = join(dir, "bkee");
    chmodSync(join(dir, templates[0]!), 0o444);
    const args = ["render", "-u", "-p", prefix, "-m", "bklog", "-e", "bklog.env", ...templates];
    assert.equal(steward([...args, "-E", "BK_HOME=/first"], dir).status, 0);
    const second = steward([...args, "-E", "BK_HOME=/second"], dir);
    assert.equal(second.status, 0, second.stderr);
    const api = join(prefix, "etc/supervisor-bklog-api.conf");
    assert.equal(statSync(api).mode & 0o777, 0o444);
    assert.match(readFileSync(api, "utf8"), /^logfile=\/second\/logs\/bklog\/api-supervisord\.log$/m);
    assert.deepEqual(
      readdirSync(join(prefix, "etc")).sort(),
      ["supervisor-bklog-api.conf", "supervisor-bklog-grafana.conf"],
      "no temporary files left",
    );
  });

  test("-u replaces undefined placeholders with the empty string", () => {
    const { dir, templates } = workspace();
    const prefix = join(dir, "bkee");
    const r = steward(["render", "-u", "-p", prefix, "-m", "bklog", "-e", "bklog.env", ...templates], dir);
    assert.equal(r.status, 0, r.stderr);
    const grafana = readFileSync(join(prefix, "bklog/grafana/conf/grafana.ini"), "utf8");
    assert.match(grafana, /^http_addr = $/m);
    assert.match(readFileSync(join(prefix, "bklog/api/bin/environ.sh"), "utf8"), /^export LAN_IP=""$/m);
  });

  test("-c reports every placeholder and its value and writes nothing", () => {
    const { dir, templates } = workspace();
    const prefix = join(dir, "bkee");
    const r = steward(
      ["render", "-c", "-p", prefix, "-m", "bklog", "-e", "bklog.env", "-f", SECRETS, ...templates],
      dir,
    );
    assert.equal(r.status, 1);
    assert.ok(!existsSync(prefix), "nothing written");
    assert.match(
      r.stdout,
      /^templates\/#etc#supervisor-bklog-api\.conf -> .*\/bkee\/etc\/supervisor-bklog-api\.conf$/m,
    );
    assert.match(r.stdout, /^ {2}__BK_HOME__ = "" from bklog\.env:4, at lines 3, 18, 20$/m);
    assert.match(r.stdout, /^ {2}__BK_BKLOG_API_PORT__ = "10400" from bklog\.env:25, at line 4$/m);
    assert.match(
      r.stdout,
      /^ {2}__BK_BKLOG_REDIS_PASSWORD__ = "first line\\nsecond line" from .*secrets\.env:\d+, at line 49$/m,
    );
    assert.match(r.stdout, /^ {2}__LAN_IP__ not defined, left in place, at line 3$/m);
    assert.match(
      r.stdout,
      /^44 placeholders of 30 variables in 4 templates: 1 not defined, \d+ defined as empty$/m,
    );
    assert.match(r.stderr, /^templates\/api#bin#environ\.sh:3: __LAN_IP__ is not defined$/m);
  });

  test("-n prints the rendered text and writes nothing", () => {
    const { dir } = workspace();
    const prefix = join(dir, "bkee");
    const r = steward(
      [
        "render",
        "-n",
        "-p",
        prefix,
        "-e",
        "bklog.env",
        "-E",
        "BK_HOME=/opt/bk",
        "templates/#etc#supervisor-bklog-api.conf",
      ],
      dir,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!existsSync(prefix));
    assert.equal(
      r.stdout,
      readFileSync(join(TEMPLATES, "#etc#supervisor-bklog-api.conf"), "utf8").replaceAll(
        "__BK_HOME__",
        "/opt/bk",
      ),
    );
  });
});

describe("env files are read as bash reads them", () => {
  const SNIPPETS = [
    readFileSync(join(TEMPLATES, "bklog.env.example"), "utf8"),
    readFileSync(SECRETS, "utf8"),
    "A='x'\\''y' B='a\\b' C='$HOME'\n",
    'A="a\\\\b\\$c\\`d\\"e\\qf\\\nnext"\n',
    "A=a\\ b\\\\c\\|d\\&e\nB=x\\\ny\n",
    'B=1; A="${B}2$B" C=${B}${B}\n',
    "E=\nA=${U:-def ault}${U-x}${E:-y}${E-z}${B:+p}${E+q}${U+r}\n",
    'A="${U:-"q r"}" B="${U:-\'s\'}" C=${U:-\'t u\'$HOME}\n',
    "A=$'a\\tb\\x41\\0101\\\\\\'c' B=$\"d $HOME\"\n",
    "export A=1 B=2\nexport C\nD=3 # c\nE=b#c\nF=#x\n",
    "A=\"multi\nline\" B='also\nmulti'\n",
    "A=~ B=~/x:~/y C=x~ D='~' E=\\~\n",
    "A=x\nA+=y B+=z\n",
    "A=*.conf B={a,b} C=[x] D=@%^!\n",
    "A=1\r\nB='2'\r\n",
  ];
  for (const [i, text] of SNIPPETS.entries()) {
    test(`snippet ${i}`, () => {
      const dir = mkdtempSync(join(tmpdir(), "steward-render-bash-"));
      const file = join(dir, "t.env");
      writeFileSync(file, text);
      const env = new Map([
        ["HOME", "/root"],
        ["PATH", "/usr/bin:/bin"],
      ]);
      const start = new Map(
        [...env].map(([k, v]) => [k, { value: v, source: { kind: "environment" as const } }]),
      );
      const ours = readEnvFile(text, file, start);
      const names = [...ours.variables].filter(([, b]) => b.source.kind === "file").map(([n]) => n);
      assert.ok(names.length > 0);
      const r = spawnSync(
        "bash",
        [
          "-c",
          `set -a; . '${file}'; for n in ${names.join(" ")}; do printf '%s\\0%s\\0' "$n" "\${!n}"; done`,
        ],
        { env: Object.fromEntries(env), encoding: "utf8" },
      );
      assert.equal(r.status, 0, r.stderr);
      const parts = r.stdout.split("\0");
      const theirs = new Map<string, string>();
      for (let j = 0; j + 1 < parts.length; j += 2) theirs.set(parts[j]!, parts[j + 1]!);
      for (const name of names) {
        // bash keeps the CR of a CRLF line; Steward drops it (docs/render.md).
        const expected = (theirs.get(name) ?? "").replace(/\r$/, "");
        assert.equal(ours.variables.get(name)?.value, expected, `${name} in ${JSON.stringify(text)}`);
      }
    });
  }
});

describe("steward render refuses bad input with status 2 and writes nothing", () => {
  test("command substitution in an env file: file and line, never run", () => {
    const { dir, templates } = workspace();
    const env = join(FIXTURES, "render/command-substitution.env");
    const r = steward(["render", "-p", join(dir, "bkee"), "-m", "bklog", "-e", env, ...templates], dir);
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr,
      `steward render: ${env}:3: command substitution $(…) is not allowed: steward render never runs commands from an env file; write the value itself\n`,
    );
    assert.ok(!existsSync(join(dir, "bkee")));
  });

  test("a missing template, an unreadable env file, a bad -E, a missing -m", () => {
    const { dir, templates } = workspace();
    const p = join(dir, "bkee");
    const cases: Array<[string[], string]> = [
      [
        ["-p", p, "-m", "bklog", "templates/#etc#nope.conf", ...templates],
        "steward render: cannot read template 'templates/#etc#nope.conf': no such file or directory\nsteward render: nothing was written\n",
      ],
      [
        ["-p", p, "-m", "bklog", "-e", "missing.env", ...templates],
        "steward render: cannot read env file 'missing.env': no such file or directory\n",
      ],
      [
        ["-p", p, "-E", "BK_HOME", ...templates],
        "steward render: -E expects KEY=VALUE, got 'BK_HOME'\nFor help, use steward render -h\n",
      ],
      [
        ["-p", p, "templates/api#bin#environ.sh"],
        "steward render: templates/api#bin#environ.sh: a name that does not start with '#' lands under PREFIX/MODULE/: give -m MODULE\nsteward render: nothing was written\n",
      ],
    ];
    for (const [args, stderr] of cases) {
      const r = steward(["render", ...args], dir);
      assert.equal(r.status, 2, args.join(" "));
      assert.equal(r.stderr, stderr);
      assert.equal(r.stdout, "");
      assert.ok(!existsSync(p), "nothing written");
    }
  });

  test("-h prints the help", () => {
    const r = steward(["render", "--help"], "/");
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage:\n {2}steward render -p DIR/);
  });
});
