/**
 * `steward render` from a parsed request to an exit status, with the file system injected (RenderIo):
 * variables in order of precedence, every input checked before anything is written, one pass of
 * substitution per template, then the report, the dry-run text or the atomic writes.
 */
import { type Binding, readEnvFile } from "./env-file.js";
import { RenderInputError } from "./errors.js";
import { substitute } from "./placeholders.js";
import { formatCheckReport, formatUndefined, type RenderedTemplate, undefinedNames } from "./report.js";
import { targetPath } from "./target.js";

export const RENDER_OK = 0;
export const RENDER_UNDEFINED = 1;
export const RENDER_BAD_INPUT = 2;

export interface RenderRequest {
  /** The install root, absolute. */
  readonly prefix: string;
  readonly module: string | undefined;
  /** `-e` files, read in order. */
  readonly envFiles: readonly string[];
  /** `-f` files, read in order after every `-e` file. */
  readonly extraEnvFiles: readonly string[];
  /** `-E KEY=VALUE`, in order; a later one wins. */
  readonly extraEnv: readonly (readonly [string, string])[];
  readonly check: boolean;
  readonly undefinedEmpty: boolean;
  readonly dryRun: boolean;
  /** Template paths as given. */
  readonly templates: readonly string[];
}

export interface TemplateFile {
  readonly bytes: Uint8Array;
  /** The permission bits (0o777) the rendered file gets. */
  readonly mode: number;
}

/** What render does to the world. The file methods throw RenderInputError with a message to show. */
export interface RenderIo {
  readonly env: ReadonlyMap<string, string>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readEnvFile(path: string): string;
  readTemplate(path: string): TemplateFile;
  /** Writes `bytes` to `target` atomically with permission bits `mode`, creating directories. */
  writeFile(target: string, bytes: Uint8Array, mode: number): void;
}

const PREFIX = "steward render";

/**
 * The variables placeholders are resolved from: the environment, then each `-e` and `-f` file in order,
 * with the `-E` values set first and pinned, so they win and env files' `${NAME}` sees them.
 */
export function loadVariables(
  request: Pick<RenderRequest, "envFiles" | "extraEnvFiles" | "extraEnv">,
  io: Pick<RenderIo, "env" | "readEnvFile">,
): { variables: Map<string, Binding>; warnings: string[] } {
  let variables = new Map<string, Binding>();
  for (const [name, value] of io.env) variables.set(name, { value, source: { kind: "environment" } });
  for (const [name, value] of request.extraEnv) variables.set(name, { value, source: { kind: "option" } });
  const pinned = new Set(request.extraEnv.map(([name]) => name));
  const warnings: string[] = [];
  for (const file of [...request.envFiles, ...request.extraEnvFiles]) {
    const result = readEnvFile(io.readEnvFile(file), file, variables, pinned);
    variables = result.variables;
    warnings.push(...result.warnings);
  }
  return { variables, warnings };
}

/** A string's UTF-8 bytes, one per character, to splice into a template held the same way. */
function utf8AsBinary(value: string): string {
  return Buffer.from(value, "utf8").toString("latin1");
}

interface Prepared {
  readonly template: string;
  readonly target: string;
  readonly file: TemplateFile;
}

/** Reads every template and finds its target; every problem found is returned, nothing is written. */
function prepare(request: RenderRequest, io: RenderIo): { prepared: Prepared[]; errors: string[] } {
  const prepared: Prepared[] = [];
  const errors: string[] = [];
  const seen = new Map<string, string>();
  for (const template of request.templates) {
    const where = targetPath(template, request.prefix, request.module);
    let file: TemplateFile;
    try {
      file = io.readTemplate(template);
    } catch (error) {
      if (!(error instanceof RenderInputError)) throw error;
      errors.push(error.describe());
      continue;
    }
    if ("error" in where) {
      errors.push(`${template}: ${where.error}`);
      continue;
    }
    const other = seen.get(where.target);
    if (other !== undefined) {
      errors.push(`${template} and ${other} would both be written to ${where.target}`);
      continue;
    }
    seen.set(where.target, template);
    prepared.push({ template, target: where.target, file });
  }
  return { prepared, errors };
}

export function runRender(request: RenderRequest, io: RenderIo): number {
  let loaded: ReturnType<typeof loadVariables>;
  try {
    loaded = loadVariables(request, io);
  } catch (error) {
    if (!(error instanceof RenderInputError)) throw error;
    io.stderr(`${PREFIX}: ${error.describe()}\n`);
    return RENDER_BAD_INPUT;
  }
  const { variables, warnings } = loaded;
  for (const warning of warnings) io.stderr(`${PREFIX}: warning: ${warning}\n`);

  const { prepared, errors } = prepare(request, io);
  if (errors.length > 0) {
    for (const error of errors) io.stderr(`${PREFIX}: ${error}\n`);
    io.stderr(`${PREFIX}: nothing was written\n`);
    return RENDER_BAD_INPUT;
  }

  const resolve = (name: string): string | undefined => {
    const binding = variables.get(name);
    if (binding !== undefined) return utf8AsBinary(binding.value);
    return request.undefinedEmpty ? "" : undefined;
  };
  const rendered: (RenderedTemplate & { bytes: Uint8Array; mode: number })[] = prepared.map((p) => {
    const result = substitute(Buffer.from(p.file.bytes).toString("latin1"), resolve);
    return {
      template: p.template,
      target: p.target,
      occurrences: result.occurrences,
      bytes: Buffer.from(result.text, "latin1"),
      mode: p.file.mode,
    };
  });

  let status = RENDER_OK;
  if (request.check) {
    io.stdout(formatCheckReport(rendered, variables, request.undefinedEmpty));
  } else if (request.dryRun) {
    rendered.forEach((r, i) => {
      if (rendered.length > 1) io.stdout(`${i === 0 ? "" : "\n"}==> ${r.target} <==\n`);
      io.stdout(Buffer.from(r.bytes).toString("utf8"));
    });
  } else {
    for (const r of rendered) {
      try {
        io.writeFile(r.target, r.bytes, r.mode);
        io.stdout(`${r.template} -> ${r.target}\n`);
      } catch (error) {
        if (!(error instanceof RenderInputError)) throw error;
        io.stderr(`${PREFIX}: ${error.describe()}\n`);
        status = RENDER_BAD_INPUT;
      }
    }
  }

  if (request.undefinedEmpty) return status;
  const missing = undefinedNames(rendered, variables);
  if (missing.length === 0) return status;
  io.stderr(formatUndefined(rendered, variables));
  const names = missing.map((n) => `__${n}__`).join(", ");
  io.stderr(
    `${PREFIX}: ${missing.length === 1 ? "1 variable is" : `${missing.length} variables are`} not defined: ` +
      `${names}${request.check ? "" : " (left in place)"}\n` +
      `  define ${missing.length === 1 ? "it" : "them"} with -e, -f, -E or in the environment, or use -u to replace ${missing.length === 1 ? "it" : "them"} with ""\n`,
  );
  return status === RENDER_OK ? RENDER_UNDEFINED : status;
}
