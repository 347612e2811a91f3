/**
 * BlueKing's env files (`bklog.env`): bash assignments, read as bash would read them when sourced, but
 * never run. Pure.
 *
 * Accepted: `NAME=VALUE` (several per line, or separated by `;`), `NAME+=VALUE`, `export NAME=VALUE`,
 * `export NAME`, comments, blank lines, backslash-newline continuations. A value is one bash word:
 * unquoted text with backslash escapes, `'single'` (literal), `"double"` (`\$ \` \" \\` escapes and
 * expansions), `$'ANSI-C'`, and the expansions `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME-word}`,
 * `${NAME:+word}`, `${NAME+word}`, and `~` (as `$HOME`) where bash expands it. A name expands to the
 * value it has at that point: set earlier in this file, in a file read before it, by `-E`, or in the
 * process environment; an unset name expands to the empty string, as in bash, with a warning.
 *
 * Refused with the file and line: command substitution (`$(…)`, backticks), arithmetic (`$((…))`),
 * special parameters (`$1`, `$$`, …), other `${…}` forms, `~user`, unquoted `| & < > ( )` inside a
 * value, and any line that is not an assignment (`source x`, `set -a`, `KEY = VALUE`).
 */
import { RenderInputError } from "./errors.js";

/** Where a variable's value came from. */
export type Source =
  | { readonly kind: "environment" }
  | { readonly kind: "file"; readonly file: string; readonly line: number }
  | { readonly kind: "option" };

export interface Binding {
  readonly value: string;
  readonly source: Source;
}

export type Variables = ReadonlyMap<string, Binding>;

export interface EnvFileResult {
  /** The variables after the file: those given, plus and overridden by the file's assignments. */
  readonly variables: Map<string, Binding>;
  /** `FILE:LINE: …` notes that do not stop the render (a reference to an unset name). */
  readonly warnings: readonly string[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
/** Characters that end or split a command in bash; inside a value they must be quoted. */
const SPECIAL = "|&<>()";
// biome-ignore lint/suspicious/noTemplateCurlyInString: bash's syntax, shown to the user
const SUPPORTED_BRACES = "${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:+word} and ${NAME+word}";

const ANSI_C_ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "?": "?",
};

/** Where a word ends: a plain value, or the word of `${NAME:-word}` outside or inside double quotes. */
type WordMode = "value" | "brace" | "brace-in-double";

class EnvFileParser {
  private pos = 0;
  private line = 1;
  /** >0 while reading a `${X:-word}` word whose value will not be used: no warnings then. */
  private quiet = 0;
  readonly warnings: string[] = [];
  private readonly text: string;
  private readonly file: string;
  readonly variables: Map<string, Binding>;
  private readonly pinned: ReadonlySet<string>;

  constructor(text: string, file: string, variables: Map<string, Binding>, pinned: ReadonlySet<string>) {
    this.text = text;
    this.file = file;
    this.variables = variables;
    this.pinned = pinned;
  }

  parse(): void {
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === undefined) return;
      if (c === "\n") this.next();
      else if (c === "#") this.skipComment();
      else if (c === ";") this.fail("unexpected ';'");
      else this.statement();
    }
  }

  private peek(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }

  private next(): string {
    const c = this.text[this.pos++]!;
    if (c === "\n") this.line++;
    return c;
  }

  private fail(message: string, line = this.line): never {
    throw new RenderInputError(message, { file: this.file, line });
  }

  /** Spaces, tabs and backslash-newline continuations. */
  private skipBlanks(): void {
    for (;;) {
      const c = this.peek();
      if (c === " " || c === "\t") this.next();
      else if (c === "\\" && this.peek(1) === "\n") {
        this.pos += 2;
        this.line++;
      } else return;
    }
  }

  private skipComment(): void {
    while (this.peek() !== undefined && this.peek() !== "\n") this.next();
  }

  private readName(): string {
    const start = this.pos;
    if (!NAME_START.test(this.peek() ?? "")) return "";
    while (NAME_CHAR.test(this.peek() ?? "")) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** One line's worth of assignments, up to a newline, `;`, a comment or the end. */
  private statement(): void {
    const start = this.pos;
    let exporting = false;
    for (let first = true; ; first = false) {
      this.skipBlanks();
      const c = this.peek();
      if (c === undefined || c === "\n") return;
      if (c === ";") {
        this.next();
        return;
      }
      if (c === "#") {
        this.skipComment();
        return;
      }
      const line = this.line;
      const nameStart = this.pos;
      const name = this.readName();
      const after = this.peek();
      if (name !== "" && (after === "=" || (after === "+" && this.peek(1) === "="))) {
        const append = after === "+";
        this.pos += append ? 2 : 1;
        this.assign(name, this.readWord("value"), append, line);
        continue;
      }
      const endsWord =
        after === undefined || after === " " || after === "\t" || after === "\n" || after === ";";
      if (name === "export" && first && endsWord) exporting = true;
      else if (!(exporting && name !== "" && endsWord)) this.notAnAssignment(first ? start : nameStart);
    }
  }

  private notAnAssignment(start: number): never {
    const end = this.text.indexOf("\n", start);
    const shown = this.text.slice(start, end < 0 ? undefined : end).trim();
    const quoted = shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
    const hint = /^[A-Za-z_][A-Za-z0-9_]*\s+\+?=/.test(shown)
      ? "write NAME=VALUE without spaces around '='"
      : "an env file holds only NAME=VALUE assignments (optionally after 'export'), comments and blank lines";
    this.fail(`'${quoted}' is not a variable assignment: ${hint}`);
  }

  private assign(name: string, value: string, append: boolean, line: number): void {
    if (this.pinned.has(name)) return; // -E KEY=VALUE wins over every file
    const old = append ? (this.variables.get(name)?.value ?? "") : "";
    this.variables.set(name, { value: old + value, source: { kind: "file", file: this.file, line } });
  }

  private readWord(mode: WordMode): string {
    let out = "";
    const openLine = this.line;
    // bash expands a tilde at the start of an assignment's value and after each unquoted ':'.
    let tildeHere = mode === "value";
    for (;;) {
      const c = this.peek();
      if (tildeHere && c === "~") {
        out += this.tilde();
        tildeHere = false;
        continue;
      }
      tildeHere = mode === "value" && c === ":";
      if (c === undefined) {
        if (mode === "value") return out;
        // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's syntax, shown to the user
        this.fail("unterminated '${' (no closing '}')", openLine);
      }
      if (mode === "value" && (c === " " || c === "\t" || c === "\n" || c === ";")) return out;
      if (mode !== "value" && c === "}") return out;
      if (c === "\\") {
        this.next();
        out += mode === "brace-in-double" ? this.doubleQuotedEscape() : this.unquotedEscape();
      } else if (c === "'" && mode !== "brace-in-double") out += this.singleQuoted();
      else if (c === '"') out += this.doubleQuoted();
      else if (c === "$") out += this.dollar(mode === "brace-in-double");
      else if (c === "`") this.commandSubstitution("`…`");
      else if (mode === "value" && SPECIAL.includes(c)) {
        this.fail(
          `unquoted '${c}' in a value (bash reads it as an operator): quote the value, e.g. NAME='a${c}b'`,
        );
      } else out += this.next();
    }
  }

  /** At an unquoted `~` where bash expands it: `~` alone or before `/` or `:` is $HOME. */
  private tilde(): string {
    const rest = /^[A-Za-z0-9._-]*/.exec(this.text.slice(this.pos + 1))?.[0] ?? "";
    const after = this.peek(1 + rest.length);
    const ends = after === undefined || "/: \t\n;".includes(after);
    this.next();
    if (!ends) return "~";
    if (rest !== "")
      this.fail(`~${rest} (a user's home directory) is not supported in an env file; write the path`);
    const home = this.variables.get("HOME");
    if (home === undefined) {
      if (this.quiet === 0)
        this.warnings.push(`${this.file}:${this.line}: ~ is kept as it is: HOME is not set`);
      return "~";
    }
    return home.value;
  }

  /** After an unquoted backslash: the next character literally; a newline is a continuation. */
  private unquotedEscape(): string {
    const c = this.peek();
    if (c === undefined) return "\\";
    this.next();
    return c === "\n" ? "" : c;
  }

  /** After a backslash inside double quotes: only `$ \` " \\` and newline are escapes. */
  private doubleQuotedEscape(): string {
    const c = this.peek();
    if (c === undefined) return "\\";
    if (c === "\n") {
      this.next();
      return "";
    }
    if (c === "$" || c === "`" || c === '"' || c === "\\") return this.next();
    return "\\";
  }

  private singleQuoted(): string {
    const openLine = this.line;
    this.next();
    const end = this.text.indexOf("'", this.pos);
    if (end < 0) this.fail("unterminated single quote", openLine);
    let out = "";
    while (this.pos < end) out += this.next();
    this.next();
    return out;
  }

  private doubleQuoted(): string {
    const openLine = this.line;
    this.next();
    let out = "";
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail("unterminated double quote", openLine);
      if (c === '"') {
        this.next();
        return out;
      }
      if (c === "\\") {
        this.next();
        out += this.doubleQuotedEscape();
      } else if (c === "$") out += this.dollar(true);
      else if (c === "`") this.commandSubstitution("`…`");
      else out += this.next();
    }
  }

  private commandSubstitution(form: string): never {
    this.fail(
      `command substitution ${form} is not allowed: steward render never runs commands from an env file; write the value itself`,
    );
  }

  /** At a `$`: an expansion, a `$'…'` or `$"…"` string, or a literal `$`. */
  private dollar(inDouble: boolean): string {
    this.next();
    const c = this.peek();
    if (c === "(") {
      if (this.peek(1) === "(")
        this.fail("arithmetic expansion $((…)) is not supported; write the value itself");
      this.commandSubstitution("$(…)");
    }
    if (c === "{") return this.braced(inDouble);
    if (c !== undefined && NAME_START.test(c)) return this.lookup(this.readName(), true);
    if (c !== undefined && /[0-9@*#?$!-]/.test(c)) {
      this.fail(`special parameter $${c} is not supported in an env file`);
    }
    if (!inDouble && c === "'") return this.ansiC();
    if (!inDouble && c === '"') return this.doubleQuoted();
    return "$";
  }

  private lookup(name: string, warn: boolean): string {
    const binding = this.variables.get(name);
    if (binding !== undefined) return binding.value;
    if (warn && this.quiet === 0) {
      this.warnings.push(`${this.file}:${this.line}: $${name} is not set; it expands to the empty string`);
    }
    return "";
  }

  /** `${NAME}` and `${NAME[:]-word}`, `${NAME[:]+word}`. */
  private braced(inDouble: boolean): string {
    const line = this.line;
    this.next();
    const name = this.readName();
    if (name === "") {
      const shown = this.text.slice(this.pos, this.pos + 12).split(/[}\n]/)[0] ?? "";
      this.fail(`unsupported expansion \${${shown}}: only ${SUPPORTED_BRACES} are supported`, line);
    }
    if (this.peek() === "}") {
      this.next();
      return this.lookup(name, true);
    }
    const colon = this.peek() === ":";
    const op = this.peek(colon ? 1 : 0);
    if (op !== "-" && op !== "+") {
      const shown = this.text.slice(this.pos, this.pos + 12).split(/[}\n]/)[0] ?? "";
      this.fail(`unsupported expansion \${${name}${shown}}: only ${SUPPORTED_BRACES} are supported`, line);
    }
    this.pos += colon ? 2 : 1;
    const binding = this.variables.get(name);
    const isSet = binding !== undefined && (!colon || binding.value !== "");
    const useWord = op === "-" ? !isSet : isSet;
    if (!useWord) this.quiet++;
    const word = this.readWord(inDouble ? "brace-in-double" : "brace");
    if (!useWord) this.quiet--;
    this.next(); // the closing brace
    if (op === "-") return isSet ? binding!.value : word;
    return isSet ? word : "";
  }

  /** `$'…'`: bash's ANSI-C quoting. */
  private ansiC(): string {
    const openLine = this.line;
    this.next();
    let out = "";
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail("unterminated $'…' string", openLine);
      this.next();
      if (c === "'") return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.peek();
      if (e === undefined) continue;
      this.next();
      const known = ANSI_C_ESCAPES[e];
      if (known !== undefined) out += known;
      else if (/[0-7]/.test(e)) out += String.fromCharCode(Number.parseInt(e + this.take(/[0-7]/, 2), 8));
      else if (e === "x" || e === "u" || e === "U") {
        const digits = this.take(/[0-9A-Fa-f]/, e === "x" ? 2 : e === "u" ? 4 : 8);
        out += digits === "" ? `\\${e}` : String.fromCodePoint(Number.parseInt(digits, 16));
      } else out += `\\${e}`;
    }
  }

  private take(pattern: RegExp, max: number): string {
    let out = "";
    while (out.length < max && pattern.test(this.peek() ?? "")) out += this.next();
    return out;
  }
}

/**
 * Reads one env file's assignments on top of `variables` (which it does not change). Names in `pinned`
 * (given with `-E`) keep their value: the file's assignments to them are ignored. Throws
 * RenderInputError with the file and line for anything it refuses.
 */
export function readEnvFile(
  text: string,
  file: string,
  variables: Variables,
  pinned: ReadonlySet<string> = new Set(),
): EnvFileResult {
  const clean = text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
  const parser = new EnvFileParser(clean, file, new Map(variables), pinned);
  parser.parse();
  return { variables: parser.variables, warnings: parser.warnings };
}
