// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are shell and INI, not templates
/** grafana.ini: [server] and [database], with cfg: arguments and GF_ variables over the file. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { grafanaSetting, parseGrafanaIni, splitDatabaseHost } from "../../../src/doctor/grafana.js";
import type { EnvValue } from "../../../src/doctor/shell.js";
import { SHARED } from "../../helpers/paths.js";

test("BK-LOG's grafana.ini as published", () => {
  const text = readFileSync(join(SHARED, "corpus/bklog-templates/grafana#conf#grafana.ini"), "utf8");
  const ini = parseGrafanaIni(text);
  assert.deepEqual(ini.get("server")?.get("http_port"), { value: "__BK_BKLOG_GRAFANA_PORT__", line: 27 });
  assert.equal(ini.get("database")?.get("host")?.value, "__BK_BKLOG_MYSQL_HOST__:__BK_BKLOG_MYSQL_PORT__");
  assert.equal(ini.get("database")?.get("password")?.value, "__BK_BKLOG_MYSQL_PASSWORD__");
  assert.equal(ini.get("auth.proxy")?.get("enabled")?.value, "true");
});

test("where a setting comes from: cfg: argument, GF_ variable, file, default", () => {
  const ini = parseGrafanaIni("[server]\nhttp_port = 3001\nhttp_addr = ${ADDR}\n");
  const env = new Map<string, EnvValue>([
    ["ADDR", { value: "10.0.0.5", origin: "x" }],
    ["GF_SERVER_PROTOCOL", { value: "https", origin: "environ.sh:4" }],
  ]);
  const get = (args: string[], s: string, k: string) =>
    grafanaSetting(ini, "/g.ini", args, env, s, k, "dflt");
  assert.deepEqual(get([], "server", "http_port"), { value: "3001", origin: "/g.ini:2 [server] http_port" });
  assert.deepEqual(get(["cfg:server.http_port=4000"], "server", "http_port"), {
    value: "4000",
    origin: "the command line's cfg:server.http_port=4000",
  });
  assert.equal(get([], "server", "http_addr").value, "10.0.0.5");
  assert.deepEqual(get([], "server", "protocol"), {
    value: "https",
    origin: "GF_SERVER_PROTOCOL (environ.sh:4)",
  });
  assert.deepEqual(get([], "database", "host"), { value: "dflt", origin: "Grafana's default" });
});

test("splitDatabaseHost", () => {
  assert.deepEqual(splitDatabaseHost("mysql-log.service.consul:3306", "mysql"), {
    host: "mysql-log.service.consul",
    port: 3306,
  });
  assert.deepEqual(splitDatabaseHost("db", "postgres"), { host: "db", port: 5432 });
  assert.deepEqual(splitDatabaseHost("[::1]:3307", "mysql"), { host: "::1", port: 3307 });
  assert.equal(splitDatabaseHost("/var/run/mysqld/mysqld.sock", "mysql"), null);
});
