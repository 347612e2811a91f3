/** The streams a command-line entry point writes to; injected so tests can run commands in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: ReadonlyMap<string, string>;
  readonly cwd: string;
}

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: new Map(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
    cwd: process.cwd(),
  };
}
