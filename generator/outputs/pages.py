"""Site → one article page per entry (prev/next, related, tags, account, reading time)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from generator import urls
from generator.config import SiteConfig
from generator.model.entry import Entry
from generator.model.site import Site
from generator.outputs import Output


class ArticleContext(Mapping):
    """What article.html is given: ENTRY, its neighbours, related entries, tags and account.

    `title` and `extra` are read from the entry when asked for, so a saved context (see
    generator.incremental.patch) stays right when only the entry itself changed.
    """

    KEYS = ("entry", "title", "newer", "older", "related", "tags", "account", "extra")

    def __init__(self, entry: Entry, newer: Entry | None, older: Entry | None,
                 related: list[Entry], tags: list[Any], account: Any):
        self.entry, self.newer, self.older = entry, newer, older
        self.related, self.tags, self.account = related, tags, account

    def __getitem__(self, key: str) -> Any:
        if key == "title":
            return self.entry.title
        if key == "extra":
            return self.entry.front.extra
        if key in self.KEYS:
            return getattr(self, key)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.KEYS)

    def __len__(self) -> int:
        return len(self.KEYS)


def article_context(site: Site, cfg: SiteConfig, entry: Entry) -> ArticleContext:
    """Everything article.html shows about ENTRY."""
    newer, older = site.neighbours(entry)
    front = entry.front
    return ArticleContext(
        entry, newer, older, site.related(entry, cfg.related),
        [site.tag_terms[t] for t in front.tags if t in site.tag_terms],
        site.account_terms.get(front.account) if front.account else None)


def plan(site: Site, cfg: SiteConfig) -> list[Output]:
    """One article page per entry, its context built when it is rendered."""
    return [Output(urls.output_path(e.url), template="article.html",
                   context=_Lazy(site, cfg, e), source=e.source)
            for e in site.entries]


class _Lazy:
    """A picklable deferred article context."""

    __slots__ = ("site", "cfg", "entry")

    def __init__(self, site: Site, cfg: SiteConfig, entry: Entry):
        self.site, self.cfg, self.entry = site, cfg, entry

    def __call__(self) -> ArticleContext:
        return article_context(self.site, self.cfg, self.entry)
