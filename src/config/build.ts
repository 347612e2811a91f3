/**
 * A parsed document → a Config, in supervisord's order (`read_config` then `realize`), so that the
 * first issue collected is the error supervisord reports. Pure.
 */
import { ConfigError, type ConfigIssue } from "../errors.js";
import type { BuildContext } from "./build-context.js";
import { buildGroups } from "./build-groups.js";
import { buildServers } from "./build-servers.js";
import { buildSupervisord } from "./build-supervisord.js";
import { toUid } from "./convert.js";
import { resolveDependencies } from "./dependencies.js";
import { RESOLVABLE_RPC_FACTORIES } from "./events.js";
import { type IniDocument, optionNames, sectionNames } from "./ini.js";
import type { FormatValue } from "./py-format.js";
import { normalizePath } from "./py-path.js";
import { OptionReader } from "./reader.js";
import { knownOptions } from "./schema.js";
import type { Config, RpcInterfaceConfig, ServerConfig, UnknownOption } from "./types.js";

const FACTORY_KEY = "supervisor.rpcinterface_factory";

/** supervisord's fallback `SUPERVISOR_SERVER_URL`: the first unix server, else the last inet one. */
export function computeServerUrl(servers: readonly ServerConfig[]): string | null {
  const unix = servers.find((s) => s.kind === "unix_http_server");
  if (unix) return `unix://${unix.file}`;
  const inet = servers.filter((s) => s.kind === "inet_http_server").at(-1);
  return inet ? `http://${inet.host || "localhost"}:${inet.port}` : null;
}

function buildRpcInterfaces(reader: OptionReader): RpcInterfaceConfig[] {
  const result: RpcInterfaceConfig[] = [];
  for (const section of sectionNames(reader.doc).filter((s) => s.startsWith("rpcinterface:"))) {
    const factory = reader.get(section, FACTORY_KEY, null);
    if (factory.origin === undefined) {
      reader.report(
        `section [${section}] does not specify a ${FACTORY_KEY}`,
        section,
        FACTORY_KEY,
        undefined,
        `add ${FACTORY_KEY} = supervisor.rpcinterface:make_main_rpcinterface`,
      );
      continue;
    }
    if (factory.value === null) continue;
    if (!RESOLVABLE_RPC_FACTORIES.has(factory.value)) {
      reader.report(
        `${factory.value} cannot be resolved within [${section}]`,
        section,
        FACTORY_KEY,
        factory.origin,
        "Steward implements only supervisor.rpcinterface:make_main_rpcinterface; remove this section",
      );
      continue;
    }
    const extras: Record<string, string> = {};
    for (const key of optionNames(reader.doc, section)) {
      if (key === FACTORY_KEY) continue;
      extras[key] = reader.get(section, key, null).value ?? "";
    }
    result.push({ name: section.slice(section.indexOf(":") + 1), factory: factory.value, extras });
  }
  return result;
}

function findUnknownOptions(doc: IniDocument): UnknownOption[] {
  const unknown: UnknownOption[] = [];
  for (const [section, options] of doc.sections) {
    const known = knownOptions(section);
    if (known === null) continue;
    for (const [option, v] of options) {
      if (!known.has(option)) unknown.push({ section, option, file: v.file, line: v.line });
    }
  }
  return unknown;
}

/** Drops repeats of a problem already reported for the same place. */
function dedupe(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.section}\0${i.option}\0${i.file}\0${i.line}`;
    if (i.option !== undefined && seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Builds the configuration; throws ConfigError listing every problem found. */
export function buildConfig(
  doc: IniDocument,
  ctx: BuildContext,
  files: readonly string[],
  initial: { warnings: string[]; infos: string[] },
): Config {
  const environ = new Map<string, FormatValue>([...ctx.env].map(([k, v]) => [`ENV_${k}`, v]));
  const reader = new OptionReader(doc, environ, ctx.configFile);
  if (!doc.sections.has("supervisord")) {
    throw new ConfigError([
      {
        message: ".ini file does not include supervisord section",
        file: ctx.configFile,
        hint: "add a [supervisord] section",
      },
    ]);
  }
  const warnings = [...initial.warnings];
  const supervisord = buildSupervisord(reader, ctx);
  const rpcinterfaces = buildRpcInterfaces(reader);
  const built = buildGroups(reader, ctx, warnings).map((group) => ({
    ...group,
    processes: group.processes.map((p) => ({
      ...p,
      environment: { ...supervisord.environment, ...p.environment },
    })),
  }));
  const { groups, problems } = resolveDependencies(built);
  for (const problem of problems) {
    const origin = reader.get(problem.section, "depends_on", null, undefined, false).origin;
    reader.report(problem.message, problem.section, "depends_on", origin, problem.hint);
  }
  const servers = buildServers(reader, ctx);
  if (supervisord.user !== null) {
    const user = supervisord.user;
    const origin = reader.get("supervisord", "user", null, undefined, false).origin;
    reader.attempt(
      () => toUid(user, ctx.host),
      0,
      "supervisord",
      "user",
      origin,
      "write a user that exists on this host, or use --no-host-checks",
    );
  }
  if (reader.issues.length > 0) throw new ConfigError(dedupe(reader.issues));
  const realized = {
    ...supervisord,
    logfile:
      supervisord.logfile === "syslog"
        ? "syslog"
        : normalizePath(supervisord.logfile, ctx.cwd, ctx.env, ctx.host),
    pidfile: normalizePath(supervisord.pidfile, ctx.cwd, ctx.env, ctx.host),
  };
  return {
    file: ctx.configFile,
    files,
    supervisord: realized,
    servers,
    serverurl: computeServerUrl(servers),
    groups,
    rpcinterfaces,
    warnings,
    infos: initial.infos,
    unknownOptions: findUnknownOptions(doc),
  };
}
