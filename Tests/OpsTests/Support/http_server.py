#!/usr/bin/env python3
"""A real HTTP destination for the Ops tests (a WMS, a Slack webhook, a generic webhook).

Started by a test on 127.0.0.1 with an ephemeral port, which it prints as `PORT <n>` on its
first line. It records every request, applies each `Idempotency-Key` at most once (a repeated
key gets the first answer back without being applied again), and injects failures from a plan
set by the test:

  POST /_plan    body: JSON list of actions, one consumed per incoming request:
                 "ok" | "500" | "429" | "timeout" (apply, then answer after 3 s) |
                 "drop" (apply, then close the connection without answering) | "400"
  GET  /_state   body: {"requests": [...], "rows": {key: row}, "applied": {key: count}, "deleted": [...]}

Payloads follow OpsFlow's sync body: {"sync", "operation": "upsert"|"delete", "rows"|"keys"}.
Rows are keyed by the JSON of the body's key fields, given by the `X-Test-Key-Fields` header
(comma-separated) or `id`.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
PLAN = []
REQUESTS = []
SEEN_KEYS = {}
ROWS = {}
APPLIED = {}
DELETED = []


def key_of(row, fields):
    return json.dumps([row.get(f) for f in fields])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"{}", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/_state":
            with LOCK:
                body = json.dumps({"requests": REQUESTS, "rows": ROWS, "applied": APPLIED, "deleted": DELETED}).encode()
            self.reply(200, body)
        else:
            self.reply(404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path == "/_plan":
            with LOCK:
                PLAN[:] = json.loads(raw)
            self.reply(200)
            return
        with LOCK:
            action = PLAN.pop(0) if PLAN else "ok"
            REQUESTS.append({"path": self.path, "headers": dict(self.headers.items()), "body": raw.decode("utf-8", "replace"),
                             "action": action})
        if action in ("500", "429", "400"):
            self.reply(int(action), b'{"error": "injected"}', {"Retry-After": "0"} if action == "429" else None)
            return
        key = self.headers.get("Idempotency-Key")
        fields = (self.headers.get("X-Test-Key-Fields") or "id").split(",")
        with LOCK:
            if key is None or key not in SEEN_KEYS:
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    body = {}
                if body.get("operation") == "delete":
                    for k in body.get("keys", []):
                        kk = key_of(k, fields)
                        ROWS.pop(kk, None)
                        DELETED.append(kk)
                else:
                    for row in body.get("rows", []):
                        kk = key_of(row, fields)
                        ROWS[kk] = row
                        APPLIED[kk] = APPLIED.get(kk, 0) + 1
                if key is not None:
                    SEEN_KEYS[key] = True
        if action == "timeout":
            time.sleep(3)
        if action == "drop":
            self.close_connection = True
            try:
                import socket
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.connection.close()
            return
        try:
            self.reply(200, b'{"ok": true}')
        except OSError:
            pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
