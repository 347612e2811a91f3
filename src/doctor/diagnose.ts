/** All the checks over the facts gathered, in report order. Pure. */
import { checkCommands } from "./checks/commands.js";
import { checkConfig, type LoadOutcome } from "./checks/config.js";
import { allBinds, allEndpoints, checkPorts, checkServices } from "./checks/network.js";
import { checkOrder } from "./checks/order.js";
import { checkPaths } from "./checks/paths.js";
import { checkPlaceholders } from "./checks/placeholders.js";
import { checkProcesses } from "./checks/processes.js";
import { checkSocket } from "./checks/socket.js";
import type { Deployment } from "./deployment.js";
import type { DaemonFacts, NetworkFacts } from "./facts.js";
import type { DoctorFiles } from "./files.js";
import { type Finding, sortFindings } from "./finding.js";
import { resolvePath } from "./paths-util.js";
import { findPlaceholders } from "./placeholders.js";

export interface Facts {
  readonly load: LoadOutcome;
  /** Null when the configuration does not load. */
  readonly deployment: Deployment | null;
  readonly files: DoctorFiles;
  readonly cwd: string;
  /** The uid doctor runs as (writability is judged for it). */
  readonly uid: number;
  /** Null with --offline. */
  readonly network: NetworkFacts | null;
  readonly daemon: DaemonFacts;
}

/** What the IO layer should probe for a deployment. */
export function probesFor(d: Deployment): {
  binds: { host: string; port: number }[];
  connects: { host: string; port: number }[];
} {
  return {
    binds: allBinds(d).map((b) => ({ host: b.host, port: b.port })),
    connects: allEndpoints(d).map((e) => ({ host: e.host, port: e.port })),
  };
}

export function diagnose(facts: Facts): Finding[] {
  const findings = checkConfig(facts.load);
  const d = facts.deployment;
  if (d === null) {
    // The file stewardd refuses may still hold placeholders: often the reason it is refused.
    const path = resolvePath(facts.load.file, facts.cwd);
    const text = facts.files.readText(path);
    for (const hit of text === null ? [] : findPlaceholders(text, "#;")) {
      findings.push({
        level: "fail",
        check: "placeholders",
        where: `${facts.load.file}:${hit.line}`,
        message: `${hit.names.join(", ")} left unrendered`,
        fix: "render the template again with these variables defined (steward render; see bklog.env), or write the values",
      });
    }
    return sortFindings(findings);
  }
  findings.push(
    ...checkCommands(d),
    ...checkPaths(d, facts.files, facts.uid),
    ...checkPlaceholders(d, facts.files, facts.cwd),
    ...checkPorts(d, facts.network, facts.daemon),
    ...checkServices(d, facts.network),
    ...checkSocket(d),
    ...checkOrder(d),
    ...checkProcesses(d, facts.daemon),
  );
  return sortFindings(findings);
}
