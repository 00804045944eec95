"""Site → Atom feeds: the whole site (full text) and one per tag and account (summaries)."""

from __future__ import annotations

from generator import urls
from generator.config import SiteConfig
from generator.model.entry import Entry
from generator.model.site import Site
from generator.outputs import Output
from generator.render.i18n import texts


def feed(path: str, title: str, page_url: str, entries: list[Entry], size: int,
         full: bool, source: str) -> Output:
    """One Atom feed of the newest SIZE dated ENTRIES."""
    dated = [e for e in entries if e.front.date is not None][:size]
    return Output(path, template="feed.xml", source=source, context={
        "title": title, "feed_url": path, "page_url": page_url, "entries": dated,
        "updated": dated[0].front.date if dated else None, "full": full})


def plan(site: Site, cfg: SiteConfig) -> list[Output]:
    """The site feed plus one feed per tag and per account."""
    size = cfg.feed_size
    t = texts(cfg.language)
    out = [feed(urls.FEED, cfg.title, urls.HOME, site.entries, size, True, "site feed")]
    for kind, terms in ((t("tags"), site.tag_terms), (t("accounts"), site.account_terms)):
        for term in terms.values():
            out.append(feed(term.feed_url, t("feed_of", name=term.name, kind=kind, site=cfg.title), term.url,
                            term.entries, size, False, f"feed of '{term.name}'"))
    return out
