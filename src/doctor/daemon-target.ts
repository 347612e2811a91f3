/** Where to ask the running daemon: `[supervisorctl]` as stewardctl reads it, else the config's own server. Pure. */
import type { CtlOptions } from "../config/load-ctl.js";
import type { Config } from "../config/types.js";
import type { DaemonTarget } from "./facts.js";

const DEFAULT_SERVERURL = "http://localhost:9001";

export function daemonTarget(config: Config, ctl: CtlOptions | null): DaemonTarget | null {
  const server = config.servers.find((s) => s.kind === "unix_http_server") ?? config.servers.at(-1);
  // A cleartext password can be sent; a {SHA} one cannot.
  const serverPassword = server?.password?.startsWith("{SHA}") ? null : (server?.password ?? null);
  const serverurl =
    ctl !== null && (ctl.serverurl !== DEFAULT_SERVERURL || config.serverurl === null)
      ? ctl.serverurl
      : config.serverurl;
  if (serverurl === null) return null;
  return {
    serverurl,
    username: ctl?.username ?? server?.username ?? null,
    password: ctl?.password ?? serverPassword,
  };
}
