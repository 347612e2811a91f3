/**
 * Reads option values from a parsed document the way supervisord's `saneget` does (section value,
 * else `[DEFAULT]`, else the schema default; `%`-expanded with the names in scope) and collects
 * every problem as a ConfigIssue instead of stopping at the first. Pure.
 */
import type { ConfigIssue } from "../errors.js";
import { ConversionError } from "./convert.js";
import { ExpansionError, expand } from "./expand.js";
import { EXPANSION_HINT, TYPE_HINTS } from "./hints.js";
import { getOption, type IniDocument, type IniValue } from "./ini.js";
import type { FormatMapping, FormatValue } from "./py-format.js";
import { pyRepr } from "./py-text.js";
import { optionSpec, type SectionSpec } from "./schema.js";

export interface ReadValue {
  readonly value: string | null;
  readonly origin: IniValue | undefined;
}

export class OptionReader {
  readonly doc: IniDocument;
  /** supervisord's `environ_expansions`: `ENV_*` of the process, then of `[supervisord] environment`. */
  readonly environ: Map<string, FormatValue>;
  readonly issues: ConfigIssue[] = [];
  /** The main file as given, for sections that came from it. */
  readonly configFile: string;

  constructor(doc: IniDocument, environ: Map<string, FormatValue>, configFile: string) {
    this.doc = doc;
    this.environ = environ;
    this.configFile = configFile;
  }

  /** The file a section came from, as supervisord names it in messages. */
  fileOf(section: string): string {
    return this.doc.sectionOrigin.get(section)?.file ?? this.configFile;
  }

  /**
   * `saneget(section, option, default, do_expand, expansions)`: the raw value (or `fallback`),
   * expanded unless `doExpand` is false. Expansion failures become issues and yield null.
   */
  get(
    section: string,
    option: string,
    fallback: string | null,
    extra?: FormatMapping,
    doExpand = true,
    suffix = "",
  ): ReadValue {
    const origin = getOption(this.doc, section, option);
    const raw = origin ? origin.value : fallback;
    if (raw === null || !doExpand) return { value: raw, origin };
    const names = new Map<string, FormatValue>(this.environ);
    if (extra) for (const [k, v] of extra) names.set(k, v);
    return {
      value: this.tryExpand(raw, names, `${section}.${option}`, section, option, origin, suffix),
      origin,
    };
  }

  /** Expands with the given names, recording a failure as an issue (then null). */
  tryExpand(
    raw: string,
    names: FormatMapping,
    where: string,
    section: string,
    option: string,
    origin: IniValue | undefined,
    suffix = "",
  ): string | null {
    try {
      return expand(raw, names, where);
    } catch (error) {
      if (!(error instanceof ExpansionError)) throw error;
      this.report(error.message, section, option, origin, EXPANSION_HINT, suffix);
      return null;
    }
  }

  /** Records a problem; `suffix` is supervisord's ` in section '…' (file: '…')` where it adds one. */
  report(
    message: string,
    section: string,
    option: string | undefined,
    origin: IniValue | undefined,
    hint?: string,
    suffix = "",
  ): void {
    this.issues.push({
      message: message + suffix,
      brief: suffix ? message : undefined,
      file: origin?.file ?? this.fileOf(section),
      line: origin?.line ?? this.doc.sectionOrigin.get(section)?.line,
      section,
      option,
      hint,
    });
  }

  /**
   * Reads, expands and converts one option with its schema default; on failure records the issue
   * and returns `onError`. `suffix` is added to messages for program-like sections.
   */
  convert<T>(
    spec: SectionSpec,
    section: string,
    option: string,
    converter: (value: string) => T,
    onError: T,
    opts: { extra?: FormatMapping; suffix?: string; fallback?: string | null } = {},
  ): T {
    const s = optionSpec(spec, option);
    const fallback = opts.fallback === undefined ? s.default : opts.fallback;
    const { value, origin } = this.get(section, option, fallback, opts.extra, true, opts.suffix);
    if (value === null) return onError;
    return this.attempt(
      () => converter(value),
      onError,
      section,
      option,
      origin,
      TYPE_HINTS[s.type],
      opts.suffix,
    );
  }

  /** Runs a conversion, turning ConversionError and ExpansionError into an issue. */
  attempt<T>(
    fn: () => T,
    onError: T,
    section: string,
    option: string | undefined,
    origin: IniValue | undefined,
    hint?: string,
    suffix = "",
  ): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof ExpansionError) {
        this.report(error.message, section, option, origin, EXPANSION_HINT, suffix);
      } else if (error instanceof ConversionError) {
        this.report(error.message, section, option, origin, hint, suffix);
      } else throw error;
      return onError;
    }
  }

  /** supervisord's suffix for errors inside a program-like section. */
  sectionSuffix(section: string): string {
    return ` in section ${pyRepr(section)} (file: ${pyRepr(this.fileOf(section))})`;
  }
}
