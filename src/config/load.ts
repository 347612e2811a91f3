/**
 * The only IO of the configuration engine: finds and reads the files, follows `[include]`, then
 * runs the pure pipeline (ini → expand → convert → build).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { ConfigError } from "../errors.js";
import { buildConfig } from "./build.js";
import type { BuildContext } from "./build-context.js";
import { ExpansionError, expand } from "./expand.js";
import { glob } from "./glob.js";
import type { HostFacts } from "./host.js";
import { permissiveHost } from "./host.js";
import { systemHost } from "./host-system.js";
import { emptyDocument, expandHere, getOption, type IniDocument, IniParseError, readIniInto } from "./ini.js";
import { abspath, dirname, join } from "./py-path.js";
import { pyCompare } from "./py-text.js";
import { decodeUtf8LikePython, Utf8DecodeError } from "./py-utf8.js";
import type { Config } from "./types.js";

export interface LoadOptions {
  /** The config file as given (`-c`); relative paths resolve against `cwd`. */
  readonly file: string;
  readonly env?: ReadonlyMap<string, string>;
  readonly cwd?: string;
  /** false: do not check directories or look users up (`--no-host-checks`). */
  readonly hostChecks?: boolean;
  readonly host?: HostFacts;
  readonly hostname?: string;
}

function decode(bytes: Uint8Array): string {
  try {
    return decodeUtf8LikePython(bytes);
  } catch (error) {
    if (!(error instanceof Utf8DecodeError)) throw error;
    throw new ConfigError([{ message: error.message, hint: "save the file as UTF-8" }]);
  }
}

function parseFile(doc: IniDocument, path: string, name: string): void {
  try {
    const text = decode(readFileSync(path));
    readIniInto(doc, text, name);
  } catch (error) {
    if (error instanceof IniParseError) {
      const hint = "write each option as name = value under a [section] header; indent continuation lines";
      throw new ConfigError([{ message: error.message, file: name, line: error.lines[0]?.line, hint }]);
    }
    if (error instanceof ConfigError) {
      throw new ConfigError(error.issues.map((i) => ({ ...i, file: name })));
    }
    throw error;
  }
}

function tryParseIncluded(doc: IniDocument, path: string): boolean {
  try {
    if (statSync(path).isDirectory()) return false;
  } catch {
    return false;
  }
  parseFile(doc, path, path);
  return true;
}

/** Loads, validates and builds a configuration; throws ConfigError listing its problems. */
export function loadConfig(options: LoadOptions): Config {
  const env =
    options.env ??
    new Map(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const cwd = options.cwd ?? process.cwd();
  const base = options.host ?? systemHost();
  const host = options.hostChecks === false ? permissiveHost(base) : base;
  const file = options.file;
  const path = abspath(file, cwd);
  if (!existsSync(path)) {
    throw new ConfigError(
      [{ message: `could not find config file ${file}`, file, hint: "check the path given with -c" }],
      "STEWARD_ERR_CONFIG_NOT_FOUND",
    );
  }
  const here = dirname(path);
  const ctx: BuildContext = {
    env,
    cwd,
    hostname: options.hostname ?? hostname(),
    tempdir: env.get("TMPDIR") ?? env.get("TEMP") ?? env.get("TMP") ?? tmpdir(),
    host,
    configFile: file,
    here,
  };
  const doc = emptyDocument();
  try {
    parseFile(doc, path, file);
  } catch (error) {
    if (error instanceof ConfigError || !(error instanceof Error)) throw error;
    throw new ConfigError([{ message: `could not read config file ${file}`, file, hint: error.message }]);
  }
  const files = [file];
  const warnings: string[] = [];
  const infos: string[] = [];
  if (doc.sections.has("include")) {
    expandHere(doc, here);
    const filesOption = getOption(doc, "include", "files");
    if (filesOption === undefined) {
      throw new ConfigError([
        {
          message: ".ini file has [include] section, but no files setting",
          file,
          section: "include",
          hint: "add files = conf.d/*.conf",
        },
      ]);
    }
    const names = new Map<string, string>([
      ["here", here],
      ["host_node_name", ctx.hostname],
    ]);
    for (const [k, v] of env) names.set(`ENV_${k}`, v);
    let patterns: string;
    try {
      patterns = expand(filesOption.value, names, "include.files");
    } catch (error) {
      if (!(error instanceof ExpansionError)) throw error;
      throw new ConfigError([
        {
          message: error.message,
          file: filesOption.file,
          line: filesOption.line,
          section: "include",
          option: "files",
        },
      ]);
    }
    for (const pattern of patterns.split(/\s+/u).filter((p) => p !== "")) {
      const joined = join(here, pattern);
      const matches = glob(joined);
      if (matches.length === 0) {
        warnings.push(`No file matches via include "${joined}"`);
        continue;
      }
      for (const match of matches.sort(pyCompare)) {
        infos.push(`Included extra file "${match}" during parsing`);
        if (tryParseIncluded(doc, match)) {
          files.push(match);
          expandHere(doc, abspath(dirname(match), cwd));
        }
      }
    }
  }
  return buildConfig(doc, ctx, files, { warnings, infos });
}
