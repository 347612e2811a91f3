/**
 * The real `SessionIo`: an `RpcClient` per server URL, questions on the terminal (a shell's
 * readline when one runs), Ctrl-C routed to the innermost command that asked for it. IO.
 */
import { createInterface, type Interface } from "node:readline";
import { Writable } from "node:stream";
import type { CliIo } from "../cli/io.js";
import { RpcClient } from "../rpc/client.js";
import { LineQueue } from "./line-queue.js";
import type { LineSource, SessionIo } from "./session.js";

/** The shell while it runs: its readline (for questions) and the lines it reads. */
export interface ShellState {
  rl: Interface | null;
  lines: LineQueue | null;
}

export class InterruptHub {
  readonly #handlers: (() => void)[] = [];
  readonly #onSignal = () => {
    this.fire();
  };

  /** Registers a Ctrl-C handler; while one is registered, SIGINT does not kill the process. */
  on(handler: () => void): () => void {
    this.#handlers.push(handler);
    if (this.#handlers.length === 1) process.on("SIGINT", this.#onSignal);
    return () => {
      const i = this.#handlers.lastIndexOf(handler);
      if (i >= 0) this.#handlers.splice(i, 1);
      if (this.#handlers.length === 0) process.off("SIGINT", this.#onSignal);
    };
  }

  /** Calls the innermost handler; false when there is none. */
  fire(): boolean {
    const handler = this.#handlers[this.#handlers.length - 1];
    handler?.();
    return handler !== undefined;
  }
}

/** Asks on stdin/stdout; `secret` hides what is typed. */
function askTerminal(question: string, secret: boolean, rl: Interface | null): Promise<string> {
  if (rl && !secret) return new Promise((resolve) => rl.question(question, resolve));
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  rl?.pause();
  const temp = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY === true });
  return new Promise((resolve) => {
    temp.question(question, (answer) => {
      temp.close();
      if (secret) process.stdout.write("\n");
      rl?.resume();
      resolve(answer);
    });
    muted = secret;
    temp.once("close", () => resolve(""));
  });
}

/**
 * Lines typed on stdin: the shell's own queue while it runs (with an empty prompt, as raw_input()
 * reads), else a reader of its own on stdin, closed with the source. Not a terminal interface: the
 * terminal keeps its line editing and echo, and Ctrl-C stays a signal (see InterruptHub).
 */
function stdinLines(shell: ShellState): LineSource {
  if (shell.rl && shell.lines) {
    const queue = shell.lines;
    shell.rl.setPrompt("");
    return { next: () => queue.next(), close: () => queue.cancel() };
  }
  const rl = createInterface({ input: process.stdin, terminal: false });
  const queue = new LineQueue(rl);
  return {
    next: () => queue.next(),
    close: () => {
      queue.cancel();
      rl.close();
      // A paused pipe or terminal is still read and would keep stewardctl alive: let it exit.
      (process.stdin as { unref?: () => void }).unref?.();
    },
  };
}

export function processSessionIo(io: CliIo, hub: InterruptHub, shell: ShellState): SessionIo {
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    connect: (o) =>
      new RpcClient({
        serverurl: o.serverurl,
        username: o.username,
        password: o.password,
        userAgent: "stewardctl",
      }),
    ask: (question, secret = false) => askTerminal(question, secret, shell.rl),
    onInterrupt: (handler) => hub.on(handler),
    lines: () => stdinLines(shell),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
  };
}
