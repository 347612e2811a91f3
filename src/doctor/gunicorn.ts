/**
 * Where gunicorn will listen: `-b`/`--bind` on its command line, else `bind` in its `-c` config file
 * (Python, read here without running it: string literals, f-strings, `+`, `%`, `.format()`, lists,
 * `os.getenv`/`os.environ` with the program's environment, and earlier top-level names), else `$PORT`,
 * else gunicorn's default 127.0.0.1:8000. Pure.
 */
import type { Env } from "./shell.js";

/** A value: a string, a list of strings, or null when it cannot be worked out. */
type PyValue = string | readonly string[] | null;

interface Token {
  readonly kind: "str" | "fstr" | "num" | "name" | "op";
  readonly text: string;
}

const STRING_START = /^([rRbBuUfF]{0,2})('''|"""|'|")/;

function tokenize(src: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    const ws = /^[\s\\]+/.exec(rest);
    if (ws) {
      i += ws[0].length;
      continue;
    }
    if (rest[0] === "#") break;
    const str = STRING_START.exec(rest);
    if (str) {
      const prefix = str[1]!.toLowerCase();
      const quote = str[2]!;
      let j = str[0].length;
      let body = "";
      while (j < rest.length && !rest.startsWith(quote, j)) {
        if (rest[j] === "\\" && !prefix.includes("r")) {
          const next = rest[j + 1] ?? "";
          body += next === "n" ? "\n" : next === "t" ? "\t" : next;
          j += 2;
        } else body += rest[j++];
      }
      if (j >= rest.length) return null;
      tokens.push({ kind: prefix.includes("f") ? "fstr" : "str", text: body });
      i += j + quote.length;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(rest);
    if (num) {
      tokens.push({ kind: "num", text: num[0] });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest);
    if (name) {
      tokens.push({ kind: "name", text: name[0] });
      i += name[0].length;
      continue;
    }
    tokens.push({ kind: "op", text: rest[0]! });
    i++;
  }
  return tokens;
}

const ENV_CALLS = new Set(["os.getenv", "getenv", "os.environ.get", "environ.get"]);
const ENV_MAPS = new Set(["os.environ", "environ"]);

class Evaluator {
  readonly tokens: readonly Token[];
  pos = 0;
  readonly env: Env;
  readonly scope: ReadonlyMap<string, PyValue>;
  readonly used: Set<string>;
  constructor(tokens: readonly Token[], env: Env, scope: ReadonlyMap<string, PyValue>, used: Set<string>) {
    this.tokens = tokens;
    this.env = env;
    this.scope = scope;
    this.used = used;
  }
  peek(text?: string): Token | undefined {
    const t = this.tokens[this.pos];
    return text === undefined || t?.text === text ? t : undefined;
  }
  expect(text: string): boolean {
    if (this.tokens[this.pos]?.text !== text) return false;
    this.pos++;
    return true;
  }
  fromEnv(name: string, fallback: PyValue | undefined): PyValue {
    this.used.add(name);
    const entry = this.env.get(name);
    if (entry !== undefined) return entry.value;
    return fallback === undefined ? null : fallback;
  }
  expr(): PyValue {
    let value = this.sum();
    if (this.expect("%")) {
      const args = this.peek("(") ? this.tuple() : [this.postfix()];
      value = typeof value === "string" && args !== null ? percentFormat(value, args) : null;
    }
    return value;
  }
  /** `(a, b)` as a list of values; null when a part is not a string. */
  tuple(): PyValue[] | null {
    this.expect("(");
    const items: PyValue[] = [];
    while (!this.peek(")") && this.pos < this.tokens.length) {
      items.push(this.expr());
      if (!this.expect(",")) break;
    }
    this.expect(")");
    return items;
  }
  sum(): PyValue {
    let value = this.postfix();
    while (this.expect("+")) {
      const right = this.postfix();
      value = typeof value === "string" && typeof right === "string" ? value + right : null;
    }
    return value;
  }
  postfix(): PyValue {
    let value = this.primary();
    for (;;) {
      if (this.peek(".") && this.tokens[this.pos + 1]?.text === "format") {
        this.pos += 2;
        const args = this.tuple();
        value = typeof value === "string" && args !== null ? braceFormat(value, args) : null;
        continue;
      }
      if (this.peek("[") && value !== null) {
        // An index into a list (`bind = binds[0]`) is beyond this reader.
        this.pos++;
        this.expr();
        this.expect("]");
        value = null;
        continue;
      }
      return value;
    }
  }
  primary(): PyValue {
    const t = this.tokens[this.pos++];
    if (t === undefined) return null;
    if (t.kind === "str") {
      let text = t.text;
      // Adjacent literals concatenate.
      while (this.peek()?.kind === "str") text += this.tokens[this.pos++]!.text;
      return text;
    }
    if (t.kind === "fstr") return this.fstring(t.text);
    if (t.kind === "num") return t.text;
    if (t.kind === "name") {
      if (ENV_CALLS.has(t.text) && this.expect("(")) {
        const name = this.expr();
        const fallback = this.expect(",") ? this.expr() : undefined;
        this.expect(")");
        return typeof name === "string" ? this.fromEnv(name, fallback) : null;
      }
      if (ENV_MAPS.has(t.text) && this.expect("[")) {
        const name = this.expr();
        this.expect("]");
        return typeof name === "string" ? this.fromEnv(name, undefined) : null;
      }
      if ((t.text === "str" || t.text === "int") && this.expect("(")) {
        const inner = this.expr();
        this.expect(")");
        return inner;
      }
      return this.scope.has(t.text) ? this.scope.get(t.text)! : null;
    }
    if (t.text === "[" || t.text === "(") {
      const close = t.text === "[" ? "]" : ")";
      const items: PyValue[] = [];
      while (!this.peek(close) && this.pos < this.tokens.length) {
        items.push(this.expr());
        if (!this.expect(",")) break;
      }
      this.expect(close);
      if (t.text === "(" && items.length === 1) return items[0]!;
      return items.every((x): x is string => typeof x === "string") ? items : null;
    }
    return null;
  }
  fstring(body: string): PyValue {
    let out = "";
    let i = 0;
    while (i < body.length) {
      const ch = body[i]!;
      if ((ch === "{" || ch === "}") && body[i + 1] === ch) {
        out += ch;
        i += 2;
        continue;
      }
      if (ch !== "{") {
        out += ch;
        i++;
        continue;
      }
      let depth = 1;
      let j = i + 1;
      let quote = "";
      for (; j < body.length && depth > 0; j++) {
        const c = body[j]!;
        if (quote) {
          if (c === quote) quote = "";
        } else if (c === "'" || c === '"') quote = c;
        else if (c === "{") depth++;
        else if (c === "}") depth--;
      }
      const inner = body.slice(i + 1, j - 1).replace(/(![rsa])?(:[^'"]*)?$/, "");
      const value = evaluate(inner, this.env, this.scope, this.used);
      if (typeof value !== "string") return null;
      out += value;
      i = j;
    }
    return out;
  }
}

function percentFormat(format: string, args: readonly PyValue[]): PyValue {
  let k = 0;
  let failed = false;
  const out = format.replace(/%([sdr%])/g, (_m, c: string) => {
    if (c === "%") return "%";
    const v = args[k++];
    if (typeof v !== "string") failed = true;
    return typeof v === "string" ? v : "";
  });
  return failed ? null : out;
}

function braceFormat(format: string, args: readonly PyValue[]): PyValue {
  let k = 0;
  let failed = false;
  const out = format.replace(/\{\{|\}\}|\{(\d*)[^{}]*\}/g, (m, index: string | undefined) => {
    if (m === "{{") return "{";
    if (m === "}}") return "}";
    const v = index ? args[Number(index)] : args[k++];
    if (typeof v !== "string") failed = true;
    return typeof v === "string" ? v : "";
  });
  return failed ? null : out;
}

function evaluate(src: string, env: Env, scope: ReadonlyMap<string, PyValue>, used: Set<string>): PyValue {
  const tokens = tokenize(src);
  if (tokens === null) return null;
  const e = new Evaluator(tokens, env, scope, used);
  const value = e.expr();
  return e.pos === tokens.length ? value : null;
}

/** A top-level `name = expression` of a Python file, its continuation lines joined. */
interface Statement {
  readonly name: string;
  readonly source: string;
  readonly line: number;
}

function topLevelAssignments(text: string): Statement[] {
  const lines = text.split(/\r\n|\r|\n/);
  const statements: Statement[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    let source = m[2]!;
    const start = i;
    const open = () => {
      let depth = 0;
      let quote = "";
      for (const c of source) {
        if (quote) {
          if (c === quote) quote = "";
        } else if (c === "'" || c === '"') quote = c;
        else if (c === "#") break;
        else if ("([{".includes(c)) depth++;
        else if (")]}".includes(c)) depth--;
      }
      return depth > 0 || /\\\s*$/.test(source);
    };
    while (open() && i + 1 < lines.length) source += `\n${lines[++i]}`;
    statements.push({ name: m[1]!, source, line: start + 1 });
  }
  return statements;
}

export interface ConfigBind {
  /** The addresses as the file gives them; null when the expression cannot be worked out. */
  readonly addresses: readonly string[] | null;
  /** 1-based line of `bind =`. */
  readonly line: number;
  /** Environment variables the expression reads. */
  readonly variables: readonly string[];
}

/** `bind` of a gunicorn config file with the program's environment, or null when it sets none. */
export function configBind(text: string, env: Env): ConfigBind | null {
  const scope = new Map<string, PyValue>();
  let found: ConfigBind | null = null;
  for (const st of topLevelAssignments(text)) {
    const used = new Set<string>();
    const value = evaluate(st.source, env, scope, used);
    scope.set(st.name, value);
    if (st.name === "bind") {
      const addresses = value === null ? null : typeof value === "string" ? [value] : value;
      found = { addresses, line: st.line, variables: [...used] };
    }
  }
  return found;
}

/** gunicorn's address syntax: `HOST:PORT`, `[V6]:PORT`, `HOST` (port 8000), `unix:PATH` and `fd://N` (null). */
export function parseBindAddress(address: string): { host: string; port: number } | null {
  const a = address.trim();
  if (a.startsWith("unix:") || a.startsWith("fd://") || a === "") return null;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(a);
  if (v6) return { host: v6[1]!, port: Number(v6[2] ?? 8000) };
  const colon = a.lastIndexOf(":");
  if (colon < 0) return /^\d+$/.test(a) ? null : { host: a, port: 8000 };
  const port = a.slice(colon + 1);
  if (!/^\d+$/.test(port)) return null;
  return { host: a.slice(0, colon) || "0.0.0.0", port: Number(port) };
}
