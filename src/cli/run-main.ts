/**
 * The one place an entry point's unexpected failure is turned into a message and exit status 70
 * (EX_SOFTWARE) instead of a stack trace. `STEWARD_DEBUG=1` shows the stack.
 */
import { ignoreClosedStdout } from "./stdout.js";

export function runMain(
  name: string,
  main: () => number | Promise<number>,
  options: { daemon?: boolean } = {},
): void {
  // A daemon keeps running when whoever read its stdout goes away; a tool just stops.
  if (options.daemon) process.stdout.on("error", () => {});
  else ignoreClosedStdout();
  const fail = (error: unknown) => {
    const detail = process.env.STEWARD_DEBUG
      ? String((error as Error)?.stack ?? error)
      : String((error as Error)?.message ?? error);
    process.stderr.write(
      `${name}: internal error: ${detail}\nThis is a bug in Steward; please report it with the command that caused it.\n`,
    );
    process.exitCode = 70;
  };
  try {
    const result = main();
    if (typeof result === "number") process.exitCode = result;
    else result.then((code) => (process.exitCode = code), fail);
  } catch (error) {
    fail(error);
  }
}
