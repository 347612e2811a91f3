/** `[supervisord] user=`: dropping the daemon's privileges at start-up, as supervisord does. IO. */
import { toUid } from "../config/convert.js";
import { primaryGidOf, systemHost } from "../config/host-system.js";

export type DropResult =
  | { readonly message?: string; readonly rootWarning?: string }
  | { readonly error: string };

const ROOT_WARNING =
  "Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.";

/** Switches to `user` (uid, primary gid, supplementary groups) when running as root. */
export function dropPrivileges(user: string | null): DropResult {
  const current = process.getuid?.() ?? -1;
  if (user === null) return current === 0 ? { rootWarning: ROOT_WARNING } : {};
  const host = systemHost();
  let uid: number;
  try {
    uid = toUid(user, host);
  } catch (error) {
    return { error: (error as Error).message.replace("Invalid user name", "Can't find username") };
  }
  if (uid === current) return {};
  if (current !== 0) return { error: "Can't drop privilege as nonroot user" };
  const gid = primaryGidOf(uid);
  if (gid === null) return { error: `Can't find username ${user}` };
  try {
    (process as unknown as { initgroups(user: string | number, gid: number): void }).initgroups(
      Number.isNaN(Number(user)) ? user : uid,
      gid,
    );
  } catch {
    return { error: "Could not set groups of effective user" };
  }
  try {
    process.setgid?.(gid);
  } catch {
    return { error: "Could not set group id of effective user" };
  }
  process.setuid?.(uid);
  return { message: `Set uid to user ${uid} succeeded` };
}
