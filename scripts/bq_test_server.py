#!/usr/bin/env python3
"""The Google side of the WarehouseBigQuery tests, on 127.0.0.1 (standard library + openssl only).

- POST /token: an OAuth token endpoint. A `jwt-bearer` grant must carry an RS256 JWT whose
  signature `openssl dgst -sha256 -verify` accepts with --public-key, issued by --email, for this
  endpoint (`aud`), for the BigQuery scope, valid at most one hour. A `refresh_token` grant must
  carry --client-id, --client-secret and --refresh-token. Answers {access_token, expires_in}.
- /bigquery/... and /upload/...: forwarded to the emulator (--upstream) when the request carries
  a token this endpoint issued (401 otherwise), and recorded (method, path, JSON body).
- POST /__inject {"status", "reason", "message", "count", "path", "body"}: the next `count`
  requests whose path contains `path` and whose body contains `body` get that error instead (a
  transient BigQuery error to prove retries); with "forward": true the request still reaches
  the emulator (an answer lost on the way back).
- POST /__reply {"path", "body_match", "body", "count"}: answer those requests with `body`
  (HTTP 200), to replay what real BigQuery sends where the emulator differs.
- POST /v1/projects/-/serviceAccounts/{account}:generateAccessToken: IAM Credentials'
  impersonation, for a caller with a token issued here and the account --impersonate.
- GET /__requests, POST /__reset, GET /__stats ({"exchanges", "impersonations"}), POST /__config {"expires_in"}.
Prints its port to --port-file once listening.
"""
import argparse
import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATE = {"tokens": set(), "exchanges": 0, "impersonations": 0, "requests": [], "faults": [], "replies": [], "expires_in": 3600}
ARGS = None


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_jwt(assertion, audience):
    """The reason the assertion is refused, or None when it is valid."""
    parts = assertion.split(".")
    if len(parts) != 3:
        return "not a JWT"
    header = json.loads(b64url_decode(parts[0]))
    claims = json.loads(b64url_decode(parts[1]))
    if header.get("alg") != "RS256":
        return "alg is not RS256"
    with tempfile.TemporaryDirectory() as tmp:
        data, sig = os.path.join(tmp, "data"), os.path.join(tmp, "sig")
        with open(data, "wb") as f:
            f.write((parts[0] + "." + parts[1]).encode())
        with open(sig, "wb") as f:
            f.write(b64url_decode(parts[2]))
        result = subprocess.run(["openssl", "dgst", "-sha256", "-verify", ARGS.public_key, "-signature", sig, data],
                                capture_output=True)
        if result.returncode != 0:
            return "invalid signature"
    now = time.time()
    if claims.get("iss") != ARGS.email:
        return "wrong issuer"
    if claims.get("aud") != audience:
        return "wrong audience %r" % claims.get("aud")
    if "https://www.googleapis.com/auth/bigquery" not in claims.get("scope", "").split(" "):
        return "no bigquery scope"
    if not (claims.get("iat", 0) - 300 <= now <= claims.get("exp", 0)) or claims["exp"] - claims["iat"] > 3600:
        return "bad validity window"
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def handle_any(self, method):
        raw = self.body()
        path = self.path
        if path == "/token":
            return self.token(raw)
        if path.startswith("/__"):
            return self.control(method, path, raw)
        if path.startswith("/v1/projects/-/serviceAccounts/") and path.endswith(":generateAccessToken"):
            return self.impersonate(path, raw)
        auth = self.headers.get("Authorization", "")
        with LOCK:
            ok = auth.startswith("Bearer ") and auth[7:] in STATE["tokens"]
        if not ok:
            return self.reply(401, {"error": {"code": 401, "message": "Request had invalid authentication credentials.",
                                              "errors": [{"reason": "authError", "message": "Invalid Credentials"}],
                                              "status": "UNAUTHENTICATED"}})
        record = {"method": method, "path": path,
                  "token": "impersonated" if auth.startswith("Bearer ya29.impersonated-") else "direct"}
        content_type = self.headers.get("Content-Type", "")
        if content_type.startswith("application/json") and raw:
            record["body"] = json.loads(raw)
        elif content_type.startswith("multipart/related"):
            record["multipart"] = raw.decode("utf-8", "replace")
        with LOCK:
            STATE["requests"].append(record)
            text = raw.decode("utf-8", "replace")
            fault = next((f for f in STATE["faults"] if f["path"] in path and f["body"] in text and f["count"] > 0), None)
            if fault:
                fault["count"] -= 1
            canned = None if fault else next((r for r in STATE["replies"]
                                              if r["path"] in path and r["body_match"] in text and r["count"] > 0), None)
            if canned:
                canned["count"] -= 1
        if fault and fault["forward"]:
            # The request reaches the emulator, but its answer is "lost": the caller sees the error.
            forwarded = urllib.request.Request(ARGS.upstream + path, data=raw if method in ("POST", "PATCH") else None,
                                               method=method, headers={"Content-Type": content_type or "application/json"})
            try:
                urllib.request.urlopen(forwarded, timeout=120).read()
            except urllib.error.HTTPError:
                pass
        if fault:
            error = {"error": {"code": fault["status"], "message": fault["message"],
                               "errors": [{"reason": fault["reason"], "message": fault["message"], "domain": "global"}]}}
            return self.reply(fault["status"], error)
        if canned:
            return self.reply(200, canned["body"])
        request = urllib.request.Request(ARGS.upstream + path, data=raw if method in ("POST", "PATCH") else None, method=method,
                                         headers={"Content-Type": content_type or "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return self.reply(response.status, response.read())
        except urllib.error.HTTPError as error:
            return self.reply(error.code, error.read())

    def token(self, raw):
        form = dict(urllib.parse.parse_qsl(raw.decode()))
        grant = form.get("grant_type")
        audience = "http://%s:%d/token" % self.server.server_address[:2]
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            problem = verify_jwt(form.get("assertion", ""), audience)
        elif grant == "refresh_token":
            ok = (form.get("client_id"), form.get("client_secret"), form.get("refresh_token")) == \
                 (ARGS.client_id, ARGS.client_secret, ARGS.refresh_token)
            problem = None if ok else "unknown client or refresh token"
        else:
            problem = "unsupported grant_type"
        if problem:
            return self.reply(400, {"error": "invalid_grant", "error_description": problem})
        token = "ya29.test-" + secrets.token_hex(16)
        with LOCK:
            STATE["tokens"].add(token)
            STATE["exchanges"] += 1
            expires = STATE["expires_in"]
        return self.reply(200, {"access_token": token, "expires_in": expires, "token_type": "Bearer"})

    def impersonate(self, path, raw):
        """IAM Credentials generateAccessToken: a token of the named account for a caller with a valid token."""
        auth = self.headers.get("Authorization", "")
        with LOCK:
            ok = auth.startswith("Bearer ") and auth[7:] in STATE["tokens"]
        body = json.loads(raw or b"{}")
        account = urllib.parse.unquote(path[len("/v1/projects/-/serviceAccounts/"):-len(":generateAccessToken")])
        if not ok:
            return self.reply(401, {"error": {"code": 401, "message": "Request had invalid authentication credentials.",
                                              "status": "UNAUTHENTICATED"}})
        if "https://www.googleapis.com/auth/bigquery" not in body.get("scope", []) or account != ARGS.impersonate:
            return self.reply(403, {"error": {"code": 403, "message": "Permission 'iam.serviceAccounts.getAccessToken' denied",
                                              "status": "PERMISSION_DENIED"}})
        token = "ya29.impersonated-" + secrets.token_hex(16)
        expire = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
        with LOCK:
            STATE["tokens"].add(token)
            STATE["impersonations"] += 1
        return self.reply(200, {"accessToken": token, "expireTime": expire})

    def control(self, method, path, raw):
        body = json.loads(raw) if raw else {}
        with LOCK:
            if path == "/__inject":
                STATE["faults"].append({"status": body.get("status", 500), "reason": body.get("reason", "backendError"),
                                        "message": body.get("message", "Backend error. Job aborted."),
                                        "count": body.get("count", 1), "path": body.get("path", ""),
                                        "body": body.get("body", ""), "forward": body.get("forward", False)})
                return self.reply(200, {})
            if path == "/__reply":
                STATE["replies"].append({"path": body["path"], "body": body["body"], "count": body.get("count", 1),
                                         "body_match": body.get("body_match", "")})
                return self.reply(200, {})
            if path == "/__requests":
                return self.reply(200, STATE["requests"])
            if path == "/__reset":
                STATE["requests"].clear()
                STATE["faults"].clear()
                STATE["replies"].clear()
                return self.reply(200, {})
            if path == "/__stats":
                return self.reply(200, {"exchanges": STATE["exchanges"], "impersonations": STATE["impersonations"]})
            if path == "/__config":
                STATE["expires_in"] = body.get("expires_in", STATE["expires_in"])
                return self.reply(200, {})
        return self.reply(404, {"error": "unknown control path"})


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--public-key", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--client-id", default="test-client")
    parser.add_argument("--client-secret", default="test-secret")
    parser.add_argument("--refresh-token", default="test-refresh")
    parser.add_argument("--impersonate", default="opsflow-runner@opsflow-test.iam.gserviceaccount.com",
                        help="the one service account callers may impersonate")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--parent-pid", type=int, help="exit when this process is gone")
    parser.add_argument("--cleanup", help="a folder to delete on that exit (the test's keys)")
    ARGS = parser.parse_args()
    # Descriptors inherited from the test process (the test runner's output pipe among them) would
    # keep the runner waiting for their end after the tests finish: keep only stdin/out/err.
    for fd in [int(name) for name in os.listdir("/proc/self/fd") if int(name) > 2]:
        try:
            os.close(fd)
        except OSError:
            pass
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(ARGS.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(ARGS.port_file + ".tmp", ARGS.port_file)
    # Stop with the test run, whatever way it ends.
    def watch():
        while True:
            time.sleep(1)
            try:
                os.kill(ARGS.parent_pid, 0)
                # An exited test process that its runner has not reaped yet is a zombie: gone too.
                with open(f"/proc/{ARGS.parent_pid}/stat") as f:
                    if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                        raise OSError("parent exited")
            except OSError:
                if ARGS.cleanup:
                    shutil.rmtree(ARGS.cleanup, ignore_errors=True)
                os._exit(0)
    if ARGS.parent_pid:
        threading.Thread(target=watch, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
