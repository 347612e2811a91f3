/**
 * What grafana-server will do by its `--config` file: listen on `[server] http_addr:http_port`
 * (default all interfaces, port 3000) and connect to `[database] host` (for mysql and postgres).
 * Command-line `cfg:section.key=value` and `GF_SECTION_KEY` variables override the file, as in
 * Grafana. Pure.
 */
import type { Env } from "./shell.js";

export interface IniEntry {
  readonly value: string;
  readonly line: number;
}

/** go-ini's dialect, as Grafana writes it: `[section]`, `key = value`, `#`/`;` comments, quotes. */
export function parseGrafanaIni(text: string): Map<string, Map<string, IniEntry>> {
  const sections = new Map<string, Map<string, IniEntry>>();
  let current = new Map<string, IniEntry>();
  sections.set("default", current);
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const section = /^\[([^\]]+)\]/.exec(line);
    if (section) {
      const name = section[1]!.trim().toLowerCase();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      return;
    }
    const eq = line.indexOf("=");
    if (eq < 0) return;
    const key = line.slice(0, eq).trim().toLowerCase();
    let value = line.slice(eq + 1).trim();
    const quoted = /^("""|"|`)([\s\S]*)\1$/.exec(value);
    if (quoted) value = quoted[2]!;
    current.set(key, { value, line: i + 1 });
  });
  return sections;
}

export interface GrafanaSetting {
  readonly value: string;
  /** `FILE:LINE [section] key`, `command line cfg:…`, `GF_… in the environment`, or `Grafana's default`. */
  readonly origin: string;
}

/** One setting: the command line's `cfg:`, then `GF_…`, then the file, then `fallback`. */
export function grafanaSetting(
  ini: Map<string, Map<string, IniEntry>> | null,
  file: string,
  args: readonly string[],
  env: Env,
  section: string,
  key: string,
  fallback: string,
): GrafanaSetting {
  const cfg = `cfg:${section}.${key}=`;
  const arg = args.findLast((a) => a.startsWith(cfg));
  if (arg !== undefined) return { value: arg.slice(cfg.length), origin: `the command line's ${arg}` };
  const gf = `GF_${section}_${key}`.toUpperCase().replace(/[.-]/g, "_");
  const fromEnv = env.get(gf);
  if (fromEnv?.value != null) return { value: fromEnv.value, origin: `${gf} (${fromEnv.origin})` };
  const entry = ini?.get(section)?.get(key);
  if (entry !== undefined) {
    const value = entry.value.replace(/\$__env\{(\w+)\}|\$\{(\w+)\}/g, (_m, a?: string, b?: string) => {
      return env.get((a ?? b)!)?.value ?? "";
    });
    return { value, origin: `${file}:${entry.line} [${section}] ${key}` };
  }
  return { value: fallback, origin: "Grafana's default" };
}

/** `host:port` of Grafana's `[database] host`; the default port by type. */
export function splitDatabaseHost(host: string, type: string): { host: string; port: number } | null {
  const defaultPort = type === "postgres" ? 5432 : 3306;
  if (host.startsWith("/")) return null;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  if (v6) return { host: v6[1]!, port: Number(v6[2] ?? defaultPort) };
  const colon = host.lastIndexOf(":");
  if (colon < 0) return host === "" ? null : { host, port: defaultPort };
  const port = host.slice(colon + 1);
  if (!/^\d+$/.test(port)) return null;
  return { host: host.slice(0, colon), port: Number(port) };
}
