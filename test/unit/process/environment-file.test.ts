import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { type EnvironmentFileResult, loadEnvironmentFile } from "../../../src/process/environment-file.js";
import { FIXTURES } from "../../helpers/paths.js";

const DIR = join(FIXTURES, "env-files");
const BASE = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/root", LANG: "C.UTF-8" };

const scratch = mkdtempSync(join(tmpdir(), "steward-envfile-test-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A script written to the scratch directory; its absolute path. */
function script(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

function loaded(result: EnvironmentFileResult) {
  if (!result.ok) assert.fail(`expected ok, got: ${result.message}`);
  return result;
}

function failed(result: EnvironmentFileResult): string {
  if (result.ok) assert.fail(`expected a failure, got ${JSON.stringify(result.variables)}`);
  return result.message;
}

test("a KEY=VALUE file: every line counts, exported or not (set -a)", () => {
  const result = loaded(loadEnvironmentFile(join(DIR, "plain.env"), BASE));
  assert.deepEqual(result.variables, {
    APP_ENV: "production",
    DB_HOST: "mysql.service.consul",
    DB_PORT: "3306",
    EMPTY: "",
    GREETING: "hello world",
  });
  assert.deepEqual(result.unset, []);
});

test("an export script computing values from each other and from baseEnv", () => {
  const base = { ...BASE, BASE_DIR: "/srv/www" };
  const result = loaded(loadEnvironmentFile(join(DIR, "computed.sh"), base));
  assert.deepEqual(result.variables, {
    APP_HOME: "/srv/www/app",
    APP_LOG_DIR: "/srv/www/app/logs",
    APP_URL: "http://localhost:8010",
    LOWER: "mixed case",
    PATH: "/srv/www/app/bin:/usr/local/bin:/usr/bin:/bin",
    UPPER_COUNT: "10",
  });
  const withHost = loaded(loadEnvironmentFile(join(DIR, "computed.sh"), { ...base, APP_HOST: "api" }));
  assert.equal(withHost.variables.APP_URL, "http://api:8010");
});

test("the shell's environment is baseEnv, not the daemon's", () => {
  process.env.STEWARD_ENVFILE_DAEMON_ONLY = "leaked";
  try {
    const path = script("sees.sh", `SEEN="\${STEWARD_ENVFILE_DAEMON_ONLY-absent}/\${ONLY_IN_BASE-absent}"\n`);
    const result = loaded(loadEnvironmentFile(path, { ...BASE, ONLY_IN_BASE: "here" }));
    assert.deepEqual(result.variables, { SEEN: "absent/here" });
  } finally {
    delete process.env.STEWARD_ENVFILE_DAEMON_ONLY;
  }
});

test("a BK-LOG-style bin/environ.sh with a virtualenv activated relative to the program directory", () => {
  const cwd = join(DIR, "bklog/api");
  const result = loaded(
    loadEnvironmentFile(join(cwd, "bin/environ.sh"), { ...BASE, PYTHONHOME: "/opt/python" }, { cwd }),
  );
  const v = result.variables;
  assert.equal(v.VIRTUAL_ENV, join(cwd, "venv"));
  assert.equal(v.PATH, `${join(cwd, "venv")}/bin:${BASE.PATH}`);
  assert.equal(v.BKLOG_API_PORT, "10400");
  assert.equal(v.DJANGO_SETTINGS_MODULE, "settings");
  assert.equal(v.DB_PASSWORD, "p@ss w0rd$!");
  assert.equal(v.BK_BKLOG_REDIS_PASSWORD, "");
  assert.equal(v.BKAPP_GRAFANA_URL, "http://bklog-grafana.service.consul:10401");
  // activate's own helpers are plain assignments: under set -a they count too.
  assert.equal(v._OLD_VIRTUAL_PATH, BASE.PATH);
  assert.equal(v._OLD_VIRTUAL_PYTHONHOME, "/opt/python");
  // `deactivate` is a function, not a variable; PYTHONHOME is unset by activate.
  assert.equal("deactivate" in v, false);
  assert.deepEqual(result.unset, ["PYTHONHOME"]);
  // The template's 31 exports (PATH among them), VIRTUAL_ENV and activate's two _OLD_* helpers.
  assert.equal(Object.keys(v).length, 34);
});

test("values survive byte for byte: newlines, quotes, $, |, backslashes, tabs, spaces, UTF-8", () => {
  const result = loaded(loadEnvironmentFile(join(DIR, "quoting.sh"), BASE));
  assert.deepEqual(result.variables, {
    BACKSLASH: "C:\\new\\table\\",
    DOLLAR: `$HOME and \`ls\` | grep x; $(echo no) && \${PATH}`,
    EQUALS: "a=b==c",
    LOOKS_LIKE_A_RECORD: "@/tmp\nX=1",
    MULTI: "line one\nline two\n",
    QUOTES: `it's "double" and 'single'`,
    SPACES: "  leading and trailing  ",
    TAB: "a\tb",
    UNICODE: "日志平台 ✓",
  });
});

test("a syntax error fails with bash's message, naming the line", () => {
  const path = join(DIR, "syntax-error.sh");
  const message = failed(loadEnvironmentFile(path, BASE));
  assert.match(
    message,
    /^environment_file \S+syntax-error\.sh: line 3: syntax error near unexpected token `\)'/,
  );
  // The file's name is in the prefix only.
  assert.equal(message.split(path).length, 2);
});

test("a missing file fails with No such file or directory", () => {
  const path = join(scratch, "no-such-file.sh");
  assert.equal(
    failed(loadEnvironmentFile(path, BASE)),
    `environment_file ${path}: No such file or directory`,
  );
});

test("a directory fails with is a directory", () => {
  assert.equal(failed(loadEnvironmentFile(scratch, BASE)), `environment_file ${scratch}: is a directory`);
});

test("exit 1 fails with what the script wrote to stderr", () => {
  const path = join(DIR, "exit-1.sh");
  assert.equal(
    failed(loadEnvironmentFile(path, BASE)),
    `environment_file ${path}: cannot find the virtualenv`,
  );
});

test("return 1 at top level, or a failing last command, fails with the status", () => {
  const path = join(DIR, "return-1.sh");
  assert.equal(
    failed(loadEnvironmentFile(path, BASE)),
    `environment_file ${path}: the file failed with status 1`,
  );
  const last = script("last-fails.sh", "export X=1\n[ -d /no/such/dir ] && export Y=2\n");
  assert.equal(
    failed(loadEnvironmentFile(last, BASE)),
    `environment_file ${last}: the file failed with status 1`,
  );
  const errexit = script("errexit.sh", "set -e\nfalse\nexport NEVER=1\n");
  assert.equal(
    failed(loadEnvironmentFile(errexit, BASE)),
    `environment_file ${errexit}: the file failed with status 1`,
  );
});

test("exit 0 ends the shell before its variables are read: a failure", () => {
  const path = join(DIR, "exit-0.sh");
  assert.equal(
    failed(loadEnvironmentFile(path, BASE)),
    `environment_file ${path}: the file called exit before its end`,
  );
});

test("relative source lines resolve against cwd", () => {
  const cwd = join(DIR, "relative");
  const path = join(cwd, "bin/environ.sh");
  const result = loaded(loadEnvironmentFile(path, BASE, { cwd }));
  assert.deepEqual(result.variables, { COMMON_DIR: cwd, COMMON_LOADED: "yes", RELATIVE_DONE: "1" });
  // From elsewhere, the same file cannot find bin/common.sh: as in bash, a failed `source` is not fatal
  // when a later command succeeds, so only the last line's variable is there.
  assert.deepEqual(loaded(loadEnvironmentFile(path, BASE, { cwd: DIR })).variables, { RELATIVE_DONE: "1" });
  const strict = script("strict-relative.sh", "source bin/common.sh\n");
  assert.equal(
    failed(loadEnvironmentFile(strict, BASE, { cwd: DIR })),
    `environment_file ${strict}: line 1: bin/common.sh: No such file or directory`,
  );
  // A relative path is the file in cwd, not a PATH lookup.
  assert.equal(loaded(loadEnvironmentFile("plain.env", BASE, { cwd: DIR })).variables.APP_ENV, "production");
});

test("a missing cwd fails with the directory's problem", () => {
  const cwd = join(scratch, "no-such-dir");
  assert.equal(
    failed(loadEnvironmentFile(join(DIR, "plain.env"), BASE, { cwd })),
    `environment_file ${join(DIR, "plain.env")}: couldn't chdir to ${cwd}: No such file or directory`,
  );
});

test("the script's stdout and stderr do not reach the dump", () => {
  const path = script(
    "noisy.sh",
    "echo 'Activating...'\nprintf 'FAKE=1\\0@/\\0\\0end\\0'\necho warn >&2\nprintf 'X=2\\0' >&3 2>/dev/null\nexport REAL=1\n",
  );
  assert.deepEqual(loaded(loadEnvironmentFile(path, BASE)).variables, { REAL: "1" });
  // On failure, what it printed (stdout included, in order) is the message.
  const failing = script("noisy-fails.sh", "echo 'step 1'\necho 'step 2 failed' >&2\nreturn 3\n");
  assert.equal(
    failed(loadEnvironmentFile(failing, BASE)),
    `environment_file ${failing}: step 1\nstep 2 failed`,
  );
});

test("unset and export -n are reported in unset; only for variables baseEnv has", () => {
  const path = script("unset.sh", "unset DROP\nexport -n HIDE\nunset NEVER_THERE\nexport NEW=1\nunset NEW\n");
  const result = loaded(loadEnvironmentFile(path, { ...BASE, DROP: "1", HIDE: "2", KEEP: "3" }));
  assert.deepEqual(result.variables, {});
  assert.deepEqual(result.unset, ["DROP", "HIDE"]);
});

test("an empty file changes nothing, whatever bash adds at start-up (PWD, SHLVL, _)", () => {
  const path = script("empty.sh", "");
  assert.deepEqual(loaded(loadEnvironmentFile(path, {})), { ok: true, variables: {}, unset: [] });
  assert.deepEqual(loaded(loadEnvironmentFile(path, BASE, { cwd: scratch })), {
    ok: true,
    variables: {},
    unset: [],
  });
});

test("automatic variables: a cd is not a PWD change, an explicit assignment is", () => {
  const cd = script("cd.sh", "cd /tmp\ncd /\nexport AFTER_CD=1\n");
  assert.deepEqual(loaded(loadEnvironmentFile(cd, { ...BASE, PWD: scratch }, { cwd: scratch })).variables, {
    AFTER_CD: "1",
  });
  const explicit = script("explicit.sh", "PWD=/srv/app\nSHLVL=7\n_=ignored\nBASH_ENV_LIKE=1\n");
  assert.deepEqual(loaded(loadEnvironmentFile(explicit, BASE, { cwd: scratch })).variables, {
    BASH_ENV_LIKE: "1",
    PWD: "/srv/app",
    SHLVL: "7",
  });
});

test("a value set to what baseEnv already has is not reported", () => {
  const path = script("same.sh", 'export HOME="$HOME"\nexport LANG=C.UTF-8\nexport LANG\n');
  assert.deepEqual(loaded(loadEnvironmentFile(path, BASE)).variables, {});
});

test("arrays and functions are not variables", () => {
  const path = script(
    "arrays.sh",
    "ARR=(1 2)\nexport EXPORTED_ARR=(3 4)\ndeclare -A MAP=([k]=v)\nf() { :; }\nexport -f f\n",
  );
  assert.deepEqual(loaded(loadEnvironmentFile(path, BASE)).variables, {});
});

test("positional parameters are empty and stdin is at EOF", () => {
  const path = script("args.sh", 'ARGC=$#\nARG0="$0"\nread -r LINE || READ=eof\n');
  assert.deepEqual(loaded(loadEnvironmentFile(path, BASE)).variables, {
    ARG0: "bash",
    ARGC: "0",
    LINE: "",
    READ: "eof",
  });
});

test("BASH_ENV from baseEnv is not run in the loader's shell", () => {
  const startup = script("bash-env.sh", "export FROM_BASH_ENV=1\n");
  const path = script("plain-after-bash-env.sh", "X=1\n");
  assert.deepEqual(loaded(loadEnvironmentFile(path, { ...BASE, BASH_ENV: startup })).variables, { X: "1" });
});

test("a timeout fails and ends what the file started", () => {
  const pidFile = join(scratch, "sleep.pid");
  const path = script("slow.sh", `sleep 30 &\necho $! > ${pidFile}\nwait\n`);
  const started = Date.now();
  assert.equal(
    failed(loadEnvironmentFile(path, BASE, { timeoutMs: 300 })),
    `environment_file ${path}: did not finish in 0.3 s`,
  );
  assert.ok(Date.now() - started < 5000);
  const pid = Number(readFileSync(pidFile, "utf8"));
  const deadline = Date.now() + 2000;
  while (alive(pid) && Date.now() < deadline)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  assert.equal(alive(pid), false);
});

/** A pid that runs (a zombie waiting for an absent reaper counts as gone). */
function alive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(stat, "utf8"));
  } catch {
    return false;
  }
}

test("a background process started by the file does not hold the load up", () => {
  const path = script("background.sh", "sleep 30 &\nBG_PID=$!\n");
  const started = Date.now();
  const result = loaded(loadEnvironmentFile(path, BASE, { timeoutMs: 5000 }));
  assert.ok(Date.now() - started < 4000, "returned before the background sleep ended");
  process.kill(Number(result.variables.BG_PID), "SIGKILL");
});

test("the POSIX variant (/bin/sh with env -0) gives the same answers", {
  skip: !existsSync("/bin/sh"),
}, () => {
  const shell = "/bin/sh";
  assert.deepEqual(loaded(loadEnvironmentFile(join(DIR, "plain.env"), BASE, { shell })).variables, {
    APP_ENV: "production",
    DB_HOST: "mysql.service.consul",
    DB_PORT: "3306",
    EMPTY: "",
    GREETING: "hello world",
  });
  const base = { ...BASE, BASE_DIR: "/srv/www", DROP: "x" };
  const path = script("posix.sh", `. ${join(DIR, "computed.sh")}\nunset DROP\nMULTI='a\nb "c" $d'\n`);
  const result = loaded(loadEnvironmentFile(path, base, { shell, cwd: scratch }));
  assert.equal(result.variables.APP_LOG_DIR, "/srv/www/app/logs");
  assert.equal(result.variables.MULTI, 'a\nb "c" $d');
  assert.deepEqual(result.unset, ["DROP"]);
  assert.equal(
    failed(loadEnvironmentFile(join(DIR, "return-1.sh"), BASE, { shell })).includes("status 1"),
    true,
  );
  assert.match(
    failed(loadEnvironmentFile(join(DIR, "syntax-error.sh"), BASE, { shell })),
    /^environment_file \S+: sh: 3: \S+syntax-error\.sh: Syntax error: "\)" unexpected$/,
  );
});
