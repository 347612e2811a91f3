/**
 * HostFacts for this machine: directories from the file system, users and groups from
 * /etc/passwd and /etc/group (the files `getpwnam`/`getgrnam` read on a host without other NSS
 * sources). IO.
 */
import { readFileSync, statSync } from "node:fs";
import type { HostFacts } from "./host.js";

interface Entry {
  readonly name: string;
  readonly id: number;
  readonly home: string;
  /** The primary group (passwd's fourth field); the group database's members for /etc/group. */
  readonly gid: number;
}

function readDatabase(path: string): Entry[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(":"))
    .filter((f) => f.length >= 3)
    .map((f) => ({ name: f[0]!, id: Number(f[2]), home: f[5] ?? "", gid: Number(f[3]) }));
}

export function systemHost(passwdPath = "/etc/passwd", groupPath = "/etc/group"): HostFacts {
  let users: Entry[] | undefined;
  let groups: Entry[] | undefined;
  const userDb = () => (users ??= readDatabase(passwdPath));
  const groupDb = () => (groups ??= readDatabase(groupPath));
  return {
    isDirectory(path) {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    },
    uidOfName: (name) => userDb().find((u) => u.name === name)?.id ?? null,
    uidExists: (uid) => userDb().some((u) => u.id === uid),
    gidOfName: (name) => groupDb().find((g) => g.name === name)?.id ?? null,
    gidExists: (gid) => groupDb().some((g) => g.id === gid),
    homeOf(user) {
      if (user === "") {
        const uid = process.getuid?.() ?? -1;
        return userDb().find((u) => u.id === uid)?.home ?? null;
      }
      return userDb().find((u) => u.name === user)?.home ?? null;
    },
  };
}

/** The primary gid of `uid` from /etc/passwd, or null. */
export function primaryGidOf(uid: number, passwdPath = "/etc/passwd"): number | null {
  return readDatabase(passwdPath).find((u) => u.id === uid)?.gid ?? null;
}
