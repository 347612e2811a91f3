// A stand-in API for the example: it takes API_STARTUP_SECONDS (default 5) to start listening, like a
// Django app under gunicorn loading its code and connecting to its database, then answers
// GET /health with 200 and GET / with a JSON greeting.
import { createServer } from "node:http";

const port = Number(process.env.API_PORT ?? 8765);
const startup = Number(process.env.API_STARTUP_SECONDS ?? 5);
console.log(`api: starting, will listen on 127.0.0.1:${port} in ${startup} s`);
setTimeout(() => {
  createServer((req, res) => {
    const body = req.url === "/health" ? "ok\n" : `${JSON.stringify({ service: "api", time: Date.now() })}\n`;
    res.writeHead(200, { "content-type": req.url === "/health" ? "text/plain" : "application/json" });
    res.end(body);
  }).listen(port, "127.0.0.1", () => console.log(`api: listening on 127.0.0.1:${port}`));
}, startup * 1000);
process.on("SIGTERM", () => process.exit(0));
