/**
 * stewardctl's command line, as supervisorctl's `ClientOptions` reads it: getopt with
 * `-c -h -? -i -s -u -p -r`, `-s` checked to be a URL, an option given twice refused, the
 * positional arguments joined into one command line; plus `--version` and `--json`. Pure.
 */
import { GetoptError, getopt, type OptionDef } from "../cli/getopt.js";
import { pyRepr } from "../config/py-text.js";

export interface CtlArgs {
  readonly configfile: string | null;
  readonly serverurl: string | null;
  readonly username: string | null;
  readonly password: string | null;
  /** `-r`: accepted and, as in supervisorctl, not used (`history_file=` in the file is). */
  readonly history: string | null;
  readonly interactive: boolean;
  readonly json: boolean;
  /** The command line to run, or null for the shell. */
  readonly command: string | null;
}

export type ParsedCtlArgs =
  | { readonly kind: "run"; readonly args: CtlArgs }
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "usage"; readonly message: string };

const DEFS: readonly OptionDef[] = [
  { short: "h", long: "help", takesValue: false },
  { short: "?", takesValue: false },
  { short: "c", long: "configuration", takesValue: true },
  { short: "i", long: "interactive", takesValue: false },
  { short: "s", long: "serverurl", takesValue: true },
  { short: "u", long: "username", takesValue: true },
  { short: "p", long: "password", takesValue: true },
  { short: "r", long: "history_file", takesValue: true },
  { long: "version", takesValue: false },
  { long: "json", takesValue: false },
];

/** supervisor's `url` converter: a scheme and something after it. */
function isUrl(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:./s.test(value);
}

export function parseCtlArgs(argv: readonly string[]): ParsedCtlArgs {
  let parsed: ReturnType<typeof getopt>;
  try {
    parsed = getopt(argv, DEFS);
  } catch (error) {
    if (error instanceof GetoptError) return { kind: "usage", message: error.message };
    throw error;
  }
  const values = new Map<string, string>();
  let interactive = false;
  let json = false;
  for (const { flag, def, value } of parsed.options) {
    if (def.short === "h" || def.short === "?") return { kind: "help" };
    if (def.long === "version") return { kind: "version" };
    if (def.long === "json") {
      json = true;
      continue;
    }
    if (def.short === "i") {
      interactive = true;
      continue;
    }
    const v = value ?? "";
    if (def.short === "s" && !isUrl(v)) {
      return {
        kind: "usage",
        message: `invalid value for ${flag} ${pyRepr(v)}: value ${pyRepr(v)} is not a URL`,
      };
    }
    if (values.has(def.short!))
      return { kind: "usage", message: `conflicting command line option ${pyRepr(flag)}` };
    values.set(def.short!, v);
  }
  const command = parsed.positionals.length > 0 ? parsed.positionals.join(" ") : null;
  return {
    kind: "run",
    args: {
      configfile: values.get("c") ?? null,
      serverurl: values.get("s") ?? null,
      username: values.get("u") ?? null,
      password: values.get("p") ?? null,
      history: values.get("r") ?? null,
      interactive: interactive || command === null,
      json,
      command,
    },
  };
}
