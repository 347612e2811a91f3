/**
 * The INI dialect of Python's `configparser.RawConfigParser` as supervisord configures it
 * (`inline_comment_prefixes=(';', '#')`, `strict=False`, lower-cased option names, a `[DEFAULT]`
 * section), reproduced line for line, including its error messages. Pure: text in, document out.
 */
import { isPySpace, pyRepr, pyStrip } from "./py-text.js";

/** One option as read: its value and where it was written. */
export interface IniValue {
  readonly value: string;
  readonly file: string;
  readonly line: number;
}

/** A section's options, in insertion order. */
export type IniSection = Map<string, IniValue>;

/** The parser's state: several files can be read into one document, as `[include]` does. */
export interface IniDocument {
  readonly sections: Map<string, IniSection>;
  readonly defaults: IniSection;
  /** Where each section was first seen. */
  readonly sectionOrigin: Map<string, { file: string; line: number }>;
}

/** A line configparser could not parse. */
export interface IniLineError {
  readonly line: number;
  readonly text: string;
}

/** A configparser error, with its message exactly as Python formats it. */
export class IniParseError extends Error {
  readonly file: string;
  readonly lines: readonly IniLineError[];
  constructor(message: string, file: string, lines: readonly IniLineError[]) {
    super(message);
    this.name = "IniParseError";
    this.file = file;
    this.lines = lines;
  }
}

export function emptyDocument(): IniDocument {
  return { sections: new Map(), defaults: new Map(), sectionOrigin: new Map() };
}

/** Splits text into lines the way Python's universal-newline text mode does, each ending in `\n`. */
export function pyLines(text: string): string[] {
  const lines: string[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    lines.push(`${text.slice(start, m.index)}\n`);
    start = m.index + m[0].length;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

const SECTION_RE = /^\[(.+)\]/su;
const OPTION_RE = /^(.*?)\s*([=:])\s*(.*)$/su;

function inlineCommentStart(line: string): number | null {
  let best: number | null = null;
  for (const prefix of [";", "#"]) {
    let index = line.indexOf(prefix);
    while (index !== -1) {
      if (index === 0 || isPySpace(line[index - 1]!)) {
        if (best === null || index < best) best = index;
        break;
      }
      index = line.indexOf(prefix, index + 1);
    }
  }
  return best;
}

function firstNonSpace(line: string): number {
  for (let i = 0; i < line.length; i++) if (!isPySpace(line[i]!)) return i;
  return 0;
}

/**
 * Reads one file's text into `doc` (configparser's `_read`). Throws IniParseError with
 * configparser's message for a missing section header or unparsable lines.
 */
export function readIniInto(doc: IniDocument, text: string, file: string): void {
  const pending = new Map<IniSection, Map<string, { lines: string[]; file: string; line: number }>>();
  let cursect: IniSection | null = null;
  let sectname = "";
  let optname: string | null = null;
  let indentLevel = 0;
  const errors: IniLineError[] = [];
  const lines = pyLines(text);

  const pendingOf = (section: IniSection) => {
    let p = pending.get(section);
    if (!p) {
      p = new Map();
      pending.set(section, p);
    }
    return p;
  };

  lines.forEach((line, i) => {
    const lineno = i + 1;
    let commentStart = inlineCommentStart(line);
    const stripped = pyStrip(line);
    if (stripped.startsWith("#") || stripped.startsWith(";")) commentStart = 0;
    const value = pyStrip(commentStart === null ? line : line.slice(0, commentStart));
    if (value === "") {
      if (commentStart === null && cursect !== null && optname) {
        pendingOf(cursect).get(optname)?.lines.push("");
      }
      return;
    }
    const curIndent = firstNonSpace(line);
    if (cursect !== null && optname && curIndent > indentLevel) {
      const entry = pendingOf(cursect).get(optname);
      if (entry) entry.lines.push(value);
      return;
    }
    indentLevel = curIndent;
    const header = SECTION_RE.exec(value);
    if (header) {
      sectname = header[1]!;
      if (sectname === "DEFAULT") {
        cursect = doc.defaults;
      } else {
        let section = doc.sections.get(sectname);
        if (!section) {
          section = new Map();
          doc.sections.set(sectname, section);
          doc.sectionOrigin.set(sectname, { file, line: lineno });
        }
        cursect = section;
      }
      optname = null;
      return;
    }
    if (cursect === null) {
      throw new IniParseError(
        `File contains no section headers.\nfile: ${pyRepr(file)}, line: ${lineno}\n${pyRepr(line)}`,
        file,
        [{ line: lineno, text: line }],
      );
    }
    const option = OPTION_RE.exec(value);
    if (!option) {
      errors.push({ line: lineno, text: line });
      return;
    }
    if (option[1] === "") errors.push({ line: lineno, text: line });
    optname = option[1]!.trimEnd().toLowerCase();
    pendingOf(cursect).set(optname, { lines: [pyStrip(option[3]!)], file, line: lineno });
    // The section keeps its first position; a re-set option moves nothing (Python dict semantics).
    cursect.set(optname, { value: "", file, line: lineno });
  });

  for (const [section, options] of pending) {
    for (const [name, entry] of options) {
      section.set(name, { value: entry.lines.join("\n").trimEnd(), file: entry.file, line: entry.line });
    }
  }
  if (errors.length > 0) {
    const detail = errors.map((e) => `\n\t[line ${String(e.line).padStart(2)}]: ${pyRepr(e.text)}`).join("");
    throw new IniParseError(`Source contains parsing errors: ${pyRepr(file)}${detail}`, file, errors);
  }
}

/** Section names in first-seen order, `[DEFAULT]` excluded (configparser's `sections()`). */
export function sectionNames(doc: IniDocument): string[] {
  return [...doc.sections.keys()];
}

/** configparser's `get(section, option)`: the section's value, else `[DEFAULT]`'s, else undefined. */
export function getOption(doc: IniDocument, section: string, option: string): IniValue | undefined {
  return doc.sections.get(section)?.get(option) ?? doc.defaults.get(option);
}

/** configparser's `options(section)`: the section's names followed by the inherited `[DEFAULT]` names. */
export function optionNames(doc: IniDocument, section: string): string[] {
  const names = [...(doc.sections.get(section)?.keys() ?? [])];
  for (const name of doc.defaults.keys()) if (!names.includes(name)) names.push(name);
  return names;
}

/**
 * supervisord's `expand_here`: replaces the literal text `%(here)s` in every option of every
 * section (inherited `[DEFAULT]` values included, which then become the section's own).
 */
export function expandHere(doc: IniDocument, here: string): void {
  for (const [name, section] of doc.sections) {
    for (const option of optionNames(doc, name)) {
      const v = getOption(doc, name, option)!;
      if (v.value.includes("%(here)s")) {
        section.set(option, { ...v, value: v.value.split("%(here)s").join(here) });
      }
    }
  }
}
