/**
 * What configuration loading needs to know about the machine: directories, users, groups, home
 * directories. An interface, so that the pure pipeline can run with or without host checks.
 */

export interface HostFacts {
  /** Whether `path` is an existing directory. */
  isDirectory(path: string): boolean;
  /** The uid for a user name, or null if there is no such user. */
  uidOfName(name: string): number | null;
  /** Whether a numeric uid exists in the user database. */
  uidExists(uid: number): boolean;
  /** The gid for a group name, or null if there is no such group. */
  gidOfName(name: string): number | null;
  /** Whether a numeric gid exists in the group database. */
  gidExists(gid: number): boolean;
  /** The home directory of `user`, or of the current user when `user` is empty; null if unknown. */
  homeOf(user: string): string | null;
}

/** Host facts that accept every directory and user: `--no-host-checks`. */
export function permissiveHost(base: Pick<HostFacts, "homeOf">): HostFacts {
  return {
    isDirectory: () => true,
    uidOfName: () => 65534,
    uidExists: () => true,
    gidOfName: () => 65534,
    gidExists: () => true,
    homeOf: (user) => base.homeOf(user),
  };
}
