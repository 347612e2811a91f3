// `npm start`: renders examples/bklog's improved variant into .run/bklog (git-ignored) and runs stewardd
// in the foreground on it — the API (gunicorn when installed, else Python's built-in WSGI server) and the
// Grafana stand-in, in dependency order. Ctrl-C stops everything.
//
// Environment (for tests): STEWARD_EXAMPLE_PREFIX (default .run/bklog), STEWARD_EXAMPLE_API_PORT,
// STEWARD_EXAMPLE_GRAFANA_PORT and STEWARD_EXAMPLE_DASHBOARD_PORT (default: bklog.env's 10400, 10401
// and 10402).
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));
const EXAMPLE = join(REPO, "examples/bklog");
const BIN = join(REPO, "dist/src/bin");
const PREFIX = resolve(process.env.STEWARD_EXAMPLE_PREFIX ?? join(REPO, ".run/bklog"));

function fail(message) {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1);
}

if (!existsSync(join(BIN, "stewardd.js"))) fail("dist/ is missing: run `npm run build` first");

const envDefaults = Object.fromEntries(
  readFileSync(join(EXAMPLE, "bklog.env"), "utf8")
    .split("\n")
    .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line.trim()))
    .filter((m) => m !== null)
    .map((m) => [m[1], m[2]]),
);
const apiPort = process.env.STEWARD_EXAMPLE_API_PORT ?? envDefaults.BK_BKLOG_API_PORT ?? "10400";
const grafanaPort = process.env.STEWARD_EXAMPLE_GRAFANA_PORT ?? envDefaults.BK_BKLOG_GRAFANA_PORT ?? "10401";
const dashboardPort =
  process.env.STEWARD_EXAMPLE_DASHBOARD_PORT ?? envDefaults.BK_BKLOG_SUPERVISOR_HTTP_PORT ?? "10402";

// 1. Render the improved templates into the prefix (BK_HOME).
const templatesDir = join(EXAMPLE, "templates/improved");
const templates = readdirSync(templatesDir).map((name) => join(templatesDir, name));
const rendered = spawnSync(
  process.execPath,
  [
    join(BIN, "steward.js"),
    "render",
    "-p",
    PREFIX,
    "-m",
    "bklog",
    "-e",
    join(EXAMPLE, "bklog.env"),
    "-E",
    `BK_HOME=${PREFIX}`,
    "-E",
    `BK_BKLOG_API_PORT=${apiPort}`,
    "-E",
    `BK_BKLOG_GRAFANA_PORT=${grafanaPort}`,
    "-E",
    `BK_BKLOG_SUPERVISOR_HTTP_PORT=${dashboardPort}`,
    ...templates,
  ],
  { stdio: ["ignore", "ignore", "inherit"] },
);
if (rendered.status !== 0) fail(`rendering the templates failed (steward render exited ${rendered.status})`);

// 2. The code next to the rendered files, and the directories the config names.
cpSync(join(EXAMPLE, "api"), join(PREFIX, "bklog/api"), { recursive: true });
cpSync(join(EXAMPLE, "grafana"), join(PREFIX, "bklog/grafana"), { recursive: true });
mkdirSync(join(PREFIX, "logs/bklog"), { recursive: true });
mkdirSync(join(PREFIX, "run/bklog"), { recursive: true });

// 3. stewardd in the foreground; its log lines go to our stdout.
const conf = join(PREFIX, "etc/supervisor-bklog.conf");
const near = (path) => {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") ? path : rel;
};
const shown = near(conf);
const ctl = `node ${near(join(BIN, "stewardctl.js"))} -c ${shown}`;
process.stdout.write(`npm start: rendered examples/bklog (improved) into ${PREFIX}; starting stewardd\n`);
const daemon = spawn(process.execPath, [join(BIN, "stewardd.js"), "-n", "-c", conf], {
  stdio: ["ignore", "pipe", "inherit"],
});
let announced = false;
let partial = "";
daemon.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (announced) return;
  const lines = (partial + chunk.toString("utf8")).split("\n");
  partial = lines.pop() ?? "";
  if (!lines.some((l) => l.includes("success: grafana entered RUNNING state"))) return;
  announced = true;
  process.stdout.write(
    [
      "",
      "  BK-LOG example is up (API first, Grafana only once the API answered its health check):",
      `    API                http://127.0.0.1:${apiPort}/            health: http://127.0.0.1:${apiPort}/healthz`,
      `    Grafana stand-in   http://127.0.0.1:${grafanaPort}/api/health`,
      `    Steward dashboard  http://127.0.0.1:${dashboardPort}/     metrics: http://127.0.0.1:${dashboardPort}/metrics`,
      `                       (user ${envDefaults.BK_BKLOG_SUPERVISOR_USER}, password ${envDefaults.BK_BKLOG_SUPERVISOR_PASSWORD}: from examples/bklog/bklog.env)`,
      "  In another terminal:",
      `    ${ctl} status`,
      `    ${ctl} deps`,
      `    ${ctl} health`,
      `    ${ctl} usage`,
      `    node ${near(join(BIN, "steward.js"))} doctor -c ${shown}`,
      "  Ctrl-C stops everything.",
      "",
      "",
    ].join("\n"),
  );
});
// Ctrl-C reaches stewardd too (same process group); it stops the programs and exits. Wait for it.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (daemon.exitCode === null) daemon.kill("SIGTERM");
  });
}
daemon.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
