/** `steward render`: BlueKing's render_tpl, with its rules and without its flaws (docs/render.md). */
import { resolve } from "node:path";
import { fileSystemRenderIo } from "../render/files.js";
import { RENDER_BAD_INPUT, type RenderRequest, runRender } from "../render/render.js";
import { GetoptError, getopt, type OptionDef, type ParsedOption } from "./getopt.js";
import type { CliIo } from "./io.js";

export const RENDER_SUMMARY = `  steward render -p DIR [-m MODULE] [-e FILE] [-f FILE] [-E KEY=VALUE]... [-c | -n] [-u] TEMPLATE...
      Fill in BlueKing templates (__NAME__ placeholders) from env files and the environment, and
      write each where its name says under DIR. Exit status 0, 1 when placeholders stay undefined,
      2 on bad input. See steward render -h.
`;

export const RENDER_USAGE = `Usage:
  steward render -p DIR [-m MODULE] [-e FILE]... [-f FILE]... [-E KEY=VALUE]... [-c | -n] [-u] TEMPLATE...

Renders BlueKing's templates as its installer's render_tpl does (docs/render.md). Each placeholder
__NAME__ (pattern __[A-Z][A-Z0-9]+(_[A-Z0-9]+){0,9}__) is replaced, literally, by the value of the
variable NAME, taken from the process environment, then the -e files, then the -f files, then -E
(a later source wins). A template's name gives its target: '#' stands for '/', a name starting
with '#' lands under DIR, any other under DIR/MODULE, and a trailing .tpl is dropped:
  #etc#supervisor-bklog-api.conf   ->  DIR/etc/supervisor-bklog-api.conf
  api#bin#environ.sh (-m bklog)    ->  DIR/bklog/api/bin/environ.sh
Files are written atomically and get the template's permission bits.

Options:
  -p, --prefix DIR            the install root (required)
  -m, --module NAME           the directory under DIR for templates whose name does not start with '#'
  -e, --env-file FILE         read variables from FILE: bash-style NAME=VALUE lines (repeatable)
  -f, --extra-env-file FILE   read variables from FILE after every -e file (repeatable)
  -E, --extra-env KEY=VALUE   set a variable; wins over every file and the environment (repeatable)
  -c, --check                 report every placeholder, its value and where it comes from; write nothing
  -u, --undefined             replace undefined placeholders with the empty string
  -n, --dry-run               print the rendered text to stdout instead of writing it
  -h, --help                  print this help

Undefined placeholders are left in place and reported as TEMPLATE:LINE (unless -u).
Exit status: 0 done; 1 placeholders were left undefined; 2 bad usage or input (a missing template,
an unreadable or invalid env file, a bad -E), or a file could not be written.
`;

const OPTIONS: readonly OptionDef[] = [
  { short: "p", long: "prefix", takesValue: true },
  { short: "m", long: "module", takesValue: true },
  { short: "e", long: "env-file", takesValue: true },
  { short: "f", long: "extra-env-file", takesValue: true },
  { short: "E", long: "extra-env", takesValue: true },
  { short: "c", long: "check", takesValue: false },
  { short: "u", long: "undefined", takesValue: false },
  { short: "n", long: "dry-run", takesValue: false },
  { short: "h", long: "help", takesValue: false },
];

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * getopt with GNU-style permutation: options may follow the templates (`render t1 t2 -n`); after `--`
 * everything is a template.
 */
function permutedGetopt(args: readonly string[]): { options: ParsedOption[]; positionals: string[] } {
  const options: ParsedOption[] = [];
  const positionals: string[] = [];
  let rest = [...args];
  while (rest.length > 0) {
    const parsed = getopt(rest, OPTIONS);
    options.push(...parsed.options);
    const consumed = rest.length - parsed.positionals.length;
    const last = parsed.options[parsed.options.length - 1];
    const endedByDashes = consumed > 0 && rest[consumed - 1] === "--" && last?.value !== "--";
    if (endedByDashes) {
      positionals.push(...parsed.positionals);
      break;
    }
    const [first, ...after] = parsed.positionals;
    if (first === undefined) break;
    positionals.push(first);
    rest = after;
  }
  return { options, positionals };
}

type Parsed = { readonly request: RenderRequest } | { readonly help: true } | { readonly error: string };

export function parseRenderArgs(args: readonly string[], cwd: string): Parsed {
  let parsed: ReturnType<typeof permutedGetopt>;
  try {
    parsed = permutedGetopt(args);
  } catch (error) {
    if (error instanceof GetoptError) return { error: error.message };
    throw error;
  }
  let prefix: string | undefined;
  let module: string | undefined;
  const envFiles: string[] = [];
  const extraEnvFiles: string[] = [];
  const extraEnv: [string, string][] = [];
  let check = false;
  let undefinedEmpty = false;
  let dryRun = false;
  for (const { def, value } of parsed.options) {
    const v = value ?? "";
    switch (def.short) {
      case "h":
        return { help: true };
      case "p":
        prefix = v;
        break;
      case "m":
        module = v;
        break;
      case "e":
        envFiles.push(v);
        break;
      case "f":
        extraEnvFiles.push(v);
        break;
      case "E": {
        const eq = v.indexOf("=");
        if (eq < 0) return { error: `-E expects KEY=VALUE, got '${v}'` };
        const key = v.slice(0, eq);
        if (!VARIABLE_NAME.test(key)) return { error: `-E ${v}: '${key}' is not a variable name` };
        extraEnv.push([key, v.slice(eq + 1)]);
        break;
      }
      case "c":
        check = true;
        break;
      case "u":
        undefinedEmpty = true;
        break;
      case "n":
        dryRun = true;
        break;
    }
  }
  if (prefix === undefined || prefix === "") {
    return { error: "-p/--prefix DIR is required: the install root, e.g. -p /data/bkee" };
  }
  if (module === "") return { error: "-m/--module needs a name" };
  if (check && dryRun)
    return { error: "-c and -n do not go together: -c reports, -n prints the rendered text" };
  if (parsed.positionals.length === 0) return { error: "no template given" };
  return {
    request: {
      prefix: resolve(cwd, prefix),
      module,
      envFiles,
      extraEnvFiles,
      extraEnv,
      check,
      undefinedEmpty,
      dryRun,
      templates: parsed.positionals,
    },
  };
}

export function renderCommand(args: readonly string[], io: CliIo): number {
  const parsed = parseRenderArgs(args, io.cwd);
  if ("help" in parsed) {
    io.stdout(RENDER_USAGE);
    return 0;
  }
  if ("error" in parsed) {
    io.stderr(`steward render: ${parsed.error}\nFor help, use steward render -h\n`);
    return RENDER_BAD_INPUT;
  }
  return runRender(parsed.request, fileSystemRenderIo(io, io.cwd));
}
