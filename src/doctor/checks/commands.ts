/**
 * `commands`: each program's command is found and executable; behind a `bash -c "… && exec X"`
 * wrapper, so is X, and so are the files the wrapper sources and the files the program names
 * (environment_file, gunicorn's `-c`, grafana's `--config` and its `conf/defaults.ini`). Pure.
 */
import type { Deployment, ProgramModel, Resolution } from "../deployment.js";
import type { Finding } from "../finding.js";
import { count, orPass } from "./result.js";

const SPAWN_FIXES: Readonly<Record<string, string>> = {
  "not-found":
    "install it, or write its absolute path in command=, or put its directory on PATH (environment= or environment_file=)",
  "not-executable": "make it executable (chmod +x), or name the file that is the program",
  "no-permission": "let the user stewardd runs the program as execute it (file mode, owner, or user=)",
  "bad-command": "fix the quoting in command=",
  environment: "fix environment_file=",
  resources: "see the daemon's log",
};

function shown(argv: readonly string[]): string {
  return argv.slice(0, 3).join(" ") + (argv.length > 3 ? " …" : "");
}

function targetFinding(p: ProgramModel, r: Resolution): Finding | null {
  const argv = p.target?.argv ?? [];
  const name = argv[0] ?? "";
  const how =
    p.target?.via === "exec"
      ? `the wrapper's exec ${shown(argv)}`
      : `the wrapper's last command ${shown(argv)}`;
  const base = { check: "commands" as const, where: p.commandWhere };
  switch (r.status) {
    case "ok":
    case "builtin":
    case "unknown":
      return null;
    case "not-found": {
      const sources = p.sourced.filter((s) => s.depth === 0).map((s) => s.written);
      const pathNote = r.pathUnknown
        ? " (PATH is partly computed by a command doctor does not run, so it may be found after all)"
        : "";
      return {
        ...base,
        level: r.pathUnknown ? "warn" : "fail",
        message: `${how}: ${name} is not found${name.includes("/") ? "" : ` in PATH ${r.searched.join(":")}`}${pathNote}; the program exits at once`,
        fix: name.includes("/")
          ? `install ${name}, or fix the path`
          : `install ${name}, or put its directory on PATH${sources.length > 0 ? ` in ${sources.join(", ")}` : ""} (a virtualenv's bin/), or exec it by absolute path`,
      };
    }
    case "directory":
      return {
        ...base,
        level: "fail",
        message: `${how}: ${r.path} is a directory`,
        fix: "exec the program inside it",
      };
    case "not-executable":
      return {
        ...base,
        level: "fail",
        message: `${how}: ${r.path} is not executable`,
        fix: `chmod +x ${r.path}`,
      };
    case "no-permission":
      return {
        ...base,
        level: "fail",
        message: `${how}: this user may not execute ${r.path}`,
        fix: "check its mode and owner against the user the program runs as",
      };
  }
}

export function checkCommands(d: Deployment): Finding[] {
  const findings: Finding[] = [];
  let checked = 0;
  for (const p of d.programs) {
    // Its directory is missing (the paths check says so): what is relative to it is missing too.
    const moot = (path: string) => !p.cwdExists && path.startsWith(`${p.cwd}/`);
    for (const f of p.files) {
      if (f.found || f.path === null || moot(f.path)) continue;
      const what =
        f.role === "environment_file"
          ? `environment_file ${f.written}: ${f.path} does not exist; stewardd cannot spawn [${p.section}] (spawn error)`
          : f.role === "grafana defaults"
            ? `grafana-server needs ${f.path} (its home path's conf/defaults.ini) and it does not exist; check --homepath and directory=`
            : `${f.role} ${f.written}: ${f.path} does not exist; the program cannot start without it`;
      findings.push({
        level: "fail",
        check: "commands",
        where: f.where,
        message: what,
        fix:
          f.role === "environment_file"
            ? "create it (render it), or fix the path; a relative path is relative to directory="
            : `install or render ${f.path}, or fix the path`,
      });
    }
    if (p.unrendered) continue;
    checked++;
    if (!p.outer.ok) {
      findings.push({
        level: "fail",
        check: "commands",
        where: p.commandWhere,
        message: `${p.outer.message}; stewardd cannot spawn it (spawn error, then FATAL)`,
        fix: SPAWN_FIXES[p.outer.failure] ?? "fix command=",
      });
      continue;
    }
    for (const s of p.sourced) {
      if (s.found || s.path === null || moot(s.path)) continue;
      const chain = s.depth === 0 ? "the wrapper" : `${s.from.replace(/:\d+$/, "")}`;
      findings.push({
        level: "fail",
        check: "commands",
        where: s.from,
        message: `${chain} sources ${s.written}, and ${s.path} does not exist${s.depth === 0 ? `: bash fails there and [${p.section}] exits at once` : ""}`,
        fix: `install or render ${s.path}, or fix the path${s.depth === 0 ? ` (relative to directory= ${p.cwd})` : ""}`,
      });
    }
    // A file the wrapper sources is missing or unknown: what it would have put on PATH is too.
    const sourcesKnown = p.sourced.every((s) => s.found);
    if (p.wrapper && p.target && sourcesKnown) {
      const f = targetFinding(p, p.target.resolution);
      if (f) findings.push(f);
    }
  }
  const skipped = d.programs.length - checked;
  const moot = d.programs.filter((p) => !p.cwdExists).length;
  return orPass(
    "commands",
    findings,
    d.config.file,
    `${count(checked, "program")}: commands, programs exec'd by wrappers and the files they source or name are found${skipped > 0 ? ` (${skipped} not checked: their command holds placeholders)` : ""}${moot > 0 ? ` (files in the missing directory of ${count(moot, "program")} not checked)` : ""}`,
  );
}
