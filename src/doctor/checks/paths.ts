/**
 * `paths`: the directories the daemon and its programs need exist — each program's `directory`, the
 * directories of log files, the pidfile and the control socket (`/var/run/bklog`), `childlogdir` — and
 * the ones written to are writable. Pure.
 */
import { type Deployment, socketDirectories } from "../deployment.js";
import type { DoctorFiles } from "../files.js";
import type { Finding } from "../finding.js";
import { parentDir } from "../paths-util.js";
import { hasPlaceholder } from "../placeholders.js";
import { count, listing, orPass } from "./result.js";

interface Use {
  readonly dir: string;
  /** `the pidfile /var/run/x.pid`, `[program:api] stdout_logfile /logs/api.log`, … */
  readonly what: string;
  readonly where: string;
  readonly write: boolean;
  /** A chdir target rather than a parent directory. */
  readonly chdir: boolean;
  /** The file written in it, checked for writability when it exists. */
  readonly file: string | null;
}

function isRunDir(dir: string): boolean {
  return /^\/(var\/)?run\/./.test(dir);
}

export function checkPaths(d: Deployment, files: DoctorFiles, uid: number): Finding[] {
  const { config, places } = d;
  const s = config.supervisord;
  const uses: Use[] = [];
  const fileUse = (path: string, what: string, where: string) =>
    uses.push({
      dir: parentDir(path),
      what: `${what} ${path}`,
      where,
      write: true,
      chdir: false,
      file: path,
    });
  if (s.logfile !== "syslog")
    fileUse(s.logfile, "the daemon's logfile", places.option("supervisord", "logfile"));
  fileUse(s.pidfile, "the pidfile", places.option("supervisord", "pidfile"));
  for (const sock of socketDirectories(config)) {
    const server = config.servers.find((x) => x.section === sock.section);
    const file = server?.kind === "unix_http_server" ? server.file : sock.path;
    uses.push({
      dir: sock.path,
      what: `the control socket ${file}`,
      where: places.option(sock.section, "file"),
      write: true,
      chdir: false,
      file: null,
    });
  }
  if (s.directory !== null) {
    uses.push({
      dir: s.directory,
      what: "[supervisord] directory",
      where: places.option("supervisord", "directory"),
      write: false,
      chdir: true,
      file: null,
    });
  }
  let auto = false;
  for (const p of d.programs) {
    const c = p.config;
    if (c.directory !== null) {
      uses.push({
        dir: p.cwd,
        what: `[${p.section}] directory`,
        where: places.option(p.section, "directory"),
        write: false,
        chdir: true,
        file: null,
      });
    }
    for (const [channel, log] of [
      ["stdout", c.stdout.logfile],
      ["stderr", c.stderr.logfile],
    ] as const) {
      if (log.kind === "auto" && !(channel === "stderr" && c.redirect_stderr)) auto = true;
      if (log.kind !== "file" || log.path.startsWith("/dev/")) continue;
      const option = `${channel}_logfile`;
      fileUse(log.path, `[${p.section}] ${option}`, places.option(p.section, option));
    }
  }
  if (auto) {
    uses.push({
      dir: s.childlogdir,
      what: "childlogdir (AUTO child logs)",
      where: places.option("supervisord", "childlogdir"),
      write: true,
      chdir: false,
      file: null,
    });
  }

  const findings: Finding[] = [];
  const byDir = new Map<string, Use[]>();
  for (const u of uses) {
    if (hasPlaceholder(u.dir)) continue;
    byDir.set(u.dir, [...(byDir.get(u.dir) ?? []), u]);
  }
  const notWritable = uid === 0 ? "fail" : "warn";
  const who = uid === 0 ? "root" : `this user (uid ${uid}; stewardd may run as another)`;
  for (const [dir, list] of byDir) {
    const first = list[0]!;
    const whats = listing([...new Set(list.map((u) => u.what))]);
    const st = files.stat(dir);
    if (st === null) {
      const chdir = list.some((u) => u.chdir);
      findings.push({
        level: "fail",
        check: "paths",
        where: first.where,
        message: `${dir} does not exist: ${whats} ${chdir ? "cannot be entered" : "cannot be created"}${chdir ? " (the spawn fails)" : " (stewardd refuses to start)"}`,
        fix: `${list.every((u) => u.chdir) ? `install the program in ${dir}, or fix the path` : `mkdir -p ${dir}`}${isRunDir(dir) ? `; it is under /run, a tmpfs emptied at boot, so also let systemd create it (RuntimeDirectory= in the unit, or 'd ${dir} 0755 root root -' in /etc/tmpfiles.d/)` : ""}`,
      });
      continue;
    }
    if (st.kind !== "directory") {
      findings.push({
        level: "fail",
        check: "paths",
        where: first.where,
        message: `${dir} is not a directory: ${whats} cannot go there`,
        fix: `move it away and mkdir -p ${dir}, or fix the path`,
      });
      continue;
    }
    if (list.some((u) => u.write) && !files.canWrite(dir)) {
      findings.push({
        level: notWritable,
        check: "paths",
        where: first.where,
        message: `${dir} is not writable by ${who}: ${whats} cannot be written`,
        fix: `give the user stewardd runs as write access to ${dir} (chown or chmod)`,
      });
      continue;
    }
    for (const u of list) {
      if (u.file === null) continue;
      const f = files.stat(u.file);
      if (f !== null && (f.kind === "directory" || !files.canWrite(u.file))) {
        findings.push({
          level: f.kind === "directory" ? "fail" : notWritable,
          check: "paths",
          where: u.where,
          message:
            f.kind === "directory"
              ? `${u.file} is a directory: ${u.what} cannot be written`
              : `${u.file} exists and is not writable by ${who}`,
          fix: f.kind === "directory" ? "name a file, not a directory" : `chown or chmod ${u.file}`,
        });
      }
    }
  }
  return orPass(
    "paths",
    findings,
    config.file,
    `${count(byDir.size, "directory", "directories")} (program, log, pid and socket) exist${uses.some((u) => u.write) ? " and are writable where written" : ""}`,
  );
}
