"""Site → list pages: home, date archives, tags, accounts, undated; all paginated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import urls
from generator.config import SiteConfig
from generator.model.entry import Entry
from generator.model.site import Site
from generator.model.taxonomy import Term
from generator.outputs import Output
from generator.render.i18n import texts


@dataclass(frozen=True)
class Pager:
    """Where a list page sits among its siblings."""

    number: int
    count: int
    first_url: str
    newer_url: str | None
    older_url: str | None
    total: int
    """How many entries the whole list has."""

    def url(self, number: int) -> str:
        return urls.paged(self.first_url, number)

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: first, last and those near this one; None marks a gap."""
        shown = sorted({1, self.count, *range(max(1, self.number - around),
                                              min(self.count, self.number + around) + 1)})
        out: list[int | None] = []
        for i, n in enumerate(shown):
            if i and n - shown[i - 1] > 1:
                out.append(None)
            out.append(n)
        return out


def paginate(entries: list[Entry], url: str, per_page: int, template: str,
             context: dict[str, Any], source: str) -> list[Output]:
    """Split ENTRIES over pages URL, URL/page/2/, … rendered with TEMPLATE."""
    count = max(1, -(-len(entries) // per_page))
    outputs = []
    for number in range(1, count + 1):
        pager = Pager(number, count, url,
                      urls.paged(url, number - 1) if number > 1 else None,
                      urls.paged(url, number + 1) if number < count else None, len(entries))
        page_entries = entries[(number - 1) * per_page: number * per_page]
        outputs.append(Output(urls.output_path(urls.paged(url, number)), template=template,
                              context={**context, "entries": page_entries, "pager": pager},
                              source=source))
    return outputs


def year_counts(entries: list[Entry], url: str, per_page: int) -> list[tuple[int, int, str]]:
    """[(year, entries that year, URL of the list page where that year starts)], newest first."""
    counts: dict[int, int] = {}
    starts: dict[int, int] = {}
    for i, e in enumerate(entries):
        if e.day is not None:
            counts[e.day.year] = counts.get(e.day.year, 0) + 1
            starts.setdefault(e.day.year, i)
    return [(y, counts[y], urls.paged(url, starts[y] // per_page + 1))
            for y in sorted(counts, reverse=True)]


def _term_pages(terms: dict[str, Term], kind: str, index_url: str, per_page: int,
                heading: str) -> list[Output]:
    by_count = sorted(terms.values(), key=lambda t: (-t.count, t.name))
    by_name = list(terms.values())
    common = {"kind": kind, "heading": heading, "index_url": index_url,
              "by_name_url": index_url + "by-name.html"}
    out = [Output(urls.output_path(index_url), template="terms.html",
                  context={**common, "terms": by_count, "order": "count", "title": heading},
                  source=f"{kind} index"),
           Output(index_url + "by-name.html", template="terms.html",
                  context={**common, "terms": by_name, "order": "name", "title": heading},
                  source=f"{kind} index")]
    for term in terms.values():
        ctx = {"kind": kind, "term": term, "title": term.name, "feed_url": term.feed_url,
               "years": year_counts(term.entries, term.url, per_page) if kind == "account" else []}
        out += paginate(term.entries, term.url, per_page, "term.html", ctx, f"{kind} '{term.name}'")
    return out


def plan(site: Site, cfg: SiteConfig) -> list[Output]:
    """Every list page of the site."""
    per = cfg.per_page
    t = texts(cfg.language)
    out = paginate(site.entries, urls.HOME, per, "index.html",
                   {"title": cfg.title, "feed_url": urls.FEED}, "home page")
    archive = [(year, sum(len(m) for m in months.values()), urls.year_url(year),
                [(month, len(es), urls.month_url(year, month)) for month, es in months.items()])
               for year, months in site.years.items()]
    out.append(Output(urls.output_path(urls.ARCHIVE), template="archive.html",
                      context={"title": t("archive"), "years": archive,
                               "undated": len(site.undated)}, source="archive"))
    by_date = per if cfg.archive_per_page is None else cfg.archive_per_page
    for year, months in site.years.items():
        entries = [e for es in months.values() for e in es]
        month_links = [(m, len(es), urls.month_url(year, m)) for m, es in months.items()]
        out += paginate(entries, urls.year_url(year), by_date or len(entries), "list.html",
                        {"title": t.year(year), "months": month_links, "year": year},
                        f"archive {year}")
        for month, es in months.items():
            out += paginate(es, urls.month_url(year, month), by_date or len(es), "list.html",
                            {"title": t.year_month(year, month), "months": [], "year": year},
                            f"archive {year}-{month:02d}")
    if site.undated:
        out += paginate(site.undated, urls.UNDATED, per, "list.html",
                        {"title": t("undated"), "months": [], "year": None}, "undated")
    out += _term_pages(site.tag_terms, "tag", urls.TAGS, per, t("tags"))
    out += _term_pages(site.account_terms, "account", urls.ACCOUNTS, per, t("accounts"))
    return out
