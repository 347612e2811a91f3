import assert from "node:assert/strict";
import { test } from "node:test";
import { ctime } from "../../../src/web/ctime.js";
import { escapeHtml } from "../../../src/web/html.js";
import { formatUsage, type StatusRow, statusPage, tailPage } from "../../../src/web/status-page.js";

const row = (over: Partial<StatusRow> = {}): StatusRow => ({
  namespec: "web",
  statename: "RUNNING",
  description: "pid 42, uptime 0:01:00",
  health: null,
  usage: null,
  running: true,
  ...over,
});

const view = (rows: StatusRow[], over: Partial<Parameters<typeof statusPage>[0]> = {}) =>
  statusPage({
    identifier: "bk",
    version: "0.1.0",
    pid: 7,
    message: null,
    token: "t0k",
    refresh: null,
    rows,
    ...over,
  });

test("escapeHtml covers the five characters that matter", () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
  );
});

test("ctime pads the day with a space, as C's asctime", () => {
  assert.equal(ctime(new Date(2026, 0, 5, 7, 8, 9)), "Mon Jan  5 07:08:09 2026");
  assert.equal(ctime(new Date(2026, 10, 30, 23, 59, 0)), "Mon Nov 30 23:59:00 2026");
});

test("a running process gets Restart and Stop, a stopped one Start; every form carries the token", () => {
  const html = view([
    row(),
    row({ namespec: "g:b", statename: "STOPPED", description: "Not started", running: false }),
  ]);
  const forms = html.match(/<form method="post" action="index\.html">.*?<\/form>/g) ?? [];
  // the bar's three, then restart, stop, clearlog for web and start, clearlog for g:b
  assert.equal(forms.length, 8);
  for (const f of forms) assert.match(f, /name="token" value="t0k"/);
  assert.match(html, /name="processname" value="web"><button name="action" value="restart">/);
  assert.match(html, /name="processname" value="web"><button name="action" value="stop">/);
  assert.match(html, /name="processname" value="g:b"><button name="action" value="start">/);
  assert.doesNotMatch(html, /value="g:b"><button name="action" value="stop">/);
  assert.match(html, /<a href="logtail\/g%3Ab">Tail -f<\/a>/);
  assert.match(html, /<a href="tail\.html\?processname=g%3Ab">/);
  assert.doesNotMatch(html, /http-equiv="refresh"/);
});

test("names, descriptions, health details and messages are escaped", () => {
  const html = view(
    [
      row({
        namespec: "<x>",
        description: `"quoted" & <b>`,
        health: { status: "unhealthy", detail: `HTTP 500 <oops>` },
      }),
    ],
    { message: "<script>alert(1)</script>" },
  );
  assert.ok(!html.includes("<script>alert"));
  assert.ok(!html.includes("<oops>"));
  assert.match(html, /&lt;x&gt;/);
  assert.match(html, /&quot;quoted&quot; &amp; &lt;b&gt;/);
  assert.match(html, /<span class="unhealthy" title="HTTP 500 &lt;oops&gt;">unhealthy<\/span>/);
  assert.match(html, /<div class="message">&lt;script&gt;/);
});

test("auto-refresh when asked; an empty configuration says so", () => {
  assert.match(view([row()], { refresh: 5 }), /<meta http-equiv="refresh" content="5">/);
  assert.match(view([]), /No programs are configured/);
});

test("the tail page escapes the log and reloads", () => {
  const html = tailPage("web", "line <1>\n", "bk");
  assert.match(html, /<pre>line &lt;1&gt;\n<\/pre>/);
  assert.match(html, /http-equiv="refresh" content="5"/);
});

test("memory, processes and CPU of a running tree, in words", () => {
  assert.equal(formatUsage(null), "");
  assert.equal(
    formatUsage({ residentBytes: 44_145_050, processes: 9, cpuSeconds: 1.25 }),
    "42.1 MiB, 9 processes, 1.3 s CPU",
  );
  assert.equal(
    formatUsage({ residentBytes: 3 * 1024 ** 3, processes: 1, cpuSeconds: 0 }),
    "3.0 GiB, 1 process, 0.0 s CPU",
  );
  assert.match(
    view([row({ usage: { residentBytes: 1048576, processes: 2, cpuSeconds: 0.5 } })]),
    /<td>1\.0 MiB, 2 processes, 0\.5 s CPU<\/td>/,
  );
});
