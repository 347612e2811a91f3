/** The corpus entries and the environment each needs (see test/reference/dump-corpus.sh). */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Entry {
  readonly id: string;
  /** Absolute path of the main config file. */
  readonly file: string;
  /** PATH, HOME and the entry's .env variables: exactly what the reference dumper runs with. */
  readonly env: ReadonlyMap<string, string>;
  /** False when a NAME.args file asks for host checks (an empty one); true by default. */
  readonly noHostChecks: boolean;
}

export function readEnvFile(path: string): Map<string, string> {
  const env = new Map<string, string>();
  if (!existsSync(path)) return env;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    env.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return env;
}

/** Entries of a directory laid out like the corpus: NAME.conf files and NAME/supervisord.conf trees. */
export function listEntries(dir: string, filter: (name: string) => boolean = () => true): Entry[] {
  const entries: Entry[] = [];
  for (const name of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!filter(name.name) || name.name.endsWith(".env")) continue;
    let id: string;
    let file: string;
    if (name.isFile() && name.name.endsWith(".conf")) {
      id = name.name.slice(0, -5);
      file = join(dir, name.name);
    } else if (name.isDirectory() && existsSync(join(dir, name.name, "supervisord.conf"))) {
      id = name.name;
      file = join(dir, name.name, "supervisord.conf");
    } else continue;
    const env = new Map([
      ["PATH", "/usr/bin:/bin"],
      ["HOME", "/root"],
      ...readEnvFile(join(dir, `${id}.env`)),
    ]);
    const argsFile = join(dir, `${id}.args`);
    const noHostChecks = existsSync(argsFile)
      ? readFileSync(argsFile, "utf8").includes("--no-host-checks")
      : true;
    entries.push({ id, file, env, noHostChecks });
  }
  return entries;
}
