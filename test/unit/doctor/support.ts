/** A BK-LOG-like deployment in memory for the doctor's unit tests (not a test file itself). */
import { ConfigPlaces, type Deployment, describeDeployment } from "../../../src/doctor/deployment.js";
import { type DoctorFiles, memoryFiles } from "../../../src/doctor/files.js";
import { load } from "../../helpers/temp-config.js";

export const API_CONF = `[supervisord]
logfile=/data/bkee/logs/bklog/api-supervisord.log
pidfile=/var/run/bklog/api-supervisord.pid

[program:bklog-api]
command=bash -c "sleep 10 && source bin/environ.sh && exec gunicorn -c gunicorn_config.py wsgi:application"
startsecs=3
stdout_logfile=/data/bkee/logs/bklog/api.log
redirect_stderr=true
directory=/data/bkee/bklog/api

[unix_http_server]
file=/var/run/bklog/api-supervisor.sock
chmod=0700

[supervisorctl]
serverurl=unix:///var/run/bklog/api-supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
`;

export const ENVIRON_SH = `#!/bin/sh
export LAN_IP="10.0.0.12"
export BKLOG_API_PORT="10400"
export PATH=/data/bkee/.envs/bklog-api/bin:$PATH
export DB_HOST="mysql.service.consul"
export DB_PORT="3306"
export BK_BKLOG_REDIS_MODE=sentinel
export BK_BKLOG_REDIS_HOST=redis.service.consul
export BK_BKLOG_REDIS_PORT=6379
export BK_BKLOG_REDIS_SENTINEL_HOST=redis-sentinel.service.consul
export BK_BKLOG_REDIS_SENTINEL_PORT=26379
`;

export const GUNICORN_PY = `import os

bind = f"{os.getenv('LAN_IP', '0.0.0.0')}:{os.getenv('BKLOG_API_PORT', '8000')}"
workers = 8
`;

/** The files of a healthy API host; override or drop (undefined) entries per test. */
export function apiFiles(): Record<string, string | undefined> {
  return {
    "/usr/bin/bash": "",
    "/bin/sh": "",
    "/usr/bin/sleep": "",
    "/data/bkee/bklog/api/bin/environ.sh": ENVIRON_SH,
    "/data/bkee/bklog/api/gunicorn_config.py": GUNICORN_PY,
    "/data/bkee/.envs/bklog-api/bin/gunicorn": "",
  };
}

export const EXECUTABLES = [
  "/usr/bin/bash",
  "/bin/sh",
  "/usr/bin/sleep",
  "/data/bkee/.envs/bklog-api/bin/gunicorn",
  "/data/bkee/bklog/grafana/bin/grafana-server",
];

export const DIRS = ["/data/bkee/logs/bklog", "/var/run/bklog", "/tmp"];

export interface Built {
  readonly d: Deployment;
  readonly files: DoctorFiles;
  readonly conf: string;
}

/** Loads `conf` (written to a temp file) and describes it over in-memory `files`. */
export function build(
  conf: string,
  files: Record<string, string | undefined> = apiFiles(),
  options: {
    dirs?: string[];
    modes?: Record<string, number>;
    readOnly?: string[];
    env?: Record<string, string>;
  } = {},
): Built {
  const config = load(conf);
  const texts: Record<string, string> = { [config.file]: conf };
  for (const [k, v] of Object.entries(files)) if (v !== undefined) texts[k] = v;
  const modes: Record<string, number> = {};
  for (const x of EXECUTABLES) modes[x] = 0o755;
  const fs = memoryFiles(texts, {
    dirs: options.dirs ?? DIRS,
    modes: { ...modes, ...options.modes },
    readOnly: options.readOnly ?? [],
  });
  const places = ConfigPlaces.fromTexts(new Map([[config.file, conf]]));
  const env = new Map(Object.entries(options.env ?? { PATH: "/usr/bin:/bin", HOME: "/root" }));
  return {
    d: describeDeployment(config, places, { files: fs, env, cwd: "/" }),
    files: fs,
    conf: config.file,
  };
}
