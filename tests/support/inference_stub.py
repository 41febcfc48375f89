#!/usr/bin/env python3
"""A stand-in for the inference service at its wire protocol, for tests/it/jobs_graph.rs.

Usage: inference_stub.py PORT TOKEN ANSWERS_JSON CALLS_LOG

Answers POST /v1/decompose and POST /v1/escalate with the fixed JSON documents in ANSWERS_JSON
({"decompose": {...}, "escalate": {...}}), after checking the bearer token; appends one line per
call (the path, then the request body as JSON) to CALLS_LOG, so a test can count the calls and
read what the coordinator sent. It exits when its stdin closes (the test process died).
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, TOKEN, ANSWERS, CALLS = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path in ("/health", "/ready"):
            self.reply(200, {"status": "ok"})
        else:
            self.reply(404, {"error": {"code": "not_found", "message": "no such route"}})

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length)
        if self.headers.get("authorization") != "Bearer " + TOKEN:
            self.reply(401, {"error": {"code": "unauthorized", "message": "bad token"}})
            return
        with open(CALLS, "a") as log:
            log.write(self.path + " " + raw.decode() + "\n")
        with open(ANSWERS) as f:
            answers = json.load(f)
        key = {"/v1/decompose": "decompose", "/v1/escalate": "escalate"}.get(self.path)
        if key is None or key not in answers:
            self.reply(404, {"error": {"code": "not_found", "message": "no such route"}})
            return
        self.reply(200, answers[key])


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
server.shutdown()
