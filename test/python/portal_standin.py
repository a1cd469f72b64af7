"""A stand-in for the CERN Open Data portal's record API on 127.0.0.1, for tests.

Serves real records from the shared fixtures in the API answer shape (docs/portal.md):
`GET /api/records/<recid>` → `{id, created, updated, links, metadata}` and
`GET /api/records/?...` → `{hits: {hits: [...], total}, links, aggregations}`. A few recids that no
real record uses misbehave on purpose (see FAULTS). Every request is recorded in `requests`.
Over https (as the real portal) when given a certificate: `make_certificates` makes a test CA and
certificates for 127.0.0.1 with test/support/make-certs.sh (openssl), as the TypeScript tests do.
"""

from __future__ import annotations

import json
import re
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "data" / "records" / "fixtures"
MAKE_CERTS = Path(__file__).resolve().parents[1] / "support" / "make-certs.sh"

# recid → what the stand-in does instead of answering.
FAULTS = {
    "9000001": "html",  # the portal's HTML error page with status 200
    "9000002": "slow",  # no answer before the route's timeout
    "9000003": "huge",  # more bytes than the route passes on
    "9000004": "redirect",  # a redirect to another host
    "9000005": "error",  # HTTP 500
}


def load_records(*names: str) -> dict[str, dict]:
    records = {}
    for name in names:
        for record in json.loads((FIXTURES / name).read_text(encoding="utf-8")):
            records[str(record["recid"])] = record
    return records


def make_certificates(directory: Path) -> dict[str, Path]:
    """`ca` (the test CA to trust), `server`/`server_key` (127.0.0.1 from that CA) and
    `untrusted`/`untrusted_key` (the same names from a CA nobody trusts), as PEM files."""
    subprocess.run(["sh", str(MAKE_CERTS), str(directory)], check=True, capture_output=True)
    return {
        "ca": directory / "ca.pem",
        "server": directory / "server.pem",
        "server_key": directory / "server.key",
        "untrusted": directory / "untrusted.pem",
        "untrusted_key": directory / "untrusted.key",
    }


def api_record(record: dict) -> dict:
    recid = str(record["recid"])
    return {
        "id": int(recid),
        "created": "2024-01-01T00:00:00+00:00",
        "updated": "2024-01-01T00:00:00+00:00",
        "links": {"self": f"/api/records/{recid}"},
        "metadata": record,
    }


class PortalStandIn:
    def __init__(
        self,
        records: dict[str, dict],
        slow_seconds: float = 3.0,
        certificate: tuple[Path, Path] | None = None,
        files: dict[str, Path] | None = None,
    ):
        """`certificate`: (certificate, key) PEM files to serve https with; default http.
        `files`: URL path (decoded, e.g. `/eos/opendata/x y.root`) → local file, served with HEAD
        and single byte ranges, as the portal's /eos/ file server (uproot reads ROOT files so)."""
        self.records = records
        self.files = files or {}
        self.requests: list[str] = []
        self.slow_seconds = slow_seconds
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                standin.requests.append(self.path)
                standin.answer(self)

            def do_HEAD(self):
                standin.requests.append("HEAD " + self.path)
                standin.answer_file(self, head=True)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a client that refuses our certificate, or hangs up

        self.server = Server(("127.0.0.1", 0), Handler)
        scheme = "http"
        if certificate:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*map(str, certificate))
            # The handshake happens in the request's thread, so a refused one cannot stall the others.
            self.server.socket = context.wrap_socket(
                self.server.socket, server_side=True, do_handshake_on_connect=False
            )
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def answer_file(self, handler: BaseHTTPRequestHandler, head: bool = False) -> bool:
        """Serves one of `files` (False when the path names none): 200, or 206 for `Range`."""
        local = self.files.get(unquote(urlsplit(handler.path).path))
        if local is None:
            if head:
                self.send(handler, 404, "text/plain", b"")
            return False
        data = local.read_bytes()
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", handler.headers.get("Range", "").strip())
        status, start, end = 200, 0, len(data)
        if match and (match.group(1) or match.group(2)):
            if match.group(1):
                start = int(match.group(1))
                end = min(len(data), int(match.group(2)) + 1) if match.group(2) else len(data)
            else:
                start = max(0, len(data) - int(match.group(2)))
            status = 206
        handler.send_response(status)
        handler.send_header("Content-Type", "application/octet-stream")
        handler.send_header("Accept-Ranges", "bytes")
        handler.send_header("Content-Length", str(end - start))
        if status == 206:
            handler.send_header("Content-Range", f"bytes {start}-{end - 1}/{len(data)}")
        handler.end_headers()
        if not head:
            try:
                handler.wfile.write(data[start:end])
            except (BrokenPipeError, ConnectionResetError):
                pass
        return True

    def answer(self, handler: BaseHTTPRequestHandler):
        if self.answer_file(handler):
            return None
        parts = urlsplit(handler.path)
        if parts.path == "/api/records/":
            query = parse_qsl(parts.query)
            size = int(dict(query).get("size", 10))
            hits = [api_record(r) for r in self.records.values()]
            body = {
                "hits": {"hits": hits[:size], "total": len(hits)},
                "links": {"self": handler.path},
                "aggregations": {},
            }
            return self.send_json(handler, 200, body)
        prefix = "/api/records/"
        recid = parts.path[len(prefix):] if parts.path.startswith(prefix) else ""
        fault = FAULTS.get(recid)
        if fault == "html":
            return self.send(handler, 200, "text/html; charset=utf-8", b"<html><body>Error</body></html>")
        if fault == "slow":
            time.sleep(self.slow_seconds)
            return self.send_json(handler, 200, {})
        if fault == "huge":
            return self.send(handler, 200, "application/json", b'"' + b"x" * 3_000_000 + b'"')
        if fault == "redirect":
            handler.send_response(302)
            handler.send_header("Location", "http://example.org/api/records/1")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return None
        if fault == "error":
            return self.send_json(handler, 500, {"status": 500, "message": "Internal server error"})
        record = self.records.get(recid)
        if record is None:
            return self.send_json(handler, 404, {"status": 404, "message": "PID does not exist."})
        return self.send_json(handler, 200, api_record(record))

    def send_json(self, handler, status: int, body) -> None:
        self.send(handler, status, "application/json", json.dumps(body).encode("utf-8"))

    @staticmethod
    def send(handler, status: int, content_type: str, data: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        try:
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
