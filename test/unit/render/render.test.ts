// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are bash, not templates
/** runRender with an in-memory file system: precedence, -c, -u, -n, errors, what is written. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RenderInputError } from "../../../src/render/errors.js";
import { type RenderIo, type RenderRequest, runRender } from "../../../src/render/render.js";

interface World {
  files: Record<string, string>;
  modes?: Record<string, number>;
  env?: Record<string, string>;
  failWrite?: string;
}

function run(world: World, request: Partial<RenderRequest>) {
  const written = new Map<string, { text: string; mode: number }>();
  let stdout = "";
  let stderr = "";
  const read = (path: string, what: string) => {
    const text = world.files[path];
    if (text === undefined)
      throw new RenderInputError(`cannot read ${what} '${path}': no such file or directory`);
    return text;
  };
  const io: RenderIo = {
    env: new Map(Object.entries(world.env ?? {})),
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readEnvFile: (path) => read(path, "env file"),
    readTemplate: (path) => ({
      bytes: Buffer.from(read(path, "template")),
      mode: world.modes?.[path] ?? 0o644,
    }),
    writeFile: (target, bytes, mode) => {
      if (target === world.failWrite)
        throw new RenderInputError(`cannot write '${target}': permission denied`);
      written.set(target, { text: Buffer.from(bytes).toString("utf8"), mode });
    },
  };
  const status = runRender(
    {
      prefix: "/p",
      module: "bklog",
      envFiles: [],
      extraEnvFiles: [],
      extraEnv: [],
      check: false,
      undefinedEmpty: false,
      dryRun: false,
      templates: [],
      ...request,
    },
    io,
  );
  return { status, stdout, stderr, written };
}

const API = "logfile=__BK_HOME__/logs/api.log\ndirectory=__BK_HOME__/bklog/api\n";

describe("rendering and writing", () => {
  test("targets, contents and modes", () => {
    const r = run(
      {
        files: { "t/#etc#api.conf": API, "t/api#bin#environ.sh": 'export DB_PASSWORD="__DB_PASSWORD__"\n' },
        modes: { "t/api#bin#environ.sh": 0o755 },
        env: { BK_HOME: "/data/bkee", DB_PASSWORD: "pw" },
      },
      { templates: ["t/#etc#api.conf", "t/api#bin#environ.sh"] },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.deepEqual(r.written.get("/p/etc/api.conf"), {
      text: "logfile=/data/bkee/logs/api.log\ndirectory=/data/bkee/bklog/api\n",
      mode: 0o644,
    });
    assert.deepEqual(r.written.get("/p/bklog/api/bin/environ.sh"), {
      text: 'export DB_PASSWORD="pw"\n',
      mode: 0o755,
    });
    assert.equal(
      r.stdout,
      "t/#etc#api.conf -> /p/etc/api.conf\nt/api#bin#environ.sh -> /p/bklog/api/bin/environ.sh\n",
    );
  });

  test("hostile values arrive byte for byte, and __OTHER__ inside a value stays", () => {
    const hostile = `p|a&s/s\\w"o'r d\nsecond line $& \\1 __OTHER__ 密码`;
    const r = run(
      { files: { "#x": "password=__DB_PASSWORD__\nother=__OTHER__\n", "e.env": "OTHER=expanded\n" } },
      { templates: ["#x"], envFiles: ["e.env"], extraEnv: [["DB_PASSWORD", hostile]] },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.written.get("/p/x")?.text, `password=${hostile}\nother=expanded\n`);
  });

  test("a hostile value from an env file, single-quoted over two lines", () => {
    const r = run(
      {
        files: {
          "#x": "[db]\npassword = __DB_PASSWORD__\n",
          "e.env": "DB_PASSWORD='a|b&c/d\\e\"f g\nh'\\''i'\n",
        },
      },
      { templates: ["#x"], envFiles: ["e.env"] },
    );
    assert.equal(r.written.get("/p/x")?.text, "[db]\npassword = a|b&c/d\\e\"f g\nh'i\n");
  });

  test("bytes that are not UTF-8 pass through untouched", () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x3d]); // "café=" in Latin-1
    const written: Uint8Array[] = [];
    const status = runRender(
      {
        prefix: "/p",
        module: undefined,
        envFiles: [],
        extraEnvFiles: [],
        extraEnv: [["AB", "é"]],
        check: false,
        undefinedEmpty: false,
        dryRun: false,
        templates: ["#t"],
      },
      {
        env: new Map(),
        stdout: () => {},
        stderr: () => {},
        readEnvFile: () => "",
        readTemplate: () => ({ bytes: Buffer.concat([latin1, Buffer.from("__AB__")]), mode: 0o600 }),
        writeFile: (_t, bytes) => written.push(bytes),
      },
    );
    assert.equal(status, 0);
    assert.deepEqual(Buffer.from(written[0]!), Buffer.concat([latin1, Buffer.from("é", "utf8")]));
  });
});

describe("precedence: environment < -e < -f < -E", () => {
  const files = {
    "#x": "__AA__ __BB__ __CC__ __DD__\n",
    "e.env": "BB=from-e\nCC=from-e\nDD=from-e\n",
    "f.env": "CC=from-f\nDD=from-f\n",
  };
  const env = { AA: "from-env", BB: "from-env", CC: "from-env", DD: "from-env" };

  test("each later source wins", () => {
    const r = run(
      { files, env },
      { templates: ["#x"], envFiles: ["e.env"], extraEnvFiles: ["f.env"], extraEnv: [["DD", "from-E"]] },
    );
    assert.equal(r.written.get("/p/x")?.text, "from-env from-e from-f from-E\n");
  });

  test("-f is read after every -e, whatever the order on the command line", () => {
    const r = run({ files, env }, { templates: ["#x"], extraEnvFiles: ["f.env"], envFiles: ["e.env"] });
    assert.equal(r.written.get("/p/x")?.text, "from-env from-e from-f from-f\n");
  });

  test("repeated -e files are read in order; a later -E wins over an earlier one", () => {
    const r = run(
      { files: { ...files, "e2.env": "BB=from-e2\n" } },
      {
        templates: ["#x"],
        envFiles: ["e.env", "e2.env"],
        extraEnv: [
          ["AA", "1"],
          ["AA", "2"],
        ],
      },
    );
    assert.match(r.written.get("/p/x")?.text ?? "", /^2 from-e2 from-e from-e\n$/);
  });

  test("env files see earlier files and the -E values", () => {
    const r = run(
      {
        files: {
          "#x": "__LOGS__ __PORT__\n",
          "e.env": "BK_HOME=/wrong\nPORT=1\n",
          "f.env": "LOGS=${BK_HOME}/logs:$PORT\n",
        },
      },
      { templates: ["#x"], envFiles: ["e.env"], extraEnvFiles: ["f.env"], extraEnv: [["BK_HOME", "/right"]] },
    );
    assert.equal(r.written.get("/p/x")?.text, "/right/logs:1 1\n");
  });
});

describe("undefined placeholders", () => {
  const files = { "#a.conf": "ip=__LAN_IP__\nhome=__BK_HOME__\nport=__LAN_PORT__ __LAN_IP__\n" };

  test("are left in place, reported with file:line, and the status is 1", () => {
    const r = run({ files, env: { BK_HOME: "/h" } }, { templates: ["#a.conf"] });
    assert.equal(r.status, 1);
    assert.equal(r.written.get("/p/a.conf")?.text, "ip=__LAN_IP__\nhome=/h\nport=__LAN_PORT__ __LAN_IP__\n");
    assert.equal(
      r.stderr,
      "#a.conf:1: __LAN_IP__ is not defined\n" +
        "#a.conf:3: __LAN_PORT__ is not defined\n" +
        "#a.conf:3: __LAN_IP__ is not defined\n" +
        "steward render: 2 variables are not defined: __LAN_IP__, __LAN_PORT__ (left in place)\n" +
        '  define them with -e, -f, -E or in the environment, or use -u to replace them with ""\n',
    );
  });

  test("-u replaces them with the empty string; status 0", () => {
    const r = run({ files, env: { BK_HOME: "/h" } }, { templates: ["#a.conf"], undefinedEmpty: true });
    assert.equal(r.status, 0);
    assert.equal(r.stderr, "");
    assert.equal(r.written.get("/p/a.conf")?.text, "ip=\nhome=/h\nport= \n");
  });

  test("a variable defined as empty is defined", () => {
    const r = run(
      { files: { "#a": "x=__BK_HOME__\n", "e.env": "BK_HOME=\n" } },
      { templates: ["#a"], envFiles: ["e.env"] },
    );
    assert.equal(r.status, 0);
    assert.equal(r.written.get("/p/a")?.text, "x=\n");
  });
});

describe("-c reports and writes nothing", () => {
  test("every placeholder, its value, where it comes from and its lines", () => {
    const r = run(
      {
        files: {
          "#a.conf": "__BK_HOME__ __LAN_IP__\n__BK_HOME__ __PW__ __PORT__\n",
          "e.env": "# c\nPORT=10400\nPW=\n",
        },
        env: { BK_HOME: "/data/bkee" },
      },
      { templates: ["#a.conf"], check: true, envFiles: ["e.env"], extraEnv: [["PW", 'a"b\nc']] },
    );
    assert.equal(r.written.size, 0);
    assert.equal(r.status, 1);
    assert.equal(
      r.stdout,
      "#a.conf -> /p/a.conf\n" +
        '  __BK_HOME__ = "/data/bkee" from the environment, at lines 1, 2\n' +
        "  __LAN_IP__ not defined, left in place, at line 1\n" +
        '  __PW__ = "a\\"b\\nc" from -E, at line 2\n' +
        '  __PORT__ = "10400" from e.env:2, at line 2\n' +
        "5 placeholders of 4 variables in 1 template: 1 not defined\n",
    );
    assert.match(
      r.stderr,
      /^#a\.conf:1: __LAN_IP__ is not defined\nsteward render: 1 variable is not defined: __LAN_IP__\n/,
    );
  });

  test("with -u, undefined ones are shown as replaced and the status is 0; empty values are counted", () => {
    const r = run(
      { files: { "#a": "__LAN_IP__ __PW__\n", "#b": "nothing\n", "e.env": "PW=\n" } },
      { templates: ["#a", "#b"], check: true, undefinedEmpty: true, envFiles: ["e.env"] },
    );
    assert.equal(r.status, 0);
    assert.equal(
      r.stdout,
      "#a -> /p/a\n" +
        '  __LAN_IP__ not defined, replaced by "" (-u), at line 1\n' +
        '  __PW__ = "" from e.env:1, at line 1\n' +
        "#b -> /p/b\n" +
        "  (no placeholders)\n" +
        "2 placeholders of 2 variables in 2 templates: 1 not defined, 1 defined as empty\n",
    );
  });
});

describe("-n prints instead of writing", () => {
  test("one template: just its text", () => {
    const r = run({ files: { "#a": "x=__AB__\n" }, env: { AB: "1" } }, { templates: ["#a"], dryRun: true });
    assert.equal(r.status, 0);
    assert.equal(r.written.size, 0);
    assert.equal(r.stdout, "x=1\n");
  });

  test("several: each under a ==> target <== header; undefined ones still reported", () => {
    const r = run(
      { files: { "#a": "x=__AB__\n", b: "y=__CD__\n" } },
      { templates: ["#a", "b"], dryRun: true, extraEnv: [["AB", "1"]] },
    );
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "==> /p/a <==\nx=1\n\n==> /p/bklog/b <==\ny=__CD__\n");
    assert.match(r.stderr, /^b:1: __CD__ is not defined\n/);
  });
});

describe("bad input: status 2, nothing written", () => {
  test("a missing template is reported with the others' problems", () => {
    const r = run(
      { files: { "#a": "x\n", "api#x": "y\n" } },
      { templates: ["#a", "nope#x", "api#x"], module: undefined },
    );
    assert.equal(r.status, 2);
    assert.equal(r.written.size, 0);
    assert.equal(
      r.stderr,
      "steward render: cannot read template 'nope#x': no such file or directory\n" +
        "steward render: api#x: a name that does not start with '#' lands under PREFIX/MODULE/: give -m MODULE\n" +
        "steward render: nothing was written\n",
    );
  });

  test("an unreadable env file, with its path", () => {
    const r = run({ files: { "#a": "x\n" } }, { templates: ["#a"], envFiles: ["/etc/bklog.env"] });
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr,
      "steward render: cannot read env file '/etc/bklog.env': no such file or directory\n",
    );
  });

  test("command substitution in an env file: file and line, nothing run or written", () => {
    const r = run(
      { files: { "#a": "__PW__\n", "e.env": "A=1\nPW=$(cat /etc/shadow)\n" } },
      { templates: ["#a"], envFiles: ["e.env"] },
    );
    assert.equal(r.status, 2);
    assert.equal(r.written.size, 0);
    assert.match(r.stderr, /^steward render: e\.env:2: command substitution \$\(…\) is not allowed/);
  });

  test("two templates with one target", () => {
    const r = run({ files: { "a/#x": "1", "b/#x.tpl": "2" } }, { templates: ["a/#x", "b/#x.tpl"] });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /b\/#x\.tpl and a\/#x would both be written to \/p\/x/);
  });

  test("a failed write is reported; the others are still written; status 2", () => {
    const r = run({ files: { "#a": "1", "#b": "2" }, failWrite: "/p/a" }, { templates: ["#a", "#b"] });
    assert.equal(r.status, 2);
    assert.ok(r.written.has("/p/b"));
    assert.match(r.stderr, /cannot write '\/p\/a': permission denied/);
  });

  test("warnings about unset references go to stderr and do not change the status", () => {
    const r = run(
      { files: { "#a": "__AB__\n", "e.env": "AB=$NOPE/x\n" } },
      { templates: ["#a"], envFiles: ["e.env"] },
    );
    assert.equal(r.status, 0);
    assert.equal(
      r.stderr,
      "steward render: warning: e.env:1: $NOPE is not set; it expands to the empty string\n",
    );
    assert.equal(r.written.get("/p/a")?.text, "/x\n");
  });
});
