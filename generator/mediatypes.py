"""Content-Type by file suffix: one table for the preview server and for object-storage deploys."""

from __future__ import annotations

from pathlib import PurePath

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


def content_type(path: PurePath | str) -> str:
    """Return the Content-Type header for a file, by its suffix."""
    return CONTENT_TYPES.get(PurePath(path).suffix.lower(), "application/octet-stream")
