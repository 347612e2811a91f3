/** Helpers the checks share. Pure. */
import type { CheckId, Finding } from "../finding.js";

/** The findings, or one pass finding saying what was checked when there are none. */
export function orPass(check: CheckId, findings: Finding[], where: string, message: string): Finding[] {
  return findings.length > 0 ? findings : [{ level: "pass", check, where, message, fix: "" }];
}

/** `1 program`, `2 programs`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
