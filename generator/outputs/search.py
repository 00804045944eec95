"""Site → the search index files under search/ and the search page (format: docs/search-format.md)."""

from __future__ import annotations

from generator.config import SiteConfig
from generator.model.site import Entry, Site
from generator.outputs import Output
from generator.render import urls
from generator.search.index import SearchDoc, build_index

FOLDER = urls.SEARCH
"""Where the index and the page go (search/)."""


def search_doc(entry: Entry) -> SearchDoc:
    """What the index keeps of ENTRY."""
    front = entry.front
    return SearchDoc(title=front.title, url=urls.encode(entry.url), text=entry.text,
                     date=entry.day.isoformat() if entry.day else None,
                     account=front.account or None, tags=tuple(front.tags))


def plan(site: Site, cfg: SiteConfig) -> list[Output]:
    """The index files and search/index.html, unless search is turned off."""
    if not cfg.search.enabled:
        return []
    files = build_index([search_doc(e) for e in site.entries], cfg.search.shards)
    out = [Output(FOLDER + path, data=data, source="search index")
           for path, data in sorted(files.items())]
    out.append(Output(urls.output_path(FOLDER), template="search.html",
                      context={"title": "搜索"}, source="search page"))
    return out
