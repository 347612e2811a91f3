/** What `steward render` tells the user: the `-c` report and the undefined placeholders. Pure. */
import type { Binding, Source, Variables } from "./env-file.js";
import type { Occurrence } from "./placeholders.js";

export interface RenderedTemplate {
  /** The template path as given on the command line. */
  readonly template: string;
  readonly target: string;
  readonly occurrences: readonly Occurrence[];
}

export function describeSource(source: Source): string {
  if (source.kind === "environment") return "the environment";
  if (source.kind === "option") return "-E";
  return `${source.file}:${source.line}`;
}

/** A value as the report shows it: quoted, with newlines and control characters escaped. */
export function quoteValue(value: string): string {
  return JSON.stringify(value);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function lines(occurrences: readonly Occurrence[]): string {
  const numbers = [...new Set(occurrences.map((o) => o.line))];
  return `${numbers.length === 1 ? "line" : "lines"} ${numbers.join(", ")}`;
}

/** Groups occurrences by variable, in the order each first appears. */
function byName(occurrences: readonly Occurrence[]): Map<string, Occurrence[]> {
  const groups = new Map<string, Occurrence[]>();
  for (const o of occurrences) groups.set(o.name, [...(groups.get(o.name) ?? []), o]);
  return groups;
}

function describePlaceholder(
  name: string,
  binding: Binding | undefined,
  where: readonly Occurrence[],
  undefinedEmpty: boolean,
): string {
  if (binding !== undefined) {
    return `  __${name}__ = ${quoteValue(binding.value)} from ${describeSource(binding.source)}, at ${lines(where)}\n`;
  }
  const fate = undefinedEmpty ? 'not defined, replaced by "" (-u)' : "not defined, left in place";
  return `  __${name}__ ${fate}, at ${lines(where)}\n`;
}

/** `-c`: every template, each placeholder in it with its value and the value's origin, and a total. */
export function formatCheckReport(
  rendered: readonly RenderedTemplate[],
  variables: Variables,
  undefinedEmpty: boolean,
): string {
  let out = "";
  let total = 0;
  const undefinedNames = new Set<string>();
  const emptyNames = new Set<string>();
  for (const r of rendered) {
    out += `${r.template} -> ${r.target}\n`;
    const groups = byName(r.occurrences);
    if (groups.size === 0) out += "  (no placeholders)\n";
    for (const [name, where] of groups) {
      const binding = variables.get(name);
      if (binding === undefined) undefinedNames.add(name);
      else if (binding.value === "") emptyNames.add(name);
      out += describePlaceholder(name, binding, where, undefinedEmpty);
    }
    total += r.occurrences.length;
  }
  const names = new Set(rendered.flatMap((r) => r.occurrences.map((o) => o.name))).size;
  const counts = `${plural(total, "placeholder")} of ${plural(names, "variable")} in ${plural(rendered.length, "template")}`;
  const undef = undefinedNames.size === 0 ? "all defined" : `${undefinedNames.size} not defined`;
  const empty = emptyNames.size === 0 ? "" : `, ${emptyNames.size} defined as empty`;
  return `${out}${counts}: ${undef}${empty}\n`;
}

/** One `TEMPLATE:LINE: __NAME__ is not defined` line per undefined placeholder left in place. */
export function formatUndefined(rendered: readonly RenderedTemplate[], variables: Variables): string {
  let out = "";
  for (const r of rendered) {
    for (const o of r.occurrences) {
      if (!variables.has(o.name)) out += `${r.template}:${o.line}: __${o.name}__ is not defined\n`;
    }
  }
  return out;
}

/** The names of the undefined placeholders, each once, in order of appearance. */
export function undefinedNames(rendered: readonly RenderedTemplate[], variables: Variables): string[] {
  const names = new Set<string>();
  for (const r of rendered) for (const o of r.occurrences) if (!variables.has(o.name)) names.add(o.name);
  return [...names];
}
