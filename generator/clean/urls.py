"""URL hygiene for scraped pages: entity bugs, unsafe schemes, reader-session parameters."""

from __future__ import annotations

import html
import re
from typing import Mapping
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

from generator import session
from generator.meta import wechat
from generator.meta.wechat import is_wechat

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_JUNK = re.compile(r"[\x00-\x1f\x7f]")
_ENTITY_PARAM = re.compile(r"&(?:amp;)*([A-Za-z_][\w\-]*);=")
_SAVED = re.compile(r"^(\./)?[^/:?#]+_files/", re.I)
_PLACEHOLDER = re.compile(r"(\.svg(\?|$)|res\.wx\.qq\.com|/jsmonitor|/mp/report|badjs|beacon|"
                          r"/pixel|spacer\.gif|blank\.gif|transparent\.(gif|png)|1x1\.)", re.I)
_IMG_ATTRS = ("data-src", "data-original", "data-actualsrc", "data-lazy-src", "data-backsrc",
              "src", "data-duplicate-src")
_MMBIZ_JUNK = {"tp", "wxfrom", "wx_lazy", "wx_co"}


def fix_entities(url: str) -> str:
    """Undo HTML-entity damage in a URL: `&amp;` left encoded, `&from;=appmsg` → `&from=appmsg`."""
    url = url.strip()
    url = _ENTITY_PARAM.sub(r"&\1=", url)
    while "&amp;" in url or "&#38;" in url or "&#x26;" in url:
        url = url.replace("&amp;", "&").replace("&#38;", "&").replace("&#x26;", "&")
    if "&#" in url or "&quot;" in url or "&lt;" in url or "&gt;" in url:
        url = html.unescape(url)
    return url


def safe_url(url: str | None, *, base_url: str | None = None,
             schemes: tuple[str, ...] = ("http", "https", "mailto")) -> str | None:
    """URL with a scheme from SCHEMES (relative ones resolved against BASE_URL), else None."""
    if not url:
        return None
    url = _JUNK.sub("", fix_entities(url)).strip()
    if not url or url.startswith("#"):
        return None
    if url.startswith("//"):
        url = "https:" + url
    m = _SCHEME.match(url)
    if m is None:
        if base_url and _SCHEME.match(base_url):
            url = urljoin(base_url, url)
            m = _SCHEME.match(url)
        else:
            return url if ":" not in url.split("/")[0] else None
    if m is None or m.group(1).lower() not in schemes:
        return None
    return url


def clean_url(url: str | None) -> str | None:
    """The URL without reader-session values (generator.session); WeChat article links in
    canonical form (generator.meta.wechat.canonical_url)."""
    if not url:
        return None
    url = fix_entities(url)
    if url.startswith("//"):
        url = "https:" + url
    return wechat.canonical_url(url) or session.scrub_url(url)


def link_url(href: str, base_url: str | None = None) -> str | None:
    """A safe link target (http, https, mailto); WeChat links without session params."""
    url = safe_url(href, base_url=base_url)
    if url and is_wechat(url):
        url = clean_url(url)
    return url


def saved_copy(attrs: Mapping[str, str]) -> str | None:
    """The saved-page file an <img>'s attributes point at (`./NAME_files/640.jpeg`), if any."""
    for name in ("src", "data-duplicate-src", "data-src"):
        v = (attrs.get(name) or "").strip()
        if v and _SAVED.match(v):
            return unquote(v)
    return None


def image_src(attrs: Mapping[str, str], base_url: str | None = None) -> str | None:
    """The real remote URL of an <img> (lazy `data-src` first), else its saved copy, else None.

    Placeholders (data: URIs, SVG, 1×1 and tracking pixels, WeChat UI icons) give None.
    """
    if (attrs.get("width") or "").strip() in ("0", "1") or \
            (attrs.get("height") or "").strip() in ("0", "1"):
        return None
    for name in _IMG_ATTRS:
        raw = (attrs.get(name) or "").strip()
        if not raw or _SAVED.match(raw):
            continue
        url = safe_url(raw, base_url=base_url, schemes=("http", "https"))
        if url and re.match(r"https?://", url, re.I) and not _PLACEHOLDER.search(url):
            return _tidy_image(url)
    return saved_copy(attrs)


def _tidy_image(url: str) -> str:
    """WeChat image URLs without lazy-loading and format-conversion parameters."""
    parts = urlsplit(url)
    if not (parts.hostname or "").endswith(("qpic.cn", "qlogo.cn")):
        return url
    q = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in _MMBIZ_JUNK]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(q, safe="=/"), ""))
