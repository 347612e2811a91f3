/**
 * The `steward.*` namespace: read-only views of what supervisord has no words for — each process's
 * dependencies and wait conditions, and its health with the last check's result. Listed by
 * `system.listMethods`; the `supervisor.*` answers keep their exact shapes.
 */
import type { RpcMethod, RpcParam, SignatureType } from "../rpc/registry.js";
import type { XmlRpcValue } from "../rpc/values.js";
import { STEWARD_VERSION } from "../version.js";
import type { Control } from "./control.js";
import { treeUsages } from "./proc-usage.js";
import { conditionHolds } from "./start-gate.js";

function method(
  name: string,
  params: RpcParam[],
  returns: SignatureType,
  help: string,
  handler: (args: readonly XmlRpcValue[]) => XmlRpcValue,
): RpcMethod {
  const lines = params.map((x) => `@param ${x.type} ${x.name}`).join("\n");
  return {
    name: `steward.${name}`,
    params,
    returns,
    help: `${help}\n\n${lines}${params.length ? "\n" : ""}@return ${returns} result`,
    handler,
  };
}

export function stewardMethods(control: Control): RpcMethod[] {
  const all = () => control.targets();
  return [
    method("getVersion", [], "string", "Return Steward's own version.", () => STEWARD_VERSION),
    method(
      "getDependencies",
      [],
      "array",
      "Return each process's depends_on entries (with whether each holds now), wait_for checks, and what it waits for now.",
      () =>
        all().map(({ group, runner }) => {
          const supervisor = control.supervisor;
          return {
            name: runner.name,
            group: group.config.name,
            statename: runner.state,
            waiting: supervisor.waitingFor(runner),
            depends_on: runner.config.depends_on.map((d) => ({
              target: d.target,
              condition: d.condition,
              processes: [...d.processes],
              met: d.processes.every((spec) => conditionHolds(d.condition, supervisor.dependencyView(spec))),
            })),
            wait_for: runner.config.wait_for.map((w) => w.text),
            dependents: supervisor.dependentsOf(runner).map((r) => `${r.config.group_name}:${r.name}`),
          };
        }),
    ),
    method(
      "getHealth",
      [],
      "array",
      "Return the health of each process that has a healthcheck: status (starting, healthy, unhealthy or none when not running), the last check's result and time, and failures in a row.",
      () =>
        all()
          .filter(({ runner }) => runner.config.healthcheck !== null)
          .map(({ group, runner }) => {
            const report = control.supervisor.health(runner);
            const last = report?.last ?? null;
            return {
              name: runner.name,
              group: group.config.name,
              statename: runner.state,
              healthcheck: runner.config.healthcheck!.text,
              status: report?.status ?? "none",
              ok: last?.ok ?? false,
              detail: last?.detail ?? "",
              checked: last === null ? 0 : Math.floor(last.at / 1000),
              failures: report?.failures ?? 0,
              unhealthy_action: runner.config.unhealthy_action,
            };
          }),
    ),
    method(
      "getUsage",
      [],
      "array",
      "Return, for each process, its state and pid and, while it runs, the size of its process tree (it and its descendants), their resident memory in kB and their CPU seconds.",
      () => {
        const targets = all();
        const usages = treeUsages(targets.map(({ runner }) => runner.snapshot.pid));
        return targets.map(({ group, runner }) => {
          const usage = usages.get(runner.snapshot.pid);
          return {
            name: runner.name,
            group: group.config.name,
            statename: runner.state,
            pid: runner.snapshot.pid,
            processes: usage?.processes ?? 0,
            rss_kb: usage ? Math.round(usage.residentBytes / 1024) : 0,
            cpu_seconds: usage ? Math.round(usage.cpuSeconds * 100) / 100 : 0,
          };
        });
      },
    ),
  ];
}
