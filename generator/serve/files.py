"""Preview files: a request path → a file inside the output folder (or a refusal)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


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
