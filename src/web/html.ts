/** HTML text for the web pages: escaping, and the page frame with its stylesheet (pure). */

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text or an attribute value, safe inside HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222;background:#f6f7f9}
header{background:#263238;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:baseline}
header h1{font-size:18px;margin:0}header span{opacity:.75}
main{padding:16px 20px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e3e6ea;vertical-align:middle}
th{background:#eceff1;font-weight:600}
.state{font-weight:600;border-radius:3px;padding:2px 6px;font-size:12px;color:#fff;background:#78909c}
.RUNNING{background:#2e7d32}.STARTING,.STOPPING,.BACKOFF{background:#f9a825;color:#222}
.FATAL,.UNKNOWN,.EXITED{background:#c62828}.STOPPED{background:#78909c}
.healthy{color:#2e7d32}.unhealthy{color:#c62828;font-weight:600}.starting{color:#8d6e00}
.message{background:#fffde7;border:1px solid #f9e79f;padding:8px 12px;margin-bottom:12px}
.bar{display:flex;gap:8px;margin-bottom:12px;align-items:center}
form{display:inline;margin:0}button{font:inherit;cursor:pointer;padding:2px 8px}
pre{background:#fff;border:1px solid #e3e6ea;padding:12px;overflow:auto;white-space:pre-wrap}
footer{padding:8px 20px;color:#666;font-size:12px}
`;

/** A whole page: `title` in the header, `body` (already HTML) in main, an optional auto-refresh. */
export function page(options: {
  readonly title: string;
  readonly subtitle: string;
  readonly body: string;
  readonly footer: string;
  readonly refreshSeconds?: number | null;
}): string {
  const refresh =
    options.refreshSeconds != null ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">` : "";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">${refresh}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(options.title)}</h1><span>${escapeHtml(options.subtitle)}</span></header>
<main>${options.body}</main>
<footer>${escapeHtml(options.footer)}</footer></body></html>
`;
}
