/**
 * The `[supervisorctl]` section, read the way supervisorctl reads its config (no `[include]`; the
 * section is required when a file is used). IO: reads the file, then pure steps.
 */
import { readFileSync } from "node:fs";
import { ConfigError } from "../errors.js";
import { permissiveHost } from "./host.js";
import { systemHost } from "./host-system.js";
import { emptyDocument, IniParseError, readIniInto } from "./ini.js";
import type { FormatValue } from "./py-format.js";
import { dirname, normalizePath } from "./py-path.js";
import { OptionReader } from "./reader.js";
import { defaultOf, SCHEMA } from "./schema.js";

/** What the control client needs to reach a daemon. */
export interface CtlOptions {
  readonly serverurl: string;
  readonly username: string | null;
  readonly password: string | null;
  readonly prompt: string;
  readonly history_file: string | null;
}

const SECTION = "supervisorctl";
const spec = SCHEMA.supervisorctl;

/** supervisorctl's defaults, used when no config file is found. */
export const DEFAULT_CTL_OPTIONS: CtlOptions = {
  serverurl: defaultOf(spec, "serverurl")!,
  username: null,
  password: null,
  prompt: defaultOf(spec, "prompt")!,
  history_file: null,
};

export function loadCtlConfig(options: {
  file: string;
  env: ReadonlyMap<string, string>;
  cwd: string;
}): CtlOptions {
  const { file, env, cwd } = options;
  const homes = permissiveHost(systemHost());
  const here = dirname(normalizePath(file, cwd, env, homes));
  let text: string;
  try {
    text = readFileSync(normalizePath(file, cwd, env, homes), "utf8");
  } catch {
    throw new ConfigError(
      [{ message: `could not find config file ${file}`, file }],
      "STEWARD_ERR_CONFIG_NOT_FOUND",
    );
  }
  const doc = emptyDocument();
  try {
    readIniInto(doc, text, file);
  } catch (error) {
    if (error instanceof IniParseError)
      throw new ConfigError([{ message: error.message, file, line: error.lines[0]?.line }]);
    throw error;
  }
  if (!doc.sections.has(SECTION)) {
    throw new ConfigError([
      {
        message: ".ini file does not include supervisorctl section",
        file,
        hint: "add a [supervisorctl] section",
      },
    ]);
  }
  const environ = new Map<string, FormatValue>([...env].map(([k, v]) => [`ENV_${k}`, v]));
  const reader = new OptionReader(doc, environ, file);
  const withHere = new Map([["here", here]]);
  let serverurl = reader.get(SECTION, "serverurl", defaultOf(spec, "serverurl"), withHere).value ?? "";
  if (serverurl.startsWith("unix://"))
    serverurl = `unix://${normalizePath(serverurl.slice(7), cwd, env, homes)}`;
  const prompt = reader.get(SECTION, "prompt", defaultOf(spec, "prompt")).value ?? "supervisor";
  const username = reader.get(SECTION, "username", null).value;
  const password = reader.get(SECTION, "password", null).value;
  const history = reader.get(SECTION, "history_file", null, withHere).value;
  if (reader.issues.length > 0) throw new ConfigError(reader.issues);
  return {
    serverurl,
    username,
    password,
    prompt,
    history_file: history ? normalizePath(history, cwd, env, homes) : null,
  };
}
