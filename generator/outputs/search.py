"""Site → the search index files under search/ and the search page (format: docs/search-format.md)."""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from pathlib import Path

from generator import urls
from generator.config import SiteConfig
from generator.model.entry import Entry
from generator.model.site import Site
from generator.outputs import Output
from generator.render.i18n import texts
from generator.search.index import SearchDoc, write_base

FOLDER = urls.SEARCH
"""Where the index and the page go (search/)."""


def search_doc(entry: Entry) -> SearchDoc:
    """What the index keeps of ENTRY."""
    front = entry.front
    return SearchDoc(title=front.title, url=urls.encode(entry.url), text=entry.text,
                     date=entry.day.isoformat() if entry.day else None,
                     account=front.account or None, tags=tuple(front.tags),
                     headings=entry.headings)


def _remove(folder: str, owner: int) -> None:
    if os.getpid() == owner:  # not in a forked worker that drops its copy of the outputs
        shutil.rmtree(folder, ignore_errors=True)


def plan(site: Site, cfg: SiteConfig) -> list[Output]:
    """The index files and search/index.html, unless search is turned off.

    The index is written into a temporary folder (so memory does not grow with the
    collection) that the Outputs copy from; it is removed when they are dropped.
    """
    if not cfg.search.enabled:
        return []
    folder = Path(tempfile.mkdtemp(prefix="wenji-search-"))
    paths = write_base([search_doc(e) for e in site.entries], folder, cfg.search.shards)
    out = [Output(FOLDER + path, copy_of=str(folder / path), source="search index")
           for path in sorted(paths)]
    weakref.finalize(out[0], _remove, str(folder), os.getpid()).atexit = False
    out.append(Output(urls.output_path(FOLDER), template="search.html",
                      context={"title": texts(cfg.language)("search")}, source="search page"))
    return out
