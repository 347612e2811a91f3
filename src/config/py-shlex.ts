/**
 * Python's `shlex.shlex` in its default (non-POSIX) mode, which supervisord 4.2 uses to split
 * `environment=` values, and the KEY=VALUE grouping built on it. Pure.
 */
import { ConversionError } from "./convert.js";
import { pyStripChars } from "./py-text.js";

const WHITESPACE = " \t\r\n";
const WORDCHARS = "abcdfeghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/.+-():";
const QUOTES = "'\"";
const COMMENTERS = "#";

/** Tokens of `list(shlex.shlex(text))` with supervisord's extra word characters `/.+-():`. */
export function shlexTokens(text: string): string[] {
  const tokens: string[] = [];
  const pushback: string[] = [];
  const chars = [...text];
  let pos = 0;
  const readChar = () => (pos < chars.length ? chars[pos++]! : "");
  const skipLine = () => {
    const nl = chars.indexOf("\n", pos);
    pos = nl === -1 ? chars.length : nl + 1;
  };
  let atEnd = false;

  const readToken = (): string => {
    let state = " ";
    let token = "";
    for (;;) {
      const ch = readChar();
      if (state === " ") {
        if (ch === "") {
          atEnd = true;
          return token;
        }
        if (WHITESPACE.includes(ch)) {
          if (token) return token;
        } else if (COMMENTERS.includes(ch)) {
          skipLine();
        } else if (WORDCHARS.includes(ch)) {
          token = ch;
          state = "a";
        } else if (QUOTES.includes(ch)) {
          token = ch;
          state = ch;
        } else {
          return ch;
        }
      } else if (QUOTES.includes(state)) {
        if (ch === "") throw new ConversionError("No closing quotation");
        token += ch;
        if (ch === state) return token;
      } else {
        if (ch === "") {
          atEnd = true;
          return token;
        }
        if (WHITESPACE.includes(ch)) return token;
        if (COMMENTERS.includes(ch)) skipLine();
        else if (WORDCHARS.includes(ch) || QUOTES.includes(ch)) token += ch;
        else {
          pushback.unshift(ch);
          return token;
        }
      }
    }
  };

  for (;;) {
    const token = pushback.length > 0 ? pushback.shift()! : atEnd ? "" : readToken();
    if (token === "") return tokens;
    tokens.push(token);
  }
}

/**
 * supervisord's `dict_of_key_value_pairs`: tokens taken as KEY `=` VALUE and one separator token
 * that is skipped whatever it is; quotes around a value are stripped. Throws with supervisord's
 * message on a malformed list.
 */
export function parseKeyValuePairs(text: string): Map<string, string> {
  const tokens = shlexTokens(text);
  const pairs = new Map<string, string>();
  for (let i = 0; i < tokens.length; i += 4) {
    if (i + 2 >= tokens.length || tokens[i + 1] !== "=") {
      throw new ConversionError(`Unexpected end of key/value pairs in value '${text}'`);
    }
    pairs.set(tokens[i]!, pyStripChars(tokens[i + 2]!, "'\""));
  }
  return pairs;
}
