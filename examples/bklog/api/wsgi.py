"""A stand-in for BK-LOG's Django API: a small WSGI application.

gunicorn serves it as `wsgi:application` (see gunicorn_config.py); without gunicorn,
`python3 wsgi.py` serves it with Python's built-in wsgiref on the same address
(LAN_IP:BKLOG_API_PORT, set by bin/environ.sh).
"""
import json
import os
import sys


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path == "/healthz":
        body = b"ok\n"
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]
    if path == "/":
        body = (
            json.dumps(
                {
                    "service": "bklog-api",
                    "pid": os.getpid(),
                    "grafana": os.environ.get("BKAPP_GRAFANA_URL", ""),
                }
            )
            + "\n"
        ).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
    body = b"not found\n"
    start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def main():
    import signal
    from wsgiref.simple_server import make_server

    host = os.environ.get("LAN_IP", "127.0.0.1")
    port = int(os.environ.get("BKLOG_API_PORT", "10400"))
    server = make_server(host, port, application)
    # SIGTERM (supervisord's stopsignal) ends the server cleanly
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("bklog-api (wsgiref) listening on http://{}:{}".format(host, port), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
