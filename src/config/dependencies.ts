/**
 * `depends_on` across the whole configuration: each target resolved to the processes it names, the
 * `healthy` condition checked against their health checks, and cycles refused with the cycle named.
 * Pure: returns the groups with resolved dependencies, and the problems found.
 */
import type { Dependency, GroupConfig, ProcessConfig } from "./types.js";

export interface DependencyProblem {
  readonly section: string;
  readonly message: string;
  readonly hint: string;
}

const namespec = (p: ProcessConfig) => `${p.group_name}:${p.name}`;

/** Resolves every `depends_on` target; problems name the section and what to write instead. */
export function resolveDependencies(groups: readonly GroupConfig[]): {
  groups: GroupConfig[];
  problems: DependencyProblem[];
} {
  const problems: DependencyProblem[] = [];
  const byGroup = new Map(groups.map((g) => [g.name, g.processes]));
  const all = groups.flatMap((g) => g.processes);
  const resolve = (target: string): ProcessConfig[] | string => {
    const colon = target.indexOf(":");
    if (colon >= 0) {
      const group = byGroup.get(target.slice(0, colon));
      const name = target.slice(colon + 1);
      if (!group) return `no group named '${target.slice(0, colon)}'`;
      if (name === "*") return [...group];
      const found = group.find((q) => q.name === name);
      return found ? [found] : `no process '${name}' in group '${target.slice(0, colon)}'`;
    }
    const group = byGroup.get(target);
    if (group) return [...group];
    const named = all.filter((q) => q.name === target);
    if (named.length === 1) return named;
    if (named.length > 1) return `'${target}' names processes in several groups: write group:${target}`;
    return `no program or group named '${target}'`;
  };
  const resolved = groups.map((g) => ({
    ...g,
    processes: g.processes.map((p) => {
      if (p.depends_on.length === 0) return p;
      const depends_on: Dependency[] = [];
      for (const d of p.depends_on) {
        const targets = resolve(d.target);
        if (typeof targets === "string") {
          problems.push({
            section: p.section,
            message: `[${p.section}] depends_on: ${targets}`,
            hint: "name a [program:x], group:name or group:* of this configuration",
          });
          continue;
        }
        const others = targets.filter((q) => q !== p);
        if (others.length < targets.length && targets.length === 1) {
          problems.push({
            section: p.section,
            message: `[${p.section}] depends_on: ${p.name} depends on itself`,
            hint: "remove it from its own depends_on",
          });
          continue;
        }
        if (d.condition === "healthy") {
          const unchecked = others.find((q) => q.healthcheck === null);
          if (unchecked) {
            problems.push({
              section: p.section,
              message: `[${p.section}] depends_on: ${d.target}=healthy, but ${unchecked.name} has no healthcheck`,
              hint: `give [${unchecked.section}] a healthcheck, or use ${d.target}=running`,
            });
            continue;
          }
        }
        depends_on.push({ ...d, processes: others.map(namespec) });
      }
      return { ...p, depends_on };
    }),
  }));
  const cycle = findCycle(resolved.flatMap((g) => g.processes));
  if (cycle !== null) {
    problems.push({
      section: cycle.section,
      message: `[${cycle.section}] depends_on: dependency cycle ${cycle.path.join(" -> ")}`,
      hint: "remove one of these dependencies",
    });
  }
  return { groups: resolved, problems };
}

/** The first cycle in the dependency graph (as process names, first repeated at the end), or null. */
function findCycle(processes: readonly ProcessConfig[]): { section: string; path: string[] } | null {
  const bySpec = new Map(processes.map((p) => [namespec(p), p]));
  const state = new Map<string, "visiting" | "done">();
  const stack: ProcessConfig[] = [];
  const visit = (p: ProcessConfig): { section: string; path: string[] } | null => {
    const key = namespec(p);
    if (state.get(key) === "done") return null;
    if (state.get(key) === "visiting") {
      const from = stack.findIndex((q) => namespec(q) === key);
      const path = [...stack.slice(from), p].map((q) => q.name);
      return { section: stack[from]!.section, path };
    }
    state.set(key, "visiting");
    stack.push(p);
    for (const d of p.depends_on) {
      for (const spec of d.processes) {
        const next = bySpec.get(spec);
        const found = next ? visit(next) : null;
        if (found) return found;
      }
    }
    stack.pop();
    state.set(key, "done");
    return null;
  };
  for (const p of processes) {
    const found = visit(p);
    if (found) return found;
  }
  return null;
}
