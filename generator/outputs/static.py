"""Theme static files (overrides win), robots.txt and 404.html."""

from __future__ import annotations

from generator import urls
from generator.config import SiteConfig
from generator.model.site import Site
from generator.outputs import Output
from generator.render.i18n import texts
from generator.render.theme import Theme


def robots(cfg: SiteConfig) -> bytes:
    """robots.txt allowing everything and naming the sitemap."""
    sitemap = urls.absolute(cfg.base_url, urls.SITEMAP)
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode()


def plan(site: Site, cfg: SiteConfig) -> list[Output]:
    """Static files of the theme chain, the content folder's images, robots.txt, the 404 page."""
    out = [Output(path, copy_of=str(src), source=str(src))
           for path, src in Theme.load(cfg).static_files().items()]
    out += [Output(rel, copy_of=src, source=src) for rel, src in site.images.items()]
    out.append(Output("robots.txt", data=robots(cfg), source="robots.txt"))
    out.append(Output(urls.NOT_FOUND, template="404.html", context={"title": texts(cfg.language)("not_found")},
                      source="404 page"))
    return out
