/**
 * stewardctl: supervisorctl's command line (options, config search, `[supervisorctl]`), then one
 * command (its exit status) or the interactive shell (exit 0). IO shell around the commands.
 */
import { existsSync } from "node:fs";
import type { CliIo } from "../cli/io.js";
import { type CtlOptions, DEFAULT_CTL_OPTIONS, loadCtlConfig } from "../config/load-ctl.js";
import { findConfigFile } from "../config/search-path.js";
import { isConfigError } from "../errors.js";
import { STEWARD_VERSION } from "../version.js";
import { runLine } from "./dispatch.js";
import { parseCtlArgs } from "./options.js";
import { CtlSession, type SessionIo } from "./session.js";
import { InterruptHub, processSessionIo, type ShellState } from "./session-io.js";
import { runShell } from "./shell.js";

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
--json -- print status, avail, pid, start/stop/restart, deps and health results as JSON
--version -- print the stewardctl version and exit

action [arguments] -- see below

Actions are commands like "tail" or "stop".  If -i is specified or no action is
specified on the command line, a "shell" interpreting actions typed
interactively is started.  Use the action "help" to find out about available
actions.
`;

/** Overrides for tests: the session's IO (a fake server) and the shell's streams. */
export interface CtlMainHooks {
  readonly sessionIo?: SessionIo;
  readonly shellStreams?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; terminal: boolean };
}

function usage(io: CliIo, argv0: string, message: string): number {
  io.stderr(`Error: ${message}\nFor help, use ${argv0} -h\n`);
  return 2;
}

export async function ctlMain(
  args: string[],
  io: CliIo,
  argv0 = "stewardctl",
  hooks: CtlMainHooks = {},
): Promise<number> {
  const parsed = parseCtlArgs(args);
  if (parsed.kind === "help") {
    io.stdout(`${CTL_HELP.replace("%s", argv0)}\n`);
    return 0;
  }
  if (parsed.kind === "version") {
    io.stdout(`${STEWARD_VERSION}\n`);
    return 0;
  }
  if (parsed.kind === "usage") return usage(io, argv0, parsed.message);
  const a = parsed.args;
  let file = a.configfile;
  if (file === null) {
    const found = findConfigFile(argv0, (p) => existsSync(p));
    file = "file" in found ? found.file : null;
  }
  let config: CtlOptions = DEFAULT_CTL_OPTIONS;
  if (file !== null) {
    try {
      config = loadCtlConfig({ file, env: io.env, cwd: io.cwd });
    } catch (error) {
      if (isConfigError(error)) return usage(io, argv0, error.issues[0]?.message ?? error.message);
      throw error;
    }
  }
  const hub = new InterruptHub();
  const shell: ShellState = { rl: null, lines: null };
  const session = new CtlSession(
    {
      serverurl: a.serverurl ?? config.serverurl,
      username: a.username ?? config.username,
      password: a.password ?? config.password,
      prompt: config.prompt,
      history_file: config.history_file,
      interactive: a.interactive,
      json: a.json,
    },
    hooks.sessionIo ?? processSessionIo(io, hub, shell),
  );
  try {
    if (a.command !== null) {
      await runLine(session, a.command);
      return session.exitStatus;
    }
    const streams = hooks.shellStreams ?? {
      input: process.stdin,
      output: process.stdout,
      terminal: process.stdin.isTTY === true && process.stdout.isTTY === true,
    };
    await runShell(session, streams, hub, shell);
    return 0;
  } finally {
    session.close();
  }
}
