/** Every ctl command by name, and `help`, which lists them as supervisorctl does. */
import type { Command } from "./commands/command.js";
import { add, avail, remove, reread, update } from "./commands/config-update.js";
import { fg } from "./commands/fg.js";
import { eof, exit, open, quit, reload, shutdown, version } from "./commands/lifecycle.js";
import { pid } from "./commands/pid.js";
import { clear, signal } from "./commands/signal-clear.js";
import { restart, start, stop } from "./commands/start-stop.js";
import { status } from "./commands/status.js";
import { deps, health, usage } from "./commands/steward.js";
import { maintail, tail } from "./commands/tail.js";
import { wait } from "./commands/wait.js";
import { columnize } from "./output.js";

const HELP_HELP = ["help\t\tPrint a list of available actions", "help <action>\tPrint help for <action>"];

export const help: Command = {
  name: "help",
  completes: "actions",
  help: HELP_HELP,
  async run(s, arg) {
    const topic = arg.trim();
    if (topic === "help") {
      for (const line of HELP_HELP) s.out(line);
      return;
    }
    if (topic !== "") {
      const command = COMMANDS.get(topic);
      if (command === undefined || command === eof) s.out(`*** No help on ${topic}`);
      else for (const line of command.help) s.out(line);
      return;
    }
    const header = "default commands (type help <topic>):";
    s.out("");
    s.out(header);
    s.out("=".repeat(header.length));
    for (const line of columnize(LISTED, 79)) s.out(line);
    s.out("");
  },
};

const ALL: readonly Command[] = [
  add,
  avail,
  clear,
  deps,
  eof,
  exit,
  fg,
  health,
  help,
  maintail,
  open,
  pid,
  quit,
  reload,
  remove,
  reread,
  restart,
  shutdown,
  signal,
  start,
  status,
  stop,
  tail,
  update,
  usage,
  version,
  wait,
];

export const COMMANDS: ReadonlyMap<string, Command> = new Map(ALL.map((c) => [c.name, c]));

/** The topics `help` lists: every command but `help` and `EOF`, sorted. */
const LISTED = ALL.filter((c) => c !== help && c !== eof)
  .map((c) => c.name)
  .sort();

/** The words the shell completes a command name from. */
export const VOCABULARY: readonly string[] = ["help", ...LISTED];
