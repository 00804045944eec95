"""Preview HTTP request handling: site files (waiting out builds), reload script, event stream."""

from __future__ import annotations

import dataclasses
import json
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from generator.serve_http import (EVENTS_URL, RELOAD_JS, RESERVED, SCRIPT_URL, STATUS_URL,
                                  UNSATISFIABLE, byte_range, content_type, inject,
                                  placeholder_page, resolve)

if TYPE_CHECKING:
    from generator.serve import BuildState, PreviewServer

Response = tuple[int, str, bytes, dict[str, str]]
_HTML = "text/html; charset=utf-8"
KEEPALIVE = 15.0
"""Seconds between comment lines on an idle reload stream (keeps proxies and browsers connected)."""


class PreviewHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server for one PreviewServer (IPv6 when the host is an IPv6 address)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], preview: PreviewServer):
        self.preview = preview
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hang up mid-response (tab closed, reload); report anything else."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    server_version = "wenji-serve"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Stay quiet: the terminal shows builds and errors, not every request."""

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        preview = self.server.preview
        path = urlsplit(self.path).path
        if path.startswith(RESERVED):
            return self._reserved(path, head)
        state = preview.state
        state.enter_read(preview.read_timeout)
        try:  # read under the lock, send after it: a slow client never holds up a build
            response = self._site_response(preview)
        finally:
            state.leave_read()
        self._send(*response, head=head)

    def _site_response(self, preview: PreviewServer) -> Response:
        """Return (status, type, body, headers) for a site path; HTML gets the reload script."""
        state = preview.state
        target = resolve(preview.root, preview.base_path, self.path)
        if target.location is not None:
            return target.status, "text/plain; charset=utf-8", b"", {"Location": target.location}
        if target.file is not None:
            try:
                body = target.file.read_bytes()
            except OSError:
                target = dataclasses.replace(target, status=404, file=None)
            else:
                return self._file_response(body, target.file)
        if target.status == 403:
            return 403, "text/plain; charset=utf-8", b"403 Forbidden\n", {}
        if not state.built:
            return 503, _HTML, self._page(placeholder_page(state.error)), {}
        page = preview.root / "404.html"
        body = page.read_bytes() if page.is_file() else b"<!doctype html><title>404</title>" \
            b"<body><h1>404 Not Found</h1></body>"
        return 404, _HTML, self._page(body), {}

    def _file_response(self, body: bytes, file: Path) -> Response:
        """The file, or the part a Range header asks for (pages get the reload script whole).

        The search page reads article excerpts by range, as it does from a static host.
        """
        ctype = content_type(file)
        if file.suffix.lower() in (".html", ".htm"):
            return 200, ctype, self._page(body), {}
        part = byte_range(self.headers.get("Range"), len(body))
        if part == UNSATISFIABLE:
            return 416, ctype, b"", {"Content-Range": f"bytes */{len(body)}"}
        if part is not None:
            start, end = part
            return 206, ctype, body[start:end], {
                "Content-Range": f"bytes {start}-{end - 1}/{len(body)}", "Accept-Ranges": "bytes"}
        return 200, ctype, body, {"Accept-Ranges": "bytes"}

    def _page(self, body: bytes) -> bytes:
        """An HTML page with the reload script (and the last build error, if any)."""
        state = self.server.preview.state
        return inject(body, state.epoch, state.error)

    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None,
              *, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _reserved(self, path: str, head: bool) -> None:
        state = self.server.preview.state
        if path == SCRIPT_URL:
            return self._send(200, "text/javascript; charset=utf-8", RELOAD_JS.encode(), head=head)
        if path == STATUS_URL:
            body = json.dumps({"epoch": state.epoch, "error": state.error, "built": state.built})
            return self._send(200, "application/json; charset=utf-8", body.encode(), head=head)
        if path == EVENTS_URL and not head:
            return self._stream_events(state)
        self._send(404, "text/plain; charset=utf-8", b"404 Not Found\n", head=head)

    def _stream_events(self, state: BuildState) -> None:
        """Send the build epoch now and after every build, as server-sent events."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not state.closed:
                epoch = state.wait_epoch(seen, KEEPALIVE) if seen >= 0 else state.epoch
                message = f"event: epoch\ndata: {epoch}\n\n" if epoch != seen else ": idle\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                seen = epoch
        except (BrokenPipeError, ConnectionResetError):
            pass
