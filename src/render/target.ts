/**
 * Where render_tpl puts a template: `#` in its name stands for `/`; a name that starts with `#` lands
 * under the prefix, any other under `prefix/module/`; a trailing `.tpl` is dropped. Pure.
 */
import { posix } from "node:path";

export type TargetResult = { readonly target: string } | { readonly error: string };

/** The file name part of a template path (the directories it is read from do not matter). */
export function templateName(templatePath: string): string {
  return posix.basename(templatePath);
}

/** Whether the template lands under `prefix/module/` and so needs `-m`. */
export function needsModule(templatePath: string): boolean {
  return !templateName(templatePath).startsWith("#");
}

function badComponent(parts: readonly string[]): boolean {
  return parts.some((p) => p === "" || p === "." || p === "..");
}

/** The target of `templatePath` under the absolute `prefix`, or why there is none. */
export function targetPath(templatePath: string, prefix: string, module: string | undefined): TargetResult {
  const name = templateName(templatePath);
  const bare = name.endsWith(".tpl") ? name.slice(0, -".tpl".length) : name;
  const underPrefix = bare.startsWith("#");
  const parts = (underPrefix ? bare.slice(1) : bare).split("#");
  if (badComponent(parts)) {
    return {
      error: `the name maps to '${parts.join("/")}', which has an empty, '.' or '..' part: not a file under the prefix`,
    };
  }
  if (underPrefix) return { target: posix.join(prefix, ...parts) };
  if (module === undefined) {
    return { error: "a name that does not start with '#' lands under PREFIX/MODULE/: give -m MODULE" };
  }
  const moduleParts = module.split("/").filter((p) => p !== "");
  if (moduleParts.length === 0 || badComponent(moduleParts)) {
    return { error: `module '${module}' is not a directory name under the prefix` };
  }
  return { target: posix.join(prefix, ...moduleParts, ...parts) };
}
