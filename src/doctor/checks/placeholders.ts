/**
 * `placeholders`: BlueKing `__NAME__` placeholders left in the configuration or in the files it
 * makes programs read (sourced scripts, environment_file, gunicorn and grafana configs). Pure.
 */
import type { Deployment } from "../deployment.js";
import type { DoctorFiles } from "../files.js";
import type { Finding } from "../finding.js";
import { resolvePath } from "../paths-util.js";
import { findPlaceholders } from "../placeholders.js";
import { count, orPass } from "./result.js";

/** Comment characters by file type: INI files take `;` too. */
function commentChars(path: string): string {
  return /\.(conf|ini|cfg)$/.test(path) ? "#;" : "#";
}

export function checkPlaceholders(d: Deployment, files: DoctorFiles, cwd: string): Finding[] {
  const scanned: { shown: string; path: string; comment: string }[] = [];
  for (const name of d.config.files) {
    scanned.push({ shown: name, path: resolvePath(name, cwd), comment: "#;" });
  }
  for (const p of d.programs) {
    for (const path of p.filesRead) scanned.push({ shown: path, path, comment: commentChars(path) });
  }
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const f of scanned) {
    if (seen.has(f.path)) continue;
    seen.add(f.path);
    const text = files.readText(f.path);
    if (text === null) continue;
    for (const hit of findPlaceholders(text, f.comment)) {
      findings.push({
        level: "fail",
        check: "placeholders",
        where: `${f.shown}:${hit.line}`,
        message: `${hit.names.join(", ")} left unrendered`,
        fix: "render the template again with these variables defined (steward render; see bklog.env), or write the values",
      });
    }
  }
  return orPass("placeholders", findings, d.config.file, `none in ${count(seen.size, "file")} read`);
}
