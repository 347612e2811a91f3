/**
 * `socket`: who may control the daemon. A unix socket every local user may write
 * (`[unix_http_server] chmod = 0777`, as BK-LOG ships it) without username and password lets any local
 * user start, stop and reconfigure programs that run as root. Pure.
 */
import type { Deployment } from "../deployment.js";
import type { Finding } from "../finding.js";
import { isLocalHost } from "../paths-util.js";
import { orPass } from "./result.js";

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}

export function checkSocket(d: Deployment): Finding[] {
  const findings: Finding[] = [];
  const { places } = d;
  for (const s of d.config.servers) {
    const credentials = s.username !== null && s.password !== null;
    if (credentials) continue;
    if (s.kind === "unix_http_server" && (s.chmod & 0o002) !== 0) {
      findings.push({
        level: "fail",
        check: "socket",
        where: places.option(s.section, "chmod"),
        message: `the control socket ${s.file} is mode ${octal(s.chmod)} with no username and password: every local user can start, stop and reconfigure the programs (and what they run as)`,
        fix: "set chmod = 0770 and chown = root:GROUP (the operators' group), or chmod = 0700; or set username and password here and in [supervisorctl]",
      });
    } else if (s.kind === "inet_http_server") {
      const local = isLocalHost(s.host) && s.host !== "" && s.host !== "0.0.0.0" && s.host !== "*";
      findings.push({
        level: local ? "warn" : "fail",
        check: "socket",
        where: places.option(s.section, "port"),
        message: local
          ? `[${s.section}] on ${s.host}:${s.port} has no username and password: every local user can control the daemon`
          : `[${s.section}] listens on ${s.host || "every interface"}:${s.port} without username and password (allow_unauthenticated): anyone who reaches the port can control the daemon`,
        fix: "set username and password (and the same in [supervisorctl]), or use a unix socket with chmod = 0700",
      });
    }
  }
  const any = d.config.servers.length > 0;
  return orPass(
    "socket",
    findings,
    d.config.file,
    any
      ? "the control socket is not open to every local user"
      : "no [unix_http_server] or [inet_http_server]: nothing can control the daemon",
  );
}
