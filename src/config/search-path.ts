/**
 * Where supervisord looks for its config when `-c` is not given. Pure: the caller says which
 * paths exist.
 */
import { dirname, join } from "./py-path.js";

/** The six candidates, in order; `argv0` is the program's path (its grandparent is searched first). */
export function configSearchPaths(argv0: string): string[] {
  const here = dirname(dirname(argv0));
  return [
    join(here, "etc/supervisord.conf"),
    join(here, "supervisord.conf"),
    "supervisord.conf",
    "etc/supervisord.conf",
    "/etc/supervisord.conf",
    "/etc/supervisor/supervisord.conf",
  ];
}

/** The first existing candidate, or the error supervisord prints when there is none. */
export function findConfigFile(
  argv0: string,
  exists: (path: string) => boolean,
): { file: string } | { error: string } {
  const paths = configSearchPaths(argv0);
  const found = paths.find(exists);
  if (found !== undefined) return { file: found };
  return {
    error: `No config file found at default paths (${paths.join(", ")}); use the -c option to specify a config file at a different path`,
  };
}
