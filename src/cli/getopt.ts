/**
 * Python's `getopt.getopt`, which supervisord and supervisorctl use: clustered short options
 * (`-nc FILE`), attached values (`-cFILE`), long options abbreviated to any unique prefix
 * (`--config=FILE`), `--` ending options, and its error messages. Pure.
 */

export interface OptionDef {
  /** One letter, e.g. "c". */
  readonly short?: string;
  /** e.g. "configuration". */
  readonly long?: string;
  readonly takesValue: boolean;
}

export interface ParsedOption {
  /** As supervisord names it in messages: `-c` or `--configuration`. */
  readonly flag: string;
  readonly def: OptionDef;
  readonly value: string | null;
}

export class GetoptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GetoptError";
  }
}

function parseLong(arg: string, rest: string[], defs: readonly OptionDef[]): ParsedOption {
  const eq = arg.indexOf("=");
  const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
  const exact = defs.find((d) => d.long === name);
  const matches = exact ? [exact] : defs.filter((d) => d.long?.startsWith(name));
  if (matches.length === 0) throw new GetoptError(`option --${name} not recognized`);
  if (matches.length > 1) throw new GetoptError(`option --${name} not a unique prefix`);
  const def = matches[0]!;
  const flag = `--${def.long}`;
  if (def.takesValue) {
    if (eq >= 0) return { flag, def, value: arg.slice(eq + 1) };
    if (rest.length === 0) throw new GetoptError(`option --${def.long} requires argument`);
    return { flag, def, value: rest.shift()! };
  }
  if (eq >= 0) throw new GetoptError(`option --${def.long} must not have an argument`);
  return { flag, def, value: null };
}

/** Parses `args`; returns the options in order and the positional arguments. */
export function getopt(
  args: readonly string[],
  defs: readonly OptionDef[],
): { options: ParsedOption[]; positionals: string[] } {
  const options: ParsedOption[] = [];
  const rest = [...args];
  while (rest.length > 0) {
    const arg = rest[0]!;
    if (arg === "--") {
      rest.shift();
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    rest.shift();
    if (arg.startsWith("--")) {
      options.push(parseLong(arg, rest, defs));
      continue;
    }
    let i = 1;
    while (i < arg.length) {
      const letter = arg[i]!;
      const def = defs.find((d) => d.short === letter);
      if (!def) throw new GetoptError(`option -${letter} not recognized`);
      if (def.takesValue) {
        let value = arg.slice(i + 1);
        if (value === "") {
          if (rest.length === 0) throw new GetoptError(`option -${letter} requires argument`);
          value = rest.shift()!;
        }
        options.push({ flag: `-${letter}`, def, value });
        break;
      }
      options.push({ flag: `-${letter}`, def, value: null });
      i++;
    }
  }
  return { options, positionals: rest };
}
