"""Site → one article page per entry (prev/next, related, tags, account, reading time)."""

from __future__ import annotations

from typing import Any

from generator.config import SiteConfig
from generator.model.site import Entry, Site
from generator.outputs import Output
from generator.render import urls


def article_context(site: Site, cfg: SiteConfig, entry: Entry) -> dict[str, Any]:
    """Everything article.html shows about ENTRY."""
    newer, older = site.neighbours(entry)
    front = entry.front
    return {
        "entry": entry,
        "title": entry.title,
        "newer": newer,
        "older": older,
        "related": site.related(entry, cfg.related),
        "tags": [site.tag_terms[t] for t in front.tags if t in site.tag_terms],
        "account": site.account_terms.get(front.account) if front.account else None,
        "extra": front.extra,
    }


def plan(site: Site, cfg: SiteConfig) -> list[Output]:
    """One article page per entry, its context built when it is rendered."""
    return [Output(urls.output_path(e.url), template="article.html",
                   context=_Lazy(site, cfg, e), source=str(e.source_path))
            for e in site.entries]


class _Lazy:
    """A picklable deferred article context."""

    __slots__ = ("site", "cfg", "entry")

    def __init__(self, site: Site, cfg: SiteConfig, entry: Entry):
        self.site, self.cfg, self.entry = site, cfg, entry

    def __call__(self) -> dict[str, Any]:
        return article_context(self.site, self.cfg, self.entry)
