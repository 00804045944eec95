"""Find the remote images an article references (body and `cover`), download the ones not yet
local through a small pool of worker threads, and point the references at the local copies.

Every http(s) image the article references is fetched, whatever its host (an archive wants them
all; loopback and private addresses included). An image that cannot be fetched keeps its remote
URL: a reference is never lost. Alt text and link titles are kept as written.
"""

from __future__ import annotations

import queue
import re
import threading
from dataclasses import dataclass, field

from generator.imagefetch.http import FetchFailed, Settings, download, request_url
from generator.imagefetch.store import ImageStore

_MD_IMAGE = re.compile(r"(!\[(?:\\.|[^\]\\\n])*\]\(\s*)(<[^>\n]*>|[^)\s]+)"
                       r"((?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\))")
_HTML_IMG = re.compile(r"(<img\b[^>]*?\ssrc=)([\"'])(.*?)\2", re.I | re.S)


@dataclass
class Tally:
    """What happened to one article's (or a whole run's) remote images."""

    fetched: int = 0
    local: int = 0
    """Already downloaded before (by an earlier run or an earlier article)."""
    pending: int = 0
    """Not fetched because nothing may be downloaded (dry run, or --fetch-images not given)."""
    failed: list[str] = field(default_factory=list)
    """'URL: reason' for each image that could not be fetched (its remote URL stays)."""

    def add(self, other: "Tally") -> None:
        self.fetched += other.fetched
        self.local += other.local
        self.pending += other.pending
        self.failed += other.failed

    @property
    def touched(self) -> bool:
        return bool(self.fetched or self.local or self.pending or self.failed)

    def line(self) -> str:
        """'3 fetched, 1 already local, 1 failed'."""
        parts = [f"{self.fetched} fetched", f"{self.local} already local"]
        if self.pending:
            parts.append(f"{self.pending} not fetched")
        parts.append(f"{len(self.failed)} failed")
        return ", ".join(parts)

    def report(self) -> str:
        """The line, then one indented line per failed image ('URL: reason')."""
        return "\n".join([self.line(), *(f"  {failure}" for failure in self.failed)])


def references(body: str, cover: str | None = None) -> list[str]:
    """Remote image URLs as written in BODY (Markdown and <img> tags) and COVER, in order."""
    found = [m.group(2) for m in _MD_IMAGE.finditer(body)]
    if "<img" in body or "<IMG" in body:
        found += [m.group(3) for m in _HTML_IMG.finditer(body)]
    if cover:
        found.append(cover)
    return [w for w in dict.fromkeys(found) if request_url(w)]


class Fetcher:
    """Localises articles' images into STORE; downloads only when NETWORK is true."""

    def __init__(self, store: ImageStore, settings: Settings = Settings(), *, network: bool = True):
        self.store = store
        self.settings = settings
        self.network = network
        self.total = Tally()
        self._failed: dict[str, str] = {}  # request URL → reason, for this run
        self._jobs: queue.Queue = queue.Queue()
        self._started = False

    def localize(self, body: str, cover: str | None) -> tuple[str, str | None, Tally]:
        """(body, cover) pointing at local copies where possible, and what happened."""
        tally = Tally()
        written = references(body, cover)
        if not written:
            return body, cover, tally
        local: dict[str, str] = {}
        wanted: dict[str, list[str]] = {}  # request URL → the ways it is written
        for w in written:
            url = request_url(w)
            assert url is not None
            rel = self.store.lookup(url)
            if rel:
                local[w] = rel
                tally.local += 1
            elif url in self._failed:
                tally.failed.append(f"{url}: {self._failed[url]}")
            elif not self.network:
                tally.pending += 1
            else:
                wanted.setdefault(url, []).append(w)
        failed: dict[str, str] = {}
        for url, result in self._download(list(wanted)):  # each stored as soon as it arrives
            if isinstance(result, FetchFailed):
                failed[url] = self._failed[url] = str(result)
                continue
            rel = self.store.put(url, *result)
            tally.fetched += 1
            for w in wanted[url]:
                local[w] = rel
        tally.failed += [f"{url}: {failed[url]}" for url in wanted if url in failed]
        self.total.add(tally)
        return rewrite(body, local), local.get(cover or "", cover), tally

    def _download(self, urls: list[str]):
        """(url, (bytes, ext) or FetchFailed) for each of URLS, as the workers finish them."""
        if not urls:
            return
        self._start()
        out: queue.Queue = queue.Queue()
        for url in urls:
            self._jobs.put((url, out))
        for _ in urls:
            yield out.get()

    def _start(self) -> None:
        # Daemon threads: an interrupted run exits at once instead of waiting for downloads.
        if not self._started:
            for _ in range(max(1, self.settings.workers)):
                threading.Thread(target=self._work, daemon=True, name="image-fetch").start()
            self._started = True

    def _work(self) -> None:
        while True:
            url, out = self._jobs.get()
            try:
                out.put((url, download(url, self.settings)))
            except FetchFailed as exc:
                out.put((url, exc))
            except Exception as exc:  # a bug costs this image, never the run
                out.put((url, FetchFailed(f"internal error: {type(exc).__name__}: {exc}")))


def rewrite(body: str, local: dict[str, str]) -> str:
    """BODY with each image URL written as a key of LOCAL replaced by its local path."""
    if not local:
        return body
    body = _MD_IMAGE.sub(lambda m: m.group(1) + local[m.group(2)] + m.group(3)
                         if m.group(2) in local else m.group(0), body)
    return _HTML_IMG.sub(lambda m: f"{m.group(1)}{m.group(2)}{local[m.group(3)]}{m.group(2)}"
                         if m.group(3) in local else m.group(0), body)
