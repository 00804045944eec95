"""Site → one page per standalone page (content/pages/): /<slug>/index.html."""

from __future__ import annotations

from generator import urls
from generator.config import SiteConfig
from generator.model.site import Site
from generator.outputs import Output


def plan(site: Site, cfg: SiteConfig) -> list[Output]:
    """The standalone pages, rendered with page.html."""
    return [Output(urls.output_path(p.url), template="page.html", source=p.source,
                   context={"title": p.title, "standalone": p}) for p in site.pages]
