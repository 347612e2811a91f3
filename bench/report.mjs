/**
 * The results as rows (scenario, supervisord, stewardd, ratio, target, met), printed as a text table
 * and written as markdown (docs/benchmarks.md), with the automatic checks: lost bytes, processes left
 * behind, forced kills, errors, missed targets.
 */
const MiB = 1048576;

const ms = (v) => `${v.toFixed(v < 10 ? 3 : v < 100 ? 1 : 0)} ms`;
const sec = (v) => `${v.toFixed(3)} s`;
const mib = (v) => `${(v / MiB).toFixed(1)} MiB`;
const cpu = (v) => `${v.toFixed(2)} s`;
const bytes = (v) => (v === 0 ? "0" : `${v} (${(v / MiB).toFixed(2)} MiB)`);
const plain = (v) => String(v);
const perSecond = (v) => `${Math.round(v).toLocaleString("en-US")} req/s`;
const pct = (v) => `${v.toFixed(0)}%`;
const eventsPerSecond = (v) => `${Math.round(v).toLocaleString("en-US")} events/s`;
const us = (v) => `${v.toFixed(0)} µs`;
/** An events-scenario rate: its events/s, marked when the window timed out (a partial rate). */
const eventRate = (x) =>
  `${eventsPerSecond(x.rate)}${x.timedOut ? ` (partial: ${x.delivered} of ${x.events ?? x.sent} before the timeout)` : ""}`;
/** Whether an events run saw every event exactly once and in order: `{ ok, text }`. */
const eventChecks = (c) => {
  const problems = [];
  if (c.disorder > 0) problems.push(`${c.disorder} out of order or repeated`);
  if (c.gaps > 0) problems.push(`${c.gaps} pool-serial gaps`);
  if (c.bad > 0) problems.push(`${c.bad} unreadable payloads`);
  if (c.expected !== null && c.count !== c.expected) problems.push(`${c.count} of ${c.expected} arrived`);
  else if (c.sumsMatch === false) problems.push("the data checksums differ");
  if (problems.length) return { ok: false, text: problems.join(", ") };
  if (c.expected === null) return { ok: true, text: `${c.count} in order (timed out: loss not checked)` };
  return { ok: true, text: `yes (${c.count})` };
};
/** An rpc scenario part, or a throw (the cell becomes "error"). */
const ok = (x) => {
  if (!x || x.error) throw new Error("failed");
  return x;
};
const rpcCell = (x, fn) => (!x ? "not run" : x.error ? "error" : fn(x));

function ratio(sup, stw) {
  if (!Number.isFinite(sup) || !Number.isFinite(stw) || sup === 0) return "—";
  return `${(stw / sup).toFixed(stw / sup < 0.1 ? 3 : 2)}×`;
}

/** The table's rows for these parameters. `get(result of one daemon for the scenario)`. */
export function rowDefinitions(P) {
  const N = P.programs;
  const logLabel = P.logBytes === 512 * MiB ? "512 MiB" : mib(P.logBytes);
  const rows = [
    {
      scenario: "respawn",
      label: `crash → respawn, median of ${P.kills} SIGKILLs (kill → new pid)`,
      get: (r) => r.medianMs,
      fmt: ms,
      target: "median ≤ 2 ms",
      absolute: true,
      met: (_s, w) => w <= 2,
    },
    {
      scenario: "respawn",
      label: "crash → respawn, p95",
      get: (r) => r.p95Ms,
      fmt: ms,
      target: "—",
    },
    {
      scenario: "start",
      label: `start ${N} programs to RUNNING, startsecs=0`,
      get: (r) => r.s0.readyS,
      fmt: sec,
      target: "≥ 4× faster (ratio ≤ 0.25)",
      met: (s, w) => s / w >= 4,
    },
    {
      scenario: "start",
      label: `start ${N} programs to RUNNING, startsecs=1`,
      get: (r) => r.s1.readyS,
      fmt: sec,
      target: "≤ 1.25 s",
      absolute: true,
      met: (_s, w) => w <= 1.25,
    },
    {
      scenario: "stop",
      label: `stop ${N} programs ignoring SIGTERM, stopwaitsecs=${P.stopwaitsecs}`,
      get: (r) => r.totalS,
      fmt: sec,
      target: `≤ ${(P.stopwaitsecs + 0.1).toFixed(1)} s`,
      absolute: true,
      met: (_s, w) => w <= P.stopwaitsecs + 0.1,
    },
  ];
  for (const [key, name] of [
    ["plain", "no rotation"],
    ["rotating", `rotation ${P.logMaxBytes} × ${P.logBackups}`],
  ]) {
    rows.push(
      {
        scenario: "logs",
        label: `log ${logLabel} to stdout_logfile, ${name}: wall time`,
        get: (r) => r[key].wallS,
        fmt: sec,
        cell: (r) => `${sec(r[key].wallS)} (${r[key].mibPerS.toFixed(0)} MiB/s)`,
        target: "throughput ≥ supervisord's",
        met: (s, w) => w <= s,
      },
      {
        scenario: "logs",
        label: `log ${logLabel}, ${name}: daemon CPU`,
        get: (r) => r[key].cpuS,
        fmt: cpu,
        target: "≤ supervisord's",
        met: (s, w) => w <= s,
      },
      {
        scenario: "logs",
        label: `log ${logLabel}, ${name}: bytes lost`,
        get: (r) => r[key].lostBytes,
        fmt: bytes,
        noRatio: true,
        target: "0",
        absolute: true,
        met: (_s, w) => w === 0,
      },
    );
  }
  rows.push(
    {
      scenario: "rss",
      label: "daemon RSS idle, 0 programs",
      get: (r) => (r.idle0.error ? Number.NaN : r.idle0.rssBytes),
      cell: (r) => (r.idle0.error ? "error" : mib(r.idle0.rssBytes)),
      fmt: mib,
      target: "shown beside supervisord's",
    },
    {
      scenario: "rss",
      label: `daemon RSS idle, ${N} programs`,
      get: (r) => (r.idleN.error ? Number.NaN : r.idleN.rssBytes),
      cell: (r) => (r.idleN.error ? "error" : mib(r.idleN.rssBytes)),
      fmt: mib,
      target: "shown beside supervisord's",
    },
    {
      scenario: "rpc",
      label: `getAllProcessInfo, ${N} programs: median latency, 1 client, sequential`,
      get: (r) => ok(r.allInfo).medianMs,
      cell: (r) => rpcCell(r.allInfo, (x) => ms(x.medianMs)),
      fmt: ms,
      target: "median ≤ 3 ms",
      absolute: true,
      met: (_s, w) => w <= 3,
    },
    {
      scenario: "rpc",
      label: "getAllProcessInfo, p95",
      get: (r) => ok(r.allInfo).p95Ms,
      cell: (r) => rpcCell(r.allInfo, (x) => ms(x.p95Ms)),
      fmt: ms,
      target: "—",
    },
    {
      scenario: "rpc",
      label: `getProcessInfo, ${P.rpcClients} concurrent clients: requests/s (daemon CPU, % of one core)`,
      // Time per request, so that the ratio reads as everywhere else (below 1: stewardd is faster).
      get: (r) => 1 / ok(r.info).rate,
      cell: (r) => rpcCell(r.info, (x) => `${perSecond(x.rate)} (${pct(x.daemonCpuPct)})`),
      fmt: plain,
      target: "≥ 10,000 req/s",
      absolute: true,
      met: (_s, w) => 1 / w >= 10000,
    },
    {
      scenario: "rpc",
      label: `\`status\`, ${N} programs, whole command: supervisorctl → supervisord, stewardctl → stewardd`,
      get: (r) => ok(r.status).medianS,
      cell: (r) => rpcCell(r.status, (x) => sec(x.medianS)),
      fmt: sec,
      target: "shown beside supervisorctl's",
    },
    {
      scenario: "events",
      label: `events/s delivered to 1 listener that answers OK at once (${P.events} REMOTE_COMMUNICATION events; daemon CPU, % of one core)`,
      // Time per event, so that the ratio reads as everywhere else (below 1: stewardd is faster).
      get: (r) => 1 / r.one.window.rate,
      cell: (r) => `${eventRate(r.one.window)} (${pct(r.one.window.daemonCpuPct)})`,
      fmt: plain,
      target: "shown beside supervisord's",
    },
  );
  return rows;
}

/** Informational figures (no target). */
export function detailDefinitions(P) {
  const N = P.programs;
  return [
    {
      scenario: "respawn",
      label: "kill → new pid has exec'd `sleep`, median / p95",
      cell: (r) => `${ms(r.execMedianMs)} / ${ms(r.execP95Ms)}`,
    },
    {
      scenario: "respawn",
      label: "kill → new pid, min / max",
      cell: (r) => `${ms(r.minMs)} / ${ms(r.maxMs)}`,
    },
    {
      scenario: "start",
      label: "launch → `supervisord started with pid` line (daemon start-up), startsecs=0 / 1 runs",
      cell: (r) => `${sec(r.s0.startedS)} / ${sec(r.s1.startedS)}`,
    },
    {
      scenario: "start",
      label: `start ${N}: all \`spawned:\` lines, startsecs=0 / 1`,
      cell: (r) => `${sec(r.s0.spawnedS)} / ${sec(r.s1.spawnedS)}`,
    },
    {
      scenario: "start",
      label: `SIGTERM → exit with ${N} TERM-respecting programs in ${N} groups (after the startsecs=0 run)`,
      cell: (r) => sec(r.s0.shutdownS),
    },
    {
      scenario: "start",
      label: "start: each run, startsecs=0 / 1",
      cell: (r) =>
        `${r.s0.runs.map((x) => x.readyS.toFixed(2)).join(", ")} / ${r.s1.runs.map((x) => x.readyS.toFixed(2)).join(", ")} s`,
    },
    {
      scenario: "stop",
      label: "stop: each run",
      cell: (r) => `${r.runs.map((x) => x.totalS.toFixed(3)).join(", ")} s`,
    },
    {
      scenario: "stop",
      label: "stop: SIGTERM → daemon exited / → last child gone",
      cell: (r) => `${sec(r.daemonExitS)} / ${sec(r.childrenGoneS)}`,
    },
    {
      scenario: "stop",
      label: "stop: children ignoring TERM / `killing … with SIGKILL` lines / `stopped:` lines",
      cell: (r) => `${r.ignoring} / ${r.killedLines} / ${r.stoppedLines}`,
    },
    {
      scenario: "logs",
      label: "log, no rotation: exit line → last byte on disk; files",
      cell: (r) => `${r.plain.exitToDiskMs === null ? "never" : ms(r.plain.exitToDiskMs)}; ${r.plain.files}`,
    },
    {
      scenario: "logs",
      label: "log, rotation: exit line → last byte on disk; files",
      cell: (r) =>
        `${r.rotating.exitToDiskMs === null ? "never" : ms(r.rotating.exitToDiskMs)}; ${r.rotating.files}`,
    },
    { scenario: "logs", label: "log: the exit line", cell: (r) => r.plain.exitLine ?? "none" },
    {
      scenario: "logs",
      label: "log: wall time of each run, no rotation / rotation",
      cell: (r) =>
        `${r.plain.runs.map((x) => x.wallS.toFixed(2)).join(", ")} / ${r.rotating.runs.map((x) => x.wallS.toFixed(2)).join(", ")} s`,
    },
    {
      scenario: "rss",
      label: `daemon peak RSS (VmHWM), 0 / ${N} programs`,
      cell: (r) =>
        `${r.idle0.error ? "error" : mib(r.idle0.hwmBytes)} / ${r.idleN.error ? "error" : mib(r.idleN.hwmBytes)}`,
    },
    {
      scenario: "rss",
      label: `daemon threads, ${N} programs`,
      cell: (r) => (r.idleN.error ? "error" : `${r.idleN.threads}`),
    },
    {
      scenario: "rpc",
      label: "getAllProcessInfo: min / max; answer size; connections used",
      cell: (r) =>
        rpcCell(
          r.allInfo,
          (x) =>
            `${ms(x.minMs)} / ${ms(x.maxMs)}; ${x.answerBytes} bytes; ${x.connections === 1 ? "1 keep-alive connection" : `${x.connections} connections`} for ${x.calls} calls + warm-up`,
        ),
    },
    {
      scenario: "rpc",
      label:
        "getProcessInfo under load: latency median / p95; calls answered in the window; warm-up before it; connections",
      cell: (r) =>
        rpcCell(
          r.info,
          (x) =>
            `${ms(x.medianMs)} / ${ms(x.p95Ms)}; ${x.answered} in ${x.seconds.toFixed(2)} s; ${x.warmupCalls} in ${x.warmupS.toFixed(2)} s; ${x.connections} for ${x.clients} clients`,
        ),
    },
    {
      scenario: "rpc",
      label: "getProcessInfo: daemon CPU per call; the benchmark's own CPU (the clients) over the window",
      cell: (r) =>
        rpcCell(r.info, (x) => `${x.daemonCpuUsPerCall.toFixed(0)} µs; ${pct(x.clientCpuPct)} of one core`),
    },
    {
      scenario: "rpc",
      label: "`status`: each run (supervisorctl → supervisord, stewardctl → stewardd)",
      cell: (r) => rpcCell(r.status, (x) => `${x.runsS.map((v) => v.toFixed(3)).join(", ")} s`),
    },
    {
      scenario: "rpc",
      label: "stock `supervisorctl status` against each daemon, median",
      cell: (r) =>
        rpcCell(r.stockStatus ?? r.status, (x) => (x.ctl === "supervisorctl" ? sec(x.medianS) : "n/a")),
    },
    {
      scenario: "events",
      label:
        "events, 1 listener: window; daemon CPU per event; listener / benchmark CPU (% of one core); the untimed warm-up of the fresh daemon",
      cell: (r) =>
        `${sec(r.one.window.seconds)}; ${us(r.one.window.daemonCpuUsPerEvent)}; ${pct(r.one.window.listenerCpuPct)} / ${pct(r.one.window.benchmarkCpuPct)}; ${r.one.warmupEvents} events in ${sec(r.one.warmupS)}`,
    },
    {
      scenario: "events",
      label: `events, a pool of ${P.eventsPool > 1 ? P.eventsPool : "N"} listeners (numprocs): events/s (daemon CPU); events each listener got`,
      cell: (r) =>
        !r.pool
          ? "not run (BENCH_EVENTS_POOL ≤ 1)"
          : `${eventRate(r.pool.window)} (${pct(r.pool.window.daemonCpuPct)}); ${r.pool.window.perListener.join(" / ")}`,
    },
    {
      scenario: "events",
      label: `events, backlog: ${P.events} sendRemoteCommEvent calls with the listener stopped (calls/s; daemon CPU per call)`,
      cell: (r) =>
        !r.one.backlog
          ? "not run (the window timed out)"
          : `${Math.round(r.one.backlog.ingestRate).toLocaleString("en-US")} calls/s${r.one.backlog.ingestTimedOut ? ` (partial: ${r.one.backlog.sent} before the timeout)` : ""}; ${us(r.one.backlog.ingestCpuUsPerCall)}`,
    },
    {
      scenario: "events",
      label: "events, backlog: then drained by the listener (events/s; daemon CPU per event)",
      cell: (r) =>
        !r.one.backlog ? "not run" : `${eventRate(r.one.backlog)}; ${us(r.one.backlog.daemonCpuUsPerEvent)}`,
    },
    {
      scenario: "events",
      label: "events: every event exactly once and in order, 1 listener / pool (events checked)",
      cell: (r) =>
        `${eventChecks(r.one.checks).text} / ${r.pool ? eventChecks(r.pool.checks).text : "not run"}`,
    },
  ].map((d) => ({ ...d, fmt: plain }));
}

function safe(fn, r) {
  if (!r || r.error) return null;
  try {
    return fn(r);
  } catch {
    return null;
  }
}

/** Turns results[scenario][daemon] into printable rows. */
export function buildRows(P, results) {
  const ran = (def) => results[def.scenario] !== undefined;
  const main = rowDefinitions(P)
    .filter(ran)
    .map((def) => {
      const sr = results[def.scenario]?.supervisord;
      const wr = results[def.scenario]?.stewardd;
      const s = safe(def.get, sr);
      const w = safe(def.get, wr);
      const cellOf = (r, v) => {
        if (r === undefined) return "not run";
        if (r.error) return "error";
        if (def.cell) return safe(def.cell, r) ?? "n/a";
        if (v === null || Number.isNaN(v)) return "n/a";
        return def.fmt(v);
      };
      let met = "—";
      if (def.met && w !== null && (s !== null || def.absolute)) met = def.met(s, w) ? "yes" : "no";
      return {
        label: def.label,
        supervisord: cellOf(sr, s),
        stewardd: cellOf(wr, w),
        ratio: def.noRatio || s === null || w === null ? "—" : ratio(s, w),
        target: def.target,
        met,
      };
    });
  const details = detailDefinitions(P)
    .filter(ran)
    .map((def) => {
      const cellOf = (r) => (r === undefined ? "not run" : r.error ? "error" : (safe(def.cell, r) ?? "n/a"));
      return {
        label: def.label,
        supervisord: cellOf(results[def.scenario]?.supervisord),
        stewardd: cellOf(results[def.scenario]?.stewardd),
      };
    });
  return { main, details };
}

/** Walks a result object for `shutdown` records (from every daemon run of the scenario). */
function shutdowns(value, path = []) {
  if (value === null || typeof value !== "object") return [];
  const found = [];
  for (const [k, v] of Object.entries(value)) {
    if (k === "shutdown" && v && typeof v === "object") found.push({ path: path.join("."), ...v });
    else if (k === "shutdowns" && Array.isArray(v))
      for (const [i, x] of v.entries()) found.push({ path: [...path, `run ${i + 1}`].join("."), ...x });
    else found.push(...shutdowns(v, [...path, k]));
  }
  return found;
}

/** Automatic checks, as sentences. */
export function findings(P, results, rows) {
  const out = [];
  for (const [scenario, byDaemon] of Object.entries(results)) {
    for (const [daemon, r] of Object.entries(byDaemon)) {
      if (r.error) {
        out.push(`**${daemon}, ${scenario}: failed** — ${r.error.split("\n")[0]}`);
        continue;
      }
      for (const s of shutdowns(r)) {
        const where = `${daemon}, ${scenario}${s.path ? ` (${s.path})` : ""}`;
        if (s.forced)
          out.push(`**${where}:** did not exit within the timeout after SIGTERM; killed with SIGKILL.`);
        if (s.leftovers.length > 0) {
          const list = s.leftovers
            .slice(0, 5)
            .map((l) => `${l.pid} ${l.comm}`)
            .join(", ");
          out.push(
            `**${where}:** ${s.leftovers.length} process(es) it started were still running after it exited (${list}${s.leftovers.length > 5 ? ", …" : ""}).`,
          );
        }
        if (s.exitSignal || (s.exitCode !== 0 && s.exitCode !== null && !s.forced))
          out.push(`**${where}:** exited with ${s.exitSignal ?? `status ${s.exitCode}`} after SIGTERM.`);
      }
      if (scenario === "logs") {
        for (const key of ["plain", "rotating"]) {
          const x = r[key];
          if (x && x.lostBytes !== 0)
            out.push(
              `**${daemon}, log ${key === "plain" ? "without" : "with"} rotation:** ${x.bytesOnDisk} of ${P.logBytes} bytes on disk — ${x.lostBytes > 0 ? `${x.lostBytes} bytes LOST` : `${-x.lostBytes} bytes too many`} (${x.files} file(s)).`,
            );
        }
      }
      for (const [part, x] of Object.entries(r))
        if (x && typeof x === "object" && x.error)
          out.push(`**${daemon}, ${scenario} (${part}): failed** — ${x.error.split("\n")[0]}`);
      if (scenario === "respawn" && r.gaveUp > 0)
        out.push(`**${daemon}, respawn:** logged \`gave up:\` ${r.gaveUp} time(s).`);
      if (scenario === "events") {
        for (const [what, x] of [
          ["1 listener", r.one],
          [`pool of ${P.eventsPool}`, r.pool],
        ]) {
          if (!x) continue;
          const verdict = eventChecks(x.checks);
          if (!verdict.ok)
            out.push(
              `**${daemon}, events (${what}):** not every event arrived exactly once, in order: ${verdict.text}.`,
            );
          if (x.window.timedOut)
            out.push(
              `**${daemon}, events (${what}):** timed out after ${P.eventsTimeoutS} s (BENCH_EVENTS_TIMEOUT) with ${x.window.delivered} of ${x.window.events} events delivered; the rate shown is of those.`,
            );
          if (x.backlog?.timedOut || x.backlog?.ingestTimedOut)
            out.push(`**${daemon}, events (${what}), backlog:** timed out; its rates are partial.`);
        }
      }
      if (scenario === "stop" && r.ignoring < P.programs)
        out.push(`**${daemon}, stop:** only ${r.ignoring} of ${P.programs} children ignored SIGTERM.`);
    }
  }
  for (const row of rows.main)
    if (row.met === "no")
      out.push(`Target missed: ${row.label} — stewardd ${row.stewardd}, target ${row.target}.`);
  return out;
}

function pad(text, width) {
  const len = [...text].length;
  return text + " ".repeat(Math.max(0, width - len));
}

export function textTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]].length)));
  const line = (cells) => cells.map((c, i) => pad(c, widths[i])).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function markdownTable(headers, rows) {
  const esc = (s) => s.replaceAll("|", "\\|");
  return [
    `| ${headers.join(" | ")} |`,
    `| ${headers.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ].join("\n");
}

export const MAIN_HEADERS = ["scenario", "supervisord", "stewardd", "ratio", "target", "met"];
export const DETAIL_HEADERS = ["detail", "supervisord", "stewardd"];

export const mainCells = (r) => [r.label, r.supervisord, r.stewardd, r.ratio, r.target, r.met];
export const detailCells = (r) => [r.label, r.supervisord, r.stewardd];
