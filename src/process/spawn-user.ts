/**
 * `user=` for a child: supervisord's `drop_privileges` decision (pure) and the /etc/passwd lookup it uses.
 */
import { readFileSync } from "node:fs";
import { pyInt, pyRepr } from "../config/py-text.js";

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export interface UserLookup {
  byName(name: string): PasswdEntry | null;
  byUid(uid: number): PasswdEntry | null;
}

export type UserPlan =
  | { readonly kind: "keep" }
  | { readonly kind: "switch"; readonly uid: number; readonly gid: number }
  /** The line supervisord's child writes (after `supervisor: `) before giving up. */
  | { readonly kind: "fail"; readonly message: string };

/**
 * supervisord's `drop_privileges` in the child: the current uid → nothing to do; not root → refused
 * (supervisord does not ignore `user=` then); root → that uid, its primary gid and its groups.
 */
export function planUser(user: string | null, currentUid: number, users: UserLookup): UserPlan {
  if (user === null) return { kind: "keep" };
  const fail = (who: string | number, why: string): UserPlan => ({
    kind: "fail",
    message: `couldn't setuid to ${who}: ${why}`,
  });
  const uid = pyInt(user);
  const entry = uid === null ? users.byName(user) : users.byUid(uid);
  if (entry === null)
    return uid === null
      ? fail(user, `Can't find username ${pyRepr(user)}`)
      : fail(uid, `Can't find uid ${uid}`);
  if (entry.uid === currentUid) return { kind: "keep" };
  if (currentUid !== 0) return fail(entry.uid, "Can't drop privilege as nonroot user");
  return { kind: "switch", uid: entry.uid, gid: entry.gid };
}

/** Users from /etc/passwd, read at each call (what `getpwnam` sees at spawn time on a files-only host). */
export function systemUsers(path = "/etc/passwd"): UserLookup {
  const entries = (): PasswdEntry[] => {
    let text = "";
    try {
      text = readFileSync(path, "utf8");
    } catch {
      return [];
    }
    return text
      .split("\n")
      .map((line) => line.split(":"))
      .filter((f) => f.length >= 4 && !f[0]!.startsWith("#"))
      .map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]) }));
  };
  return {
    byName: (name) => entries().find((e) => e.name === name) ?? null,
    byUid: (uid) => entries().find((e) => e.uid === uid) ?? null,
  };
}
