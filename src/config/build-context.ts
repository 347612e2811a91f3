/** What the pure build steps know about the world they load a config for. */
import type { HostFacts } from "./host.js";

export interface BuildContext {
  /** The environment `ENV_*` names come from. */
  readonly env: ReadonlyMap<string, string>;
  /** Relative paths resolve against this directory. */
  readonly cwd: string;
  /** `host_node_name`. */
  readonly hostname: string;
  /** Default `childlogdir` (Python's `tempfile.gettempdir()`). */
  readonly tempdir: string;
  readonly host: HostFacts;
  /** The main config file as given, and the absolute directory it is in (`%(here)s`). */
  readonly configFile: string;
  readonly here: string;
}
