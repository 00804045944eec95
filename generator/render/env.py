"""The one Jinja environment of a build: theme loaders, autoescape, filters, page context."""

from __future__ import annotations

import datetime as dt
import hashlib
import html as htmllib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from jinja2 import BytecodeCache, Environment, StrictUndefined, pass_context
from markupsafe import Markup

from generator import urls
from generator.config import SiteConfig
from generator.model import cache, sealed
from generator.model.article import CHINA_TZ
from generator.render.i18n import texts
from generator.render.theme import Theme


@dataclass(frozen=True)
class SiteInfo:
    """What templates may know about the site (never the whole configuration)."""

    title: str
    description: str
    author: str
    language: str
    base_url: str
    base_path: str
    relative_links: bool
    search: bool
    params: dict[str, Any]
    pages: tuple[tuple[str, str], ...] = ()
    """(title, url) of the standalone pages listed in the footer."""


@dataclass(frozen=True)
class Page:
    """The page being rendered: its URL and the prefix that turns root-relative URLs into links."""

    url: str
    root: str


@dataclass(frozen=True)
class PageRoot:
    """What a cached partial knows of the page: only its root (page.url is an error there)."""

    root: str


def _day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return (value.astimezone(CHINA_TZ) if value.tzinfo else value).date()
    return value


def date_zh(value: dt.date | dt.datetime | None) -> str:
    """2018年9月27日."""
    if value is None:
        return ""
    d = _day(value)
    return f"{d.year}年{d.month}月{d.day}日"


def isodate(value: dt.date | dt.datetime | None) -> str:
    """2018-09-27 (the day in China time)."""
    return _day(value).isoformat() if value is not None else ""


def rfc3339(value: dt.date | dt.datetime | None) -> str:
    """An Atom timestamp; a bare date is midnight China time."""
    if value is None:
        return "1970-01-01T00:00:00Z"
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), CHINA_TZ)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=CHINA_TZ)
    return value.isoformat()


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: Any) -> str:
    """VALUE as text without the characters XML 1.0 forbids (scraped text has some)."""
    return _NOT_XML.sub("", str(value)) if value is not None else ""


def http_url(value: str | None) -> str | None:
    """VALUE if it is an http(s) URL (never javascript: and the like), else None."""
    if not value:
        return None
    value = value.strip()
    return value if urlsplit(value).scheme.lower() in ("http", "https") else None


_IMG_SRC = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"')


def first_image(html: str) -> str | None:
    """The src of the first image in sanitized body HTML (a page's picture when it has no cover)."""
    found = _IMG_SRC.search(html)
    return htmllib.unescape(found.group(1)) if found else None


_SCRIPT_UNSAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                  0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_ld(value: Any) -> Markup:
    """VALUE as JSON safe inside <script type="application/ld+json"> (empty values left out)."""
    def prune(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: prune(x) for k, x in v.items() if x not in (None, "", [], {})}
        if isinstance(v, (list, tuple)):
            return [prune(x) for x in v if x not in (None, "", [], {})]
        return v
    text = json.dumps(prune(value), ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_SCRIPT_UNSAFE))


class _TemplateCache(BytecodeCache):
    """Compiled templates kept in the site's cache folder (compiling takes ~0.2 s per build).

    Entries are keyed by template source; the folder name carries Jinja's version and this
    module's code, which set the compile options. Each file is sealed (compiled code runs when
    loaded: see generator.model.sealed). A read-only site just compiles every time.
    """

    def __init__(self, site_dir: Path):
        tag = hashlib.sha1(jinja2.__version__.encode() + Path(__file__).read_bytes()).hexdigest()
        self.folder = site_dir / cache.FOLDER / f"templates-{tag[:12]}"

    def _path(self, bucket: Any) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def dump_bytecode(self, bucket: Any) -> None:
        try:
            sealed.write_sealed(self._path(bucket), bucket.bytecode_to_string())
        except OSError:
            pass

    def load_bytecode(self, bucket: Any) -> None:
        data = sealed.read_sealed(self._path(bucket))
        if data is not None:
            bucket.bytecode_from_string(bytes(data))


def make_env(cfg: SiteConfig, theme: Theme,
             menu: tuple[tuple[str, str], ...] = ()) -> Environment:
    """Build the Jinja environment for THEME (one per build); MENU is SiteInfo.pages."""
    env = Environment(loader=theme.loader(), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      auto_reload=False, cache_size=-1,
                      bytecode_cache=_TemplateCache(Path(cfg.site_dir)))
    env.globals["site"] = SiteInfo(
        title=cfg.title, description=cfg.description, author=cfg.author, language=cfg.language,
        base_url=cfg.base_url, base_path=cfg.base_path, relative_links=cfg.relative_links,
        search=cfg.search.enabled,
        params=dict(theme.params), pages=menu)
    env.globals["urls"] = {"home": urls.HOME, "archive": urls.ARCHIVE, "tags": urls.TAGS,
                           "accounts": urls.ACCOUNTS, "undated": urls.UNDATED,
                           "search": urls.SEARCH, "feed": urls.FEED, "sitemap": urls.SITEMAP}
    t = texts(cfg.language)
    env.globals["t"] = t
    env.filters.update(link=_link, absurl=_absurl, date_zh=date_zh, isodate=isodate,
                       date_local=lambda v: t.date(_day(v)) if v is not None else "",
                       year_label=t.year, month_label=t.month,
                       rfc3339=rfc3339, xml=xml_text, http_url=http_url, first_image=first_image,
                       json_ld=json_ld)
    env.globals["partial_cached"] = _partial_cached
    env.fragments = {}  # type: ignore[attr-defined]  # see _partial_cached
    return env


FRAGMENT_LIMIT = 50_000
"""Cached partials kept per process before the cache starts afresh (~1 KB each)."""


@pass_context
def _partial_cached(ctx: Any, name: str, it: Any = None, *variants: Any) -> Markup:
    """Template NAME rendered with `it` = IT, once per build, page root and VARIANTS.

    Like Hugo's partialCached: a fragment repeated on many pages (an article's card in every
    list that shows it) is rendered once and reused. The partial sees `it`, `page.root` (so
    `link` works) and the globals; what it shows must depend on nothing else, and VARIANTS
    must tell apart every IT it is called with (an entry's URL, say).
    """
    env = ctx.environment
    root = ctx["page"].root
    cache: dict[tuple[Any, ...], Markup] = env.fragments  # type: ignore[attr-defined]
    key = (name, root, variants)
    fragment = cache.get(key)
    if fragment is None:
        if len(cache) >= FRAGMENT_LIMIT:
            cache.clear()
        html = env.get_template(name).render(it=it, page=PageRoot(root))
        fragment = cache[key] = Markup(html)
    return fragment


@pass_context
def _link(ctx: Any, url: str) -> str:
    """A link to root-relative URL from the page being rendered."""
    return urls.link(ctx["page"].root, url)


@pass_context
def _absurl(ctx: Any, url: str) -> str:
    """The full URL (for feeds, sitemaps and canonical links)."""
    return urls.absolute(ctx["site"].base_url, url)


def page_for(env: Environment, url: str) -> Page:
    """The Page of URL under this environment's link settings."""
    site: SiteInfo = env.globals["site"]  # type: ignore[assignment]
    return Page(url, urls.root_prefix(site.base_path, url, site.relative_links))


def render(env: Environment, template: str, path: str, context: dict[str, Any]) -> bytes:
    """Render TEMPLATE for the output file PATH into UTF-8 bytes."""
    page = page_for(env, urls.url_of(path))
    return env.get_template(template).render({**context, "page": page}).encode("utf-8")
