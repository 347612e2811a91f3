/**
 * stewardctl's entry point. This release has the command line (help, version); the commands
 * that talk to the daemon arrive with the control-plane issue, and stewardctl says so.
 */
import type { CliIo } from "../cli/io.js";
import { STEWARD_VERSION } from "../version.js";

export const CTL_HELP = `stewardctl -- control applications run by stewardd or supervisord from the cmd line.

Usage: %s [options] [action [arguments]]

Options:
-c/--configuration FILENAME -- configuration file path (searches if not given)
-h/--help -- print usage message and exit
-i/--interactive -- start an interactive shell after executing commands
-s/--serverurl URL -- URL on which supervisord server is listening
     (default "http://localhost:9001").
-u/--username USERNAME -- username to use for authentication with server
-p/--password PASSWORD -- password to use for authentication with server
-r/--history-file -- keep a readline history (if readline is available)
--version -- print the stewardctl version and exit

action [arguments] -- see below

Actions are commands like "tail" or "stop".  If -i is specified or no action is
specified on the command line, a "shell" interpreting actions typed
interactively is started.  Use the action "help" to find out about available
actions.
`;

export function ctlMain(args: string[], io: CliIo, argv0 = "stewardctl"): number {
  if (args.includes("-h") || args.includes("--help") || args.includes("-?")) {
    io.stdout(CTL_HELP.replace("%s", argv0));
    return 0;
  }
  if (args.includes("--version")) {
    io.stdout(`${STEWARD_VERSION}\n`);
    return 0;
  }
  io.stderr("stewardctl: the control client is not built yet (see issue #4); use supervisorctl meanwhile.\n");
  return 2;
}
