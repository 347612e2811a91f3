/**
 * supervisord's names for processes (`namespec`): `proc`, `group:proc`, `group:*` / `group:`.
 * Pure.
 */

export type NameSpec =
  | { readonly kind: "process"; readonly group: string; readonly process: string }
  | { readonly kind: "group"; readonly group: string };

/** Parses a namespec; `proc` alone means process `proc` of group `proc`. */
export function parseNamespec(spec: string): NameSpec {
  const colon = spec.indexOf(":");
  if (colon < 0) return { kind: "process", group: spec, process: spec };
  const group = spec.slice(0, colon);
  const process = spec.slice(colon + 1);
  if (process === "" || process === "*") return { kind: "group", group };
  return { kind: "process", group, process };
}

/** The display name: `proc` when it is its group's name, else `group:proc` (`make_namespec`). */
export function makeNamespec(group: string, process: string): string {
  return group === process ? process : `${group}:${process}`;
}
