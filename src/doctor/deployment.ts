/**
 * A loaded configuration read as a deployment: for each program, what actually runs (through a
 * `bash -c "… && exec X"` wrapper), in which directory and environment (after `environment_file` and the
 * files it sources), which files it names, which ports it will bind and which services it needs.
 * Everything later checks is here, worked out without running anything. Pure over DoctorFiles.
 */
import { emptyDocument, type IniDocument, readIniInto } from "../config/ini.js";
import type { Config, ProbeSpec, ProcessConfig } from "../config/types.js";
import { resolveCommand, SpawnError, type SpawnFailureKind } from "../process/command-line.js";
import {
  applyCommands,
  applyEnvScript,
  type ShellState,
  type SourcedFile,
  shellState,
} from "./environment.js";
import type { DoctorFiles } from "./files.js";
import { grafanaSetting, parseGrafanaIni, splitDatabaseHost } from "./grafana.js";
import { configBind, parseBindAddress } from "./gunicorn.js";
import { hostPort, isLocalHost, parentDir, resolvePath } from "./paths-util.js";
import { hasPlaceholder } from "./placeholders.js";
import {
  asAssignment,
  type Env,
  type EnvValue,
  expandWord,
  literalWord,
  parseShell,
  type SimpleCommand,
  type Word,
  wordSource,
} from "./shell.js";

/** Where options and sections are written, from the config files' text. */
export class ConfigPlaces {
  readonly #doc: IniDocument;
  constructor(doc: IniDocument) {
    this.#doc = doc;
  }

  /** Reads the config files (`texts`: name as the loader names it → text) for their line numbers. */
  static fromTexts(texts: ReadonlyMap<string, string>): ConfigPlaces {
    const doc = emptyDocument();
    for (const [name, text] of texts) {
      try {
        readIniInto(doc, text, name);
      } catch {
        // The loader accepted the files; a file it did not read has no places.
      }
    }
    return new ConfigPlaces(doc);
  }

  /** `file:line [section]`, or `[section]` when unknown. */
  section(section: string): string {
    const origin = this.#doc.sectionOrigin.get(section);
    return origin ? `${origin.file}:${origin.line} [${section}]` : `[${section}]`;
  }

  /** `file:line [section] option`; for an option left at its default, the section's place and the name. */
  option(section: string, option: string): string {
    const v = this.#doc.sections.get(section)?.get(option) ?? this.#doc.defaults.get(option);
    if (v) return `${v.file}:${v.line} [${section}] ${option}`;
    return `${this.section(section)} ${option}`;
  }
}

/** How a command word resolved. */
export type Resolution =
  | { readonly status: "ok"; readonly path: string }
  | { readonly status: "not-found"; readonly searched: readonly string[]; readonly pathUnknown: boolean }
  | { readonly status: "not-executable" | "directory" | "no-permission"; readonly path: string }
  | { readonly status: "builtin" }
  /** Its name is computed (`exec $BIN`) or holds a placeholder. */
  | { readonly status: "unknown"; readonly written: string };

/** What ends up running: the program itself, or what its shell wrapper execs. */
export interface Target {
  /** The words, expanded; a word that cannot be worked out is kept as written. */
  readonly argv: readonly string[];
  /** `command` (no wrapper), `exec` (after the last `exec`), `last command` (the wrapper's last command). */
  readonly via: "command" | "exec" | "last command";
  readonly resolution: Resolution;
}

/** A file named by a program: its environment_file, gunicorn's `-c`, grafana's `--config`, … */
export interface NamedFile {
  readonly role: string;
  readonly written: string;
  /** Absolute, or null when computed. */
  readonly path: string | null;
  readonly found: boolean;
  /** The option that names it. */
  readonly where: string;
}

/** A port a program (or the daemon) will listen on. */
export interface Bind {
  readonly host: string;
  readonly port: number;
  /** The program, or null for the daemon itself. */
  readonly program: string | null;
  /** Where the address comes from. */
  readonly where: string;
  /** What says so: `gunicorn bind`, `healthcheck`, `grafana [server]`, … and the variables used. */
  readonly source: string;
}

/** A service a program needs: a database, a cache, a `wait_for`. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly program: string;
  readonly where: string;
  /** `DB_HOST/DB_PORT`, `[database] host`, `wait_for`, … */
  readonly what: string;
}

/** Something a wrapper does to wait before starting what it runs. */
export type Wait =
  | { readonly kind: "sleep"; readonly seconds: number; readonly line: number }
  | { readonly kind: "loop" | "tool"; readonly text: string; readonly line: number };

export interface ProgramModel {
  readonly section: string;
  readonly name: string;
  /** Its processes as `group:name`. */
  readonly processes: readonly string[];
  readonly config: ProcessConfig;
  /** The directory it runs in: `directory`, else `[supervisord] directory`, else this one. */
  readonly cwd: string;
  /** Whether that directory exists (when not, the paths check says so, and files relative to it are moot). */
  readonly cwdExists: boolean;
  readonly commandWhere: string;
  /** The command holds a `__NAME__` placeholder: nothing about it can be checked yet. */
  readonly unrendered: boolean;
  /** The command as supervisord resolves it, or its spawn error. */
  readonly outer:
    | { readonly ok: true; readonly filename: string; readonly argv: readonly string[] }
    | { readonly ok: false; readonly failure: SpawnFailureKind; readonly message: string };
  /** `bash -c SCRIPT`: the shell and the script. */
  readonly wrapper: { readonly shell: string; readonly script: string } | null;
  readonly target: Target | null;
  readonly sourced: readonly SourcedFile[];
  readonly files: readonly NamedFile[];
  /** The environment the target runs with (values null when computed). */
  readonly env: Env;
  readonly binds: readonly Bind[];
  readonly needs: readonly Endpoint[];
  readonly waits: readonly Wait[];
  /** Every file read for it (sourced, environment_file, config files it names). */
  readonly filesRead: readonly string[];
}

export interface Deployment {
  readonly config: Config;
  readonly places: ConfigPlaces;
  readonly programs: readonly ProgramModel[];
  /** The daemon's own listening ports (`[inet_http_server]`, fcgi sockets). */
  readonly daemonBinds: readonly Bind[];
}

export interface DeploymentContext {
  readonly files: DoctorFiles;
  /** The environment stewardd would start with (this command's own). */
  readonly env: ReadonlyMap<string, string>;
  readonly cwd: string;
}

const SHELLS = new Set(["bash", "sh", "dash", "zsh", "ksh", "ash", "mksh"]);
const BUILTINS = new Set(
  (
    ": . [ alias bg break builtin caller cd command compgen complete continue declare dirs disown echo " +
    "enable eval exit export false fc fg getopts hash help history jobs kill let local logout mapfile " +
    "popd printf pushd pwd read readarray readonly return set shift shopt source suspend test times " +
    "trap true type typeset ulimit umask unalias unset wait"
  ).split(" "),
);
const WAIT_TOOLS = new Set(["wait-for-it", "wait-for-it.sh", "wait-for", "wait-for.sh", "dockerize"]);
const CONFIG_OPTIONS = ["--config", "-config", "--config-file", "--ini", "--conf"];
const DAEMON_ENV = "the daemon's environment";

function basename(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

/** supervisord's view of the file system, for resolveCommand. */
function commandFiles(files: DoctorFiles) {
  return {
    stat(path: string) {
      const st = files.stat(path);
      return st === null ? null : { isDirectory: st.kind === "directory", mode: st.mode };
    },
    canExecute: (path: string) => files.canExecute(path),
  };
}

/** Resolves a command word as a shell would with PATH from `env`. */
function resolveWord(word: string, env: Env, cwd: string, files: DoctorFiles): Resolution {
  if (word === "" || hasPlaceholder(word) || (word.includes("/") && hasPlaceholder(resolvePath(word, cwd)))) {
    return { status: "unknown", written: word };
  }
  if (BUILTINS.has(word)) return { status: "builtin" };
  const check = (path: string): Resolution | null => {
    const st = files.stat(path);
    if (st === null) return null;
    if (st.kind === "directory") return { status: "directory", path };
    if ((st.mode & 0o111) === 0) return { status: "not-executable", path };
    if (!files.canExecute(path)) return { status: "no-permission", path };
    return { status: "ok", path };
  };
  if (word.includes("/")) {
    const path = resolvePath(word, cwd);
    return check(path) ?? { status: "not-found", searched: [path], pathUnknown: false };
  }
  const pathValue = env.get("PATH");
  const pathUnknown = pathValue !== undefined && pathValue.value === null;
  const dirs = (pathValue?.value ?? "/usr/local/bin:/usr/bin:/bin").split(":");
  for (const dir of dirs) {
    const found = check(resolvePath(`${dir || "."}/${word}`, cwd));
    // A shell skips a directory or a file without execute permission and keeps looking.
    if (found?.status === "ok") return found;
  }
  for (const dir of dirs) {
    const found = check(resolvePath(`${dir || "."}/${word}`, cwd));
    if (found !== null && found.status !== "directory") return found;
  }
  return { status: "not-found", searched: dirs, pathUnknown };
}

/** `bash -c SCRIPT …`: the script, or null when the command is not a shell running a string. */
function shellScript(argv: readonly string[]): { shell: string; script: string } | null {
  const shell = argv[0];
  if (shell === undefined || !SHELLS.has(basename(shell))) return null;
  let sawC = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") return sawC && argv[i + 1] !== undefined ? { shell, script: argv[i + 1]! } : null;
    if (/^[-+][A-Za-z]+$/.test(a)) {
      if (a.startsWith("-") && a.includes("c")) sawC = true;
      if (a === "-o" || a === "+o" || a === "-O" || a === "+O") i++;
      continue;
    }
    if (a.startsWith("--")) continue;
    return sawC ? { shell, script: a } : null;
  }
  return null;
}

/** Words after `exec`'s own options, `env`'s assignments, `nohup`, `command`. */
function unwrap(words: readonly Word[], env: Map<string, EnvValue>, origin: string): readonly Word[] {
  let rest = words;
  for (;;) {
    const assignment = rest[0] ? asAssignment(rest[0]) : null;
    if (assignment) {
      env.set(assignment.name, { value: expandWord(assignment.value, env), origin });
      rest = rest.slice(1);
      continue;
    }
    const head = rest[0] ? literalWord(rest[0]) : null;
    if (head === "exec") {
      rest = rest.slice(1);
      while (rest[0] && literalWord(rest[0])?.startsWith("-")) {
        const opt = literalWord(rest[0])!;
        rest = rest.slice(opt.includes("a") ? 2 : 1);
      }
      continue;
    }
    if (head === "nohup" || head === "command" || head === "env") {
      rest = rest.slice(1);
      continue;
    }
    return rest;
  }
}

function isExec(command: SimpleCommand): boolean {
  const words = command.words.filter((w) => asAssignment(w) === null);
  return words.length > 1 && literalWord(words[0]!) === "exec";
}

function sleepSeconds(args: readonly string[]): number | null {
  let total = 0;
  for (const a of args) {
    const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(a);
    if (!m) return null;
    total += Number(m[1]) * ({ "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]!] ?? 1);
  }
  return args.length > 0 ? total : null;
}

/** The value of `--name X`, `--name=X` (and `-n X`, `-nX` for a one-letter `short`) in argv. */
function optionValues(argv: readonly string[], long: readonly string[], short: string | null): string[] {
  const values: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf("=");
    const name = eq < 0 ? a : a.slice(0, eq);
    if (long.includes(name)) {
      if (eq >= 0) values.push(a.slice(eq + 1));
      else if (argv[i + 1] !== undefined) values.push(argv[++i]!);
    } else if (short !== null && a.startsWith(`-${short}`) && !a.startsWith("--")) {
      if (a.length > 2) values.push(a.slice(2));
      else if (argv[i + 1] !== undefined) values.push(argv[++i]!);
    }
  }
  return values;
}

function probeAddress(spec: ProbeSpec): { host: string; port: number } | null {
  if (spec.kind === "tcp") return { host: spec.host, port: spec.port };
  if (spec.kind === "http") {
    try {
      const url = new URL(spec.url);
      const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
      return { host: url.hostname.replace(/^\[|\]$/g, ""), port };
    } catch {
      return null;
    }
  }
  return null;
}

/** `X_HOST` with `X_PORT` in the environment a program's files set up: the services it needs. */
function envEndpoints(env: Env, program: string): Endpoint[] {
  const found: Endpoint[] = [];
  for (const [name, host] of env) {
    const m = /^(.*)_HOST$/.exec(name);
    if (!m || host.origin === DAEMON_ENV) continue;
    const prefix = m[1]!;
    const port = env.get(`${prefix}_PORT`);
    if (!port || host.value === null || port.value === null) continue;
    if (!/^\d+$/.test(port.value) || host.value === "" || /[/$ ]/.test(host.value)) continue;
    if (hasPlaceholder(host.value)) continue;
    // redis: with X_MODE=sentinel the client talks to X_SENTINEL_HOST, not X_HOST; in other modes the reverse.
    const base = prefix.replace(/_SENTINEL$/, "");
    const mode = env.get(`${base}_MODE`)?.value?.toLowerCase();
    if (mode !== undefined && mode !== null) {
      const sentinel = prefix.endsWith("_SENTINEL");
      if (mode === "sentinel" && !sentinel && env.has(`${base}_SENTINEL_HOST`)) continue;
      if (mode !== "sentinel" && sentinel) continue;
    }
    found.push({
      host: host.value,
      port: Number(port.value),
      program,
      where: `${host.origin} (${name}, ${prefix}_PORT)`,
      what: `${name}/${prefix}_PORT`,
    });
  }
  return found;
}

function readFile(files: DoctorFiles, path: string | null): string | null {
  if (path === null) return null;
  return files.stat(path)?.kind === "file" ? files.readText(path) : null;
}

function describeProgram(
  procs: readonly ProcessConfig[],
  config: Config,
  places: ConfigPlaces,
  ctx: DeploymentContext,
): ProgramModel {
  const p = procs[0]!;
  const { files } = ctx;
  const cwd = resolvePath(p.directory ?? config.supervisord.directory ?? ctx.cwd, ctx.cwd);
  const commandWhere = places.option(p.section, "command");
  const base = new Map<string, EnvValue>();
  for (const [k, v] of ctx.env) base.set(k, { value: v, origin: DAEMON_ENV });
  const envWhere = places.option(p.section, "environment");
  for (const [k, v] of Object.entries(p.environment)) base.set(k, { value: v, origin: envWhere });
  const state: ShellState = shellState(base, cwd);
  const named: NamedFile[] = [];
  const filesRead: string[] = [];

  // environment_file, sourced at each spawn before the command is looked up.
  const programEnvironment: Record<string, string> = { ...p.environment };
  if (p.environment_file !== null) {
    const resolved = resolvePath(p.environment_file, cwd);
    const path = hasPlaceholder(resolved) ? null : resolved;
    const text = readFile(files, path);
    const where = places.option(p.section, "environment_file");
    named.push({ role: "environment_file", written: p.environment_file, path, found: text !== null, where });
    if (text !== null && path !== null) {
      filesRead.push(path);
      const before = new Map(state.env);
      applyEnvScript(text, path, state, files);
      for (const [k, v] of state.env) {
        if (before.get(k) !== v && v.value !== null) programEnvironment[k] = v.value;
      }
    }
  }

  const unrendered = hasPlaceholder(p.command);
  let outer: ProgramModel["outer"];
  try {
    const r = resolveCommand(p.command, {
      programEnvironment,
      daemonEnvironment: Object.fromEntries(ctx.env),
      files: commandFiles(files),
    });
    outer = { ok: true, filename: r.filename, argv: r.argv };
  } catch (error) {
    if (!(error instanceof SpawnError)) throw error;
    outer = { ok: false, failure: error.failure, message: error.message };
  }

  const waits: Wait[] = [];
  let wrapper: ProgramModel["wrapper"] = null;
  let target: Target | null = null;
  if (outer.ok) {
    wrapper = shellScript(outer.argv);
    if (wrapper === null) {
      const resolution: Resolution = { status: "ok", path: outer.filename };
      target = { argv: outer.argv, via: "command", resolution };
    } else {
      const commands = parseShell(wrapper.script);
      const execIndex = commands.findLastIndex(isExec);
      const index = execIndex >= 0 ? execIndex : commands.length - 1;
      const origin = () => commandWhere;
      for (const [i, command] of commands.entries()) {
        if (i >= index) break;
        const words = command.words.map((w) => expandWord(w, state.env) ?? "");
        const head = basename(words[0] ?? "");
        if (command.inLoop) {
          if (!waits.some((w) => w.kind === "loop")) {
            waits.push({ kind: "loop", text: words.join(" "), line: command.line });
          }
        } else if (head === "sleep") {
          const seconds = sleepSeconds(words.slice(1));
          if (seconds !== null) waits.push({ kind: "sleep", seconds, line: command.line });
        } else if (WAIT_TOOLS.has(head)) {
          waits.push({ kind: "tool", text: words.join(" "), line: command.line });
        }
        applyCommands([command], state, origin, files);
      }
      const last = commands[index];
      if (last !== undefined) {
        const words = unwrap(last.words, state.env, commandWhere);
        // A word the shell would compute is kept as written (`$(…)`), and names no file doctor can find.
        const argv = words.map((w) => expandWord(w, state.env) ?? wordSource(w));
        const first = words[0] ? expandWord(words[0], state.env) : null;
        const resolution: Resolution =
          first === null
            ? { status: "unknown", written: argv[0] ?? "" }
            : resolveWord(first, state.env, state.cwd, files);
        target = { argv, via: execIndex >= 0 ? "exec" : "last command", resolution };
      }
    }
  }
  for (const s of state.sourced) if (s.found && s.path !== null) filesRead.push(s.path);

  // Files the target names, and what they say about ports and services.
  const binds: Bind[] = [];
  const needs: Endpoint[] = [];
  const program = p.program_name;
  const argv = target?.argv ?? [];
  const exe = basename(argv[0] ?? "");
  const argCwd = wrapper ? state.cwd : cwd;
  const nameFile = (
    role: string,
    written: string,
    base = argCwd,
  ): { path: string | null; text: string | null } => {
    const resolved = resolvePath(written, base);
    const path = hasPlaceholder(resolved) || /[$`]/.test(written) || written === "" ? null : resolved;
    const text = readFile(files, path);
    named.push({ role, written, path, found: text !== null, where: commandWhere });
    if (text !== null && path !== null) filesRead.push(path);
    return { path, text };
  };
  if (exe === "gunicorn" || exe === "gunicorn3") {
    const cliBinds = optionValues(argv, ["--bind"], "b");
    let fromConfig = null;
    const configs = optionValues(argv, ["--config"], "c");
    for (const written of configs) {
      const { path, text } = nameFile("gunicorn config", written);
      if (text !== null && path !== null) {
        const bind = configBind(text, state.env);
        if (bind) fromConfig = { ...bind, path };
      }
    }
    const addresses: { address: string; where: string; source: string }[] = [];
    if (cliBinds.length > 0) {
      for (const b of cliBinds)
        addresses.push({ address: b, where: commandWhere, source: "gunicorn --bind" });
    } else if (fromConfig !== null) {
      const vars = fromConfig.variables.map((v) => {
        const e = state.env.get(v);
        return e ? `${v}=${e.value ?? "?"} from ${e.origin}` : `${v} unset`;
      });
      const source = `gunicorn bind${vars.length > 0 ? ` with ${vars.join(" and ")}` : ""}`;
      for (const a of fromConfig.addresses ?? []) {
        addresses.push({ address: a, where: `${fromConfig.path}:${fromConfig.line} bind`, source });
      }
    } else if (configs.length === 0) {
      const port = state.env.get("PORT")?.value;
      if (port)
        addresses.push({ address: `0.0.0.0:${port}`, where: commandWhere, source: "gunicorn, $PORT" });
      else
        addresses.push({ address: "127.0.0.1:8000", where: commandWhere, source: "gunicorn's default bind" });
    }
    for (const a of addresses) {
      const parsed = hasPlaceholder(a.address) ? null : parseBindAddress(a.address);
      if (parsed) binds.push({ ...parsed, program, where: a.where, source: a.source });
    }
  } else if (exe === "grafana-server" || (exe === "grafana" && argv[1] === "server")) {
    const home = optionValues(argv, ["--homepath", "-homepath"], null)[0];
    const homePath = home === undefined ? argCwd : resolvePath(home, argCwd);
    const defaults = resolvePath("conf/defaults.ini", homePath);
    const defaultsFound = readFile(files, defaults) !== null;
    named.push({
      role: "grafana defaults",
      written: defaults,
      path: defaults,
      found: defaultsFound,
      where: commandWhere,
    });
    const configs = optionValues(argv, ["--config", "-config"], null);
    let ini: ReturnType<typeof parseGrafanaIni> | null = null;
    let iniPath = "";
    for (const written of configs) {
      // Grafana reads a relative --config against its home path.
      const { path, text } = nameFile("grafana config", written, homePath);
      if (text !== null && path !== null) {
        ini = parseGrafanaIni(text);
        iniPath = path;
      }
    }
    const setting = (section: string, key: string, fallback: string) =>
      grafanaSetting(ini, iniPath, argv, state.env, section, key, fallback);
    const protocol = setting("server", "protocol", "http").value;
    if (protocol !== "socket") {
      const addr = setting("server", "http_addr", "");
      const port = setting("server", "http_port", "3000");
      if (/^\d+$/.test(port.value) && !hasPlaceholder(addr.value)) {
        const where = port.origin === "Grafana's default" ? addr.origin : port.origin;
        binds.push({
          host: addr.value || "0.0.0.0",
          port: Number(port.value),
          program,
          where,
          source: `grafana [server] http_addr:http_port${addr.origin === "Grafana's default" ? "" : ` (http_addr from ${addr.origin})`}`,
        });
      }
    }
    const type = setting("database", "type", "sqlite3").value;
    if (type === "mysql" || type === "postgres") {
      const host = setting("database", "host", "127.0.0.1:3306");
      const hp = hasPlaceholder(host.value) ? null : splitDatabaseHost(host.value, type);
      if (hp) needs.push({ ...hp, program, where: host.origin, what: `grafana [database] host (${type})` });
    }
  } else if (target !== null) {
    for (const written of optionValues(argv, CONFIG_OPTIONS, null)) nameFile("config", written);
  }

  // Health checks on this machine: the program will listen there. Each process of a numprocs
  // program has its own (`%(process_num)d` in the check gives each its port).
  for (const each of procs) {
    const hc = each.healthcheck ? probeAddress(each.healthcheck) : null;
    if (hc && isLocalHost(hc.host)) {
      binds.push({ ...hc, program, where: places.option(p.section, "healthcheck"), source: "healthcheck" });
    }
    for (const spec of each.wait_for) {
      const a = probeAddress(spec);
      if (a)
        needs.push({
          ...a,
          program,
          where: places.option(p.section, "wait_for"),
          what: `wait_for ${spec.text}`,
        });
    }
  }
  const ownPorts = new Set(binds.map((b) => b.port));
  for (const e of envEndpoints(state.env, program)) {
    if (isLocalHost(e.host) && ownPorts.has(e.port)) continue;
    needs.push(e);
  }

  return {
    section: p.section,
    name: program,
    processes: procs.map((x) => `${x.group_name}:${x.name}`),
    config: p,
    cwd,
    cwdExists: files.stat(cwd)?.kind === "directory",
    commandWhere,
    unrendered,
    outer,
    wrapper,
    target,
    sourced: state.sourced,
    files: named,
    env: state.env,
    binds: dedupeBy(binds, (b) => `${hostPort(b.host, b.port)}`),
    needs: dedupeBy(needs, (e) => hostPort(e.host, e.port)),
    waits,
    filesRead: [...new Set(filesRead)],
  };
}

function dedupeBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The deployment a loaded configuration describes. */
export function describeDeployment(config: Config, places: ConfigPlaces, ctx: DeploymentContext): Deployment {
  const bySection = new Map<string, ProcessConfig[]>();
  for (const group of config.groups) {
    for (const p of group.processes) bySection.set(p.section, [...(bySection.get(p.section) ?? []), p]);
  }
  const programs = [...bySection.values()].map((procs) => describeProgram(procs, config, places, ctx));
  const daemonBinds: Bind[] = [];
  for (const s of config.servers) {
    if (s.kind === "inet_http_server") {
      daemonBinds.push({
        host: s.host || "0.0.0.0",
        port: s.port,
        program: null,
        where: places.option(s.section, "port"),
        source: `[${s.section}]`,
      });
    }
  }
  for (const g of config.groups) {
    if (g.kind === "fcgi-program" && g.socket.kind === "tcp") {
      const section = g.processes[0]?.section ?? `fcgi-program:${g.name}`;
      daemonBinds.push({
        host: g.socket.host,
        port: g.socket.port,
        program: null,
        where: places.option(section, "socket"),
        source: `[${section}] socket`,
      });
    }
  }
  return { config, places, programs, daemonBinds };
}

/** Where the daemon keeps its files: for the paths check. */
export function socketDirectories(config: Config): { path: string; section: string }[] {
  return config.servers.flatMap((s) =>
    s.kind === "unix_http_server" ? [{ path: parentDir(s.file), section: s.section }] : [],
  );
}
