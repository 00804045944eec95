"""Site → the search index files under search/ and the search page (format: docs/search-format.md)."""

from __future__ import annotations

from typing import Sequence

from generator import urls
from generator.config import SiteConfig
from generator.model.entry import Entry
from generator.model.site import Site
from generator.outputs import Output, Put
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


class SearchDocs(Sequence[SearchDoc]):
    """The search documents of ENTRIES, made when read (a body is unpacked only then)."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [search_doc(e) for e in self.entries[i]]
        return search_doc(self.entries[i])


def plan(site: Site, cfg: SiteConfig) -> list[Output]:
    """The index folder (written in the write phase) and search/index.html, unless search is off.

    A document's id is its entry's place in site.entries (newest first, undated last).
    """
    if not cfg.search.enabled:
        return []
    docs, shards = SearchDocs(site.entries), cfg.search.shards

    def files(put: Put) -> None:
        write_base(docs, put, shards)

    return [Output(FOLDER.rstrip("/"), files=files, source="search index"),
            Output(urls.output_path(FOLDER), template="search.html",
                   context={"title": texts(cfg.language)("search")}, source="search page")]
