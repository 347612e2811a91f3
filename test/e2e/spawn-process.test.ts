/**
 * Real children through NodeSpawner: what supervisord's `_spawn_as_child` guarantees (direct child,
 * own process group, pipes, redirect_stderr, directory, umask, user, environment, argv0, fds) and
 * what its child reports when it cannot exec. Every wait is bounded by a deadline.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { after, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { resolveCommand } from "../../src/process/command-line.js";
import { kill } from "../../src/process/signal-process.js";
import { inheritableFds } from "../../src/process/spawn-shim.js";
import { NodeSpawner, type SpawnedChild, type SpawnRequest } from "../../src/process/spawner.js";
import { systemFiles } from "../../src/process/system-files.js";
import type { WaitStatus } from "../../src/process/wait-status.js";
import { FIXTURES, REPO_ROOT } from "../helpers/paths.js";
import { load } from "../helpers/temp-config.js";

const PROGRAMS = join(FIXTURES, "programs");
const ENV = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, LC_ALL: "C" };
const isRoot = process.getuid?.() === 0;
const NOT_SPAWNED = "supervisor: child process was not spawned\n";

/** Closes this process's inherited fds in the children (a shim when there are any). */
const spawner = new NodeSpawner();
/** Direct whenever the request allows it, whatever this process inherited. */
const direct = new NodeSpawner({ closeFds: [] });
const temporary: string[] = [];
after(() => {
  spawner.close();
  direct.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function request(command: string, extra: Partial<SpawnRequest> = {}): SpawnRequest {
  const env = { ...ENV, ...extra.env };
  const { filename, argv } = resolveCommand(command, {
    programEnvironment: env,
    daemonEnvironment: ENV,
    files: systemFiles,
  });
  return {
    name: "probe",
    filename,
    argv,
    directory: null,
    umask: null,
    user: null,
    redirectStderr: false,
    ...extra,
    env,
  };
}

const text = (stream: Readable) =>
  new Promise<string>((resolve) => {
    let data = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      data += chunk;
    });
    stream.on("end", () => resolve(data));
  });

const exited = (child: SpawnedChild) => new Promise<WaitStatus>((resolve) => child.onExit(resolve));

interface Outcome {
  readonly child: SpawnedChild;
  readonly status: WaitStatus;
  readonly stdout: string;
  readonly stderr: string | null;
}

/** Runs to the end: reaped, and both pipes at EOF. */
async function run(sp: NodeSpawner, command: string, extra: Partial<SpawnRequest> = {}): Promise<Outcome> {
  const child = sp.start(request(command, extra));
  const [status, stdout, stderr] = await within(
    10_000,
    Promise.all([exited(child), text(child.stdout), child.stderr ? text(child.stderr) : null]),
    command,
  );
  child.stdin.destroy();
  return { child, status, stdout, stderr };
}

const fields = (stdout: string) =>
  Object.fromEntries(
    stdout
      .trim()
      .split("\n")
      .map((l) => l.split("=", 2)),
  );
const probe = join(PROGRAMS, "probe.sh");
const inline = (script: string) => `/bin/sh -c '${script}'`;

describe("the child is the daemon's direct child and leads its own process group", () => {
  const cases: Array<[string, NodeSpawner, Partial<SpawnRequest>, string]> = [
    ["plain", direct, {}, "direct"],
    ["directory", direct, { directory: "/tmp" }, "direct"],
    ["umask", direct, { umask: 0o22 }, "shim"],
    ["default spawner", spawner, {}, inheritableFds().length > 0 ? "shim" : "direct"],
  ];
  for (const [label, sp, extra, mode] of cases) {
    test(`${label}: ${mode}`, async () => {
      const { child, status, stdout } = await run(sp, probe, extra);
      const info = fields(stdout);
      assert.equal(child.mode, mode);
      assert.deepEqual(status, { kind: "exited", code: 0 });
      assert.equal(info.pid, String(child.pid));
      assert.equal(info.ppid, String(process.pid));
      assert.equal(info.pgid, String(child.pid));
    });
  }

  test("user= (setpriv execs in place)", async () => {
    assert.ok(isRoot, "user= switching needs root: this project's machines and CI run as root");
    const { child, stdout } = await run(spawner, inline("echo $$ $PPID"), {
      user: "nobody",
      directory: "/tmp",
    });
    assert.equal(child.mode, "shim");
    assert.equal(stdout, `${child.pid} ${process.pid}\n`);
  });

  test("kill(-pid) reaches the grandchild; kill(pid) alone leaves it holding the pipe", async () => {
    const child = direct.start(request(join(PROGRAMS, "grandchild.sh")));
    const output = text(child.stdout);
    const grandchild = await within(
      5000,
      new Promise<number>((resolve) => child.stdout.once("data", (line: string) => resolve(Number(line)))),
      "the grandchild's pid",
    );
    const stat = readFileSync(`/proc/${grandchild}/stat`, "utf8");
    assert.equal(
      stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2],
      String(child.pid),
      "same process group",
    );
    assert.equal(kill(child.pid, 15, false), "sent");
    assert.deepEqual(await within(5000, exited(child), "the child's exit"), {
      kind: "signaled",
      signal: 15,
      coreDumped: false,
    });
    // The child is reaped; its group lives on in the grandchild, which still holds stdout.
    assert.equal(kill(child.pid, 15, true), "sent");
    assert.equal(await within(5000, output, "stdout EOF"), `${grandchild}\n`);
    assert.equal(kill(child.pid, 0, false), "gone");
    child.stdin.destroy();
  });
});

describe("stdio", () => {
  test("stdin, stdout and stderr are pipes; /dev/stdout and /dev/stdin can be opened", async () => {
    const child = direct.start(
      request(
        inline(
          "[ -p /dev/stdin ] && [ -p /dev/stdout ] && [ -p /dev/stderr ] && echo pipes; head -c 5 /dev/stdin > /dev/stdout; echo > /dev/stdout; echo err > /dev/stderr",
        ),
      ),
    );
    child.stdin.write("hello, world");
    const [status, stdout, stderr] = await within(
      5000,
      Promise.all([exited(child), text(child.stdout), text(child.stderr!)]),
      "the child",
    );
    child.stdin.destroy();
    assert.deepEqual(status, { kind: "exited", code: 0 });
    assert.equal(stdout, "pipes\nhello\n");
    assert.equal(stderr, "err\n");
  });

  test("redirect_stderr: fd 2 is the stdout pipe and there is no stderr stream", async () => {
    for (const sp of [direct, spawner]) {
      const r = await run(
        sp,
        inline("echo out; echo err >&2; [ /proc/$$/fd/1 -ef /proc/$$/fd/2 ] && echo same"),
        {
          redirectStderr: true,
        },
      );
      assert.equal(r.child.stderr, null);
      assert.equal(r.stdout, "out\nerr\nsame\n");
    }
    const separate = await run(direct, inline("[ /proc/$$/fd/1 -ef /proc/$$/fd/2 ] || echo separate"));
    assert.equal(separate.stdout, "separate\n");
  });

  test("the child has fds 0, 1 and 2 only", async () => {
    const listing = inline("ls /proc/$$/fd");
    assert.equal((await run(spawner, listing)).stdout, "0\n1\n2\n");
    assert.equal((await run(spawner, listing, { umask: 0o22 })).stdout, "0\n1\n2\n");
    if (inheritableFds().length === 0) assert.equal((await run(direct, listing)).stdout, "0\n1\n2\n");
  });

  test("fds this process inherited without close-on-exec are closed in the child", async () => {
    // A daemon started with an extra inherited fd 40, as a careless parent would leave it (Node marks
    // low inherited fds close-on-exec itself at startup, but not those above ~16).
    const module = (file: string) => pathToFileURL(join(REPO_ROOT, "dist/src/process", file)).href;
    const script = `
      import { NodeSpawner } from ${JSON.stringify(module("spawner.js"))};
      import { inheritableFds } from ${JSON.stringify(module("spawn-shim.js"))};
      const sp = new NodeSpawner();
      const child = sp.start({ name: "fds", filename: "/bin/sh", argv: ["sh", "-c", "ls /proc/$$/fd"],
        env: {}, directory: null, umask: null, user: null, redirectStderr: false });
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (d) => { out += d; }).on("end", () => {
        console.log(JSON.stringify({ inherited: inheritableFds().includes(40), mode: child.mode, fds: out.split("\\n").filter(Boolean) }));
        sp.close();
        process.exit(0);
      });`;
    const daemon = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit", ...Array<"ignore">(37).fill("ignore"), "pipe"],
    });
    const [report] = await within(
      10_000,
      Promise.all([text(daemon.stdout!), daemonExit(daemon)]),
      "the daemon",
    );
    (daemon.stdio as unknown as Array<{ destroy(): void } | null>)[40]?.destroy();
    assert.deepEqual(JSON.parse(report), { inherited: true, mode: "shim", fds: ["0", "1", "2"] });
  });
});

function daemonExit(child: ReturnType<typeof spawn>) {
  return new Promise<number | null>((resolve) => child.on("exit", resolve));
}

describe("what the child is given", () => {
  test("environment: the daemon's, SUPERVISOR_*, then [supervisord] and program environment=", async () => {
    const config = load(`
[supervisord]
environment=SHARED="from supervisord",FOO="daemon"
[unix_http_server]
file=/tmp/steward-spawn-test.sock
[program:envy]
command=/bin/sh -c 'echo "$FOO|$SHARED|$SUPERVISOR_ENABLED|$SUPERVISOR_PROCESS_NAME|$SUPERVISOR_GROUP_NAME|$SUPERVISOR_SERVER_URL|$DAEMON_ONLY"'
environment=FOO="program"
`);
    const group = config.groups.find((g) => g.name === "envy")!;
    const child = spawner.spawn(group.processes[0]!, {
      env: new Map([...Object.entries(ENV), ["DAEMON_ONLY", "inherited"]]),
      serverurl: config.serverurl,
      groupName: group.name,
    });
    const [stdout] = await within(5000, Promise.all([text(child.stdout), exited(child)]), "envy");
    child.stdin.destroy();
    assert.equal(
      stdout,
      "program|from supervisord|1|envy|envy|unix:///tmp/steward-spawn-test.sock|inherited\n",
    );
  });

  test("spawn() refuses what supervisord refuses before forking", () => {
    const config = load("[supervisord]\n[program:missing]\ncommand=/nonexistent/program\n");
    const proc = config.groups[0]!.processes[0]!;
    assert.throws(() => spawner.spawn(proc, { env: new Map(), serverurl: null, groupName: "missing" }), {
      code: "STEWARD_ERR_SPAWN",
      failure: "not-found",
      message: "can't find command '/nonexistent/program'",
    });
  });

  test("argv[0] is the first word as written, directly and through the shim", async () => {
    const command = `node ${join(PROGRAMS, "argv0.js")}`;
    assert.equal(request(command).filename, join(dirname(process.execPath), "node"));
    assert.equal((await run(direct, command)).stdout, "node\n");
    assert.equal((await run(direct, command, { umask: 0o22 })).stdout, "node\n");
  });

  test("umask", async () => {
    const dir = tempDir("steward-umask-");
    for (const [mask, mode] of [
      [0o027, 0o640],
      [0o077, 0o600],
      [0o000, 0o666],
    ] as const) {
      const file = join(dir, `f${mask}`);
      const r = await run(direct, inline(`umask; : > ${file}`), { umask: mask });
      assert.equal(r.stdout, `${mask.toString(8).padStart(4, "0")}\n`);
      assert.equal(statSync(file).mode & 0o777, mode);
    }
  });

  test("directory", async () => {
    const dir = tempDir("steward-dir-");
    for (const sp of [direct, spawner]) {
      assert.equal(fields((await run(sp, probe, { directory: dir })).stdout).cwd, dir);
      assert.equal(fields((await run(sp, probe, { directory: dir, umask: 0o22 })).stdout).cwd, dir);
    }
  });

  test("user=: uid, gid and the groups initgroups gives", async () => {
    assert.ok(isRoot, "user= switching needs root: this project's machines and CI run as root");
    const expected = `${execFileSync("id", ["-u", "nobody"], { encoding: "utf8" })}${execFileSync("id", ["-g", "nobody"], { encoding: "utf8" })}${execFileSync("id", ["-G", "nobody"], { encoding: "utf8" })}`;
    const r = await run(spawner, inline("id -u; id -g; id -G; umask; pwd"), {
      user: "nobody",
      umask: 0o077,
      directory: "/tmp",
    });
    assert.equal(r.stdout, `${expected}0077\n/tmp\n`);
  });
});

describe("when the child cannot exec, it says so on fd 2 and exits 127", () => {
  const fails = (r: Outcome, line: string) => {
    assert.equal(r.child.mode, "failure");
    assert.deepEqual(r.status, { kind: "exited", code: 127 });
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, `${line}\n${NOT_SPAWNED}`);
  };

  test("a missing directory", async () => {
    for (const extra of [{}, { umask: 0o22 }]) {
      fails(
        await run(direct, probe, { directory: "/nonexistent/dir", ...extra }),
        "supervisor: couldn't chdir to /nonexistent/dir: ENOENT",
      );
    }
    fails(await run(direct, probe, { directory: probe }), `supervisor: couldn't chdir to ${probe}: ENOTDIR`);
  });

  test("with redirect_stderr the lines land on stdout", async () => {
    const r = await run(direct, probe, { directory: "/nonexistent/dir", redirectStderr: true });
    assert.deepEqual(r.status, { kind: "exited", code: 127 });
    assert.equal(r.stdout, `supervisor: couldn't chdir to /nonexistent/dir: ENOENT\n${NOT_SPAWNED}`);
  });

  test("a script whose interpreter does not exist", async () => {
    const script = join(PROGRAMS, "no-interpreter.sh");
    fails(await run(direct, script), `supervisor: couldn't exec ${script}: ENOENT`);
    // Through the shim bash says it first, then the same two lines.
    const shim = await run(direct, script, { umask: 0o22 });
    assert.deepEqual(shim.status, { kind: "exited", code: 127 });
    assert.ok(
      shim.stderr?.endsWith(`supervisor: couldn't exec ${script}: ENOENT\n${NOT_SPAWNED}`),
      shim.stderr ?? "",
    );
  });

  test("a user that does not exist", async () => {
    fails(
      await run(spawner, probe, { user: "no-such-user-here" }),
      "supervisor: couldn't setuid to no-such-user-here: Can't find username 'no-such-user-here'",
    );
  });

  test("a user= that is not the daemon's when the daemon is not root", async () => {
    const sp = new NodeSpawner({ uid: 1000, closeFds: [] });
    try {
      fails(
        await run(sp, probe, { user: "0" }),
        "supervisor: couldn't setuid to 0: Can't drop privilege as nonroot user",
      );
    } finally {
      sp.close();
    }
  });
});

describe("exit statuses", () => {
  test("exit codes and deaths by signal", async () => {
    assert.deepEqual((await run(direct, inline("exit 3"))).status, { kind: "exited", code: 3 });
    assert.deepEqual((await run(direct, inline("exit 0"))).status, { kind: "exited", code: 0 });
    assert.deepEqual((await run(direct, inline("kill -TERM $$"))).status, {
      kind: "signaled",
      signal: 15,
      coreDumped: false,
    });
    assert.deepEqual((await run(direct, inline("kill -KILL $$"))).status, {
      kind: "signaled",
      signal: 9,
      coreDumped: false,
    });
    assert.deepEqual((await run(spawner, inline("kill -USR1 $$"), { umask: 0o22 })).status, {
      kind: "signaled",
      signal: 10,
      coreDumped: false,
    });
  });

  test("onExit after the exit still reports it", async () => {
    const r = await run(direct, inline("exit 7"));
    assert.deepEqual(await exited(r.child), { kind: "exited", code: 7 });
  });
});

test("close() removes the FIFO directory", async () => {
  const base = tempDir("steward-pipes-test-");
  const sp = new NodeSpawner({ pipeDirectory: base, closeFds: [] });
  await run(sp, inline("true"));
  assert.equal(readdirSync(base).length, 1);
  sp.close();
  assert.deepEqual(readdirSync(base), []);
});

test("a FIFO directory left by a dead daemon is removed; a live one's is kept", async () => {
  const base = tempDir("steward-pipes-test-");
  const dead = spawn("/bin/true");
  await within(5000, daemonExit(dead), "a pid that is gone");
  for (const pid of [dead.pid!, process.ppid]) mkdirSync(join(base, `steward-pipes-${pid}-x`));
  new NodeSpawner({ pipeDirectory: base, closeFds: [] }).close();
  assert.deepEqual(readdirSync(base), [`steward-pipes-${process.ppid}-x`]);
});
