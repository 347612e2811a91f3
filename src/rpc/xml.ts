/**
 * A small, strict XML 1.0 reader and the text escaping of the writer, for the XML-RPC subset. Pure.
 *
 * The reader checks well-formedness as expat does (names, matching tags, attributes, references,
 * comments, CDATA, characters XML forbids, one root element) and returns an element tree. It
 * refuses any DOCTYPE: XML-RPC has no use for DTDs, and refusing them rules out entity expansion
 * attacks. It does not resolve namespaces; a prefixed name (`ex:nil`) keeps its prefix.
 */
import { RpcCodecError } from "./errors.js";

export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  /** Elements and text; adjacent text (including CDATA and references) is one string. */
  readonly children: readonly XmlNode[];
}

export type XmlNode = XmlElement | string;

export interface ParseXmlOptions {
  /** Deepest element nesting accepted. @default 256 */
  readonly maxDepth?: number;
  /**
   * Characters XML 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates),
   * raw or as character references: `"error"` as expat does, or `"replace"` them with U+FFFD (for a
   * client reading a server known to send them, such as supervisord's log-reading methods).
   * @default "error"
   */
  readonly invalidChars?: "error" | "replace";
}

const INVALID_CHAR = /[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const INVALID_CHARS = /[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

const NAME_START =
  ":A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D" +
  "\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}";
const NAME_REST = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NAME = new RegExp(`[${NAME_START}][${NAME_REST}]*`, "uy");
const XML_DECL =
  /<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1([ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?([ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\5)?[ \t\r\n]*\?>/y;

const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", apos: "'", quot: '"' };
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

interface OpenElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: XmlNode[];
}

class Reader {
  readonly #text: string;
  readonly #maxDepth: number;
  readonly #replace: boolean;
  #pos = 0;

  constructor(text: string, options: ParseXmlOptions) {
    this.#text = text;
    this.#maxDepth = options.maxDepth ?? 256;
    this.#replace = options.invalidChars === "replace";
  }

  fail(message: string, at = this.#pos): never {
    const before = this.#text.slice(0, at);
    const line = before.split("\n").length;
    const column = at - (before.lastIndexOf("\n") + 1) + 1;
    throw new RpcCodecError("STEWARD_ERR_RPC_XML", `XML: ${message} at line ${line}, column ${column}`, at);
  }

  parseDocument(): XmlElement {
    const text = this.#text;
    XML_DECL.lastIndex = 0;
    if (text.startsWith("<?xml") && /^<\?xml[ \t\r\n?]/.test(text)) {
      const decl = XML_DECL.exec(text);
      if (decl === null) this.fail("malformed XML declaration");
      this.#pos = decl[0].length;
    }
    this.#skipMisc();
    if (this.#pos >= text.length) this.fail("no element found");
    if (text[this.#pos] !== "<") this.fail("syntax error: text before the root element");
    const root = this.#parseElement();
    this.#skipMisc();
    if (this.#pos < text.length) this.fail("junk after document element");
    return root;
  }

  /** Whitespace, comments and processing instructions outside the root element. */
  #skipMisc(): void {
    const text = this.#text;
    for (;;) {
      this.#pos = this.#space(this.#pos);
      if (text.startsWith("<!--", this.#pos)) this.#skipComment();
      else if (text.startsWith("<?", this.#pos)) this.#skipPi();
      else if (text.startsWith("<!DOCTYPE", this.#pos)) this.fail("DOCTYPE is not allowed");
      else return;
    }
  }

  #skipComment(): void {
    const start = this.#pos;
    const end = this.#text.indexOf("--", start + 4);
    if (end < 0) this.fail("unclosed comment", start);
    if (this.#text[end + 2] !== ">") this.fail("'--' inside a comment", end);
    this.#pos = end + 3;
  }

  #skipPi(): void {
    const start = this.#pos;
    const target = this.#name(start + 2, "processing instruction target");
    if (target.toLowerCase() === "xml") this.fail("XML declaration not at the start of the document", start);
    const after = start + 2 + target.length;
    const end = this.#text.indexOf("?>", after);
    if (end < 0) this.fail("unclosed processing instruction", start);
    if (end > after && !/[ \t\r\n]/.test(this.#text[after]!))
      this.fail("malformed processing instruction", after);
    this.#pos = end + 2;
  }

  #name(at: number, what: string): string {
    const text = this.#text;
    // ASCII fast path: [A-Za-z_:][A-Za-z0-9_:.-]*, ending on an ASCII character
    let p = at;
    let c = text.charCodeAt(p);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58) {
      do c = text.charCodeAt(++p);
      while (
        (c >= 97 && c <= 122) ||
        (c >= 65 && c <= 90) ||
        (c >= 48 && c <= 57) ||
        c === 95 ||
        c === 58 ||
        c === 45 ||
        c === 46
      );
      if (!(c >= 0x80)) return text.slice(at, p);
    }
    NAME.lastIndex = at;
    const match = NAME.exec(text);
    if (match === null) this.fail(`invalid ${what}`, at);
    return match[0];
  }

  /** The position after any XML whitespace at `p`. */
  #space(p: number): number {
    const text = this.#text;
    let c = text.charCodeAt(p);
    while (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) c = text.charCodeAt(++p);
    return p;
  }

  /** The element starting at `<`, iteratively (no recursion, so depth costs no stack). */
  #parseElement(): XmlElement {
    const text = this.#text;
    const stack: OpenElement[] = [];
    let root: XmlElement | null = null;
    while (root === null) {
      const lt = text.indexOf("<", this.#pos);
      if (stack.length > 0 && lt !== this.#pos) {
        const end = lt < 0 ? text.length : lt;
        this.#addText(stack[stack.length - 1]!, this.#charData(this.#pos, end));
        this.#pos = end;
        if (lt < 0) this.fail(`unclosed element <${stack[stack.length - 1]!.name}>`);
        continue;
      }
      const next = text.charCodeAt(lt + 1);
      if (next === 0x2f /* / */) {
        const name = this.#name(lt + 2, "end tag name");
        const p = this.#space(lt + 2 + name.length);
        if (text.charCodeAt(p) !== 0x3e /* > */) this.fail("malformed end tag", p);
        const open = stack.pop();
        if (open === undefined || open.name !== name) this.fail(`mismatched tag </${name}>`, lt);
        this.#pos = p + 1;
        if (stack.length === 0) root = open;
        else stack[stack.length - 1]!.children.push(open);
      } else if (next === 0x21 /* ! */ && text.startsWith("<!--", lt)) {
        this.#skipComment();
      } else if (next === 0x21 && text.startsWith("<![CDATA[", lt)) {
        const end = text.indexOf("]]>", lt + 9);
        if (end < 0) this.fail("unclosed CDATA section", lt);
        this.#addText(stack[stack.length - 1]!, text.slice(lt + 9, end));
        this.#pos = end + 3;
      } else if (next === 0x21) {
        this.fail(text.startsWith("<!DOCTYPE", lt) ? "DOCTYPE is not allowed" : "syntax error", lt);
      } else if (next === 0x3f /* ? */) {
        this.#skipPi();
      } else {
        if (stack.length >= this.#maxDepth) this.fail(`elements nested deeper than ${this.#maxDepth}`, lt);
        const element = this.#startTag(lt);
        if (element.selfClosing) {
          const done: XmlElement = { name: element.name, attributes: element.attributes, children: [] };
          if (stack.length === 0) root = done;
          else stack[stack.length - 1]!.children.push(done);
        } else {
          stack.push({ name: element.name, attributes: element.attributes, children: [] });
        }
      }
    }
    return root;
  }

  #startTag(lt: number): { name: string; attributes: ReadonlyMap<string, string>; selfClosing: boolean } {
    const text = this.#text;
    const name = this.#name(lt + 1, "element name");
    let p = lt + 1 + name.length;
    let attributes: Map<string, string> | null = null;
    for (;;) {
      const before = p;
      p = this.#space(p);
      const spaced = p > before;
      const c = text.charCodeAt(p);
      if (c === 0x3e /* > */) {
        this.#pos = p + 1;
        return { name, attributes: attributes ?? NO_ATTRIBUTES, selfClosing: false };
      }
      if (c === 0x2f && text.charCodeAt(p + 1) === 0x3e) {
        this.#pos = p + 2;
        return { name, attributes: attributes ?? NO_ATTRIBUTES, selfClosing: true };
      }
      if (p >= text.length) this.fail(`unclosed start tag <${name}>`, lt);
      if (!spaced) this.fail("not well-formed (invalid token)", p);
      const attribute = this.#name(p, "attribute name");
      p = this.#space(p + attribute.length);
      if (text[p] !== "=") this.fail("attribute without a value", p);
      p = this.#space(p + 1);
      const quote = text[p];
      if (quote !== '"' && quote !== "'") this.fail("attribute value not quoted", p);
      const end = text.indexOf(quote, p + 1);
      if (end < 0) this.fail("unclosed attribute value", p);
      const raw = text.slice(p + 1, end);
      const less = raw.indexOf("<");
      if (less >= 0) this.fail("'<' in an attribute value", p + 1 + less);
      attributes ??= new Map();
      if (attributes.has(attribute)) this.fail(`duplicate attribute ${attribute}`, p);
      attributes.set(attribute, this.#references(raw.replace(/[\t\n]/g, " "), p + 1));
      p = end + 1;
    }
  }

  #charData(start: number, end: number): string {
    const raw = this.#text.slice(start, end);
    const cdataEnd = raw.indexOf("]]>");
    if (cdataEnd >= 0) this.fail("']]>' in text", start + cdataEnd);
    return this.#references(raw, start);
  }

  #addText(element: OpenElement, text: string): void {
    if (text === "") return;
    const children = element.children;
    const last = children.length - 1;
    if (last >= 0 && typeof children[last] === "string")
      children[last] = `${children[last] as string}${text}`;
    else children.push(text);
  }

  /** Expands character and predefined entity references. */
  #references(raw: string, offset: number): string {
    let amp = raw.indexOf("&");
    if (amp < 0) return raw;
    let out = "";
    let from = 0;
    while (amp >= 0) {
      const semi = raw.indexOf(";", amp + 1);
      if (semi < 0) this.fail("unterminated reference", offset + amp);
      const ref = raw.slice(amp + 1, semi);
      out += raw.slice(from, amp) + this.#expand(ref, offset + amp);
      from = semi + 1;
      amp = raw.indexOf("&", from);
    }
    return out + raw.slice(from);
  }

  #expand(ref: string, at: number): string {
    const named = PREDEFINED[ref];
    if (named !== undefined && Object.hasOwn(PREDEFINED, ref)) return named;
    let code = Number.NaN;
    if (/^#[0-9]+$/.test(ref)) code = Number.parseInt(ref.slice(1), 10);
    else if (/^#x[0-9a-fA-F]+$/.test(ref)) code = Number.parseInt(ref.slice(2), 16);
    else if (ref.startsWith("#")) this.fail("malformed character reference", at);
    else this.fail(`undefined entity &${ref};`, at);
    const char = code <= 0x10ffff ? String.fromCodePoint(code) : "";
    if (char === "" || INVALID_CHAR.test(char)) {
      if (this.#replace) return "\ufffd";
      this.fail("reference to an invalid character number", at);
    }
    return char;
  }
}

/**
 * Parses an XML document into its root element. Throws `RpcCodecError` (`STEWARD_ERR_RPC_XML`) with
 * the line and column of the first problem, and nothing else.
 */
export function parseXml(text: string, options: ParseXmlOptions = {}): XmlElement {
  let source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (options.invalidChars === "replace") {
    if (INVALID_CHAR.test(source)) source = source.replace(INVALID_CHARS, "\ufffd");
  } else {
    const bad = INVALID_CHAR.exec(source);
    if (bad !== null) {
      const code = bad[0].codePointAt(0)!.toString(16).padStart(4, "0");
      new Reader(source, options).fail(`invalid character U+${code}`, bad.index);
    }
  }
  // XML's end-of-line handling: CR LF and lone CR read as LF (a `&#13;` reference stays a CR).
  if (source.includes("\r")) source = source.replace(/\r\n?/g, "\n");
  return new Reader(source, options).parseDocument();
}

/** Element children only, skipping text. */
export function childElements(element: XmlElement): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== "string");
}

/** All text directly inside an element (its text children joined), ignoring child elements. */
export function textOf(element: XmlElement): string {
  let out = "";
  for (const child of element.children) if (typeof child === "string") out += child;
  return out;
}

const NEEDS_ESCAPE = /[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udfff]/u;
const NEEDS_ESCAPE_ALL = /[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udfff]/gu;

function escapeOne(ch: string): string {
  if (ch === "&") return "&amp;";
  if (ch === "<") return "&lt;";
  if (ch === ">") return "&gt;";
  if (ch === "\r") return "&#13;";
  return "\ufffd";
}

/**
 * Text for element content, as Python's `xmlrpc.client.escape` writes it (`&`, `<`, `>`), with two
 * Steward fixes. supervisord writes every other character raw, so a string holding a control
 * character (a log line with an ANSI colour escape, say) makes the whole response unreadable to
 * every XML parser. Here each character that XML 1.0 cannot carry at all — C0 controls other than
 * tab, LF and CR, U+FFFE, U+FFFF and lone surrogates; not even as a `&#…;` reference — becomes
 * U+FFFD REPLACEMENT CHARACTER, and CR is written `&#13;` so that it reaches the client as CR rather
 * than being turned into LF by XML's end-of-line handling.
 */
export function escapeXmlText(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(NEEDS_ESCAPE_ALL, escapeOne) : s;
}
