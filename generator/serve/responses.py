"""Preview answers: a site file (waiting out builds), the reload script, the status, refusals.

Each function returns a Response; the connection layer (serve.connections) sends it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from generator.mediatypes import content_type
from generator.serve.files import resolve
from generator.serve.panel import RELOAD_JS, SCRIPT_URL, STATUS_URL, inject, placeholder_page
from generator.serve.request import UNSATISFIABLE, byte_range

if TYPE_CHECKING:
    from generator.serve.state import BuildState

_HTML = "text/html; charset=utf-8"
_TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Response:
    status: int
    ctype: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A short plain-text answer (refusals and errors)."""
    return Response(status, _TEXT, f"{status} {message}\n".encode(), headers or {})


@dataclass(frozen=True)
class Site:
    """What the answers need to know about the preview: where the output is and its state."""

    root: Path
    base_path: str
    state: BuildState
    read_timeout: float


def _page(state: BuildState, body: bytes) -> bytes:
    """An HTML page with the reload script (and the error panel, if anything went wrong)."""
    return inject(body, state.epoch, state.failure, state.left_out)


def site_response(site: Site, target: str, range_header: str | None) -> Response:
    """Answer a site path; blocks while a build writes the output (run it off the event loop)."""
    state = site.state
    state.enter_read(site.read_timeout)
    try:  # read under the lock, send after it: a slow client never holds up a build
        return _read(site, target, range_header)
    finally:
        state.leave_read()


def _read(site: Site, target: str, range_header: str | None) -> Response:
    state = site.state
    where = resolve(site.root, site.base_path, target)
    if where.location is not None:
        return Response(where.status, _TEXT, b"", {"Location": where.location})
    if where.file is not None:
        try:
            return _file(state, where.file.read_bytes(), where.file, range_header)
        except OSError:  # gone or unreadable since it was resolved: answered as missing
            pass
    elif where.status == 403:
        return text(403, "Forbidden")
    if not state.built:
        return Response(503, _HTML, _page(state, placeholder_page(state.failure)))
    page = site.root / "404.html"
    body = page.read_bytes() if page.is_file() else b"<!doctype html><title>404</title>" \
        b"<body><h1>404 Not Found</h1></body>"
    return Response(404, _HTML, _page(state, body))


def _file(state: BuildState, body: bytes, file: Path, range_header: str | None) -> Response:
    """The file, or the part a Range header asks for (pages get the reload script whole).

    The search page reads article excerpts by range, as it does from a static host.
    """
    ctype = content_type(file)
    if file.suffix.lower() in (".html", ".htm"):
        return Response(200, ctype, _page(state, body))
    part = byte_range(range_header, len(body))
    if part == UNSATISFIABLE:
        return Response(416, ctype, b"", {"Content-Range": f"bytes */{len(body)}"})
    if part is not None:
        start, end = part
        return Response(206, ctype, body[start:end], {
            "Content-Range": f"bytes {start}-{end - 1}/{len(body)}", "Accept-Ranges": "bytes"})
    return Response(200, ctype, body, {"Accept-Ranges": "bytes"})


def reserved_response(state: BuildState, target: str) -> Response:
    """Answer one of the preview's own endpoints (the reload script, the build status)."""
    path = urlsplit(target).path
    if path == SCRIPT_URL:
        return Response(200, "text/javascript; charset=utf-8", RELOAD_JS.encode())
    if path == STATUS_URL:
        failure = state.failure
        body = json.dumps({"epoch": state.epoch, "built": state.built,
                           "error": str(failure) if failure else None,
                           "problems": [p.to_json() for p in state.problems]},
                          ensure_ascii=False)
        return Response(200, "application/json; charset=utf-8", body.encode())
    return text(404, "Not Found")
