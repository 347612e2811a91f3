import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type FileFacts,
  type FileStat,
  resolveCommand,
  SpawnError,
  searchPath,
  shlexSplit,
} from "../../../src/process/command-line.js";

test("shlexSplit splits as Python's shlex.split (outputs taken from Python 3.11)", () => {
  const cases: Array<[string, string[]]> = [
    ["", []],
    ["   ", []],
    ["a b  c", ["a", "b", "c"]],
    ["a\tb\nc\rd", ["a", "b", "c", "d"]],
    ["'a b' c", ["a b", "c"]],
    ['"a b" c', ["a b", "c"]],
    ["a'b c'd", ["ab cd"]],
    ["''", [""]],
    ['""', [""]],
    ["a '' b", ["a", "", "b"]],
    ["'a\\b'", ["a\\b"]],
    ['"a\\b"', ["a\\b"]],
    ['"a\\"b"', ['a"b']],
    ['"a\\\\b"', ["a\\b"]],
    ["a\\ b", ["a b"]],
    ["a\\\nb", ["a\nb"]],
    ["#comment x", ["#comment", "x"]],
    ["a#b", ["a#b"]],
    ["x'it''s'", ["xits"]],
    [`"$HOME" '$x'`, ["$HOME", "$x"]],
    ["é ü", ["é", "ü"]],
    ["a\vb", ["a\vb"]],
    ['"a\\$b"', ["a\\$b"]],
    ["a\\'b", ["a'b"]],
  ];
  for (const [input, expected] of cases) assert.deepEqual(shlexSplit(input), expected, JSON.stringify(input));
});

test("shlexSplit raises Python's messages", () => {
  for (const input of ["'", '"abc', "a 'b"])
    assert.throws(() => shlexSplit(input), { message: "No closing quotation" });
  for (const input of ["a\\", '"a\\'])
    assert.throws(() => shlexSplit(input), { message: "No escaped character" });
});

/** A file system of a few paths; `exec` lists what access(X_OK) allows. */
function files(entries: Record<string, FileStat>, exec: string[] = Object.keys(entries)): FileFacts {
  return {
    stat: (path) => entries[path] ?? null,
    canExecute: (path) => exec.includes(path),
  };
}
const FILE = { isDirectory: false, mode: 0o100755 };
const DIR = { isDirectory: true, mode: 0o40755 };

function resolve(command: string, fs: FileFacts, programPath?: string, daemonPath?: string) {
  return resolveCommand(command, {
    programEnvironment: programPath === undefined ? {} : { PATH: programPath },
    daemonEnvironment: daemonPath === undefined ? {} : { PATH: daemonPath },
    files: fs,
  });
}

function failure(fn: () => unknown): { failure: string; message: string } {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof SpawnError);
    assert.equal(error.code, "STEWARD_ERR_SPAWN");
    return { failure: error.failure, message: error.message };
  }
  assert.fail("no SpawnError");
}

test("a command with / is used as written; argv[0] is the first word as written", () => {
  const fs = files({ "./run": FILE, "/opt/app/run": FILE });
  assert.deepEqual(resolve("./run a 'b c'", fs), { filename: "./run", argv: ["./run", "a", "b c"] });
  assert.deepEqual(resolve("/opt/app/run", fs, "/elsewhere"), {
    filename: "/opt/app/run",
    argv: ["/opt/app/run"],
  });
});

test("PATH comes from the program's environment, else the daemon's, else /bin:/usr/bin:/usr/local/bin", () => {
  const fs = files({ "/p/tool": FILE, "/d/tool": FILE, "/usr/local/bin/tool": FILE });
  assert.equal(resolve("tool", fs, "/p", "/d").filename, "/p/tool");
  assert.equal(resolve("tool", fs, undefined, "/d").filename, "/d/tool");
  assert.equal(resolve("tool", fs).filename, "/usr/local/bin/tool");
  // An empty daemon PATH falls back to the default; an empty program PATH searches "" (the daemon's cwd).
  assert.equal(resolve("tool", fs, undefined, "").filename, "/usr/local/bin/tool");
  assert.equal(resolve("tool", files({ tool: FILE }), "", "/d").filename, "tool");
  assert.deepEqual(searchPath({}, {}), ["/bin", "/usr/bin", "/usr/local/bin"]);
  assert.deepEqual(searchPath({ PATH: "/a:/b/" }, { PATH: "/c" }), ["/a", "/b/"]);
});

test("the first directory where stat succeeds wins, executable or not, with os.path.join's slashes", () => {
  const fs = files({ "/a/tool": { isDirectory: false, mode: 0o100644 }, "/b/tool": FILE });
  assert.deepEqual(
    failure(() => resolve("tool", fs, "/missing:/a:/b")),
    {
      failure: "not-executable",
      message: "command at '/a/tool' is not executable",
    },
  );
  assert.equal(resolve("tool", files({ "/b/tool": FILE }), "/b/").filename, "/b/tool");
});

test("every refusal has supervisord's message, in supervisord's order", () => {
  const fs = files(
    { "/bin/dir": DIR, "/bin/plain": { isDirectory: false, mode: 0o100644 }, "/bin/locked": FILE },
    [],
  );
  const cases: Array<[string, string, string]> = [
    ["/bin/echo \"it's", "bad-command", `can't parse command '/bin/echo "it\\'s': No closing quotation`],
    ["a 'b", "bad-command", `can't parse command "a 'b": No closing quotation`],
    ["a \\", "bad-command", "can't parse command 'a \\\\': No escaped character"],
    ["", "bad-command", "command is empty"],
    [" \t\n", "bad-command", "command is empty"],
    ["nosuch --flag", "not-found", "can't find command 'nosuch'"],
    ["/no/such", "not-found", "can't find command '/no/such'"],
    ["dir", "not-executable", "command at '/bin/dir' is a directory"],
    ["plain", "not-executable", "command at '/bin/plain' is not executable"],
    ["locked", "no-permission", "no permission to run command '/bin/locked'"],
  ];
  for (const [command, kind, message] of cases) {
    assert.deepEqual(
      failure(() => resolve(command, fs, "/bin")),
      { failure: kind, message },
      command,
    );
  }
});
