/**
 * The web pages and /metrics of a running stewardd, over its inet server with credentials: the
 * status page lists the processes, its buttons (POSTs with the page's token) start and stop them
 * with supervisord's messages, supervisord-style action links and forged forms are refused, the tail
 * page shows the log escaped, and /metrics reports what happened.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startDaemon } from "../helpers/daemon.js";
import { freePort } from "../helpers/ports.js";

const AUTH = `Basic ${Buffer.from("admin:s3cret").toString("base64")}`;

test("the status page, its actions, the tail page and the metrics", async (t) => {
  const port = await freePort();
  const d = startDaemon(
    t,
    `[inet_http_server]
port=127.0.0.1:${port}
username=admin
password=s3cret
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[program:web]
command=/bin/sh -c 'echo "hello <web>"; exec sleep 1000'
startsecs=0
healthcheck=exec:true
[program:idle]
command=/bin/sleep 1000
autostart=false
[program:family]
command=/bin/sh -c 'sleep 1000 & sleep 1000 & wait'
startsecs=0
`,
  );
  await d.waitFor(/success: web entered RUNNING state/);
  await d.waitFor(/success: family entered RUNNING state/);
  const base = `http://127.0.0.1:${port}`;
  const get = (path: string, auth = true) =>
    fetch(base + path, { headers: auth ? { Authorization: AUTH } : {}, redirect: "manual" });
  const post = (form: Record<string, string>) =>
    fetch(`${base}/index.html`, {
      method: "POST",
      headers: { Authorization: AUTH, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
      redirect: "manual",
    });

  assert.equal((await get("/", false)).status, 401, "the pages need the server's credentials");
  const page = await get("/");
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(
    html,
    /<span class="state RUNNING">RUNNING<\/span><\/td><td>pid \d+, uptime [\d:]+, healthy<\/td><td><a href="tail\.html\?processname=web">web<\/a>/,
  );
  assert.match(
    html,
    /<span class="state STOPPED">STOPPED<\/span><\/td><td>Not started<\/td><td><a href="tail\.html\?processname=idle">idle<\/a>/,
  );
  const token = /name="token" value="([0-9a-f]{32})"/.exec(html)?.[1];
  assert.ok(token, "the page carries its token");

  // supervisord's action link and a form without this daemon's token change nothing
  const link = await get("/index.html?processname=web&action=stop");
  assert.equal(link.status, 403);
  assert.match(await link.text(), /action=stop as a link is refused/);
  const forged = await post({ token: "0".repeat(32), action: "stop", processname: "web" });
  assert.equal(forged.status, 403);
  assert.ok(!d.lines.some((l) => l.includes("stopped: web")));

  // the page's buttons
  let answer = await post({ token, action: "stop", processname: "web" });
  assert.equal(answer.status, 303);
  assert.equal(answer.headers.get("location"), "index.html?message=Process%20web%20stopped");
  await d.waitFor(/stopped: web \(terminated by SIGTERM\)/);
  answer = await post({ token, action: "start", processname: "idle" });
  assert.equal(answer.headers.get("location"), "index.html?message=Process%20idle%20started");
  answer = await post({ token, action: "start", processname: "idle" });
  assert.equal(
    answer.headers.get("location"),
    "index.html?message=ERROR%3A%20Process%20idle%3A%20already%20started",
  );
  answer = await post({ token, action: "restart", processname: "nope" });
  assert.equal(answer.headers.get("location"), "index.html?message=No%20such%20process%20named%20nope");
  const shown = await (await get("/index.html?message=Process%20idle%20started")).text();
  assert.match(shown, /<div class="message">Process idle started<\/div>/);

  // the tail page: the log, escaped
  const tail = await (await get("/tail.html?processname=web")).text();
  assert.match(tail, /<pre>hello &lt;web&gt;\n<\/pre>/);

  // metrics
  const metrics = await get("/metrics");
  assert.match(metrics.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const body = await metrics.text();
  assert.match(body, /^steward_process_up\{group="idle",name="idle"\} 1$/m);
  assert.match(body, /^steward_process_up\{group="web",name="web"\} 0$/m);
  assert.match(body, /^steward_process_state\{group="web",name="web",state="STOPPED"\} 1$/m);
  assert.match(body, /^steward_process_spawns_total\{group="web",name="web"\} 1$/m);
  assert.match(body, /^steward_process_healthy\{group="web",name="web"\} 0$/m);
  assert.match(body, /^steward_resident_memory_bytes \d+$/m);
  // the shell and its two sleeps, as one tree
  let familyRow = "";
  for (let i = 0; i < 100 && !/3 processes/.test(familyRow); i++) {
    const page = await (await get("/")).text();
    familyRow = /<tr>.*processname=family".*<\/tr>/.exec(page)?.[0] ?? "";
    if (!/3 processes/.test(familyRow)) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.match(familyRow, /<td>[\d.]+ MiB, 3 processes, [\d.]+ s CPU<\/td>/);
  assert.match(body, /^steward_process_tree_processes\{group="idle",name="idle"\} 1$/m);
  assert.match(body, /^steward_process_resident_memory_bytes\{group="idle",name="idle"\} [1-9]\d*$/m);
  assert.match(body, /^steward_process_cpu_seconds_total\{group="idle",name="idle"\} [\d.]+$/m);
  assert.doesNotMatch(body, /^steward_process_tree_processes\{group="web"/m, "web is stopped");
  const family = await (await get("/metrics")).text();
  assert.match(family, /^steward_process_tree_processes\{group="family",name="family"\} 3$/m);

  assert.equal(await (await get("/ok.html")).text(), "OK");
  assert.equal((await get("/nothing-here")).status, 404);
  assert.equal(await d.stop(), 0);
});
