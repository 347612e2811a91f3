/**
 * Process groups, built as supervisord's `process_groups_from_parser` does: `[group:x]` first, then
 * `[program:x]`, `[eventlistener:x]` and `[fcgi-program:x]` sections not claimed by a group, all
 * sorted by (priority, name). Pure.
 */
import type { BuildContext } from "./build-context.js";
import { buildProcesses, sortProcesses } from "./build-process.js";
import {
  ConversionError,
  rewrap,
  toBoolean,
  toInteger,
  toName,
  toOctal,
  toPortNumber,
  toStringList,
  toUid,
  toUserGroup,
} from "./convert.js";
import { KNOWN_EVENT_TYPES, RESOLVABLE_RESULT_HANDLERS } from "./events.js";
import { sectionNames } from "./ini.js";
import { normpath } from "./py-path.js";
import { pyReprList } from "./py-text.js";
import type { OptionReader } from "./reader.js";
import { SCHEMA } from "./schema.js";
import type { FcgiSocket, GroupConfig, ProcessConfig } from "./types.js";

const afterColon = (section: string) => section.slice(section.indexOf(":") + 1);

export function buildGroups(reader: OptionReader, ctx: BuildContext, warnings: string[]): GroupConfig[] {
  const sections = sectionNames(reader.doc);
  const here = new Map([["here", ctx.here]]);
  const groups: GroupConfig[] = [];
  const claimed = new Set<string>();
  const nameOf = (section: string) =>
    reader.attempt(
      () => toName(afterColon(section)),
      null,
      section,
      undefined,
      undefined,
      "use a name without spaces, ':' or '/'",
    );

  for (const section of sections.filter((s) => s.startsWith("group:"))) {
    const name = nameOf(section);
    if (name === null) continue;
    const programs = reader.convert(SCHEMA.group, section, "programs", toStringList, [], {
      extra: here,
      fallback: null,
    });
    const priority = reader.convert(SCHEMA.group, section, "priority", toInteger, 999, { extra: here });
    const processes: ProcessConfig[] = [];
    const origin = reader.get(section, "programs", null, undefined, false).origin;
    for (const program of programs) {
      const asProgram = `program:${program}`;
      const asFcgi = `fcgi-program:${program}`;
      const hasProgram = sections.includes(asProgram);
      const hasFcgi = sections.includes(asFcgi);
      if (!hasProgram && !hasFcgi) {
        reader.report(
          `[${section}] names unknown program or fcgi-program ${program}`,
          section,
          "programs",
          origin,
          `add a [program:${program}] section or remove ${program} from programs`,
        );
        break;
      }
      if (hasProgram && hasFcgi) {
        reader.report(
          `[${section}] name ${program} is ambiguous (exists as program and fcgi-program)`,
          section,
          "programs",
          origin,
          "rename one of the two sections",
        );
        break;
      }
      const member = hasProgram ? asProgram : asFcgi;
      claimed.add(member);
      processes.push(...buildProcesses(reader, ctx, member, name, warnings));
    }
    groups.push({ kind: "group", name, priority, processes });
  }

  for (const section of sections.filter((s) => s.startsWith("program:") && !claimed.has(s))) {
    const name = nameOf(section);
    if (name === null) continue;
    const priority = reader.convert(SCHEMA.program, section, "priority", toInteger, 999, { extra: here });
    groups.push({
      kind: "program",
      name,
      priority,
      processes: buildProcesses(reader, ctx, section, name, warnings),
    });
  }

  for (const section of sections.filter((s) => s.startsWith("eventlistener:"))) {
    groups.push(buildEventListenerPool(reader, ctx, section, warnings));
  }

  for (const section of sections.filter((s) => s.startsWith("fcgi-program:") && !claimed.has(s))) {
    const group = buildFcgiGroup(reader, ctx, section, warnings);
    if (group) groups.push(group);
  }
  return sortProcesses(groups);
}

function buildEventListenerPool(
  reader: OptionReader,
  ctx: BuildContext,
  section: string,
  warnings: string[],
): GroupConfig {
  const spec = SCHEMA.eventlistener;
  const here = new Map([["here", ctx.here]]);
  const name = afterColon(section);
  const priority = reader.convert(SCHEMA.program, section, "priority", toInteger, -1, {
    extra: here,
    fallback: "-1",
  });
  const bufferRead = reader.get(section, "buffer_size", null, undefined, false);
  const buffer_size = reader.convert(spec, section, "buffer_size", toInteger, 10, { extra: here });
  if (buffer_size < 1) {
    reader.report(
      `[${section}] section sets invalid buffer_size (${buffer_size})`,
      section,
      "buffer_size",
      bufferRead.origin,
      "set buffer_size to 1 or more",
    );
  }
  const handlerRead = reader.get(section, "result_handler", "supervisor.dispatchers:default_handler", here);
  const result_handler = handlerRead.value ?? "supervisor.dispatchers:default_handler";
  if (!RESOLVABLE_RESULT_HANDLERS.has(result_handler)) {
    reader.report(
      `${result_handler} cannot be resolved within [${section}]`,
      section,
      "result_handler",
      handlerRead.origin,
      "remove result_handler: Steward supports only the default handler",
    );
  }
  const eventsRead = reader.get(section, "events", "", here);
  const events = [...new Set(toStringList(eventsRead.value ?? "").map((e) => e.toUpperCase()))];
  if (events.length === 0) {
    reader.report(
      `[${section}] section requires an "events" line`,
      section,
      "events",
      undefined,
      "add events = PROCESS_STATE (or the event types the listener handles)",
    );
  }
  const unknown = events.find((e) => !KNOWN_EVENT_TYPES.has(e));
  if (unknown !== undefined) {
    reader.report(
      `Unknown event type ${unknown} in [${section}] events`,
      section,
      "events",
      eventsRead.origin,
      `known types: ${[...KNOWN_EVENT_TYPES].join(", ")}`,
    );
  }
  const redirect = reader.convert(SCHEMA.program, section, "redirect_stderr", toBoolean, false, {
    extra: here,
  });
  if (redirect) {
    const origin = reader.get(section, "redirect_stderr", null, undefined, false).origin;
    reader.report(
      `[${section}] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol`,
      section,
      "redirect_stderr",
      origin,
      "remove redirect_stderr from the event listener",
    );
  }
  const processes = buildProcesses(reader, ctx, section, name, warnings);
  return {
    kind: "eventlistener",
    name,
    priority,
    processes,
    buffer_size,
    events: events.sort(),
    result_handler,
  };
}

function buildFcgiGroup(
  reader: OptionReader,
  ctx: BuildContext,
  section: string,
  warnings: string[],
): GroupConfig | null {
  const spec = SCHEMA.fcgiProgram;
  const here = new Map([["here", ctx.here]]);
  const name = reader.attempt(
    () => toName(afterColon(section)),
    null,
    section,
    undefined,
    undefined,
    "use a name without spaces, ':' or '/'",
  );
  if (name === null) return null;
  const priority = reader.convert(SCHEMA.program, section, "priority", toInteger, 999, { extra: here });
  const userRead = reader.get(section, "user", null, here);
  const user = userRead.value;
  if (user !== null)
    reader.attempt(
      () => toUid(user, ctx.host),
      0,
      section,
      "user",
      userRead.origin,
      "write a user that exists on this host",
    );
  const backlogRead = reader.get(section, "socket_backlog", null, here);
  let socket_backlog: number | null = null;
  if (backlogRead.value !== null) {
    const text = backlogRead.value;
    socket_backlog = reader.attempt(
      () => {
        const n = toInteger(text);
        if (n < 1 || n > 65535) throw new ConversionError(`Invalid socket_backlog value ${n}`);
        return n;
      },
      null,
      section,
      "socket_backlog",
      backlogRead.origin,
      "write a number from 1 to 65535",
    );
  }
  const ownerRead = reader.get(section, "socket_owner", null, here);
  const owner = ownerRead.value;
  if (owner !== null)
    reader.attempt(
      () => rewrap(() => toUserGroup(owner, ctx.host), `Invalid socket_owner value ${owner}`),
      null,
      section,
      "socket_owner",
      ownerRead.origin,
      "write user or user:group",
    );
  const modeRead = reader.get(section, "socket_mode", null, here);
  const modeText = modeRead.value;
  const mode =
    modeText === null
      ? null
      : reader.attempt(
          () => rewrap(() => toOctal(modeText), `Invalid socket_mode value ${modeText}`),
          null,
          section,
          "socket_mode",
          modeRead.origin,
          "write an octal mode such as 0700",
        );
  const socketRead = reader.get(section, "socket", null, new Map([...here, ["program_name", name]]));
  const socketText = socketRead.value;
  let socket: FcgiSocket = { kind: "tcp", host: "", port: 0 };
  if (!socketText) {
    if (socketRead.origin === undefined || socketText === "") {
      reader.report(
        `[${section}] section requires a "socket" line`,
        section,
        "socket",
        socketRead.origin,
        "add socket = unix:///run/x.sock or tcp://127.0.0.1:9000",
      );
    }
  } else {
    const parsed = parseFcgiSocket(socketText, user, owner, mode);
    if (typeof parsed === "string") {
      reader.report(
        `${parsed} in [${section}] socket`,
        section,
        "socket",
        socketRead.origin,
        spec.options[0]!.doc,
      );
    } else socket = parsed;
  }
  const processes = buildProcesses(reader, ctx, section, name, warnings);
  return { kind: "fcgi-program", name, priority, processes, socket, socket_backlog };
}

/** supervisord's `parse_fcgi_socket`; a string is its error message (rendered as it renders it). */
function parseFcgiSocket(
  text: string,
  user: string | null,
  owner: string | null,
  mode: number | null,
): FcgiSocket | string {
  if (text.startsWith("unix://")) {
    const path = text.slice(7);
    if (!path.startsWith("/"))
      return `(${pyReprList(["Unix socket path %s is not an absolute path", path]).slice(1, -1)})`;
    const inheritedOwner = owner === null && user !== null && user !== "root" && user !== "0" ? user : owner;
    return { kind: "unix", path: normpath(path), mode: mode ?? 0o700, owner: inheritedOwner };
  }
  if (owner !== null || mode !== null)
    return "socket_owner and socket_mode params should only be used with a Unix domain socket";
  const m = /^tcp:\/\/([^\s:]+):(\d+)$/.exec(text);
  if (m) {
    try {
      return { kind: "tcp", host: m[1]!.toLowerCase(), port: toPortNumber(m[2]!) };
    } catch (error) {
      return (error as Error).message;
    }
  }
  return `(${pyReprList(["Bad socket format %s", text]).slice(1, -1)})`;
}
