/**
 * The report: text (one line per finding, grouped by check, a summary line) or JSON (an array of
 * findings). Pure.
 */
import { CHECK_TITLES, CHECKS, exitStatus, type Finding, type Level } from "./finding.js";

const LABEL: Readonly<Record<Level, string>> = { pass: "PASS", warn: "WARN", fail: "FAIL" };

export function formatText(findings: readonly Finding[], file: string): string {
  const lines = [`steward doctor ${file}`];
  for (const check of CHECKS) {
    const group = findings.filter((f) => f.check === check);
    if (group.length === 0) continue;
    lines.push("", `${check}: ${CHECK_TITLES[check]}`);
    for (const f of group) {
      const where = f.where ? `${f.where}: ` : "";
      lines.push(`  ${LABEL[f.level]}  ${where}${f.message}${f.fix ? ` -> ${f.fix}` : ""}`);
      for (const line of f.log ?? []) lines.push(`        | ${line}`);
    }
  }
  lines.push("", summaryLine(findings));
  return `${lines.join("\n")}\n`;
}

export function summaryLine(findings: readonly Finding[]): string {
  const n = (level: Level) => findings.filter((f) => f.level === level).length;
  const status = exitStatus(findings);
  const verdict = status === 0 ? "all checks pass" : status === 1 ? "warnings" : "failures";
  return `summary: ${n("fail")} fail, ${n("warn")} warn, ${n("pass")} pass: ${verdict} (exit status ${status})`;
}

/** JSON: `[{level, check, where, message, fix[, log]}]`, two-space indented. */
export function formatJson(findings: readonly Finding[]): string {
  const plain = findings.map((f) => ({
    level: f.level,
    check: f.check,
    where: f.where,
    message: f.message,
    fix: f.fix,
    ...(f.log ? { log: f.log } : {}),
  }));
  return `${JSON.stringify(plain, null, 2)}\n`;
}
