"""Serving a built site on this machine, at the path it has when published.

A project site lives under /<repository>/ on GitHub Pages; serving it under the same path
(from ``site_url``, the one configuration place) means every link, the 404 page's too,
behaves here as it will there. Only 127.0.0.1 is listened on.
"""

from __future__ import annotations

import functools
import http.server
import socketserver
from pathlib import Path
from urllib.parse import unquote, urlsplit

from springrain.errors import SpringrainError

HOST = "127.0.0.1"
TRIES = 20  # ports tried from the one asked for, when it is taken
PORTS = (1, 65535)


class Handler(http.server.SimpleHTTPRequestHandler):
    """Files of the site under ``prefix``; the site's 404 page for anything missing."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        route = urlsplit(path).path
        if route.startswith(self.prefix):
            path = "/" + path[len(self.prefix) :]
        return super().translate_path(path)

    def do_GET(self) -> None:
        route = urlsplit(self.path).path
        if route in ("/", self.prefix.rstrip("/")) and self.prefix != "/":
            self.send_response(302)
            self.send_header("Location", self.prefix)
            self.end_headers()
            return
        # A NUL (%00) can name no file, and open() would raise on it mid-request.
        if not route.startswith(self.prefix) or "\x00" in unquote(route):
            self.send_missing()
            return
        super().do_GET()

    def send_missing(self) -> None:
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else b"Not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code == 404:
            self.send_missing()
        else:
            super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that closes a connection early is no error worth a traceback."""
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def make_server(site: Path, prefix: str, port: int) -> socketserver.TCPServer:
    """A server for ``site`` at ``prefix`` on the first free port from ``port`` on."""
    if not (site / "index.html").is_file():
        raise SpringrainError(
            f"{site} 中没有生成的网站（缺少 index.html）。请先运行 make build 或 make demo。",
            f"No built site in {site} (index.html is missing). Run make build or make demo first.",
        )
    handler = type("SiteHandler", (Handler,), {"prefix": prefix})
    bound = functools.partial(handler, directory=str(site))
    last = min(port + TRIES - 1, PORTS[1])
    for candidate in range(port, last + 1):
        try:
            return Server((HOST, candidate), bound)
        except OSError:
            continue
    raise SpringrainError(
        f"端口 {port} 到 {last} 都被占用或无法使用，请用 --port 指定其他端口。",
        f"Ports {port} to {last} are all taken or unusable; choose another with --port.",
    )


def address(server: socketserver.TCPServer, prefix: str) -> str:
    return f"http://{HOST}:{server.server_address[1]}{prefix}"
