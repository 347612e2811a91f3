/** Renders docs/config.md from the schema, so the reference cannot drift from the code. Pure. */
import { SECTIONS } from "./schema.js";

const escapePipes = (s: string) => s.replace(/\|/g, "\\|");

export function renderConfigDocs(): string {
  const out: string[] = [
    "# Configuration reference",
    "",
    "<!-- Generated from src/config/schema.ts by `npm run docs`. Do not edit: a test fails when it drifts. -->",
    "",
    "Steward reads supervisord 4.2's INI files unchanged: the dialect of Python's `configparser`",
    "(`;`/`#` comments, inline `;` or `#` only after whitespace, indented continuation lines, `key: value`,",
    "`[DEFAULT]`), `%(name)s` expansion with the names each option allows (`%%` for a literal `%`), and",
    "`[include] files=` globs relative to the including file. Options Steward does not know are ignored,",
    "as supervisord ignores them; `steward config check --strict` lists them.",
    "",
    "Check a file with `steward config check -c FILE` and see what it means with",
    "`steward config dump --json -c FILE`.",
    "",
  ];
  for (const section of SECTIONS) {
    out.push(
      `## ${section.title}`,
      "",
      section.doc,
      "",
      "| option | type | default | `%(name)s` names | meaning |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const o of section.options) {
      const def = o.required
        ? "**required**"
        : o.default === null
          ? "—"
          : `\`${o.default === "" ? "(empty)" : o.default}\``;
      out.push(`| \`${o.name}\` | ${o.type} | ${def} | ${o.expands} | ${escapePipes(o.doc)} |`);
    }
    out.push("");
  }
  return `${out.join("\n")}`;
}
