"""Site → /sitemap.xml, split into numbered sitemaps under a sitemap index past 50,000 URLs."""

from __future__ import annotations

from generator import urls
from generator.config import SiteConfig
from generator.model.site import Site
from generator.outputs import Output

LIMIT = 50_000
"""URLs per sitemap file (the protocol's maximum)."""


def page_urls(site: Site) -> list[tuple[str, str | None]]:
    """(URL, last-modified day or None) of every first list page, standalone page and article."""
    rows: list[tuple[str, str | None]] = [(urls.HOME, None), (urls.ARCHIVE, None)]
    for year, months in site.years.items():
        rows.append((urls.year_url(year), None))
        rows += [(urls.month_url(year, m), None) for m in months]
    if site.undated:
        rows.append((urls.UNDATED, None))
    rows.append((urls.TAGS, None))
    rows += [(t.url, None) for t in site.tag_terms.values()]
    rows.append((urls.ACCOUNTS, None))
    rows += [(t.url, None) for t in site.account_terms.values()]
    rows += [(p.url, None) for p in site.pages]
    rows += [(e.url, e.day.isoformat() if e.day else None) for e in site.entries]
    return rows


def plan(site: Site, cfg: SiteConfig, limit: int = LIMIT) -> list[Output]:
    """sitemap.xml, or a sitemap index plus sitemap-N.xml parts when there are too many URLs."""
    rows = page_urls(site)
    if len(rows) <= limit:
        return [Output(urls.SITEMAP, template="sitemap.xml", context={"rows": rows},
                       source="sitemap")]
    parts = [rows[i:i + limit] for i in range(0, len(rows), limit)]
    names = [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    out = [Output(name, template="sitemap.xml", context={"rows": part}, source="sitemap")
           for name, part in zip(names, parts)]
    out.append(Output(urls.SITEMAP, template="sitemap_index.xml", context={"parts": names},
                      source="sitemap index"))
    return out
