/** `config`: the configuration loads as stewardd would load it; its warnings. Pure. */
import type { Config } from "../../config/types.js";
import type { ConfigIssue } from "../../errors.js";
import type { Finding } from "../finding.js";
import { count } from "./result.js";

/** What loading the configuration gave. */
export interface LoadOutcome {
  /** The file as given. */
  readonly file: string;
  /** The loader's problems (stewardd would refuse to start). */
  readonly issues: readonly ConfigIssue[];
  /** The configuration, when it loads (or loads once users are not looked up): the other checks need it. */
  readonly config: Config | null;
}

function issueWhere(issue: ConfigIssue, file: string): string {
  const at = [issue.file ?? file, issue.line].filter((x) => x !== undefined).join(":");
  const place = [issue.section ? `[${issue.section}]` : "", issue.option ?? ""].filter(Boolean).join(" ");
  return [at, place].filter(Boolean).join(" ");
}

export function checkConfig(load: LoadOutcome): Finding[] {
  const findings: Finding[] = load.issues.map((issue) => ({
    level: "fail",
    check: "config",
    where: issueWhere(issue, load.file),
    message: `stewardd refuses this configuration: ${issue.brief ?? issue.message}`,
    fix: issue.hint ?? `fix it; steward config check -c ${load.file} lists every problem`,
  }));
  const config = load.config;
  if (config === null) return findings;
  for (const warning of config.warnings) {
    findings.push({
      level: "warn",
      check: "config",
      where: load.file,
      message: warning,
      fix: "check the [include] files= globs",
    });
  }
  if (findings.length > 0) return findings;
  const processes = config.groups.reduce((n, g) => n + g.processes.length, 0);
  return [
    {
      level: "pass",
      check: "config",
      where: load.file,
      message: `loads as stewardd would load it: ${count(config.groups.length, "group")}, ${count(processes, "process", "processes")}`,
      fix: "",
    },
  ];
}
