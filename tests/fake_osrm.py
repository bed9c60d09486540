"""A loopback HTTP server speaking OSRM's ``table`` API, for tests: durations follow a known rule from the
coordinates, so a test can check every leg of a plan against what "the server" said.

Rule: seconds = round(60 × (|Δlat| + |Δlon|) × 100) + 120 between different points (a Manhattan metric in
hundredths of a degree, one minute each, plus two minutes), 0 on the diagonal. ``sources``/``destinations`` are
honoured, and ``max_table`` refuses bigger tables with OSRM's "TooBig" like ``osrm-routed --max-table-size``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def seconds(a: tuple[float, float], b: tuple[float, float]) -> float:
    """(lon, lat) → the fake road's seconds."""
    if a == b:
        return 0.0
    return round(60 * (abs(a[0] - b[0]) + abs(a[1] - b[1])) * 100) + 120


class FakeOsrm:
    def __init__(self, max_table: int = 100) -> None:
        self.max_table, self.requests, self.down = max_table, [], False

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append(self.path)
                if fake.down:
                    self.send_response(503)
                    self.end_headers()
                    return
                parts = urlsplit(self.path)
                coords = [tuple(float(x) for x in c.split(",")) for c in parts.path.split("/")[-1].split(";")]
                query = parse_qs(parts.query)
                src = [int(i) for i in query["sources"][0].split(";")] if "sources" in query else range(len(coords))
                dst = ([int(i) for i in query["destinations"][0].split(";")] if "destinations" in query
                       else range(len(coords)))
                src, dst = list(src), list(dst)
                if len(src) * len(dst) > self.server.fake.max_table ** 2:
                    body = {"code": "TooBig", "message": "Too many table coordinates"}
                else:
                    body = {"code": "Ok", "durations": [[seconds(coords[i], coords[j]) for j in dst] for i in src]}
                data = json.dumps(body).encode()
                self.send_response(200 if body["code"] == "Ok" else 400)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@contextmanager
def fake_osrm(max_table: int = 100) -> Iterator[tuple[str, FakeOsrm]]:
    """(url, server state) of a running fake OSRM on 127.0.0.1."""
    fake = FakeOsrm(max_table)
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    server.fake = fake
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", fake
    finally:
        server.shutdown()
        server.server_close()
