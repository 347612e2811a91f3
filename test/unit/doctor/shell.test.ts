// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are shell and INI, not templates
/** Reading shell without running it: words, commands, expansions, function bodies. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  blankFunctionBodies,
  type EnvValue,
  expandWord,
  literalWord,
  parseShell,
  variablesOf,
} from "../../../src/doctor/shell.js";

const env = (vars: Record<string, string | null>) =>
  new Map<string, EnvValue>(Object.entries(vars).map(([k, v]) => [k, { value: v, origin: "test" }]));

function words(text: string, vars: Record<string, string | null> = {}): (string | null)[][] {
  return parseShell(text).map((c) => c.words.map((w) => expandWord(w, env(vars))));
}

describe("parseShell", () => {
  test("BK-LOG's wrapper: three commands joined by &&", () => {
    assert.deepEqual(
      words("sleep 10 && source bin/environ.sh && exec gunicorn -c gunicorn_config.py wsgi:application"),
      [
        ["sleep", "10"],
        ["source", "bin/environ.sh"],
        ["exec", "gunicorn", "-c", "gunicorn_config.py", "wsgi:application"],
      ],
    );
  });

  test("separators: ; || | & newline and parentheses", () => {
    assert.deepEqual(words("a; b || c | d & e\nf (g) "), [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"]]);
  });

  test("quotes and escapes", () => {
    assert.deepEqual(words(`echo 'a b' "c \\"d\\" $X" e\\ f`, { X: "x" }), [
      ["echo", "a b", 'c "d" x', "e f"],
    ]);
  });

  test("redirections are not words", () => {
    assert.deepEqual(words("echo boom >&2; exit 1"), [
      ["echo", "boom"],
      ["exit", "1"],
    ]);
    assert.deepEqual(words("run > /tmp/out 2>&1 < /dev/null"), [["run"]]);
    assert.deepEqual(words("run &> log"), [["run"]]);
  });

  test("comments and keywords", () => {
    const commands = parseShell(
      "# note\nif true; then\n  a=1 # set\nfi\nuntil nc -z db 3306; do sleep 1; done\nexec app",
    );
    assert.deepEqual(
      commands.map((c) => [c.words.map((w) => literalWord(w)), c.line, c.inLoop]),
      [
        [["true"], 2, false],
        [["a=1"], 3, false],
        [["nc", "-z", "db", "3306"], 5, true],
        [["sleep", "1"], 5, true],
        [["exec", "app"], 6, false],
      ],
    );
  });

  test("line numbers count continuation lines", () => {
    const commands = parseShell("export A=1 \\\n  B=2\nexport C=3\n");
    assert.deepEqual(
      commands.map((c) => c.line),
      [1, 3],
    );
  });
});

describe("expandWord", () => {
  test("variables, defaults and alternatives", () => {
    assert.deepEqual(words("x ${A} ${B:-dflt} ${C-dash} ${A:+alt} $A/bin", { A: "a", C: "" }), [
      ["x", "a", "dflt", "", "alt", "a/bin"],
    ]);
  });

  test("a computed part makes the word unknown", () => {
    assert.deepEqual(words('x "$(pwd)/bin" `id -u` $((1+2)) $$ ${#A} plain'), [
      ["x", null, null, null, null, null, "plain"],
    ]);
  });

  test("an unknown variable makes the word unknown; an unset one is empty", () => {
    assert.deepEqual(words("x $U/bin $MISSING/bin", { U: null }), [["x", null, "/bin"]]);
  });

  test("tilde", () => {
    assert.deepEqual(words("cd ~/app", { HOME: "/home/u" }), [["cd", "/home/u/app"]]);
  });

  test("variablesOf", () => {
    const [command] = parseShell('x "${A:-$B}:$C"');
    assert.deepEqual(variablesOf(command!.words[1]!), ["A", "B", "C"]);
  });
});

test("blankFunctionBodies keeps line numbers and drops bodies", () => {
  const text =
    'deactivate () {\n    PATH="$OLD"\n    if x; then\n      y\n    fi\n}\n\nexport PATH="/venv/bin:$PATH"\n';
  const out = blankFunctionBodies(text);
  assert.equal(out.split("\n").length, text.split("\n").length);
  assert.deepEqual(
    parseShell(out).map((c) => [c.line, c.words.map((w) => literalWord(w))]),
    [[8, ["export", null]]],
  );
});
