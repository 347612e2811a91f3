/** `[inet_http_server*]` and `[unix_http_server*]` → ServerConfig, inet first, as supervisord does. Pure. */
import type { BuildContext } from "./build-context.js";
import { rewrap, toBoolean, toInetAddress, toOctal, toUserGroup } from "./convert.js";
import { sectionNames } from "./ini.js";
import { normalizePath } from "./py-path.js";
import { pyStrip } from "./py-text.js";
import type { OptionReader } from "./reader.js";
import { SCHEMA } from "./schema.js";
import type { InetServerConfig, ServerConfig, UnixServerConfig } from "./types.js";

function serverName(section: string): string | null {
  const colon = section.indexOf(":");
  return colon < 0 ? null : section.slice(colon + 1);
}

function credentials(
  reader: OptionReader,
  section: string,
): { username: string | null; password: string | null } {
  const username = reader.get(section, "username", null);
  const password = reader.get(section, "password", null);
  if ((username.origin !== undefined) !== (password.origin !== undefined)) {
    reader.report(
      `Section [${section}] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified`,
      section,
      username.origin ? "password" : "username",
      username.origin ?? password.origin,
      "set both username and password, or neither",
    );
  }
  return { username: username.value, password: password.value };
}

export function buildServers(reader: OptionReader, ctx: BuildContext): ServerConfig[] {
  const sections = sectionNames(reader.doc);
  const inet: InetServerConfig[] = [];
  for (const section of sections.filter((s) => s.startsWith("inet_http_server"))) {
    const auth = credentials(reader, section);
    const port = reader.get(section, "port", null);
    let address = { host: "", port: 0 };
    if (port.origin === undefined) {
      reader.report(
        `section [${section}] has no port value`,
        section,
        "port",
        undefined,
        "add port = 127.0.0.1:9001",
      );
    } else if (port.value !== null) {
      const value = port.value;
      address = reader.attempt(
        () => toInetAddress(value),
        address,
        section,
        "port",
        port.origin,
        "write host:port",
      );
    }
    const allow_unauthenticated = reader.convert(
      SCHEMA.inetHttpServer,
      section,
      "allow_unauthenticated",
      toBoolean,
      false,
    );
    inet.push({
      kind: "inet_http_server",
      section,
      name: serverName(section),
      ...address,
      ...auth,
      allow_unauthenticated,
    });
  }
  const unix: UnixServerConfig[] = [];
  for (const section of sections.filter((s) => s.startsWith("unix_http_server"))) {
    const fileRead = reader.get(section, "file", null, new Map([["here", ctx.here]]));
    if (fileRead.origin === undefined) {
      reader.report(
        `section [${section}] has no file value`,
        section,
        "file",
        undefined,
        "add file = /run/steward.sock",
      );
    }
    const file = normalizePath(pyStrip(fileRead.value ?? ""), ctx.cwd, ctx.env, ctx.host);
    const auth = credentials(reader, section);
    const chownRead = reader.get(section, "chown", null);
    const chown = chownRead.value;
    if (chown !== null) {
      reader.attempt(
        () => rewrap(() => toUserGroup(chown, ctx.host), `Invalid sockchown value ${chown}`),
        null,
        section,
        "chown",
        chownRead.origin,
        "write user or user:group with names that exist on this host",
      );
    }
    const chmodRead = reader.get(section, "chmod", null);
    const chmodText = chmodRead.value;
    const chmod =
      chmodText === null
        ? 0o700
        : reader.attempt(
            () => rewrap(() => toOctal(chmodText), `Invalid chmod value ${chmodText}`),
            0o700,
            section,
            "chmod",
            chmodRead.origin,
            "write an octal mode such as 0700",
          );
    unix.push({ kind: "unix_http_server", section, name: serverName(section), file, chmod, chown, ...auth });
  }
  return [...inet, ...unix];
}
