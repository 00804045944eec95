"""Preview HTTP pieces: request path → file in the output (or refusal), types, reload snippet."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

RESERVED = "/__wenji__/"
"""URL prefix of the preview server's own endpoints (never a site path)."""
EVENTS_URL = RESERVED + "events"
SCRIPT_URL = RESERVED + "reload.js"
STATUS_URL = RESERVED + "status"

_TEXT = "; charset=utf-8"
CONTENT_TYPES = {
    ".html": "text/html" + _TEXT, ".htm": "text/html" + _TEXT, ".css": "text/css" + _TEXT,
    ".js": "text/javascript" + _TEXT, ".mjs": "text/javascript" + _TEXT,
    ".json": "application/json" + _TEXT, ".map": "application/json" + _TEXT,
    ".xml": "application/xml" + _TEXT, ".xsl": "application/xml" + _TEXT,
    ".atom": "application/atom+xml" + _TEXT, ".rss": "application/rss+xml" + _TEXT,
    ".txt": "text/plain" + _TEXT, ".md": "text/plain" + _TEXT, ".csv": "text/csv" + _TEXT,
    ".svg": "image/svg+xml" + _TEXT, ".webmanifest": "application/manifest+json" + _TEXT,
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon", ".bmp": "image/bmp",
    ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
    ".pdf": "application/pdf", ".mp3": "audio/mpeg", ".mp4": "video/mp4", ".webm": "video/webm",
    ".wasm": "application/wasm", ".gz": "application/gzip", ".zip": "application/zip",
}


def content_type(path: Path) -> str:
    """Return the Content-Type header for a file, by its suffix."""
    return CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")


UNSATISFIABLE = (-1, -1)
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """[start, end) of a file of SIZE bytes that a Range HEADER asks for (one range only).

    None means: send the whole file (no header, another unit, several ranges or a malformed
    one, which a server may ignore); UNSATISFIABLE means a 416 answer.
    """
    m = _RANGE.fullmatch(header.strip()) if header else None
    if m is None or m.group(1) == m.group(2) == "":
        return None
    first, last = m.groups()
    if first == "":  # the last N bytes
        start, end = max(0, size - int(last)), size
        return (start, end) if int(last) > 0 and size > 0 else UNSATISFIABLE
    start = int(first)
    end = size if last == "" else min(size, int(last) + 1)
    if last != "" and int(last) < start:
        return None
    return (start, end) if start < size else UNSATISFIABLE


@dataclass(frozen=True)
class Target:
    """Where a request path leads: a file, a redirect, or a refusal (status 403/404)."""

    status: int
    file: Path | None = None
    location: str | None = None


_FORBIDDEN_RAW = re.compile(r"%(2f|5c|00)|\\|\x00", re.IGNORECASE)


def resolve(root: Path, base_path: str, raw_path: str) -> Target:
    """Map the request target RAW_PATH to a file inside ROOT, never outside it."""
    parts = urlsplit(raw_path)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return Target(403)
    if _FORBIDDEN_RAW.search(parts.path):
        return Target(403)
    try:
        path = unquote(parts.path, errors="strict")
    except UnicodeDecodeError:
        return Target(404)
    if "\x00" in path or "\\" in path:
        return Target(403)
    if not path.startswith(base_path):
        if path + "/" == base_path or path == "/":
            return Target(302, location=base_path)
        return Target(404)
    segments = [s for s in path[len(base_path):].split("/") if s]
    if any(s in (".", "..") for s in segments):
        return Target(403)
    top = root.resolve()
    candidate = top.joinpath(*segments)
    try:
        real = candidate.resolve(strict=True)
    except (FileNotFoundError, NotADirectoryError):
        return Target(404)
    except (OSError, RuntimeError):  # symlink loops, name too long
        return Target(404)
    if real != top and top not in real.parents:
        return Target(403)
    if real.is_dir():
        if not path.endswith("/"):
            query = f"?{parts.query}" if parts.query else ""
            return Target(301, location=parts.path + "/" + query)
        real = real / "index.html"
        if not real.is_file():
            return Target(404)
    if not real.is_file():
        return Target(404)
    return Target(200, file=real)


def _insert_before_body_end(page: bytes, snippet: bytes) -> bytes:
    at = page.lower().rfind(b"</body>")
    return page + snippet if at < 0 else page[:at] + snippet + page[at:]


def inject(page: bytes, epoch: int, error: str | None) -> bytes:
    """Add the live-reload script (and the build-error overlay) to an HTML page being served."""
    snippet = (f'<script src="{SCRIPT_URL}" data-epoch="{epoch}" data-events="{EVENTS_URL}">'
               "</script>")
    if error:
        snippet = error_overlay(error) + snippet
    return _insert_before_body_end(page, snippet.encode("utf-8"))


def error_overlay(error: str) -> str:
    """Return the HTML of the overlay that shows a failed build's error."""
    return ('<div id="wenji-build-error" role="alert" style="position:fixed;inset:0;z-index:2147483647;'
            'overflow:auto;background:#fff3f3;color:#600;padding:2em;font:15px/1.5 monospace">'
            "<strong>Build failed — showing the last good build. Fix the error and save.</strong>"
            f'<pre style="white-space:pre-wrap">{html.escape(error)}</pre></div>')


def placeholder_page(error: str | None) -> bytes:
    """Return a page to show while no build has ever succeeded."""
    text = "Waiting for the first build…" if error is None else ""
    return ('<!doctype html><html><head><meta charset="utf-8"><title>wenji serve</title></head>'
            f"<body><p>{text}</p></body></html>").encode("utf-8")


RELOAD_JS = """\
(function () {
  "use strict";
  var me = document.currentScript;
  var epoch = me.getAttribute("data-epoch");
  var box = document.getElementById("wenji-build-error");
  if (box) {
    var s = box.style;
    s.position = "fixed"; s.top = s.left = s.right = s.bottom = "0"; s.zIndex = "2147483647";
    s.overflow = "auto"; s.background = "#fff3f3"; s.color = "#600"; s.padding = "2em";
    s.font = "15px/1.5 monospace";
  }
  if (!window.EventSource) { return; }
  var source = new EventSource(me.getAttribute("data-events"));
  source.addEventListener("epoch", function (event) {
    if (event.data !== epoch) { source.close(); window.location.reload(); }
  });
})();
"""
