/** medusa's status lines and error page, as supervisord's HTTP server sends them. Pure. */

/** medusa's reason phrases (they differ from Node's for 302, 408, 413, 414, 505), and 431. */
export const MEDUSA_REASONS: Readonly<Record<number, string>> = {
  100: "Continue",
  200: "OK",
  301: "Moved Permanently",
  302: "Moved Temporarily",
  304: "Not Modified",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Time-out",
  411: "Length Required",
  413: "Request Entity Too Large",
  414: "Request-URI Too Large",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
  505: "HTTP Version not supported",
};

export function reasonPhrase(code: number): string {
  return MEDUSA_REASONS[code] ?? "Unknown";
}

/** The HTML body medusa sends with every error status (lines end in CRLF). */
export function errorPage(code: number): string {
  return [
    "<head>",
    "<title>Error response</title>",
    "</head>",
    "<body>",
    "<h1>Error response</h1>",
    `<p>Error code ${code}.`,
    `<p>Message: ${reasonPhrase(code)}.`,
    "</body>",
    "",
  ].join("\r\n");
}
