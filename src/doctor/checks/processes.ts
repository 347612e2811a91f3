/**
 * `processes`: with the daemon running, programs that are FATAL or flapping (BACKOFF: it exited within
 * startsecs, "Exited too quickly", or could not be spawned) or that EXITED with an unexpected status,
 * each with the last lines of its log. Pure over the daemon's answers.
 */
import type { Deployment } from "../deployment.js";
import type { DaemonFacts, ProcessFacts } from "../facts.js";
import type { Finding } from "../finding.js";
import { count, listing, orPass } from "./result.js";

function tailFix(name: string): string {
  return `read its log (stewardctl tail ${name} stderr), fix the cause, then stewardctl start ${name}`;
}

export function checkProcesses(d: Deployment, daemon: DaemonFacts): Finding[] {
  const where = d.config.file;
  switch (daemon.kind) {
    case "offline":
      return [{ level: "pass", check: "processes", where, message: "not checked (--offline)", fix: "" }];
    case "none":
      return [
        {
          level: "pass",
          check: "processes",
          where,
          message:
            "not checked: no [unix_http_server], [inet_http_server] or [supervisorctl] serverurl to ask the daemon",
          fix: "",
        },
      ];
    case "down":
      return [
        {
          level: "pass",
          check: "processes",
          where: daemon.serverurl,
          message: `not checked: the daemon is not running (${daemon.message})`,
          fix: "",
        },
      ];
    case "error":
      return [
        {
          level: "warn",
          check: "processes",
          where: daemon.serverurl,
          message: `could not ask the daemon about its programs: ${daemon.message}`,
          fix: "run doctor as a user that may use the socket, or set username and password in [supervisorctl]",
        },
      ];
    case "up":
      break;
  }
  const findings: Finding[] = [];
  const configOf = (p: ProcessFacts) =>
    d.programs.find((m) => m.processes.includes(p.name))?.config ??
    d.programs.find((m) => m.processes.some((n) => n.endsWith(`:${p.name.split(":").pop()}`)))?.config;
  for (const p of daemon.processes) {
    const c = configOf(p);
    const quick = /too quickly/i.test(p.spawnerr);
    const within = c && quick ? `: it exited within startsecs (${c.startsecs} s)` : "";
    const log = p.log.length > 0 ? { log: p.log } : {};
    if (p.statename === "FATAL") {
      const attempts =
        c && Number.isFinite(c.startretries) ? ` on each of its ${c.startretries + 1} attempts` : "";
      findings.push({
        level: "fail",
        check: "processes",
        where: `process ${p.name}`,
        message: `${p.name} is FATAL: ${p.spawnerr || p.description || "gave up starting it"}${within}${within ? attempts : ""}, and stewardd gave up`,
        fix: tailFix(p.name),
        ...log,
      });
    } else if (p.statename === "BACKOFF") {
      findings.push({
        level: "fail",
        check: "processes",
        where: `process ${p.name}`,
        message: `${p.name} is flapping (BACKOFF): ${p.spawnerr || p.description || "its last start failed"}${within}; stewardd keeps retrying`,
        fix: tailFix(p.name),
        ...log,
      });
    } else if (p.statename === "EXITED" && c && !c.exitcodes.includes(p.exitstatus)) {
      findings.push({
        level: "warn",
        check: "processes",
        where: `process ${p.name}`,
        message: `${p.name} EXITED with status ${p.exitstatus}, not one of its exitcodes (${c.exitcodes.join(",")}); autorestart=${String(c.autorestart)} did not restart it`,
        fix: tailFix(p.name),
        ...log,
      });
    }
  }
  const states = new Map<string, string[]>();
  for (const p of daemon.processes) states.set(p.statename, [...(states.get(p.statename) ?? []), p.name]);
  const summary = [...states].map(([s, names]) => `${s} ${listing(names)}`).join("; ");
  return orPass(
    "processes",
    findings,
    daemon.serverurl,
    `${count(daemon.processes.length, "process", "processes")}, none FATAL or flapping${summary ? `: ${summary}` : ""}`,
  );
}
