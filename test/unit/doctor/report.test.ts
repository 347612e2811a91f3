/** The report, the exit status, the command line, and a whole run over fake IO. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { doctorCommand, parseDoctorArgs } from "../../../src/cli/doctor-command.js";
import type { CliIo } from "../../../src/cli/io.js";
import type { LoadOutcome } from "../../../src/doctor/checks/config.js";
import { type DoctorIo, runDoctor } from "../../../src/doctor/doctor.js";
import type { BindResult, ConnectResult, DaemonFacts, DaemonTarget } from "../../../src/doctor/facts.js";
import { memoryFiles } from "../../../src/doctor/files.js";
import { exitStatus, type Finding, sortFindings, worstLevel } from "../../../src/doctor/finding.js";
import { formatJson, formatText, summaryLine } from "../../../src/doctor/report.js";
import { load, writeTree } from "../../helpers/temp-config.js";
import { API_CONF, apiFiles, DIRS, EXECUTABLES } from "./support.js";

const pass: Finding = { level: "pass", check: "config", where: "/a.conf", message: "loads", fix: "" };
const warn: Finding = {
  level: "warn",
  check: "order",
  where: "/a.conf:6 [program:x] command",
  message: "sleeps",
  fix: "use wait_for",
};
const fail: Finding = {
  level: "fail",
  check: "processes",
  where: "process x:x",
  message: "x:x is FATAL",
  fix: "read its log",
  log: ["stderr: boom"],
};

describe("levels and exit status", () => {
  test("the worst finding decides: 0, 1, 2", () => {
    assert.equal(exitStatus([]), 0);
    assert.equal(exitStatus([pass]), 0);
    assert.equal(exitStatus([pass, warn]), 1);
    assert.equal(exitStatus([warn, fail, pass]), 2);
    assert.equal(worstLevel([warn]), "warn");
  });

  test("sorted by check, duplicates dropped", () => {
    assert.deepEqual(sortFindings([fail, warn, pass, warn]), [pass, warn, fail]);
  });
});

describe("formats", () => {
  test("text: grouped, one line per finding, the log under it, a summary", () => {
    assert.equal(
      formatText([pass, warn, fail], "/a.conf"),
      [
        "steward doctor /a.conf",
        "",
        "config: the configuration loads",
        "  PASS  /a.conf: loads",
        "",
        "order: start order by priority where a dependency is meant (heuristic)",
        "  WARN  /a.conf:6 [program:x] command: sleeps -> use wait_for",
        "",
        "processes: programs of the running daemon",
        "  FAIL  process x:x: x:x is FATAL -> read its log",
        "        | stderr: boom",
        "",
        "summary: 1 fail, 1 warn, 1 pass: failures (exit status 2)",
        "",
      ].join("\n"),
    );
    assert.equal(summaryLine([pass]), "summary: 0 fail, 0 warn, 1 pass: all checks pass (exit status 0)");
  });

  test("JSON: an array of {level, check, where, message, fix}, log only when there is one", () => {
    assert.deepEqual(JSON.parse(formatJson([pass, fail])), [
      { level: "pass", check: "config", where: "/a.conf", message: "loads", fix: "" },
      {
        level: "fail",
        check: "processes",
        where: "process x:x",
        message: "x:x is FATAL",
        fix: "read its log",
        log: ["stderr: boom"],
      },
    ]);
  });
});

describe("the command line", () => {
  test("options", () => {
    assert.deepEqual(parseDoctorArgs(["-c", "/a.conf", "--json"]), {
      file: "/a.conf",
      json: true,
      offline: false,
      timeoutMs: 2000,
    });
    assert.deepEqual(parseDoctorArgs(["--configuration=/a.conf", "--offline", "--timeout", "0.5"]), {
      file: "/a.conf",
      json: false,
      offline: true,
      timeoutMs: 500,
    });
    assert.deepEqual(parseDoctorArgs(["-h"]), { help: true });
    assert.deepEqual(parseDoctorArgs(["--bogus"]), { error: "option --bogus not recognized" });
    assert.deepEqual(parseDoctorArgs(["--timeout", "0"]), {
      error: "--timeout expects a number of seconds above 0, got '0'",
    });
    assert.deepEqual(parseDoctorArgs(["extra"]), { error: "unexpected argument 'extra'" });
  });
});

/** Fake IO over in-memory files: the real loader on a temp file, ports and services as given. */
function fakeIo(
  conf: string,
  opts: {
    files?: Record<string, string | undefined>;
    binds?: Record<string, BindResult>;
    connects?: Record<string, ConnectResult>;
    daemon?: DaemonFacts;
    loadOutcome?: (file: string) => LoadOutcome;
  } = {},
): { io: DoctorIo; file: string; asked: DaemonTarget[] } {
  const config = opts.loadOutcome ? null : load(conf);
  const file = config?.file ?? join(writeTree({ "supervisord.conf": conf }), "supervisord.conf");
  const texts: Record<string, string> = { [file]: conf };
  for (const [k, v] of Object.entries(opts.files ?? apiFiles())) if (v !== undefined) texts[k] = v;
  const modes = Object.fromEntries(EXECUTABLES.map((x) => [x, 0o755]));
  const asked: DaemonTarget[] = [];
  const io: DoctorIo = {
    files: memoryFiles(texts, { dirs: DIRS, modes }),
    env: new Map([["PATH", "/usr/bin:/bin"]]),
    cwd: "/",
    uid: 0,
    load: opts.loadOutcome ?? ((f) => ({ file: f, issues: [], config })),
    ctl: () => ({
      serverurl: "unix:///var/run/bklog/api-supervisor.sock",
      username: null,
      password: null,
      prompt: "",
      history_file: null,
    }),
    bind: async (host, port) => opts.binds?.[`${host}:${port}`] ?? { status: "free" },
    connect: async (host, port) => opts.connects?.[`${host}:${port}`] ?? { ok: true },
    daemon: async (target) => {
      asked.push(target);
      return opts.daemon ?? { kind: "down", serverurl: target.serverurl, message: "no such file" };
    },
  };
  return { io, file, asked };
}

describe("runDoctor over fake IO", () => {
  test("a clean deployment: every check passes", async () => {
    const { io, file, asked } = fakeIo(API_CONF.replace("sleep 10 && ", ""));
    const findings = await runDoctor({ file, offline: false, timeoutMs: 100 }, io);
    assert.deepEqual(
      findings.map((f) => [f.check, f.level]),
      [
        ["config", "pass"],
        ["commands", "pass"],
        ["paths", "pass"],
        ["placeholders", "pass"],
        ["ports", "pass"],
        ["services", "pass"],
        ["socket", "pass"],
        ["order", "pass"],
        ["processes", "pass"],
      ],
    );
    assert.deepEqual(asked, [
      { serverurl: "unix:///var/run/bklog/api-supervisor.sock", username: null, password: null },
    ]);
  });

  test("offline: no ports, services or daemon", async () => {
    const { io, file, asked } = fakeIo(API_CONF);
    const findings = await runDoctor({ file, offline: true, timeoutMs: 100 }, io);
    assert.equal(asked.length, 0);
    assert.deepEqual(
      findings.filter((f) => f.message === "not checked (--offline)").map((f) => f.check),
      ["ports", "services", "processes"],
    );
  });

  test("a config stewardd refuses: the loader's message, and placeholders in the file", async () => {
    const conf =
      "[supervisord]\nlogfile=__BK_HOME__/x.log\n[program:x]\ncommand=/bin/true\nautorestart=maybe\n";
    const { io, file } = fakeIo(conf, {
      loadOutcome: (f) => ({
        file: f,
        issues: [
          {
            message: "invalid 'autorestart' value 'maybe'",
            file: f,
            line: 5,
            section: "program:x",
            option: "autorestart",
          },
        ],
        config: null,
      }),
    });
    const findings = await runDoctor({ file, offline: false, timeoutMs: 100 }, io);
    assert.deepEqual(
      findings.map((f) => [f.check, f.level, f.where]),
      [
        ["config", "fail", `${file}:5 [program:x] autorestart`],
        ["placeholders", "fail", `${file}:2`],
      ],
    );
  });

  test("doctorCommand prints the report and returns the exit status; usage errors return 2", async () => {
    let out = "";
    let err = "";
    const cli: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: new Map(), cwd: "/" };
    const { io, file } = fakeIo(API_CONF, {
      connects: { "mysql.service.consul:3306": { ok: false, reason: "connection refused" } },
    });
    assert.equal(await doctorCommand(["-c", file, "--json"], cli, "steward", io), 2);
    const findings = JSON.parse(out) as Finding[];
    assert.ok(findings.some((f) => f.check === "services" && f.level === "fail"));
    assert.ok(findings.some((f) => f.check === "order" && f.level === "warn"));
    out = "";
    assert.equal(await doctorCommand(["--nope"], cli, "steward", io), 2);
    assert.equal(err, "steward doctor: option --nope not recognized\nFor help, use steward doctor -h\n");
    assert.equal(out, "");
    assert.equal(await doctorCommand(["--help"], cli, "steward", io), 0);
    assert.match(out, /^Usage:\n {2}steward doctor /);
  });
});
