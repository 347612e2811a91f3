/**
 * What `steward doctor` reports: findings, each with a level, the check that made it, where the
 * problem is, what is wrong and what to do. Pure.
 */

export type Level = "pass" | "warn" | "fail";

/** The checks, in the order their groups are printed. */
export const CHECKS = [
  "config",
  "commands",
  "paths",
  "placeholders",
  "ports",
  "services",
  "socket",
  "order",
  "processes",
] as const;

export type CheckId = (typeof CHECKS)[number];

/** What each check looks at, for the pass line of a check that found nothing. */
export const CHECK_TITLES: Readonly<Record<CheckId, string>> = {
  config: "the configuration loads",
  commands: "commands, the programs a shell wrapper execs, the files they source or name",
  paths: "working, log, pid and socket directories",
  placeholders: "__NAME__ placeholders left unrendered",
  ports: "ports the programs will bind",
  services: "databases, caches and other services the programs need",
  socket: "who may use the control socket",
  order: "start order by priority where a dependency is meant (heuristic)",
  processes: "programs of the running daemon",
};

export interface Finding {
  readonly level: Level;
  readonly check: CheckId;
  /** `file:line [section] option`, `file:line`, `process NAME`, … */
  readonly where: string;
  readonly message: string;
  /** What to do; "" for a pass. */
  readonly fix: string;
  /** The last lines of a process's log (the `processes` check), oldest first. */
  readonly log?: readonly string[];
}

const RANK: Readonly<Record<Level, number>> = { pass: 0, warn: 1, fail: 2 };

/** The worst level among the findings (pass when there are none). */
export function worstLevel(findings: readonly Finding[]): Level {
  let worst: Level = "pass";
  for (const f of findings) if (RANK[f.level] > RANK[worst]) worst = f.level;
  return worst;
}

/** The exit status: 0 when everything passed, 1 for a warning at worst, 2 for a failure. */
export function exitStatus(findings: readonly Finding[]): number {
  return RANK[worstLevel(findings)];
}

/** Findings grouped by check in CHECKS order, each group in the order found; duplicates dropped. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const key = `${f.level}\u0000${f.check}\u0000${f.where}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return CHECKS.flatMap((check) => unique.filter((f) => f.check === check));
}
