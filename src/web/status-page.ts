/**
 * The status page (`/`, `/index.html`): every process with its state, description and health, and
 * buttons for supervisord's web actions. The buttons POST a form carrying the daemon's page token,
 * so another site cannot make a visitor's browser stop or restart anything (pure).
 */
import { escapeHtml, page } from "./html.js";
import type { TreeUsage } from "./metrics.js";

export interface StatusRow {
  readonly namespec: string;
  readonly statename: string;
  readonly description: string;
  /** The health check's status and last answer; null without a `healthcheck`. */
  readonly health: { readonly status: string; readonly detail: string } | null;
  /** Memory and CPU of the process with its descendants, while it runs; null otherwise. */
  readonly usage: TreeUsage | null;
  /** STARTING, RUNNING, BACKOFF: offer Stop and Restart; otherwise Start. */
  readonly running: boolean;
}

export interface StatusView {
  readonly identifier: string;
  readonly version: string;
  readonly pid: number;
  readonly message: string | null;
  readonly token: string;
  /** Seconds between automatic reloads; null: none. */
  readonly refresh: number | null;
  readonly rows: readonly StatusRow[];
}

function button(token: string, action: string, label: string, namespec?: string): string {
  const name =
    namespec === undefined ? "" : `<input type="hidden" name="processname" value="${escapeHtml(namespec)}">`;
  return `<form method="post" action="index.html"><input type="hidden" name="token" value="${escapeHtml(token)}">${name}<button name="action" value="${action}">${label}</button></form>`;
}

function healthCell(health: StatusRow["health"]): string {
  if (health === null) return "";
  const detail = health.detail ? ` title="${escapeHtml(health.detail)}"` : "";
  return `<span class="${escapeHtml(health.status)}"${detail}>${escapeHtml(health.status)}</span>`;
}

/** `42.1 MiB, 9 processes, 1.2 s CPU`. */
export function formatUsage(usage: TreeUsage | null): string {
  if (usage === null) return "";
  const mib = usage.residentBytes / (1024 * 1024);
  const memory = mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${mib.toFixed(1)} MiB`;
  const count = usage.processes === 1 ? "1 process" : `${usage.processes} processes`;
  return `${memory}, ${count}, ${usage.cpuSeconds.toFixed(1)} s CPU`;
}

function row(r: StatusRow, token: string): string {
  const ns = encodeURIComponent(r.namespec);
  const actions = [
    ...(r.running
      ? [button(token, "restart", "Restart", r.namespec), button(token, "stop", "Stop", r.namespec)]
      : [button(token, "start", "Start", r.namespec)]),
    button(token, "clearlog", "Clear log", r.namespec),
    `<a href="tail.html?processname=${ns}">Tail</a>`,
    `<a href="logtail/${ns}">Tail -f</a>`,
  ].join(" ");
  const cells = [
    `<span class="state ${escapeHtml(r.statename)}">${escapeHtml(r.statename)}</span>`,
    escapeHtml(r.description),
    `<a href="tail.html?processname=${ns}">${escapeHtml(r.namespec)}</a>`,
    healthCell(r.health),
    escapeHtml(formatUsage(r.usage)),
    actions,
  ];
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
}

export function statusPage(view: StatusView): string {
  const message = view.message ? `<div class="message">${escapeHtml(view.message)}</div>` : "";
  const autoRefresh =
    view.refresh === null
      ? `<a href="index.html?refresh=5">Reload every 5 s</a>`
      : `<a href="index.html">Stop reloading</a>`;
  const bar = `<div class="bar">${button(view.token, "refresh", "Refresh")}${button(
    view.token,
    "restartall",
    "Restart all",
  )}${button(view.token, "stopall", "Stop all")}${autoRefresh}<a href="metrics">Metrics</a></div>`;
  const rows = view.rows.map((r) => row(r, view.token)).join("\n");
  const table =
    view.rows.length === 0
      ? "<p>No programs are configured.</p>"
      : `<table><thead><tr><th>State</th><th>Description</th><th>Name</th><th>Health</th><th>Memory, processes, CPU</th><th>Action</th></tr></thead><tbody>
${rows}
</tbody></table>`;
  return page({
    title: `Steward status — ${view.identifier}`,
    subtitle: `${view.rows.length} processes`,
    body: message + bar + table,
    footer: `Steward ${view.version} · supervisord 4.2 compatible · pid ${view.pid}`,
    refreshSeconds: view.refresh,
  });
}

/** `tail.html`: the end of a process's stdout log, reloaded every 5 s. */
export function tailPage(namespec: string, text: string, identifier: string): string {
  const ns = encodeURIComponent(namespec);
  return page({
    title: `${namespec} — ${identifier}`,
    subtitle: "the end of its stdout log, reloaded every 5 s",
    body: `<div class="bar"><a href="index.html">Back to the status page</a><a href="logtail/${ns}">Follow (Tail -f)</a></div><pre>${escapeHtml(
      text,
    )}</pre>`,
    footer: "",
    refreshSeconds: 5,
  });
}
