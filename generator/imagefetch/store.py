"""Downloaded images on disk: content/images/<sha256[:16]>.<ext> (the scheme of saved-page copies,
so an image met twice is stored once) and a small URL → file map in the site's cache folder.

The map makes runs resumable: a URL already downloaded is not requested again, as long as its
file is still there. It is a JSON-lines file appended after each image is in place, so a run
killed at any moment leaves at worst a line for a file that exists. Images are held in memory
while they download and written under a temporary name, then renamed: no half image ever carries
a final name, and temporaries a killed run left behind are removed by the next one.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path

from generator.clean.images import stored_as

MAP_NAME = "fetched-images.jsonl"
_TEMP_PREFIX = ".fetch-"
_STALE_SECONDS = 600


class ImageStore:
    """content/images plus the URL map; safe to use from several threads."""

    def __init__(self, content: Path, cache_dir: Path, *, write: bool = True):
        self.images = Path(content) / "images"
        self.map_path = Path(cache_dir) / MAP_NAME
        self.write = write
        self._lock = threading.Lock()
        self.known: dict[str, str] = _read_map(self.map_path)
        if write:
            _sweep(self.images)

    @property
    def empty(self) -> bool:
        return not self.known

    def lookup(self, url: str) -> str | None:
        """'images/<hash>.<ext>' already holding URL's image, or None."""
        rel = self.known.get(url)
        if rel and (self.images.parent / rel).is_file():
            return rel
        return None

    def put(self, url: str, data: bytes, ext: str) -> str:
        """Store DATA (once per content) and remember URL; its 'images/<hash>.<ext>'."""
        rel = stored_as(data, ext)
        if not self.write:
            return rel
        target = self.images.parent / rel
        if not (target.is_file() and target.stat().st_size == len(data)):
            self.images.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".part", dir=self.images)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        with self._lock:
            self.known[url] = rel
            try:
                self.map_path.parent.mkdir(parents=True, exist_ok=True)
                with open(self.map_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps({"url": url, "file": rel}, ensure_ascii=False) + "\n")
            except OSError:
                pass  # the map only saves requests; the image itself is in place
        return rel


def _read_map(path: Path) -> dict[str, str]:
    known: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return known
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by a killed run
        if isinstance(entry, dict) and isinstance(entry.get("url"), str):
            rel = entry.get("file")
            if isinstance(rel, str) and rel.startswith("images/") and "/" not in rel[7:] \
                    and ".." not in rel:
                known[entry["url"]] = rel
    return known


def _sweep(images: Path) -> None:
    """Remove temporaries of killed runs (older than a few minutes: never a live run's)."""
    if not images.is_dir():
        return
    cutoff = time.time() - _STALE_SECONDS
    for tmp in images.glob(_TEMP_PREFIX + "*.part"):
        try:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
        except OSError:
            pass
