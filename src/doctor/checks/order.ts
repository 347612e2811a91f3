/**
 * `order` (a heuristic): `priority` used where a dependency is meant. A wrapper that waits before it
 * execs its program (`sleep N`, a `while`/`until` loop, wait-for-it) is guessing when what it needs is
 * ready; when it also starts after other programs of the same daemon only because of a higher
 * `priority`, it was meant to depend on them, and priority does not wait for anything to be ready.
 * Pure.
 */
import type { Deployment, ProgramModel, Wait } from "../deployment.js";
import type { Finding } from "../finding.js";
import { hostPort } from "../paths-util.js";
import { listing, orPass } from "./result.js";

function describeWait(w: Wait): string {
  if (w.kind === "sleep") return `sleeps ${w.seconds} s`;
  if (w.kind === "loop") return `waits in a loop (${w.text})`;
  return `waits with ${w.text.split(" ")[0]}`;
}

function runs(p: ProgramModel): string {
  const name = p.target?.argv[0];
  return name ? name.slice(name.lastIndexOf("/") + 1) : "its program";
}

export function checkOrder(d: Deployment): Finding[] {
  const findings: Finding[] = [];
  for (const p of d.programs) {
    if (p.waits.length === 0) continue;
    const prio = p.config.priority;
    // Programs this one starts after only because of priority (depends_on would say so otherwise).
    const before =
      p.config.depends_on.length > 0
        ? []
        : d.programs.filter((q) => q !== p && q.config.autostart && q.config.priority < prio);
    const sleep = p.waits.find((w) => w.kind === "sleep");
    const parts = [
      `it ${p.waits.map(describeWait).join(" and ")} before it starts ${runs(p)}: a guess at when what it needs is ready`,
    ];
    if (sleep?.kind === "sleep" && p.config.startsecs < sleep.seconds) {
      parts.push(`with startsecs=${p.config.startsecs} it is reported RUNNING while it still sleeps`);
    }
    if (before.length > 0) {
      parts.push(
        `it starts after ${listing(before.map((q) => `${q.name} (priority ${q.config.priority})`))} only because of priority=${prio}, which does not wait for them to be ready`,
      );
    }
    const tcp = p.needs
      .filter((e) => !e.what.startsWith("wait_for"))
      .map((e) => `tcp://${hostPort(e.host, e.port)}`);
    let fix: string;
    if (before.length > 0) {
      const q = before[before.length - 1]!;
      fix = `drop the wait; give ${q.name} a healthcheck and write depends_on = ${before.map((x) => `${x.name}=healthy`).join(", ")} (docs/dependencies.md)`;
    } else if (tcp.length > 0) {
      fix = `drop the wait and write wait_for = ${tcp.join(", ")} (docs/dependencies.md)`;
    } else {
      fix =
        "drop the wait; write wait_for = tcp://HOST:PORT for what it waits for, and a healthcheck for its own readiness (docs/dependencies.md)";
    }
    if (p.config.healthcheck === null && before.length === 0) {
      const own = p.binds[0];
      if (own)
        fix += `; healthcheck = tcp://${hostPort(own.host === "0.0.0.0" ? "127.0.0.1" : own.host, own.port)} makes RUNNING mean it serves`;
    }
    findings.push({
      level: "warn",
      check: "order",
      where: p.commandWhere,
      message: `${parts.join("; ")} (heuristic)`,
      fix,
    });
  }
  return orPass(
    "order",
    findings,
    d.config.file,
    "no program waits with sleep or a loop before it starts, or relies on priority for readiness (heuristic)",
  );
}
