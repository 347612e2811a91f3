/**
 * `ports`: the ports the programs (and the daemon) will listen on are free — or held by that very
 * program while the daemon runs it — and are on this machine. `services`: the databases, caches and
 * `wait_for` targets they need answer a TCP connect. Pure over the facts gathered.
 */
import type { Bind, Deployment, Endpoint } from "../deployment.js";
import { ALIVE_STATES, type DaemonFacts, endpointKey, type NetworkFacts } from "../facts.js";
import type { Finding } from "../finding.js";
import { hostPort, isLocalHost } from "../paths-util.js";
import { count, listing, orPass } from "./result.js";

/** The binds of the deployment, the daemon's own first. */
export function allBinds(d: Deployment): Bind[] {
  return [...d.daemonBinds, ...d.programs.flatMap((p) => p.binds)];
}

/** The services the deployment needs, one per address, minus its own ports. */
export function allEndpoints(d: Deployment): Endpoint[] {
  const own = allBinds(d);
  const seen = new Map<string, Endpoint>();
  for (const e of d.programs.flatMap((p) => p.needs)) {
    if (isLocalHost(e.host) && own.some((b) => b.port === e.port)) continue;
    const key = endpointKey(e.host, e.port);
    const before = seen.get(key);
    if (before === undefined) seen.set(key, e);
    else if (!before.program.split(", ").includes(e.program)) {
      seen.set(key, { ...before, program: `${before.program}, ${e.program}` });
    }
  }
  return [...seen.values()];
}

function overlaps(a: Bind, b: Bind): boolean {
  if (a.port !== b.port) return false;
  const wild = (h: string) => h === "" || h === "0.0.0.0" || h === "::" || h === "*";
  return wild(a.host) || wild(b.host) || a.host === b.host;
}

function owner(b: Bind): string {
  return b.program === null ? "stewardd" : b.program;
}

export function checkPorts(d: Deployment, net: NetworkFacts | null, daemon: DaemonFacts): Finding[] {
  const binds = allBinds(d);
  if (net === null) {
    return [
      { level: "pass", check: "ports", where: d.config.file, message: "not checked (--offline)", fix: "" },
    ];
  }
  const findings: Finding[] = [];
  for (const [i, a] of binds.entries()) {
    const b = binds.slice(0, i).find((x) => overlaps(x, a) && owner(x) !== owner(a));
    if (b) {
      findings.push({
        level: "fail",
        check: "ports",
        where: a.where,
        message: `${owner(a)} and ${owner(b)} both listen on port ${a.port} (${hostPort(a.host, a.port)} from ${a.source}; ${hostPort(b.host, b.port)} from ${b.where})`,
        fix: "give one of them another port",
      });
    }
  }
  const running = new Set<string>();
  if (daemon.kind === "up") {
    for (const p of daemon.processes) if (ALIVE_STATES.has(p.statename)) running.add(p.name);
  }
  const programOf = (name: string | null) => d.programs.find((p) => p.name === name);
  for (const b of binds) {
    const result = net.binds.get(endpointKey(b.host, b.port));
    if (result === undefined || result.status === "free") continue;
    const address = hostPort(b.host, b.port);
    const heldByItself =
      b.program === null
        ? daemon.kind === "up" || daemon.kind === "error"
        : (programOf(b.program)?.processes.some((n) => running.has(n)) ?? false);
    switch (result.status) {
      case "in-use":
        if (heldByItself) continue;
        findings.push({
          level: "fail",
          check: "ports",
          where: b.where,
          message: `${address} is already in use, so ${owner(b)} cannot listen there (from ${b.source})${daemon.kind === "up" && b.program !== null ? `; stewardd is not running ${b.program} now, so something else holds it` : ""}`,
          fix: `find what holds it (ss -ltnp 'sport = :${b.port}'): an old instance left behind (a wrapper's child outlives a stop without stopasgroup) or another service; stop it or choose another port`,
        });
        break;
      case "not-local":
        findings.push({
          level: "fail",
          check: "ports",
          where: b.where,
          message: `${b.host} is not an address of this machine, so ${owner(b)} cannot listen on ${address} (from ${b.source})`,
          fix: "use one of this host's addresses (check LAN_IP and the rendered values), or 0.0.0.0",
        });
        break;
      case "denied":
        findings.push({
          level: "warn",
          check: "ports",
          where: b.where,
          message: `this user may not listen on ${address} (a port below 1024); ${owner(b)} needs root or CAP_NET_BIND_SERVICE`,
          fix: "run doctor as the user stewardd runs as to check it, or use a port above 1023",
        });
        break;
      case "error":
        findings.push({
          level: "fail",
          check: "ports",
          where: b.where,
          message: `${owner(b)} cannot listen on ${address}: ${result.message} (from ${b.source})`,
          fix: "fix the address",
        });
        break;
    }
  }
  const shown = binds.map((b) => `${owner(b)} ${hostPort(b.host, b.port)}`);
  return orPass(
    "ports",
    findings,
    d.config.file,
    binds.length === 0
      ? "no port found that a program will listen on (health checks, gunicorn bind, grafana [server])"
      : `${count(binds.length, "port")} can be listened on: ${listing(shown)}`,
  );
}

export function checkServices(d: Deployment, net: NetworkFacts | null): Finding[] {
  const endpoints = allEndpoints(d);
  if (net === null) {
    return [
      { level: "pass", check: "services", where: d.config.file, message: "not checked (--offline)", fix: "" },
    ];
  }
  const findings: Finding[] = [];
  for (const e of endpoints) {
    const result = net.connects.get(endpointKey(e.host, e.port));
    if (result === undefined || result.ok) continue;
    findings.push({
      level: "fail",
      check: "services",
      where: e.where,
      message: `${hostPort(e.host, e.port)} (${e.what}) does not answer: ${result.reason}; ${e.program} needs it`,
      fix: `start it or make it reachable from this host, or fix the host and port where they are set`,
    });
  }
  const shown = endpoints.map((e) => `${hostPort(e.host, e.port)} (${e.what})`);
  return orPass(
    "services",
    findings,
    d.config.file,
    endpoints.length === 0
      ? "no database, cache or wait_for target found (X_HOST/X_PORT variables, grafana [database], wait_for)"
      : `${count(endpoints.length, "service")} answer: ${listing(shown)}`,
  );
}
