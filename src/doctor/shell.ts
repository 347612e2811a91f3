/**
 * Just enough of the POSIX shell to read what an operator wrote, never to run it: the words of a
 * `bash -c "…"` script or of an environment script, split into simple commands (at `;`, `&&`, `||`,
 * `|`, `&`, newlines and parentheses), with quotes, backslashes, `$VAR`, `${VAR:-default}`, `$(…)`
 * and backticks understood. A command substitution is never run: its value is unknown. Pure.
 */

/** A piece of a word. */
export type WordPart =
  | { readonly kind: "lit"; readonly text: string; readonly quoted: boolean }
  | {
      readonly kind: "var";
      readonly name: string;
      /** `${NAME:-word}` and friends: the operator and its word; null for a plain `$NAME`. */
      readonly op: ":-" | "-" | ":=" | "=" | ":+" | "+" | null;
      readonly arg: Word | null;
    }
  /** `$(…)`, backticks, `$((…))`, `$?`, `$$`, `${#X}`…: what the shell would compute. */
  | { readonly kind: "computed"; readonly text: string };

export interface Word {
  readonly parts: readonly WordPart[];
}

export interface SimpleCommand {
  /** The words, redirections removed; leading keywords (`if`, `then`, `do`, `!`, `{`…) removed. */
  readonly words: readonly Word[];
  /** 1-based line of the command's first word in the text. */
  readonly line: number;
  /** Inside a `while` or `until` loop's condition or body. */
  readonly inLoop: boolean;
}

const KEYWORDS_BEFORE = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"]);
const KEYWORDS_ALONE = new Set(["fi", "done", "}", "esac"]);

/** The literal text of a word when it has no expansion, else null. */
export function literalWord(word: Word): string | null {
  let text = "";
  for (const part of word.parts) {
    if (part.kind !== "lit") return null;
    text += part.text;
  }
  return text;
}

/** The word as written, approximately (for messages). */
export function wordSource(word: Word): string {
  return word.parts
    .map((p) => {
      if (p.kind === "lit") return p.text;
      if (p.kind === "computed") return p.text;
      return p.op === null ? `$${p.name}` : `\${${p.name}${p.op}${p.arg ? wordSource(p.arg) : ""}}`;
    })
    .join("");
}

/** A word as an unquoted `NAME=VALUE` assignment: its name and its value word. */
export function asAssignment(word: Word): { name: string; value: Word } | null {
  const first = word.parts[0];
  if (first?.kind !== "lit" || first.quoted) return null;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
  if (!m) return null;
  const rest = first.text.slice(m[0].length);
  const parts: WordPart[] = rest === "" ? [] : [{ kind: "lit", text: rest, quoted: false }];
  return { name: m[1]!, value: { parts: [...parts, ...word.parts.slice(1)] } };
}

const REDIRECTION = /^\d*(?:>>|>&|>\||<<<|<<-?|<&|<>|&>>|&>|>|<)/;

class Scanner {
  readonly text: string;
  pos = 0;
  line = 1;
  constructor(text: string) {
    this.text = text;
  }
  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? "";
  }
  next(): string {
    const ch = this.text[this.pos++] ?? "";
    if (ch === "\n") this.line++;
    return ch;
  }
  get done(): boolean {
    return this.pos >= this.text.length;
  }
}

/** Reads up to the `close` that balances `open` (quotes skipped), returning the text between. */
function readBalanced(s: Scanner, open: string, close: string): string {
  let depth = 1;
  let text = "";
  while (!s.done) {
    const ch = s.next();
    if (ch === "\\") {
      text += ch + s.next();
      continue;
    }
    if (ch === "'" || ch === '"') {
      text += ch;
      while (!s.done && s.peek() !== ch) text += s.next();
      text += s.next();
      continue;
    }
    if (ch === open) depth++;
    else if (ch === close && --depth === 0) return text;
    text += ch;
  }
  return text;
}

/** After a `$`: the expansion it starts. */
function readDollar(s: Scanner): WordPart {
  const ch = s.peek();
  if (ch === "(") {
    s.next();
    if (s.peek() === "(") {
      s.next();
      const inner = readBalanced(s, "(", ")");
      if (s.peek() === ")") s.next();
      return { kind: "computed", text: `$((${inner}))` };
    }
    return { kind: "computed", text: `$(${readBalanced(s, "(", ")")})` };
  }
  if (ch === "{") {
    s.next();
    const inner = readBalanced(s, "{", "}");
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:-|-|:=|=|:\+|\+)([\s\S]*))?$/.exec(inner);
    if (!m) return { kind: "computed", text: `\${${inner}}` };
    const op = (m[2] ?? null) as Extract<WordPart, { kind: "var" }>["op"];
    return { kind: "var", name: m[1]!, op, arg: op === null ? null : parseWord(m[3] ?? "") };
  }
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.text.slice(s.pos))?.[0];
  if (name) {
    s.pos += name.length;
    return { kind: "var", name, op: null, arg: null };
  }
  if (/[0-9@*#?$!-]/.test(ch) && ch !== "") {
    s.next();
    return { kind: "computed", text: `$${ch}` };
  }
  return { kind: "lit", text: "$", quoted: false };
}

/** Splits shell text into simple commands. Never throws: an unclosed quote runs to the end. */
export function parseShell(text: string): SimpleCommand[] {
  const s = new Scanner(text);
  const commands: SimpleCommand[] = [];
  let words: Word[] = [];
  let parts: WordPart[] = [];
  let wordStarted = false;
  let commandLine = 1;
  let wordLine = 1;
  let loopDepth = 0;
  const lit = (t: string, quoted: boolean) => {
    const last = parts[parts.length - 1];
    if (last?.kind === "lit" && last.quoted === quoted)
      parts[parts.length - 1] = { ...last, text: last.text + t };
    else parts.push({ kind: "lit", text: t, quoted });
    wordStarted = true;
  };
  const endWord = () => {
    if (wordStarted) {
      if (words.length === 0) commandLine = wordLine;
      words.push({ parts });
    }
    parts = [];
    wordStarted = false;
  };
  const endCommand = () => {
    endWord();
    const cleaned = dropRedirections(words);
    let start = 0;
    let inLoop = loopDepth > 0;
    while (start < cleaned.length) {
      const w = literalWord(cleaned[start]!);
      if (w === null || !KEYWORDS_BEFORE.has(w)) break;
      if (w === "while" || w === "until") {
        loopDepth++;
        inLoop = true;
      }
      start++;
    }
    const rest = cleaned.slice(start);
    const only = rest.length === 1 ? literalWord(rest[0]!) : null;
    if (only === "done") loopDepth = Math.max(0, loopDepth - 1);
    if (rest.length > 0 && !(only !== null && KEYWORDS_ALONE.has(only))) {
      commands.push({ words: rest, line: commandLine, inLoop });
    }
    words = [];
  };
  while (!s.done) {
    if (!wordStarted) wordLine = s.line;
    const ch = s.peek();
    if (ch === " " || ch === "\t") {
      s.next();
      endWord();
    } else if (ch === "\n" || ch === ";" || ch === "(" || ch === ")") {
      s.next();
      endCommand();
    } else if (ch === "|") {
      s.next();
      if (s.peek() === "|") s.next();
      endCommand();
    } else if (ch === "&") {
      const last = parts[parts.length - 1];
      const afterRedirect = last?.kind === "lit" && !last.quoted && /[<>]$/.test(last.text);
      if (s.peek(1) === ">" || afterRedirect) {
        lit(s.next(), false);
        continue;
      }
      s.next();
      if (s.peek() === "&") s.next();
      endCommand();
    } else if (ch === "#" && !wordStarted) {
      while (!s.done && s.peek() !== "\n") s.next();
    } else if (ch === "'") {
      s.next();
      let t = "";
      while (!s.done && s.peek() !== "'") t += s.next();
      s.next();
      lit(t, true);
    } else if (ch === '"') {
      s.next();
      wordStarted = true;
      while (!s.done && s.peek() !== '"') {
        const c = s.next();
        if (c === "\\" && '$`"\\\n'.includes(s.peek())) {
          const escaped = s.next();
          if (escaped !== "\n") lit(escaped, true);
        } else if (c === "$") {
          const part = readDollar(s);
          if (part.kind === "lit") lit(part.text, true);
          else parts.push(part);
        } else if (c === "`") {
          parts.push({ kind: "computed", text: `\`${readBalanced(s, "\u0000", "`")}\`` });
        } else lit(c, true);
      }
      s.next();
    } else if (ch === "\\") {
      s.next();
      const escaped = s.next();
      if (escaped !== "\n") lit(escaped, true);
    } else if (ch === "$") {
      s.next();
      const part = readDollar(s);
      if (part.kind === "lit") lit(part.text, false);
      else {
        parts.push(part);
        wordStarted = true;
      }
    } else if (ch === "`") {
      s.next();
      parts.push({ kind: "computed", text: `\`${readBalanced(s, "\u0000", "`")}\`` });
      wordStarted = true;
    } else {
      lit(s.next(), false);
    }
  }
  endCommand();
  return commands;
}

/** Parses one word (the default of `${X:-…}`): the text as one double-quoted-like word. */
function parseWord(text: string): Word {
  const commands = parseShell(`"${text.replace(/(["\\])/g, "\\$1")}"`);
  return commands[0]?.words[0] ?? { parts: [] };
}

function dropRedirections(words: readonly Word[]): Word[] {
  const kept: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const first = words[i]!.parts[0];
    if (first?.kind === "lit" && !first.quoted) {
      const m = REDIRECTION.exec(first.text);
      if (m) {
        // `> file`: the operator alone, its target is the next word.
        if (m[0] === first.text && words[i]!.parts.length === 1) i++;
        continue;
      }
    }
    kept.push(words[i]!);
  }
  return kept;
}

/** A variable's value and where it was set; value null when the shell would compute it. */
export interface EnvValue {
  readonly value: string | null;
  /** `file:line`, `[program:x] environment`, `the daemon's environment`, … */
  readonly origin: string;
}

export type Env = ReadonlyMap<string, EnvValue>;

/** The word's value with `env`, or null when part of it is computed (or comes from a computed value). */
export function expandWord(word: Word, env: Env): string | null {
  let out = "";
  for (const part of word.parts) {
    if (part.kind === "lit") {
      out += part.text;
      continue;
    }
    if (part.kind === "computed") return null;
    const entry = env.get(part.name);
    if (entry !== undefined && entry.value === null) return null;
    const value = entry?.value;
    const set = value !== undefined;
    const nonEmpty = set && value !== "";
    switch (part.op) {
      case null:
        out += value ?? "";
        break;
      case ":-":
      case ":=":
      case "-":
      case "=": {
        const useArg = part.op.startsWith(":") ? !nonEmpty : !set;
        if (!useArg) out += value ?? "";
        else {
          const arg = part.arg ? expandWord(part.arg, env) : "";
          if (arg === null) return null;
          out += arg;
        }
        break;
      }
      case ":+":
      case "+": {
        const useArg = part.op === ":+" ? nonEmpty : set;
        if (useArg) {
          const arg = part.arg ? expandWord(part.arg, env) : "";
          if (arg === null) return null;
          out += arg;
        }
        break;
      }
    }
  }
  if (word.parts[0]?.kind === "lit" && !word.parts[0].quoted && /^~(\/|$)/.test(out)) {
    const home = env.get("HOME")?.value;
    if (home === null) return null;
    if (home !== undefined) out = home + out.slice(1);
  }
  return out;
}

/** The names of the variables a word reads. */
export function variablesOf(word: Word): string[] {
  return word.parts.flatMap((p) => (p.kind === "var" ? [p.name, ...(p.arg ? variablesOf(p.arg) : [])] : []));
}

/**
 * Lines of a script that belong to function bodies (`name() {` … `}`), which sourcing defines but
 * does not run; replaced by blank lines so line numbers stay.
 */
export function blankFunctionBodies(text: string): string {
  const lines = text.split("\n");
  let depth = 0;
  return lines
    .map((line) => {
      if (depth === 0) {
        if (
          /^\s*(function\s+[A-Za-z_][\w.-]*\s*(\(\s*\))?|[A-Za-z_][\w.-]*\s*\(\s*\))\s*\{?\s*$/.test(line)
        ) {
          depth = line.includes("{") ? 1 : 0.5;
          return "";
        }
        return line;
      }
      if (depth === 0.5 && /^\s*\{\s*$/.test(line)) {
        depth = 1;
        return "";
      }
      if (/\{\s*$/.test(line)) depth++;
      if (/^\s*\}\s*;?\s*$/.test(line)) depth--;
      if (depth < 1) depth = 0;
      return "";
    })
    .join("\n");
}
