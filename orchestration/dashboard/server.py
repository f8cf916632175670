"""The dashboard's HTTP server: the standard library's threading server, GET only.

Each request opens the published warehouse read-only for its own duration (see
warehouse.py), so a refresh can replace the file at any moment and the next request shows
the new build.
"""

from __future__ import annotations

import sys
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from orchestration.dashboard.pages import error_page, render
from orchestration.dashboard.warehouse import Warehouse

# No script, no external resource: the pages need nothing but their inline style and SVG.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


class DashboardServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], warehouse: Warehouse, *, quiet: bool = False):
        super().__init__(address, DashboardHandler)
        self.warehouse = warehouse
        self.quiet = quiet

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class DashboardHandler(BaseHTTPRequestHandler):
    server: DashboardServer
    server_version = "attache-dashboard"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, *, send_body: bool) -> None:
        url = urlsplit(self.path)
        try:
            response = render(url.path, parse_qs(url.query), self.server.warehouse)
        except Exception:  # noqa: BLE001 (a page must answer even when a query fails; logged)
            traceback.print_exc(file=sys.stderr)
            response = error_page(self.server.warehouse.path)
        body = response.html.encode("utf-8")
        self.send_response(response.status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # always the latest published build
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)


def make_server(
    warehouse: str | Path, *, host: str = "127.0.0.1", port: int = 8050, quiet: bool = False
) -> DashboardServer:
    """A bound server (port 0 picks a free port; see `.url`); call serve_forever() on it."""
    return DashboardServer((host, port), Warehouse(warehouse), quiet=quiet)
