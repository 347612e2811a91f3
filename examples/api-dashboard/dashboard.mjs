// A stand-in dashboard for the example: at start it calls the API once and exits 1 if the API does
// not answer — so a dashboard spawned before the API is ready fails loudly (under supervisord's
// `priority` alone it would). Then it serves a page on DASHBOARD_PORT showing what the API said.
import { createServer, get } from "node:http";

const apiPort = Number(process.env.API_PORT ?? 8765);
const port = Number(process.env.DASHBOARD_PORT ?? 8766);
get(`http://127.0.0.1:${apiPort}/`, (res) => {
  let body = "";
  res.setEncoding("utf8");
  res.on("data", (chunk) => (body += chunk));
  res.on("end", () => {
    console.log(`dashboard: the API answered ${res.statusCode}: ${body.trim()}`);
    createServer((_req, out) => out.end(`dashboard: API said ${body}`)).listen(port, "127.0.0.1", () =>
      console.log(`dashboard: listening on 127.0.0.1:${port}`),
    );
  });
}).on("error", (error) => {
  console.error(`dashboard: the API is not there (${error.message}); giving up`);
  process.exit(1);
});
process.on("SIGTERM", () => process.exit(0));
