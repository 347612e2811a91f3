// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are bash, not templates
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Binding, readEnvFile } from "../../../src/render/env-file.js";
import { RenderInputError } from "../../../src/render/errors.js";

/** The values an env file sets, on top of `env` (the process environment). */
function values(text: string, env: Record<string, string> = {}, pinned: Record<string, string> = {}) {
  const start = new Map<string, Binding>();
  for (const [k, v] of Object.entries(env)) start.set(k, { value: v, source: { kind: "environment" } });
  for (const [k, v] of Object.entries(pinned)) start.set(k, { value: v, source: { kind: "option" } });
  const result = readEnvFile(text, "t.env", start, new Set(Object.keys(pinned)));
  return {
    vars: Object.fromEntries([...result.variables].map(([k, b]) => [k, b.value])),
    bindings: result.variables,
    warnings: result.warnings,
  };
}

function value(text: string, name = "A", env: Record<string, string> = {}): string | undefined {
  return values(text, env).vars[name];
}

function error(text: string): RenderInputError {
  try {
    readEnvFile(text, "t.env", new Map());
  } catch (e) {
    assert.ok(e instanceof RenderInputError, String(e));
    return e;
  }
  assert.fail(`accepted: ${JSON.stringify(text)}`);
}

describe("assignments", () => {
  test("plain lines, comments, blank lines, export, several per line", () => {
    const { vars } = values(
      [
        "# a comment",
        "",
        "   ",
        "A=1",
        "export B=2",
        "export\tC=3 D=4",
        "E=5; F=6 # trailing comment",
        "  G=7",
        "export H",
        "I=",
        "J= K=8",
      ].join("\n"),
    );
    assert.deepEqual(vars, { A: "1", B: "2", C: "3", D: "4", E: "5", F: "6", G: "7", I: "", J: "", K: "8" });
  });

  test("the BlueKing env file's shapes: empty values, ${VAR} of an earlier line", () => {
    const { vars } = values(
      "BK_HOME=\nBK_BKLOG_API_PORT=10400\nBK_BKLOG_API_ADDR=bklog-api.service.consul:${BK_BKLOG_API_PORT}\n",
    );
    assert.equal(vars.BK_HOME, "");
    assert.equal(vars.BK_BKLOG_API_ADDR, "bklog-api.service.consul:10400");
  });

  test("a later assignment wins and records its line", () => {
    const { bindings } = values("A=1\nA=2\n");
    assert.deepEqual(bindings.get("A"), { value: "2", source: { kind: "file", file: "t.env", line: 2 } });
  });

  test("NAME+=VALUE appends", () => {
    assert.equal(value("A=x\nA+=y"), "xy");
    assert.equal(value("A+=y"), "y");
  });

  test("# inside a word is not a comment; after a blank it is", () => {
    assert.equal(value("A=b#c"), "b#c");
    assert.equal(value("A=#c"), "#c");
    assert.equal(value("A=b #c"), "b");
  });

  test("CRLF line ends and a BOM are ignored", () => {
    assert.deepEqual(values("\uFEFFA=1\r\nB='x'\r\n").vars, { A: "1", B: "x" });
  });

  test("'export' can itself be a variable name", () => {
    assert.equal(value("export=1", "export"), "1");
  });
});

describe("quoting, as bash", () => {
  test("single quotes are literal, may span lines", () => {
    assert.equal(value("A='$HOME \\n \"x\" `y` $(z)'"), '$HOME \\n "x" `y` $(z)');
    assert.equal(value("A='line1\nline2'"), "line1\nline2");
  });

  test('double quotes: \\$ \\` \\" \\\\ and backslash-newline are escapes, other backslashes stay', () => {
    assert.equal(value('A="a\\$b \\`c\\` \\"d\\" e\\\\f \\n \\x"'), 'a$b `c` "d" e\\f \\n \\x');
    assert.equal(value('A="one\\\ntwo"'), "onetwo");
    assert.equal(value('A="multi\nline"'), "multi\nline");
  });

  test("unquoted: backslash escapes the next character; backslash-newline continues the line", () => {
    assert.equal(value("A=a\\ b\\|c\\&d\\'e"), "a b|c&d'e");
    assert.equal(value("A=one\\\ntwo"), "onetwo");
    assert.equal(value("A=1 \\\n B=2", "B"), "2");
  });

  test("adjacent quoted and unquoted parts join into one word", () => {
    assert.equal(value(`A=ab'c d'"e f"g`), "abc de fg");
  });

  test("$'…' ANSI-C strings", () => {
    assert.equal(value("A=$'a\\nb\\tc\\\\d\\'e\\x41\\101\\u00e9'"), "a\nb\tc\\d'eAAé");
  });

  test('$"…" is a double-quoted string', () => {
    assert.equal(value('A=$"x $B"', "A", { B: "y" }), "x y");
  });

  test("a hostile password survives every quoting style", () => {
    const hostile = `p|a&s/s\\w"o'r d`;
    assert.equal(value(`A='p|a&s/s\\w"o'\\''r d'`), hostile);
    assert.equal(value(`A="p|a&s/s\\\\w\\"o'r d"`), hostile);
    assert.equal(value(`A=p\\|a\\&s/s\\\\w\\"o\\'r\\ d`), hostile);
  });

  test("globs and braces are literal (no expansion in an assignment)", () => {
    assert.equal(value("A=*.conf"), "*.conf");
    assert.equal(value("A={a,b}"), "{a,b}");
  });

  test("a tilde at the start or after an unquoted ':' is $HOME; elsewhere or quoted it is literal", () => {
    const env = { HOME: "/root" };
    assert.equal(value("A=~", "A", env), "/root");
    assert.equal(value("A=~/x:~:b~/c", "A", env), "/root/x:/root:b~/c");
    assert.equal(value("A='~'/x:\\~/y", "A", env), "~/x:~/y");
    assert.equal(value('A="~/x"', "A", env), "~/x");
    assert.equal(value("A=~\\'x", "A", env), "~'x");
    assert.match(error("A=~root/x").message, /^~root \(a user's home directory\) is not supported/);
    assert.deepEqual(values("A=~").warnings, ["t.env:1: ~ is kept as it is: HOME is not set"]);
  });
});

describe("references", () => {
  test("$VAR and ${VAR} see earlier lines, unquoted and in double quotes", () => {
    const { vars } = values('A=x\nB=$A/y\nC="${A}z $A"\nD=${A}${B}');
    assert.deepEqual(vars, { A: "x", B: "x/y", C: "xz x", D: "xx/y" });
  });

  test("the process environment is visible", () => {
    assert.equal(value("A=$HOME/x", "A", { HOME: "/root" }), "/root/x");
  });

  test("an unset name expands to the empty string, with a warning naming file and line", () => {
    const { vars, warnings } = values("\nA=a${NOPE}b\nB=$NOPE");
    assert.equal(vars.A, "ab");
    assert.equal(vars.B, "");
    assert.deepEqual(warnings, [
      "t.env:2: $NOPE is not set; it expands to the empty string",
      "t.env:3: $NOPE is not set; it expands to the empty string",
    ]);
  });

  test("a reference is to the value at that point, not a later one", () => {
    assert.equal(value("B=1\nA=$B\nB=2"), "1");
  });

  test("${VAR:-default}, ${VAR-default}, ${VAR:+alt}, ${VAR+alt}", () => {
    const env = { SET: "v", EMPTY: "" };
    assert.equal(value("A=${SET:-d}", "A", env), "v");
    assert.equal(value("A=${EMPTY:-d}", "A", env), "d");
    assert.equal(value("A=${NONE:-d}", "A", env), "d");
    assert.equal(value("A=${EMPTY-d}", "A", env), "");
    assert.equal(value("A=${NONE-d}", "A", env), "d");
    assert.equal(value("A=${SET:+alt}", "A", env), "alt");
    assert.equal(value("A=${EMPTY:+alt}", "A", env), "");
    assert.equal(value("A=${EMPTY+alt}", "A", env), "alt");
    assert.equal(value("A=${NONE+alt}", "A", env), "");
  });

  test("a default may hold spaces, quotes and references", () => {
    assert.equal(value("A=${NONE:-a b}"), "a b");
    assert.equal(value("A=${NONE:-'x y'$SET}", "A", { SET: "!" }), "x y!");
    assert.equal(value('A="${NONE:-"q r"}"'), "q r");
    assert.equal(value("A=\"${NONE:-'s'}\""), "'s'");
  });

  test("an unused default does not warn", () => {
    assert.deepEqual(values("A=${SET:-$NOPE}", { SET: "v" }).warnings, []);
  });

  test("a lone $ or $ before a non-name is literal", () => {
    assert.equal(value("A=a$"), "a$");
    assert.equal(value('A="$ $/"'), "$ $/");
  });
});

describe("-E values are pinned", () => {
  test("an assignment to a pinned name is ignored and references see the -E value", () => {
    const { vars, bindings } = values("BK_HOME=/file\nLOGS=$BK_HOME/logs", {}, { BK_HOME: "/cli" });
    assert.equal(vars.BK_HOME, "/cli");
    assert.equal(vars.LOGS, "/cli/logs");
    assert.deepEqual(bindings.get("BK_HOME")?.source, { kind: "option" });
  });
});

describe("refused, with file and line", () => {
  test("command substitution $(…) and backticks are never run", () => {
    for (const text of [
      "\n\nA=$(id)",
      '\n\nA="x$(id)"',
      "\n\nA=`id`",
      '\n\nA="`id`"',
      "\n\nA=${NONE:-$(id)}",
    ]) {
      const e = error(text);
      assert.equal(e.file, "t.env");
      assert.equal(e.line, 3);
      assert.match(e.message, /^command substitution (\$\(…\)|`…`) is not allowed/);
    }
  });

  test("arithmetic expansion", () => {
    assert.match(error("A=$((1+2))").message, /arithmetic expansion/);
  });

  test("special parameters", () => {
    for (const p of ["1", "$", "@", "?", "#", "!"]) {
      assert.match(error(`A=$${p}`).message, /^special parameter/);
    }
  });

  test("unsupported ${…} forms", () => {
    for (const text of ["A=${X:=d}", "A=${X/a/b}", "A=${#X}", "A=${!X}", "A=${X%.*}"]) {
      assert.match(error(text).message, /^unsupported expansion \$\{/);
    }
  });

  test("unquoted operators inside a value", () => {
    for (const op of ["|", "&", "<", ">", "(", ")"]) {
      assert.match(error(`A=a${op}b`).message, /^unquoted '.' in a value/);
    }
  });

  test("lines that are not assignments", () => {
    assert.match(error("source other.env").message, /^'source other.env' is not a variable assignment/);
    assert.match(error("set -a").message, /is not a variable assignment/);
    assert.match(error("A=1 cmd").message, /^'cmd' is not a variable assignment/);
    assert.match(error("KEY = VALUE").message, /without spaces around '='/);
    assert.match(error("1A=x").message, /is not a variable assignment/);
  });

  test("unterminated quotes name the line they open on", () => {
    const e = error("A=1\nB='open\nstill\n");
    assert.equal(e.line, 2);
    assert.match(e.message, /unterminated single quote/);
    assert.equal(error('\nB="open').line, 2);
    assert.match(error("A=${X:-abc").message, /unterminated/);
  });

  test("describe() gives FILE:LINE: message", () => {
    assert.match(error("\nA=$(x)").describe(), /^t\.env:2: command substitution/);
  });
});
