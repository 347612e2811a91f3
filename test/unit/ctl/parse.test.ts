import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTailArgs } from "../../../src/ctl/commands/tail.js";
import { parseWaitArgs } from "../../../src/ctl/commands/wait.js";
import { complete, currentWord } from "../../../src/ctl/completion.js";
import { parseCtlArgs } from "../../../src/ctl/options.js";
import { COMMANDS, VOCABULARY } from "../../../src/ctl/registry.js";
import { parseLine, pySplit } from "../../../src/ctl/words.js";

test("parseLine follows cmd.Cmd: ? is help, ! has no command, the arg is stripped", () => {
  assert.deepEqual(parseLine("  status  a b "), { cmd: "status", arg: "a b", line: "status  a b" });
  assert.deepEqual(parseLine("?start"), { cmd: "help", arg: "start", line: "help start" });
  assert.equal(parseLine("!ls").cmd, null);
  assert.equal(parseLine("").line, "");
  assert.deepEqual(pySplit(" a\tb  c\n"), ["a", "b", "c"]);
});

test("tail arguments", () => {
  assert.deepEqual(parseTailArgs(["cat"]), { ok: true, name: "cat", channel: "stdout", bytes: 1600 });
  assert.deepEqual(parseTailArgs(["-f", "cat", "STDERR"]), {
    ok: true,
    name: "cat",
    channel: "stderr",
    bytes: "follow",
  });
  assert.deepEqual(parseTailArgs(["-100", "cat"]), { ok: true, name: "cat", channel: "stdout", bytes: 100 });
  assert.deepEqual(parseTailArgs(["cat", "foo"]), {
    ok: false,
    error: "Error: bad channel 'foo'",
    help: false,
  });
  assert.deepEqual(parseTailArgs(["-x", "cat"]), { ok: false, error: "Error: bad argument -x", help: false });
  assert.deepEqual(parseTailArgs(["-f"]), {
    ok: false,
    error: "Error: tail requires process name",
    help: false,
  });
  assert.deepEqual(parseTailArgs([]), { ok: false, error: "Error: too few arguments", help: true });
  assert.deepEqual(parseTailArgs(["a", "b", "c", "d"]), {
    ok: false,
    error: "Error: too many arguments",
    help: true,
  });
});

test("the command line: options, joined positionals, shell when no command", () => {
  const r = parseCtlArgs(["-c", "x.conf", "start", "a", "b"]);
  assert.equal(r.kind, "run");
  if (r.kind === "run") {
    assert.equal(r.args.command, "start a b");
    assert.equal(r.args.configfile, "x.conf");
    assert.equal(r.args.interactive, false);
  }
  const shell = parseCtlArgs([]);
  assert.ok(shell.kind === "run" && shell.args.interactive && shell.args.command === null);
  assert.deepEqual(parseCtlArgs(["-s", "foo"]), {
    kind: "usage",
    message: "invalid value for -s 'foo': value 'foo' is not a URL",
  });
  assert.deepEqual(parseCtlArgs(["-u", "a", "-u", "b"]), {
    kind: "usage",
    message: "conflicting command line option '-u'",
  });
  assert.deepEqual(parseCtlArgs(["--bogus"]), { kind: "usage", message: "option --bogus not recognized" });
  assert.deepEqual(parseCtlArgs(["-?"]), { kind: "help" });
  assert.deepEqual(parseCtlArgs(["--version"]), { kind: "version" });
  const json = parseCtlArgs(["--json", "status"]);
  assert.ok(json.kind === "run" && json.args.json);
});

test("wait arguments", () => {
  assert.deepEqual(parseWaitArgs(["--timeout", "5", "a", "g:*"]), { timeout: 5, names: ["a", "g:*"] });
  assert.deepEqual(parseWaitArgs(["--timeout=0.5", "a"]), { timeout: 0.5, names: ["a"] });
  assert.ok("error" in parseWaitArgs(["--timeout", "x", "a"]));
  assert.ok("error" in parseWaitArgs([]));
});

test("completion: commands, then process names or groups", () => {
  const procs = () => [
    { group: "cat", name: "cat" },
    { group: "g", name: "a" },
    { group: "g", name: "b" },
  ];
  assert.deepEqual(complete("sta", VOCABULARY, COMMANDS, procs), ["start ", "status "]);
  assert.deepEqual(complete("start ", VOCABULARY, COMMANDS, procs), ["cat ", "g:a ", "g:* ", "g:b "]);
  assert.deepEqual(complete("stop g:", VOCABULARY, COMMANDS, procs), ["g:a ", "g:* ", "g:b "]);
  assert.deepEqual(complete("fg c", VOCABULARY, COMMANDS, procs), ["cat "]);
  assert.deepEqual(complete("f", VOCABULARY, COMMANDS, procs), ["fg "]);
  assert.deepEqual(complete("update ", VOCABULARY, COMMANDS, procs), ["cat ", "g "]);
  assert.equal(currentWord("stop g:*"), "g:*");
});

test("tail -f keeps only the bytes after the previous end of the log", async () => {
  const { newTailBytes } = await import("../../../src/ctl/commands/follow.js");
  assert.equal(newTailBytes("tick 1\ntick 2\n", 7, 14), "tick 2\n");
  assert.equal(newTailBytes("tick 1\n", 7, 7), "");
  assert.equal(newTailBytes("new\n", 100, 4), "new\n");
  assert.equal(newTailBytes("é\n", 0, 3), "é\n");
});
